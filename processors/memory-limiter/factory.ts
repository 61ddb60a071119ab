import type { ProcessorFactory } from '@stitch/collector-api';
import { memoryLimiterConfigSchema, resolveLimits, type MemoryLimiterConfig } from './config.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';
import { availableMemoryBytes, processMemoryProbe, type MemoryProbe } from './memory-probe.js';
import { MemoryWatch } from './memory-watch.js';

/**
 * One watch per configured `memory_limiter`: the runtime creates a processor per pipeline, all with
 * the same config object, so keying by it shares the sampler between the pipelines of one
 * collector without sharing it between two collectors in one process (tests).
 */
const watches = new WeakMap<MemoryLimiterConfig, MemoryWatch>();

/** The factory, with the memory probe replaceable for tests. */
export function makeMemoryLimiterFactory(probe: MemoryProbe = processMemoryProbe, available: () => number = availableMemoryBytes): ProcessorFactory<MemoryLimiterConfig> {
  return {
    type: 'memory_limiter',
    kind: 'processor',
    stability: 'beta',
    signals: ['traces', 'logs', 'metrics'],
    configSchema: memoryLimiterConfigSchema,
    create: (settings, config, signal, next) => {
      let watch = watches.get(config);
      if (!watch) {
        watch = new MemoryWatch({
          id: settings.id,
          limits: resolveLimits(config, available()),
          intervalMs: config.check_interval,
          probe,
          logger: settings.logger,
          telemetry: settings.telemetry,
        });
        watches.set(config, watch);
      }
      return new MemoryLimiterProcessor(settings, watch, signal, next);
    },
  };
}

export const memoryLimiterProcessorFactory = makeMemoryLimiterFactory();
