import { duration, z } from '@stitch/collector-api';

export const batchConfigSchema = z
  .strictObject({
    /** Items (spans, log records, data points) that trigger a send at once. */
    send_batch_size: z.number().int().nonnegative().default(8192),
    /** Upper bound on one sent batch; 0 means no bound. Must be ≥ send_batch_size. */
    send_batch_max_size: z.number().int().nonnegative().default(0),
    /** How long a partial batch may wait before it is sent anyway. */
    timeout: duration().default(200),
    /**
     * A partial batch is also sent once no item has arrived for this long: the callers are waiting
     * for their acknowledgement, so nothing more may come from them. 0 waits for `timeout`.
     */
    flush_when_idle: duration().default(2),
  })
  .refine((c) => c.send_batch_max_size === 0 || c.send_batch_max_size >= c.send_batch_size, {
    message: 'send_batch_max_size must be 0 or at least send_batch_size',
    path: ['send_batch_max_size'],
  });

export type BatchConfig = z.output<typeof batchConfigSchema>;
