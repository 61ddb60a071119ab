import type { ExporterFactory } from '@stitch/collector-api';
import { otlpHttpConfigSchema, type OtlpHttpExporterConfig } from './config.js';
import { OtlpHttpExporter } from './otlp-http-exporter.js';

export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpExporterConfig> = {
  type: 'otlphttp',
  kind: 'exporter',
  signals: ['traces', 'logs', 'metrics'],
  stability: 'beta',
  configSchema: otlpHttpConfigSchema,
  create: (settings, config) => new OtlpHttpExporter(settings, config),
};
