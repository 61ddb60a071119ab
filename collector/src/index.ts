export { Collector } from './service/collector.js';
export { Registry } from './registry.js';
export { defaultRegistry } from './default-registry.js';
export { loadConfigFile, loadConfigText, formatProblems } from './config/load.js';
export type { ResolvedConfig, PipelineConfig } from './config/resolve.js';
export { createLogger, silentLogger } from './telemetry/logger.js';
export { SelfMetrics } from './telemetry/self-metrics.js';
export { testSettings } from './testing/settings.js';
export { collectorFromYaml, otlpBaseUrl, sessionsApiBaseUrl } from './testing/yaml-collector.js';
