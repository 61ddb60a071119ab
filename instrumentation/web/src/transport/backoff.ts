/** OTLP says only these are retryable (plus network errors). */
export const isRetryable = (status: number): boolean => status === 429 || status === 502 || status === 503 || status === 504;

/** Exponential backoff with full-range jitter: attempt 0 → [base/2, base), doubling up to `max`. */
export function backoffDelay(attempt: number, baseMs = 1000, maxMs = 30000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into ms from `now`; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
