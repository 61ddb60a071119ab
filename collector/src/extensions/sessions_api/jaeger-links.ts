import type { SessionDetail, TraceSummary } from '../../store/types.js';

/**
 * Traces named in `allTracesUrl`: 100 ids make a ~4 KB URL, inside the 8 KB request-line limit of
 * common proxies (nginx) in front of Jaeger; a longer session links its first 100 traces.
 */
export const MAX_TRACES_IN_SEARCH_URL = 100;

export interface JaegerLinks {
  /** Jaeger UI's search page listing the session's traces (`/search?traceID=…&traceID=…`); null without traces. */
  allTracesUrl: string | null;
  /** How many traces `allTracesUrl` names (at most MAX_TRACES_IN_SEARCH_URL). */
  tracesInUrl: number;
}

export type LinkedTrace = TraceSummary & { jaegerUrl?: string };
export type SessionDetailResponse = Omit<SessionDetail, 'traces'> & { traces: LinkedTrace[]; jaeger?: JaegerLinks };

/** Adds Jaeger UI links to a session's traces; without a Jaeger UI URL the detail goes out as the store gave it. */
export function withJaegerLinks(detail: SessionDetail, jaegerUiUrl: string | undefined): SessionDetailResponse {
  if (!jaegerUiUrl) return detail;
  const base = jaegerUiUrl.replace(/\/+$/, '');
  const traces = detail.traces.map((trace) => ({ ...trace, jaegerUrl: `${base}/trace/${encodeURIComponent(trace.traceId)}` }));
  const linked = detail.traces.slice(0, MAX_TRACES_IN_SEARCH_URL);
  const search = new URLSearchParams(linked.map((trace) => ['traceID', trace.traceId]));
  return {
    ...detail,
    traces,
    jaeger: { allTracesUrl: linked.length === 0 ? null : `${base}/search?${search}`, tracesInUrl: linked.length },
  };
}
