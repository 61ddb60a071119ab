import type { IncomingMessage } from 'node:http';
import type { Counter, CreateSettings, RequestClient } from '@stitch/collector-api';
import type { OtlpAuthConfig } from './auth-config.js';
import { HttpError } from './http-error.js';
import { IngestKeys } from './ingest-keys.js';
import { presentedKey } from './presented-key.js';
import type { OtlpRateLimitConfig } from './rate-limit-config.js';
import { RateLimiter } from './rate-limiter.js';
import type { Clock } from './token-buckets.js';

// RFC 9110: a 401 names the scheme the client should use.
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="stitch"' };

/**
 * Decides, from headers alone and before the body is read, whether a request may send data:
 * per-IP rate limit, then the ingest key (and a browser key's Origin), then the per-key rate
 * limit. A refused request's body is never decoded, so none of its data reaches a pipeline.
 */
export class IngestGate {
  readonly #keys: IngestKeys;
  readonly #limiter: RateLimiter;
  readonly #refused: Counter;
  readonly #labels: { receiver: string; transport: string };

  constructor(settings: CreateSettings, auth: OtlpAuthConfig | undefined, rateLimit: OtlpRateLimitConfig | undefined, clock?: Clock) {
    this.#keys = new IngestKeys(auth?.keys ?? []);
    this.#limiter = new RateLimiter(rateLimit, clock);
    this.#refused = settings.telemetry.counter(
      'receiver_refused_requests',
      'Requests refused before their data was read (missing or invalid ingest key, origin, rate limit)',
      ['receiver', 'transport', 'reason'],
    );
    this.#labels = { receiver: settings.id, transport: 'http' };
  }

  /** What the start-up log says about access: `open`, or the keys' kinds and fingerprints. */
  get summary(): string | string[] {
    return this.#keys.enabled ? this.#keys.describe() : 'open';
  }

  /** Throws the HttpError to answer with when the request may not send; returns when it may. */
  admit(request: IncomingMessage, search: string, client: RequestClient): void {
    const ipLimited = this.#limiter.takeForIp(client);
    if (ipLimited) this.#refuse(ipLimited.reason, new HttpError(429, ipLimited.message, { 'Retry-After': String(ipLimited.retryAfterSeconds) }));
    // Open ingest (no keys): only the per-IP limit applies, as there is no key to count by.
    if (!this.#keys.enabled) return;
    const auth = this.#keys.authenticate(presentedKey(request.headers, search), request.headers.origin);
    if (!auth.ok) this.#refuse(auth.reason, new HttpError(auth.status, auth.message, auth.status === 401 ? CHALLENGE : {}));
    const keyLimited = this.#limiter.takeForKey(auth.keyIndex);
    if (keyLimited) this.#refuse(keyLimited.reason, new HttpError(429, keyLimited.message, { 'Retry-After': String(keyLimited.retryAfterSeconds) }));
  }

  #refuse(reason: string, error: HttpError): never {
    this.#refused.add(1, { ...this.#labels, reason });
    throw error;
  }
}
