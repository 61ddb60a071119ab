import type { ExtensionFactory } from '@stitch/collector-api';
import { healthCheckConfigSchema, type HealthCheckConfig } from './config.js';
import { HealthCheckExtension } from './health-check.js';

export const healthCheckExtensionFactory: ExtensionFactory<HealthCheckConfig> = {
  type: 'health_check',
  kind: 'extension',
  stability: 'beta',
  configSchema: healthCheckConfigSchema,
  create: (settings, config) => new HealthCheckExtension(config, settings.logger),
};
