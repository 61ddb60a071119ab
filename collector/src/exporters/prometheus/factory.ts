import type { ExporterFactory } from '@stitch/collector-api';
import { prometheusExporterConfigSchema, type PrometheusExporterConfig } from './config.js';
import { PrometheusExporter } from './prometheus-exporter.js';

export const prometheusExporterFactory: ExporterFactory<PrometheusExporterConfig> = {
  type: 'prometheus',
  kind: 'exporter',
  signals: ['traces', 'logs'],
  stability: 'alpha',
  configSchema: prometheusExporterConfigSchema,
  create: (settings, config) => new PrometheusExporter(settings, config),
};
