import type { ExporterFactory } from '@stitch/collector-api';
import { debugExporterConfigSchema, type DebugExporterConfig } from './config.js';
import { DebugExporter } from './debug-exporter.js';

export const debugExporterFactory: ExporterFactory<DebugExporterConfig> = {
  type: 'debug',
  kind: 'exporter',
  signals: ['traces', 'logs', 'metrics'],
  stability: 'development',
  configSchema: debugExporterConfigSchema,
  create: (settings, config) => new DebugExporter(settings, config),
};
