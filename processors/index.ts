export { batchProcessorFactory } from './batch/factory.js';
export { BatchProcessor } from './batch/batch-processor.js';
export { batchConfigSchema, type BatchConfig } from './batch/config.js';
export { sessionStitchProcessorFactory } from './session-stitch/factory.js';
export { SessionStitchProcessor, type ReleaseOutcome, type SessionStitchOptions } from './session-stitch/session-stitch-processor.js';
export { sessionStitchConfigSchema, type SessionStitchConfig } from './session-stitch/config.js';
export { TraceSessionIndex } from './session-stitch/trace-index.js';
