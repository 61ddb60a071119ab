// Starts the sessions list's two API requests while the rest of the app is still being evaluated
// (formatters, components) and rendered, so the round trip overlaps that work instead of following
// it. main.tsx imports this module first: ES modules run in import order, and a call in main.tsx
// itself would only run after every other import had been evaluated.
import { fetchKpis, fetchSessions, type KpiResult, type SessionPage } from './api.js';
import { apiFilterQuery, apiListQuery, parseFilters } from './filters.js';

export interface Prefetched {
  sessions: Promise<SessionPage>;
  kpis: Promise<KpiResult>;
}

let early: (Prefetched & { search: string }) | undefined;

export const isListPath = (path: string): boolean => path === '/' || path === '/sessions' || path === '/sessions/';

if (typeof location !== 'undefined' && isListPath(location.pathname)) {
  const filters = parseFilters(location.search);
  early = { search: location.search, sessions: fetchSessions(apiListQuery(filters)), kpis: fetchKpis(apiFilterQuery(filters)) };
  // Handled where they are taken; this only keeps a failure from being reported as unhandled first.
  early.sessions.catch(() => undefined);
  early.kpis.catch(() => undefined);
}

/** The requests started at load for this query string, once: any later view fetches its own. */
export function takePrefetched(search: string): Prefetched | undefined {
  const taken = early?.search === search ? early : undefined;
  early = undefined;
  return taken;
}
