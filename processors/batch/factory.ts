import type { ProcessorFactory } from '@stitch/collector-api';
import { BatchProcessor } from './batch-processor.js';
import { batchConfigSchema, type BatchConfig } from './config.js';

export const batchProcessorFactory: ProcessorFactory<BatchConfig> = {
  type: 'batch',
  kind: 'processor',
  stability: 'beta',
  signals: ['traces', 'logs', 'metrics'],
  configSchema: batchConfigSchema,
  create: (settings, config, signal, next) => new BatchProcessor(settings, config, signal, next),
};
