import { duration, httpUrl, z } from '@stitch/collector-api';

/** The signals the processor can watch, by the name alerts carry in `stitch.anomaly.signal`. */
export const SIGNAL_NAMES = ['session_error_rate', 'failed_login_rate'] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKindName = (typeof SPAN_KINDS)[number];

const regex = () =>
  z.string().refine(
    (value) => {
      try {
        new RegExp(value, 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected a regular expression' },
  );

const failedLoginSchema = z.strictObject({
  /** Regular expression (case-insensitive) tested against a span's `http.route`. */
  route_pattern: regex().default('login|signin|auth'),
  /** `http.response.status_code` values that make a matching span a failed login. */
  status_codes: z.array(z.number().int().min(100).max(599)).default([401, 403]),
  /** Span kinds that can be a failed login (the server side sees each attempt once). */
  span_kinds: z.array(z.enum(SPAN_KINDS)).min(1).default(['server']),
  /** Log event names (`eventName` or the `event.name` attribute) that are one failed login each. */
  log_events: z.array(z.string().min(1)).default(['auth.login_failed', 'user.login_failed']),
});

const webhookSchema = z.strictObject({
  /** Alertmanager's `/api/v2/alerts` or any receiver of its JSON; no URL, no webhook. */
  url: httpUrl().optional(),
  /** A post taking longer is abandoned and counted as failed. */
  timeout: duration().default(5_000),
  /**
   * Alertmanager resolves an alert it has not heard of for `resolve_timeout` (5m by default), so a
   * firing alert is posted again at this interval, as Prometheus does; 0 posts it once.
   */
  resend_interval: duration().default(60_000),
  /** Extra request headers, e.g. `Authorization`. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Link put in each alert's `generatorURL` (a dashboard, the sessions UI). */
  generator_url: httpUrl().optional(),
});

export const anomalyConfigSchema = z
  .strictObject({
    /** Which signals to watch. */
    signals: z.array(z.enum(SIGNAL_NAMES)).min(1).default([...SIGNAL_NAMES]),
    /** Length of the sliding window each evaluation looks at. */
    window: duration().default(60_000),
    /** How often the window is evaluated (the window slides by this much). */
    evaluation_interval: duration().default(15_000),
    /** Weight of the newest sample in the EWMA baseline (mean and variance). */
    ewma_alpha: z.number().gt(0).max(1).default(0.3),
    /** Standard deviations above the baseline that make a window anomalous. */
    z_threshold: z.number().positive().default(3),
    /** Samples the baseline needs before anything can alert (warm-up). */
    min_samples: z.number().int().min(1).default(10),
    /** Observed ÷ baseline at or above which a window is anomalous whatever the variance; 0 turns the rule off. */
    rate_of_change: z.number().min(0).default(2),
    /**
     * Consecutive anomalous evaluations before an alert fires: a real incident lasts, while a noisy
     * window that happens to cross z_threshold rarely stays above it for several evaluations.
     */
    sustain: z.number().int().min(1).default(3),
    /** Fewer events than this in a window never alert (errored sessions or failed logins). */
    min_events: z.number().int().min(1).default(10),
    /** How long the signal must be back to normal before the incident resolves and can fire again; default 2 × window. */
    rearm_after: duration().optional(),
    /** Value of the `severity` label and of the log record's severity text mapping. */
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
    failed_login: failedLoginSchema.prefault({}),
    /** Bound on (service.name, service.version) pairs watched; new pairs past it are ignored and counted. */
    max_series: z.number().int().positive().default(1_000),
    /** Bound on sessions remembered for the error rate; past it the least recently seen are forgotten. */
    max_sessions: z.number().int().positive().default(100_000),
    webhook: webhookSchema.prefault({}),
  })
  .refine((config) => config.evaluation_interval > 0 && config.window >= config.evaluation_interval, {
    message: 'window must be at least evaluation_interval, and evaluation_interval more than 0',
    path: ['window'],
  });

export type AnomalyConfig = z.output<typeof anomalyConfigSchema>;
