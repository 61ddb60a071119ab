// Calls the sessions API on the same origin. Every failure becomes an ApiError with a message a
// person can act on, so pages show it instead of going blank.
import type { KpiResult, SessionPage } from '../../src/store/types.js';
import { currentToken, signInNeeded } from './auth.js';
import type { SessionDetailResponse } from '../../src/extensions/sessions_api/jaeger-links.js';

export type { KpiResult, SessionPage, SessionSummary, StoredSpan, TimelineEvent, TraceSummary } from '../../src/store/types.js';
export type { LinkedTrace, SessionDetailResponse } from '../../src/extensions/sessions_api/jaeger-links.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Me {
  name: string;
  role: 'viewer' | 'analyst' | 'admin';
  authRequired: boolean;
}

async function getJson<T>(path: string, signal?: AbortSignal, token = currentToken()): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  try {
    response = await fetch(path, { headers, signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, `Cannot reach the collector (${(error as Error).message}). Is it running?`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, `The API answered ${response.status} with something that is not JSON.`);
  }
  if (response.status === 401) signInNeeded();
  if (!response.ok) {
    const message = (body as { error?: unknown }).error;
    throw new ApiError(response.status, typeof message === 'string' ? message : `The API answered ${response.status}.`);
  }
  return body as T;
}

export const fetchSessions = (query: URLSearchParams, signal?: AbortSignal) => getJson<SessionPage>(`/api/sessions?${query}`, signal);
export const fetchKpis = (query: URLSearchParams, signal?: AbortSignal) => getJson<KpiResult>(`/api/kpis?${query}`, signal);
export const fetchSession = (id: string, signal?: AbortSignal) => getJson<SessionDetailResponse>(`/api/sessions/${encodeURIComponent(id)}`, signal);
/** Checks a token before it is stored: resolves with its holder, or an ApiError (401 for a wrong token). */
export const fetchMe = (token?: string) => getJson<Me>('/api/me', undefined, token ?? currentToken());
