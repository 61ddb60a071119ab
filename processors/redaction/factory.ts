import type { Processor, ProcessorFactory } from '@stitch/collector-api';
import { redactionConfigSchema, type RedactionConfig } from './config.js';
import { RedactionProcessor } from './redaction-processor.js';

export const redactionProcessorFactory: ProcessorFactory<RedactionConfig> = {
  type: 'redaction',
  kind: 'processor',
  stability: 'alpha',
  signals: ['traces', 'logs'],
  configSchema: redactionConfigSchema,
  create: (settings, config, signal, next) => {
    if (signal === 'metrics') throw new Error('redaction handles traces and logs only');
    return new RedactionProcessor(settings, config, signal, next as never) as unknown as Processor<typeof signal>;
  },
};
