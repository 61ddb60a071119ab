import { duration, hostPort, z } from '@stitch/collector-api';

export const prometheusExporterConfigSchema = z.strictObject({
  /** `host:port` serving `GET /metrics`. Loopback by default: scrapers on other hosts need `0.0.0.0:9464`. */
  endpoint: hostPort().default('127.0.0.1:9464'),
  /** Prefix of the session, vitals and guard metrics (`stitch_sessions_started_total`); empty for none. RED metrics never get it. */
  namespace: z
    .string()
    .regex(/^([a-zA-Z_][a-zA-Z0-9_]*)?$/, 'expected a Prometheus name prefix such as "stitch"')
    .default('stitch'),
  /** Distinct values one label of one metric may take; later new values are folded into `other`. */
  max_label_values: z.number().int().min(1).default(100),
  /** A series nobody updated for this long is dropped (and its label values make room for new ones); 0 keeps series forever. */
  metric_expiration: duration().default(60 * 60_000),
  sessions: z
    .strictObject({
      /** Sessions remembered at once (an LRU); the oldest is ended and forgotten beyond it. */
      max_tracked: z.number().int().min(1).default(100_000),
      /** A session counts as active while its last activity is this recent. */
      active_window: duration().default(5 * 60_000),
      /** A session idle this long is ended: its duration, page views and actions are observed then. */
      inactivity_timeout: duration().default(15 * 60_000),
    })
    .prefault({}),
  span_metrics: z
    .strictObject({
      /** Produce `traces_span_metrics_*` from every span (the spanmetrics connector's shape). */
      enabled: z.boolean().default(true),
      /** `ms` gives `traces_span_metrics_duration_milliseconds` (the connector's and Jaeger's default); `s` gives `…_seconds`. */
      duration_unit: z.enum(['ms', 's']).default('ms'),
    })
    .prefault({}),
});

export type PrometheusExporterConfig = z.output<typeof prometheusExporterConfigSchema>;
