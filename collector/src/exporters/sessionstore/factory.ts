import type { ExporterFactory } from '@stitch/collector-api';
import { sessionStoreExporterConfigSchema, type SessionStoreExporterConfig } from './config.js';
import { SessionStoreExporter } from './sessionstore-exporter.js';

export const sessionStoreExporterFactory: ExporterFactory<SessionStoreExporterConfig> = {
  type: 'sessionstore',
  kind: 'exporter',
  signals: ['traces', 'logs'],
  stability: 'alpha',
  configSchema: sessionStoreExporterConfigSchema,
  create: (settings, config) => new SessionStoreExporter(settings, config),
};
