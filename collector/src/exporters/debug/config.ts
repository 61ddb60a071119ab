import { z } from '@stitch/collector-api';

export const debugExporterConfigSchema = z.strictObject({
  /** basic: a line per batch; normal: also a line per item; detailed: the batch's whole OTLP JSON. */
  verbosity: z.enum(['basic', 'normal', 'detailed']).default('basic'),
});

export type DebugExporterConfig = z.output<typeof debugExporterConfigSchema>;
