// Fills the KPI series into one bucket per interval over the range: the API leaves empty buckets
// out, and a chart needs them as zeros to keep its time axis even.
import type { KpiResult } from './api.js';

/** SVG user units of every chart; the SVG scales to its box. */
export const WIDTH = 600;
export const HEIGHT = 110;
/** Room under the bars for the axis line. */
export const AXIS = 16;

export interface Bucket {
  startMs: number;
  sessions: number;
  errorRate: number | null;
}

const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000 } as const;
/** A 30-day range in hours would be 720 bars: more than a chart can show, so stop there. */
const MAX_BUCKETS = 400;

export function fillBuckets(kpis: KpiResult): Bucket[] {
  const step = INTERVAL_MS[kpis.interval];
  const byStart = new Map(kpis.series.map((b) => [b.bucketStartMs, b]));
  const first = Math.floor(kpis.fromMs / step) * step;
  const buckets: Bucket[] = [];
  for (let start = first; start < kpis.toMs && buckets.length < MAX_BUCKETS; start += step) {
    const found = byStart.get(start);
    buckets.push({ startMs: start, sessions: found?.sessions ?? 0, errorRate: found ? found.errorRate : null });
  }
  // Buckets the API returned outside the computed grid (should not happen) are not lost silently.
  for (const b of kpis.series) if (!buckets.some((x) => x.startMs === b.bucketStartMs)) buckets.push({ startMs: b.bucketStartMs, sessions: b.sessions, errorRate: b.errorRate });
  return buckets.sort((a, b) => a.startMs - b.startMs);
}
