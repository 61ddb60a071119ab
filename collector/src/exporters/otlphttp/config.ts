import { duration, httpUrl, z } from '@stitch/collector-api';

// Defaults are the OpenTelemetry Collector's exporterhelper defaults, so its users get no surprises.
const retryOnFailureSchema = z.strictObject({
  enabled: z.boolean().default(true),
  initial_interval: duration().default(5_000),
  max_interval: duration().default(30_000),
  /** 0 retries forever. */
  max_elapsed_time: duration().default(300_000),
  multiplier: z.number().min(1).default(1.5),
  randomization_factor: z.number().min(0).max(1).default(0.5),
});

const sendingQueueSchema = z.strictObject({
  enabled: z.boolean().default(true),
  num_consumers: z.number().int().positive().default(10),
  /** Counts batches waiting to be sent, not items. */
  queue_size: z.number().int().positive().default(1000),
  /**
   * What a full queue does with a new batch: `refuse` fails the pipeline with a RefusedError (the
   * receiver answers 503 with Retry-After and the client sends again), `drop` accepts and loses it
   * (counted as enqueue_failed).
   */
  when_full: z.enum(['refuse', 'drop']).default('refuse'),
  /** Id of a storage extension (`file_storage`): batches are written to disk before they are acknowledged, and survive restarts. */
  storage: z.string().min(1).optional(),
  /** Bound on the queue's files on disk, in MiB (with `storage`); the storage extension's `max_size_mib` when unset. */
  max_size_mib: z.number().positive().optional(),
});

export const otlpHttpConfigSchema = z
  .strictObject({
    endpoint: httpUrl().optional(),
    traces_endpoint: httpUrl().optional(),
    logs_endpoint: httpUrl().optional(),
    metrics_endpoint: httpUrl().optional(),
    encoding: z.enum(['proto', 'json']).default('proto'),
    compression: z.enum(['gzip', 'none']).default('gzip'),
    timeout: duration().default(30_000),
    headers: z.record(z.string(), z.string()).default({}),
    // prefault, not default: the default object must itself be parsed so its inner defaults apply.
    retry_on_failure: retryOnFailureSchema.prefault({}),
    sending_queue: sendingQueueSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const queue = config.sending_queue;
    if (!queue.enabled && (queue.storage !== undefined || queue.max_size_mib !== undefined)) {
      const key = queue.storage !== undefined ? 'storage' : 'max_size_mib';
      ctx.addIssue({ code: 'custom', path: ['sending_queue', key], message: `needs sending_queue.enabled: true`, input: queue[key] });
    }
    if (queue.storage === undefined && queue.max_size_mib !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sending_queue', 'max_size_mib'], message: 'only bounds a queue on disk: set sending_queue.storage too', input: queue.max_size_mib });
    }
    if (!config.endpoint && !config.traces_endpoint && !config.logs_endpoint && !config.metrics_endpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message: 'required: set endpoint (or traces_endpoint, logs_endpoint, metrics_endpoint)',
        input: undefined,
      });
    }
  });

export type OtlpHttpExporterConfig = z.output<typeof otlpHttpConfigSchema>;
export type RetryOnFailureConfig = OtlpHttpExporterConfig['retry_on_failure'];
export type SendingQueueConfig = OtlpHttpExporterConfig['sending_queue'];
