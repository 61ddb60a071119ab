import type { Rate } from './rate-limit-config.js';

/** Milliseconds, injectable so tests control time. */
export type Clock = () => number;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Most buckets kept at once: past it the least recently used is forgotten (and starts full again). */
export const DEFAULT_MAX_BUCKETS = 10_000;

/**
 * Token buckets by name (a client IP, a key): each holds up to `capacity` tokens, refilled
 * continuously at `perSecond`, and a request takes one. The map is an LRU bounded by
 * `maxBuckets`, so requests from ever-new addresses cannot grow memory without end.
 */
export class TokenBuckets {
  readonly #rate: Rate;
  readonly #clock: Clock;
  readonly #maxBuckets: number;
  // A Map keeps insertion order: re-inserting on each use keeps the least recently used first.
  readonly #buckets = new Map<string, Bucket>();

  constructor(rate: Rate, clock: Clock = Date.now, maxBuckets = DEFAULT_MAX_BUCKETS) {
    this.#rate = rate;
    this.#clock = clock;
    this.#maxBuckets = maxBuckets;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token for `name`: 0 when there was one, else the whole seconds (≥ 1) until there is. */
  take(name: string): number {
    const now = this.#clock();
    const { capacity, perSecond } = this.#rate;
    const bucket = this.#buckets.get(name) ?? { tokens: capacity, updatedAt: now };
    this.#buckets.delete(name);
    // A clock stepping back must not drain the bucket: elapsed time is never negative.
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * perSecond);
    bucket.updatedAt = now;
    let retryAfter = 0;
    if (bucket.tokens >= 1) bucket.tokens -= 1;
    else retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    this.#buckets.set(name, bucket);
    if (this.#buckets.size > this.#maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value as string);
    return retryAfter;
  }
}
