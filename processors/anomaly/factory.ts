import type { Processor, ProcessorFactory } from '@stitch/collector-api';
import { AnomalyProcessor } from './anomaly-processor.js';
import { anomalyConfigSchema, type AnomalyConfig } from './config.js';

export const anomalyProcessorFactory: ProcessorFactory<AnomalyConfig> = {
  type: 'anomaly',
  kind: 'processor',
  stability: 'alpha',
  signals: ['traces', 'logs'],
  configSchema: anomalyConfigSchema,
  create: (settings, config, signal, next) => {
    if (signal === 'metrics') throw new Error('anomaly handles traces and logs only');
    return new AnomalyProcessor(settings, config, signal, next as never) as unknown as Processor<typeof signal>;
  },
};
