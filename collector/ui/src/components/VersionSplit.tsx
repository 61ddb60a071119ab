// "Split by version": each app version's sessions over time (stacked bars, the five most used
// versions) and its totals with error rate. Fetched only when asked for: one request for the
// versions, one per version for its series.
import { useEffect, useState } from 'preact/hooks';
import { fetchKpis, type KpiResult } from '../api.js';
import { AXIS, fillBuckets, HEIGHT, WIDTH } from '../chart-data.js';
import { apiFilterQuery, type Filters } from '../filters.js';
import { formatAxisTime, formatDateTime, formatNumber, formatPercent } from '../format.js';
import { ErrorMessage } from './Notices.js';

const MAX_VERSIONS = 5;
// Distinguishable colours, none of them the red that means "error" elsewhere.
const COLOURS = ['#3454d1', '#e07b00', '#1a7f37', '#8e44ad', '#0b7285'];

interface Split {
  groups: NonNullable<KpiResult['groups']>;
  series: { version: string; kpis: KpiResult }[];
}

/** The filters over the exact range of the totals (not `range=24h` again), so every series shares their time axis. */
function queryFor(filters: Filters, fromMs: number, toMs: number): URLSearchParams {
  const query = apiFilterQuery(filters);
  query.delete('range');
  query.set('from', String(fromMs));
  query.set('to', String(toMs));
  return query;
}

async function loadSplit(filters: Filters, fromMs: number, toMs: number, signal: AbortSignal): Promise<Split> {
  const query = queryFor(filters, fromMs, toMs);
  query.set('group_by', 'version');
  const { groups = [] } = await fetchKpis(query, signal);
  const versions = groups.flatMap((g) => (g.key === null ? [] : [g.key])).slice(0, MAX_VERSIONS);
  const series = await Promise.all(
    versions.map(async (version) => {
      const perVersion = queryFor(filters, fromMs, toMs);
      perVersion.set('version', version);
      return { version, kpis: await fetchKpis(perVersion, signal) };
    }),
  );
  return { groups, series };
}

function StackedChart({ split }: { split: Split }) {
  const perVersion = split.series.map(({ version, kpis }) => ({ version, buckets: fillBuckets(kpis) }));
  const length = perVersion[0]?.buckets.length ?? 0;
  const totals = Array.from({ length }, (_, i) => perVersion.reduce((sum, v) => sum + (v.buckets[i]?.sessions ?? 0), 0));
  const max = Math.max(...totals, 1);
  const slot = WIDTH / Math.max(length, 1);
  const plotHeight = HEIGHT - AXIS;
  const first = perVersion[0]?.buckets[0];
  const last = perVersion[0]?.buckets.at(-1);
  return (
    <figure class="chart" data-testid="chart-by-version">
      <figcaption>Sessions by version</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`Sessions over time, stacked by version: ${perVersion.map((v) => v.version).join(', ')}`}>
        <line x1="0" x2={WIDTH} y1={plotHeight} y2={plotHeight} class="chart-axis" />
        {Array.from({ length }, (_, i) => {
          let top = plotHeight;
          return perVersion.map((v, k) => {
            const bucket = v.buckets[i];
            if (!bucket || bucket.sessions === 0) return null;
            const h = Math.max((bucket.sessions / max) * (plotHeight - 2), 1.5);
            top -= h;
            return (
              <rect key={`${i}-${v.version}`} x={i * slot + slot * 0.1} y={top} width={Math.max(slot * 0.8, 1)} height={h} fill={COLOURS[k % COLOURS.length]} data-version={v.version}>
                <title>{`${formatDateTime(bucket.startMs)}: ${v.version}, ${bucket.sessions} sessions`}</title>
              </rect>
            );
          });
        })}
      </svg>
      {first && last && (
        <div class="chart-range muted" aria-hidden="true">
          <span>{formatAxisTime(first.startMs)}</span>
          <span>{formatAxisTime(last.startMs)}</span>
        </div>
      )}
      <ul class="legend">
        {perVersion.map((v, k) => (
          <li key={v.version}>
            <span class="swatch" style={{ background: COLOURS[k % COLOURS.length] }} aria-hidden="true" />
            {v.version}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function VersionTable({ groups }: { groups: Split['groups'] }) {
  const most = Math.max(...groups.map((g) => g.sessions), 1);
  return (
    <table class="version-split" data-testid="version-split">
      <caption class="visually-hidden">Sessions and error rate by app version</caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Sessions</th>
          <th scope="col">Error rate</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key ?? ''} data-version={g.key ?? ''}>
            <th scope="row">{g.key ?? 'unknown'}</th>
            <td>
              <span class="hbar" aria-hidden="true">
                <span style={{ width: `${(g.sessions / most) * 100}%` }} />
              </span>
              {formatNumber(g.sessions)}
            </td>
            <td>
              <span class="hbar hbar-error" aria-hidden="true">
                <span style={{ width: `${(g.errorRate ?? 0) * 100}%` }} />
              </span>
              {formatPercent(g.errorRate)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `fromMs`/`toMs` of the totals, so the per-version series share their time axis. */
export function VersionSplit({ filters, fromMs, toMs }: { filters: Filters; fromMs: number; toMs: number }) {
  const [state, setState] = useState<{ split?: Split; error?: unknown }>({});
  useEffect(() => {
    const abort = new AbortController();
    setState({});
    loadSplit(filters, fromMs, toMs, abort.signal).then(
      (split) => setState({ split }),
      (error: unknown) => !abort.signal.aborted && setState({ error }),
    );
    return () => abort.abort();
  }, [filters, fromMs, toMs]);
  if (state.error !== undefined) return <ErrorMessage error={state.error} />;
  if (!state.split) return <p class="loading">Loading versions…</p>;
  return (
    <div class="version-split-wrap">
      {state.split.series.length > 0 && <StackedChart split={state.split} />}
      <VersionTable groups={state.split.groups} />
    </div>
  );
}
