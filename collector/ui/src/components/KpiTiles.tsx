// The key figures of the selected range and filters (GET /api/kpis).
import type { KpiResult } from '../api.js';
import { formatDuration, formatNumber, formatPercent } from '../format.js';

export function KpiTiles({ kpis }: { kpis: KpiResult }) {
  const { totals } = kpis;
  const tiles: [string, string, string][] = [
    ['sessions', 'Sessions', formatNumber(totals.sessions)],
    ['avg-duration', 'Average duration', formatDuration(totals.avgDurationMs)],
    ['error-rate', 'Error rate', formatPercent(totals.errorRate)],
    ['pages-per-session', 'Pages per session', formatNumber(totals.pagesPerSession, 1)],
    ['active-users', 'Active users now', formatNumber(kpis.activeUsersNow)],
  ];
  return (
    <dl class="kpis" aria-label="Key figures">
      {tiles.map(([id, label, value]) => (
        <div class="kpi" key={id} data-testid={`kpi-${id}`}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
