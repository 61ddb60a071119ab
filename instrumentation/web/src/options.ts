import type { Consent } from './privacy/consent.js';

/** Per-instrumentation setting: `false` turns it off; an object configures it; `true`/absent = on with defaults. */
export type InstrumentationSetting = boolean | Record<string, unknown>;

export interface StitchOptions {
  /** OTLP/HTTP base URL of the collector; `/v1/traces` and `/v1/logs` are appended. Required. */
  endpoint: string;
  /** `service.name` on the resource. Required. */
  serviceName: string;
  /** `deployment.environment.name`. */
  environment?: string;
  /** `service.version`. */
  version?: string;
  /** URLs (prefix strings or RegExps) whose requests get `traceparent` + `baggage: session.id=…`. Default: none. */
  propagateTo?: (string | RegExp)[];
  /** Percent of sessions tracked, decided once per session from its id. Default 100. */
  sessionSampleRate?: number;
  /** Initial consent. Default 'granted'. 'pending' buffers in memory and sends/stores nothing. */
  consent?: Consent;
  /** Disable the SDK when the browser sends Do-Not-Track or Global Privacy Control. Default false. */
  respectDoNotTrack?: boolean;
  /** Session ends after this much inactivity. Default 15 min. */
  sessionInactivityTimeoutMs?: number;
  /** Session ends this long after it started. Default 4 h. */
  sessionMaxDurationMs?: number;
  /** Turn each auto-instrumentation off (`false`) or configure it (`{…}`). Default: all on. */
  instrumentations?: Partial<Record<'page-load' | 'page-view' | 'user-action' | 'network' | 'errors' | 'web-vitals' | 'resource-timing', InstrumentationSetting>> & Record<string, InstrumentationSetting>;
  /** Query keys whose values are kept in URLs; every other value becomes `REDACTED`. Default []. */
  queryAllowlist?: string[];
  /** Send `user.hash` (SHA-256 of the id) instead of `user.id`. Default true. */
  hashUserId?: boolean;
  /** Send `user.email` from setUser. Default false. */
  sendUserEmail?: boolean;
  /** Prefix for global context properties whose key has no dot. Default 'stitch.context.'. */
  contextPrefix?: string;
  /** Max spans/logs per request. Default 100. */
  maxBatchSize?: number;
  /** Longest a span/log waits before being sent, ms. Default 5000. */
  batchDelayMs?: number;
  /** Max spans/logs held in memory (consent pending, between sends); oldest dropped. Default 1000 each. */
  maxQueueSize?: number;
  /** Max bytes of one request body (larger batches are split). Default 512 KiB. */
  maxRequestBytes?: number;
  /** Wire format. Only 'json' (OTLP/JSON) is built in. Default 'json'. */
  encoding?: 'json';
  /** gzip request bodies with CompressionStream where available. Default true. */
  compression?: boolean;
  /** Bound of the offline outbox in localStorage (oldest batches dropped first). Default 1 MB; 0 disables it. */
  maxOfflineBytes?: number;
  /** Send attempts per batch before it goes to the offline outbox. Default 5. */
  maxRetries?: number;
  /**
   * A browser ingest key (the collector's `receivers.otlp.auth.keys`, `kind: browser`, bound to
   * this site's origin). Sent as `x-stitch-key`; the sendBeacon fallback, which cannot set
   * headers, sends it as the `stitch_key` query parameter, which the collector accepts for browser keys.
   */
  ingestKey?: string;
  /** Extra request headers. Not sent by the sendBeacon fallback, which is then skipped (use `ingestKey` for a key). */
  headers?: Record<string, string>;
  /** Register Stitch's providers, propagator and context manager as the OpenTelemetry globals. Default true. */
  registerGlobals?: boolean;
}

export type ResolvedOptions = Required<Omit<StitchOptions, 'environment' | 'version' | 'ingestKey'>> & Pick<StitchOptions, 'environment' | 'version' | 'ingestKey'>;

export function resolveOptions(o: StitchOptions): ResolvedOptions {
  if (!o || !o.endpoint) throw new Error('Stitch.init: `endpoint` is required');
  if (!o.serviceName) throw new Error('Stitch.init: `serviceName` is required');
  return {
    propagateTo: [],
    sessionSampleRate: 100,
    consent: 'granted',
    respectDoNotTrack: false,
    sessionInactivityTimeoutMs: 15 * 60_000,
    sessionMaxDurationMs: 4 * 3_600_000,
    instrumentations: {},
    queryAllowlist: [],
    hashUserId: true,
    sendUserEmail: false,
    contextPrefix: 'stitch.context.',
    maxBatchSize: 100,
    batchDelayMs: 5000,
    maxQueueSize: 1000,
    maxRequestBytes: 512 * 1024,
    encoding: 'json',
    compression: true,
    maxOfflineBytes: 1_000_000,
    maxRetries: 5,
    headers: {},
    registerGlobals: true,
    ...o,
  };
}
