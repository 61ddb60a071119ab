import type { ExtensionFactory } from '@stitch/collector-api';
import { sessionsApiConfigSchema, type SessionsApiConfig } from './config.js';
import { SessionsApiExtension } from './sessions-api.js';

export const sessionsApiExtensionFactory: ExtensionFactory<SessionsApiConfig> = {
  type: 'sessions_api',
  kind: 'extension',
  stability: 'development',
  configSchema: sessionsApiConfigSchema,
  create: (settings, config) => new SessionsApiExtension(config, settings.logger),
};
