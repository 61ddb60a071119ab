import { cidr, z } from '@stitch/collector-api';

/** A rate as a token bucket: `capacity` requests at once, refilled at `perSecond`. */
export interface Rate {
  /** As written in the config, for messages. */
  text: string;
  perSecond: number;
  capacity: number;
}

const PERIOD_SECONDS: Record<string, number> = { s: 1, m: 60 };

/** Parses `N/s` or `N/m` (N a positive integer); undefined when it is not one. */
export function parseRate(text: string): Rate | undefined {
  const match = /^\s*(\d+)\s*\/\s*([sm])\s*$/.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  if (!Number.isSafeInteger(count) || count < 1) return undefined;
  // A burst of one period's worth: `60/m` lets a client send 60 at once, then one a second.
  return { text: text.trim(), perSecond: count / PERIOD_SECONDS[match[2]!]!, capacity: count };
}

const rate = () =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const parsed = typeof value === 'string' ? parseRate(value) : undefined;
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `expected a rate such as "2000/s" or "600/m", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return parsed;
  });

export const rateLimitSchema = z.strictObject({
  /** Requests per ingest key (all clients using it together); needs `auth.keys`. */
  per_key: rate().optional(),
  /** Requests per client IP address (the socket's peer, or behind `trusted_proxies` the client they forwarded). */
  per_ip: rate().optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed for `per_ip`: behind one, every request
   * comes from the proxy's address, so without this all clients would share one bucket.
   */
  trusted_proxies: z.array(cidr()).default([]),
});

export type OtlpRateLimitConfig = z.output<typeof rateLimitSchema>;
