import type { CreateSettings, Logger } from '@stitch/collector-api';
import { silentLogger } from '../telemetry/logger.js';
import { SelfMetrics } from '../telemetry/self-metrics.js';

/** Settings for creating a component in a test: silent logs, a private metrics registry. */
export function testSettings(id: string, logger: Logger = silentLogger()): CreateSettings & { metrics: SelfMetrics } {
  const metrics = new SelfMetrics();
  return { id, logger, telemetry: metrics, metrics };
}
