import {
  anomalyProcessorFactory,
  batchProcessorFactory,
  enrichProcessorFactory,
  memoryLimiterProcessorFactory,
  redactionProcessorFactory,
  sessionStitchProcessorFactory,
} from '@stitch/processors';
import { debugExporterFactory } from './exporters/debug/factory.js';
import { fileExporterFactory } from './exporters/file/factory.js';
import { otlpHttpExporterFactory } from './exporters/otlphttp/factory.js';
import { prometheusExporterFactory } from './exporters/prometheus/factory.js';
import { sessionStoreExporterFactory } from './exporters/sessionstore/factory.js';
import { fileStorageExtensionFactory } from './extensions/file_storage/factory.js';
import { healthCheckExtensionFactory } from './extensions/health_check/factory.js';
import { sessionsApiExtensionFactory } from './extensions/sessions_api/factory.js';
import { otlpReceiverFactory } from './receivers/otlp/factory.js';
import { Registry } from './registry.js';

/** Every component Stitch ships; the one place that imports them all. */
export function defaultRegistry(): Registry {
  return new Registry([
    otlpReceiverFactory,
    memoryLimiterProcessorFactory,
    batchProcessorFactory,
    enrichProcessorFactory,
    redactionProcessorFactory,
    sessionStitchProcessorFactory,
    anomalyProcessorFactory,
    otlpHttpExporterFactory,
    fileExporterFactory,
    debugExporterFactory,
    sessionStoreExporterFactory,
    prometheusExporterFactory,
    healthCheckExtensionFactory,
    fileStorageExtensionFactory,
    sessionsApiExtensionFactory,
  ]);
}
