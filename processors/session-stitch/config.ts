import { duration, z } from '@stitch/collector-api';

export const sessionStitchConfigSchema = z.strictObject({
  /** How long spans and logs of a trace with no known session wait for the span that names it. */
  wait: duration().default(10_000),
  /** Bound on traces held at once; past it the oldest are released unstamped (counted `evicted`). */
  max_traces: z.number().int().positive().default(100_000),
  /** Bound on the encoded bytes held at once, in MiB; past it the oldest traces are released unstamped. */
  max_buffer_mib: z.number().positive().default(64),
  /** How long a trace id → session id entry is remembered after its last use. */
  index_ttl: duration().default(4 * 3_600_000),
  /** Bound on remembered trace ids; past it the least recently used are forgotten. */
  max_index_entries: z.number().int().positive().default(1_000_000),
  /**
   * Id of an exporter that persists the trace id → session id index (the `sessionstore` exporter):
   * traces that time out are looked up there before they leave unstamped, so a restarted collector
   * still stitches late backend spans of sessions it saw before.
   */
  index_store: z.string().min(1).optional(),
  /**
   * Id of a storage extension (`file_storage`): held records are written to disk before the client
   * is acknowledged, and come back after a crash or restart. Without it they live only in memory.
   */
  storage: z.string().min(1).optional(),
});

export type SessionStitchConfig = z.output<typeof sessionStitchConfigSchema>;
