export { batchProcessorFactory } from './batch/factory.js';
export { BatchProcessor } from './batch/batch-processor.js';
export { batchConfigSchema, type BatchConfig } from './batch/config.js';
