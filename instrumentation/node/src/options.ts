import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from './exporters-from-env.js';

/**
 * Options for `startStitch`. Everything is optional: with none, the standard OTEL_* environment
 * variables configure the SDK exactly as they configure plain `@opentelemetry/sdk-node`.
 * An option given here wins over the matching variable.
 */
export interface StitchNodeOptions {
  /** `service.name`; else OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES. */
  serviceName?: string;
  /** `service.version`. */
  serviceVersion?: string;
  /** `deployment.environment.name` (e.g. `production`). */
  environment?: string;
  /** More resource attributes (win over detected ones). */
  resourceAttributes?: Attributes;
  /**
   * OTLP/HTTP base URL of the Stitch collector; `/v1/traces` and `/v1/logs` are appended.
   * Else OTEL_EXPORTER_OTLP_{TRACES,LOGS}_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT
   * (default `http://localhost:4318`), and OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER pick exporters.
   */
  endpoint?: string;
  /** Headers on every export request (e.g. `{ 'x-stitch-key': … }`); else OTEL_EXPORTER_OTLP_HEADERS. */
  headers?: Record<string, string>;
  /** `http/protobuf` (default) or `http/json`; else OTEL_EXPORTER_OTLP_PROTOCOL. Used with `endpoint`. */
  protocol?: OtlpProtocol;
  /**
   * Per-instrumentation settings for `@opentelemetry/auto-instrumentations-node`, merged over
   * Stitch's quiet defaults (fs, dns and net off). Ignored defaults when OTEL_NODE_ENABLED_INSTRUMENTATIONS is set.
   */
  instrumentations?: InstrumentationConfigMap;
  /** Instrumentations to add to the auto-instrumentation set (e.g. a framework the bundle lacks). */
  extraInstrumentations?: Instrumentation[];
  /** Sampler; else OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on). */
  sampler?: Sampler;
  /** Send log records (pino, winston, bunyan bridges; the Logs API). Default true; OTEL_LOGS_EXPORTER=none also disables. */
  logs?: boolean;
  /** Flush and shut down on SIGTERM/SIGINT and before a natural exit. Default true. */
  handleSignals?: boolean;
  /** Longest a signal-triggered flush may delay exit, in ms. Default 5000. */
  shutdownTimeoutMs?: number;
}

/**
 * What Stitch switches off by default: spans that drown the request tree. Express apps keep the
 * server span, the route's request-handler span and everything below it (DB, HTTP); the span per
 * middleware (cors, json parser, …) and the `router` package's copies of express 5's own layers go.
 * Measured on the demo API: 13 spans per product request become 3 (bench/README.md).
 */
export const QUIET_INSTRUMENTATION_DEFAULTS: InstrumentationConfigMap = {
  '@opentelemetry/instrumentation-fs': { enabled: false },
  '@opentelemetry/instrumentation-dns': { enabled: false },
  '@opentelemetry/instrumentation-net': { enabled: false },
  '@opentelemetry/instrumentation-router': { enabled: false },
  '@opentelemetry/instrumentation-express': { ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] },
};
