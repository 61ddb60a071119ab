import type { Processor, ProcessorFactory } from '@stitch/collector-api';
import { sessionStitchConfigSchema, type SessionStitchConfig } from './config.js';
import { SessionStitchProcessor } from './session-stitch-processor.js';

export const sessionStitchProcessorFactory: ProcessorFactory<SessionStitchConfig> = {
  type: 'session_stitch',
  kind: 'processor',
  stability: 'beta',
  signals: ['traces', 'logs'],
  configSchema: sessionStitchConfigSchema,
  create: (settings, config, signal, next) => {
    if (signal === 'metrics') throw new Error('session_stitch handles traces and logs only');
    return new SessionStitchProcessor(settings, config, signal, next as never) as unknown as Processor<typeof signal>;
  },
};
