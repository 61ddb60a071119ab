import { setTimeout as sleep } from 'node:timers/promises';
import type { PartialSuccess } from '@stitch/collector-api';
import type { RetryOnFailureConfig } from './config.js';
import { ExponentialBackoff } from './exponential-backoff.js';

/** What one HTTP attempt came to. */
export type AttemptOutcome =
  | { kind: 'sent'; partial?: PartialSuccess }
  | { kind: 'retryable'; reason: string; status?: number; retryAfterMs?: number }
  | { kind: 'permanent'; reason: string; status?: number };

/** What the whole send came to, after any retries. */
export type SendOutcome =
  | { kind: 'sent'; partial?: PartialSuccess }
  | { kind: 'failed'; permanent: boolean; reason: string; status?: number; attempts: number };

export interface RetryOptions {
  policy: RetryOnFailureConfig;
  /** Aborted at shutdown: the current wait ends and no further attempt is made. */
  stopRetrying: AbortSignal;
  onRetry?: (reason: string, delayMs: number, attempt: number) => void;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, fails permanently, or the retry policy gives up. */
export async function sendWithRetry(attempt: () => Promise<AttemptOutcome>, options: RetryOptions): Promise<SendOutcome> {
  const { policy, stopRetrying } = options;
  const started = Date.now();
  const backoff = new ExponentialBackoff(policy, options.random);
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt();
    if (outcome.kind === 'sent') return outcome;
    const failed = (permanent: boolean, reason: string): SendOutcome => ({ kind: 'failed', permanent, reason, status: outcome.status, attempts });
    if (outcome.kind === 'permanent') return failed(true, outcome.reason);
    if (!policy.enabled) return failed(false, outcome.reason);
    if (stopRetrying.aborted) return failed(false, `${outcome.reason} (shutting down, not retrying)`);

    // A server's Retry-After wins over a shorter backoff, as the OpenTelemetry Collector does.
    const delay = Math.max(backoff.nextDelay(), outcome.retryAfterMs ?? 0);
    const elapsed = Date.now() - started;
    if (policy.max_elapsed_time > 0 && elapsed + delay > policy.max_elapsed_time) {
      return failed(false, `${outcome.reason} (gave up after ${attempts} attempts in ${elapsed} ms: max_elapsed_time is ${policy.max_elapsed_time} ms)`);
    }
    options.onRetry?.(outcome.reason, delay, attempts);
    try {
      await sleep(delay, undefined, { signal: stopRetrying });
    } catch {
      return failed(false, `${outcome.reason} (shutting down, retry abandoned)`);
    }
  }
}
