import type { Processor, ProcessorFactory } from '@stitch/collector-api';
import { enrichConfigSchema, type EnrichConfig } from './config.js';
import { EnrichProcessor } from './enrich-processor.js';

export const enrichProcessorFactory: ProcessorFactory<EnrichConfig> = {
  type: 'enrich',
  kind: 'processor',
  stability: 'alpha',
  signals: ['traces', 'logs'],
  configSchema: enrichConfigSchema,
  create: (settings, config, signal, next) => {
    if (signal === 'metrics') throw new Error('enrich handles traces and logs only');
    return new EnrichProcessor(settings, config, signal, next as never) as unknown as Processor<typeof signal>;
  },
};
