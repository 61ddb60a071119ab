import { hostPort, z } from '@stitch/collector-api';

export const healthCheckConfigSchema = z.strictObject({
  /** Where GET <path> answers; the OpenTelemetry Collector's default port is 13133. */
  endpoint: hostPort().default('127.0.0.1:13133'),
  path: z.string().startsWith('/').default('/'),
});

export type HealthCheckConfig = z.output<typeof healthCheckConfigSchema>;
