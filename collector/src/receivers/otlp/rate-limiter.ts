import { CidrSet, clientIpOf, type RequestClient } from '@stitch/collector-api';
import type { OtlpRateLimitConfig } from './rate-limit-config.js';
import { TokenBuckets, type Clock } from './token-buckets.js';

export type RateLimitReason = 'rate_limited_ip' | 'rate_limited_key';

export interface RateLimited {
  reason: RateLimitReason;
  retryAfterSeconds: number;
  message: string;
}

/** `rate_limit:` — one bucket per client IP and one per ingest key. */
export class RateLimiter {
  readonly #perIp: TokenBuckets | undefined;
  readonly #perKey: TokenBuckets | undefined;
  readonly #config: Partial<OtlpRateLimitConfig>;
  readonly #trustedProxies: CidrSet;

  constructor(config: OtlpRateLimitConfig | undefined, clock: Clock = Date.now) {
    this.#config = config ?? {};
    this.#trustedProxies = new CidrSet(this.#config.trusted_proxies ?? []);
    this.#perIp = this.#config.per_ip && new TokenBuckets(this.#config.per_ip, clock);
    this.#perKey = this.#config.per_key && new TokenBuckets(this.#config.per_key, clock);
  }

  /**
   * Charged before the key is checked, so one address cannot guess keys at full speed. Behind a
   * trusted proxy the bucket is the forwarded client's (the right-most untrusted hop, as `enrich`
   * reads it); a forwarded hop that is not an address falls back to the proxy's bucket.
   */
  takeForIp(client: RequestClient): RateLimited | undefined {
    if (!this.#perIp) return undefined;
    const address = client.forwardedFor === undefined ? client.address : (clientIpOf(client, this.#trustedProxies) ?? client.address);
    const seconds = this.#perIp.take(address);
    if (seconds === 0) return undefined;
    return { reason: 'rate_limited_ip', retryAfterSeconds: seconds, message: `too many requests from this client address (rate_limit.per_ip ${this.#config.per_ip!.text}): retry after ${seconds} s` };
  }

  takeForKey(keyIndex: number): RateLimited | undefined {
    const seconds = this.#perKey?.take(String(keyIndex)) ?? 0;
    if (seconds === 0) return undefined;
    return { reason: 'rate_limited_key', retryAfterSeconds: seconds, message: `too many requests with this ingest key (rate_limit.per_key ${this.#config.per_key!.text}): retry after ${seconds} s` };
  }
}
