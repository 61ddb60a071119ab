import type { ExporterFactory } from '@stitch/collector-api';
import { fileExporterConfigSchema, type FileExporterConfig } from './config.js';
import { FileExporter } from './file-exporter.js';

export const fileExporterFactory: ExporterFactory<FileExporterConfig> = {
  type: 'file',
  kind: 'exporter',
  signals: ['traces', 'logs', 'metrics'],
  stability: 'alpha',
  configSchema: fileExporterConfigSchema,
  create: (settings, config) => new FileExporter(settings, config),
};
