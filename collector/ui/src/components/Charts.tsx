// Sessions over time and error rate over time as small hand-drawn SVG bar charts (no chart
// library: a few hundred bytes instead of tens of kilobytes), and the split by version on demand.
import { useState } from 'preact/hooks';
import type { KpiResult } from '../api.js';
import { AXIS, fillBuckets, HEIGHT, WIDTH, type Bucket } from '../chart-data.js';
import type { Filters } from '../filters.js';
import { formatAxisTime, formatDateTime, formatNumber, formatPercent } from '../format.js';
import { VersionSplit } from './VersionSplit.js';


interface BarChartProps {
  title: string;
  buckets: Bucket[];
  value(bucket: Bucket): number | null;
  max: number;
  format(value: number): string;
  tone: 'accent' | 'error';
  testId: string;
}

function BarChart({ title, buckets, value, max, format, tone, testId }: BarChartProps) {
  const slot = WIDTH / Math.max(buckets.length, 1);
  const barWidth = Math.max(slot * 0.8, 1);
  const plotHeight = HEIGHT - AXIS;
  const peak = buckets.reduce((m, b) => Math.max(m, value(b) ?? 0), 0);
  const first = buckets[0];
  const last = buckets.at(-1);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>
        {title} <span class="muted">(peak {format(peak)})</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${buckets.length} buckets, peak ${format(peak)}`}>
        <line x1="0" x2={WIDTH} y1={plotHeight} y2={plotHeight} class="chart-axis" />
        {buckets.map((b, i) => {
          const v = value(b);
          const h = max > 0 && v !== null ? Math.max((v / max) * (plotHeight - 2), v > 0 ? 1.5 : 0) : 0;
          return (
            <rect key={b.startMs} class={`chart-bar chart-${tone}`} x={i * slot + (slot - barWidth) / 2} y={plotHeight - h} width={barWidth} height={h}>
              <title>{`${formatDateTime(b.startMs)}: ${v === null ? 'no sessions' : format(v)}`}</title>
            </rect>
          );
        })}
      </svg>
      {first && last && (
        <div class="chart-range muted" aria-hidden="true">
          <span>{formatAxisTime(first.startMs)}</span>
          <span>{formatAxisTime(last.startMs)}</span>
        </div>
      )}
    </figure>
  );
}

export function Charts({ kpis, filters }: { kpis: KpiResult; filters: Filters }) {
  const [split, setSplit] = useState(false);
  const buckets = fillBuckets(kpis);
  const maxSessions = buckets.reduce((m, b) => Math.max(m, b.sessions), 0);
  return (
    <section class="charts" aria-label={`Charts, one bar per ${kpis.interval}`}>
      <BarChart title={`Sessions per ${kpis.interval}`} buckets={buckets} value={(b) => b.sessions} max={maxSessions} format={(v) => formatNumber(v)} tone="accent" testId="chart-sessions" />
      <BarChart title={`Error rate per ${kpis.interval}`} buckets={buckets} value={(b) => b.errorRate} max={1} format={formatPercent} tone="error" testId="chart-error-rate" />
      <div class="split">
        <button type="button" aria-expanded={split} data-testid="split-by-version" onClick={() => setSplit(!split)}>
          {split ? 'Hide split by version' : 'Split by version'}
        </button>
        {split && <VersionSplit filters={filters} fromMs={kpis.fromMs} toMs={kpis.toMs} />}
      </div>
    </section>
  );
}
