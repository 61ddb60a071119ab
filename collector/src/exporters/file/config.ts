import { duration, z } from '@stitch/collector-api';

export const fileExporterConfigSchema = z.strictObject({
  /** The file batches are appended to, one OTLP JSON request per line; parent directories are created. */
  path: z.string().min(1),
  /**
   * How long written lines may sit in memory before they are handed to the OS; 0 writes at once.
   * A batch is acknowledged only once its line is written, so the default writes at once: the
   * `batch` processor upstream already makes the writes few and large.
   */
  flush_interval: duration().default(0),
});

export type FileExporterConfig = z.output<typeof fileExporterConfigSchema>;
