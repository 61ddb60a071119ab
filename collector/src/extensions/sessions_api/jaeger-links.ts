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
  /**
   * Jaeger UI's tag search for the session (`/search?service=…&tags={"session.id":"…"}`): every
   * span of the session in the browser's service, however many traces. Null when no service is known.
   */
  sessionSearchUrl: string | null;
}

export type LinkedTrace = TraceSummary & { jaegerUrl?: string };
export type SessionDetailResponse = Omit<SessionDetail, 'traces'> & { traces: LinkedTrace[]; jaeger?: JaegerLinks };

function sessionSearchUrl(base: string, detail: SessionDetail): string | null {
  const service = detail.session.service ?? detail.traces[0]?.services[0];
  if (!service) return null;
  const query = new URLSearchParams({ service, tags: JSON.stringify({ 'session.id': detail.session.sessionId }), lookback: 'custom', start: String(Math.floor(detail.session.startMs * 1000) - 3_600_000_000), end: String(Math.ceil(detail.session.lastActivityMs * 1000) + 3_600_000_000), limit: '1500' });
  return `${base}/search?${query}`;
}

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
    jaeger: {
      allTracesUrl: linked.length === 0 ? null : `${base}/search?${search}`,
      tracesInUrl: linked.length,
      sessionSearchUrl: sessionSearchUrl(base, detail),
    },
  };
}
