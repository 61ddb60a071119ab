import { cidr, z } from '@stitch/collector-api';

const clientIpSchema = z.strictObject({
  /** Proxies whose `X-Forwarded-For` is believed; the request's socket peer must be one of them. */
  trusted_proxies: z.array(cidr()).default([]),
  /** What becomes of the client IP on the resource (`client.address`). */
  store: z.enum(['drop', 'truncate', 'keep']).default('truncate'),
  /** Network bits kept of an IPv4 address when `store: truncate`. */
  ipv4_prefix: z.number().int().min(0).max(32).default(24),
  /** Network bits kept of an IPv6 address when `store: truncate`. */
  ipv6_prefix: z.number().int().min(0).max(128).default(48),
});

export const enrichConfigSchema = z.strictObject({
  /** Parse `user_agent.original` into browser, OS and device attributes. */
  user_agent: z.boolean().default(true),
  /** Look the client IP up in the offline geo-IP database. */
  geo: z.boolean().default(true),
  // prefault, not default: the default object must itself be parsed so its inner defaults apply.
  client_ip: clientIpSchema.prefault({}),
  /** Touch only resources that look like browser telemetry; backend resources pass unchanged. */
  only_browser_resources: z.boolean().default(true),
});

export type EnrichConfig = z.output<typeof enrichConfigSchema>;
