import { duration, z } from '@stitch/collector-api';

export const fileExporterConfigSchema = z.strictObject({
  /** The file batches are appended to, one OTLP JSON request per line; parent directories are created. */
  path: z.string().min(1),
  /** How long written lines may sit in memory before they are handed to the OS; 0 writes at once. */
  flush_interval: duration().default(1_000),
});

export type FileExporterConfig = z.output<typeof fileExporterConfigSchema>;
