// Turns a session's events and browser spans into one time-ordered timeline. Pure, so the page
// only renders.
import type { SessionDetailResponse, StoredSpan, TimelineEvent } from './api.js';

export type VitalRating = 'good' | 'needs-improvement' | 'poor';

/** web.dev thresholds: [good up to, poor above]; ms except CLS. */
const VITAL_THRESHOLDS: Record<string, [number, number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  FID: [100, 300],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};

export function rateVital(name: string, value: number): VitalRating | undefined {
  const thresholds = VITAL_THRESHOLDS[name.toUpperCase()];
  if (!thresholds) return undefined;
  return value <= thresholds[0] ? 'good' : value > thresholds[1] ? 'poor' : 'needs-improvement';
}

export type TimelineItem =
  | { kind: 'event'; timeMs: number; event: TimelineEvent }
  | { kind: 'api-call'; timeMs: number; span: StoredSpan };

const SPAN_KIND_CLIENT = 3;

/** The browser's own fetch/XHR spans: client spans of the session's app (backend spans belong to traces). */
export function browserApiCalls(detail: SessionDetailResponse): StoredSpan[] {
  const service = detail.session.service;
  return detail.spans.filter((span) => span.kind === SPAN_KIND_CLIENT && (service ? span.service === service : !span.stitched));
}

export function buildTimeline(detail: SessionDetailResponse): TimelineItem[] {
  const items: TimelineItem[] = [
    ...detail.events.map((event): TimelineItem => ({ kind: 'event', timeMs: event.timeMs, event })),
    ...browserApiCalls(detail).map((span): TimelineItem => ({ kind: 'api-call', timeMs: span.startMs, span })),
  ];
  // Array.prototype.sort is stable: at equal times events (session.start, page view) stay first.
  return items.sort((a, b) => a.timeMs - b.timeMs);
}

/** The time axis of the API-call and resource bars: session start to its last activity, span end or resource end. */
export function timeAxis(detail: SessionDetailResponse): { startMs: number; spanMs: number } {
  const startMs = detail.session.startMs;
  let endMs = Math.max(detail.session.lastActivityMs, startMs);
  for (const span of detail.spans) endMs = Math.max(endMs, span.startMs + span.durationMs);
  for (const event of detail.events) {
    if (event.name === 'browser.resource_timing') endMs = Math.max(endMs, event.timeMs + (Number(event.attributes['stitch.resource.duration_ms']) || 0));
  }
  return { startMs, spanMs: Math.max(endMs - startMs, 1) };
}

export const attributeString = (attributes: Record<string, unknown>, key: string): string | undefined => {
  const value = attributes[key];
  return value === undefined || value === null ? undefined : String(value);
};
