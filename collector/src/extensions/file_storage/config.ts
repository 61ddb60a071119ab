import { z } from '@stitch/collector-api';

export const fileStorageConfigSchema = z.strictObject({
  /** Root of every component's files; each component gets its own subdirectory. Created when missing. */
  directory: z.string().min(1).default('./data/queue'),
  /** fdatasync each write before it is acknowledged: an acknowledged record survives a power loss, not only a crash. */
  fsync: z.boolean().default(true),
  /** Size of one segment file in MiB; a segment is deleted once all its records are delivered. */
  segment_size_mib: z.number().positive().max(1024).default(8),
  /** Bound on one log's files in MiB when the component sets none (e.g. `sending_queue.max_size_mib`). */
  max_size_mib: z.number().positive().default(1024),
});

export type FileStorageConfig = z.output<typeof fileStorageConfigSchema>;
