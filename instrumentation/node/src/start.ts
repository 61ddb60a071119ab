import { diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  batchLogRecordProcessor,
  batchSpanProcessor,
  logExporterFor,
  logRecordProcessorsFromEnv,
  otlpProtocol,
  spanProcessorsFromEnv,
  traceExporterFor,
} from './exporters-from-env.js';
import { autoInstrumentations } from './instrumentations.js';
import type { StitchNodeOptions } from './options.js';
import { resourceDetectors } from './resource.js';
import { SessionBaggageLogProcessor, SessionBaggageSpanProcessor, SessionStamper, type SessionStampStats } from './session-stamp.js';
import { flushOnExit } from './shutdown.js';

/** A running Stitch Node SDK. */
export interface StitchNode {
  /** The underlying OpenTelemetry NodeSDK. */
  readonly sdk: NodeSDK;
  /** What the session stamper did so far (a copy). */
  stats(): SessionStampStats;
  /** Exports everything buffered now. */
  forceFlush(): Promise<void>;
  /** Flushes and stops; safe to call more than once. */
  shutdown(): Promise<void>;
}

const RUNNING = Symbol.for('@stitch/node.running');
type GlobalWithStitch = typeof globalThis & { [RUNNING]?: StitchNode };

/** The SDK started by `startStitch` (or by `--import @stitch/node/register`) in this process, if any. */
export function activeStitch(): StitchNode | undefined {
  return (globalThis as GlobalWithStitch)[RUNNING];
}

/**
 * Starts OpenTelemetry for this process: auto-instrumentation, W3C trace context + baggage,
 * OTLP/HTTP export of traces and logs, and `session.id` from incoming baggage stamped on every
 * span and log record of the request. Call it before the modules it should instrument are loaded.
 */
export function startStitch(options: StitchNodeOptions = {}): StitchNode {
  const running = activeStitch();
  if (running) {
    diag.warn('@stitch/node: startStitch called twice; keeping the SDK already running');
    return running;
  }
  const stamper = new SessionStamper();
  const exportSpans = spanExportProcessors(options);
  const exportLogs = options.logs === false ? [] : logExportProcessors(options);
  const sdk = new NodeSDK({
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    ...(options.sampler ? { sampler: options.sampler } : {}),
    resourceDetectors: resourceDetectors(options),
    instrumentations: autoInstrumentations(options),
    // No exporter means no provider at all (as in plain sdk-node), not one that stamps and discards.
    spanProcessors: exportSpans.length ? [new SessionBaggageSpanProcessor(stamper), ...exportSpans] : [],
    logRecordProcessors: exportLogs.length ? [new SessionBaggageLogProcessor(stamper), ...exportLogs] : [],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  const handle: StitchNode = {
    sdk,
    stats: () => structuredClone(stamper.stats),
    forceFlush: async () => {
      await Promise.all([...exportSpans, ...exportLogs].map((p) => p.forceFlush()));
    },
    shutdown: () => {
      stopped ??= sdk.shutdown().finally(() => {
        if ((globalThis as GlobalWithStitch)[RUNNING] === handle) delete (globalThis as GlobalWithStitch)[RUNNING];
      });
      return stopped;
    },
  };
  (globalThis as GlobalWithStitch)[RUNNING] = handle;
  if (options.handleSignals !== false) flushOnExit(handle.shutdown, options.shutdownTimeoutMs ?? 5000);
  return handle;
}

function spanExportProcessors(options: StitchNodeOptions): SpanProcessor[] {
  if (!options.endpoint) return spanProcessorsFromEnv();
  const protocol = options.protocol ?? otlpProtocol('TRACES');
  return [batchSpanProcessor(traceExporterFor(protocol, joinUrl(options.endpoint, 'v1/traces'), options.headers))];
}

function logExportProcessors(options: StitchNodeOptions): LogRecordProcessor[] {
  if (!options.endpoint) return logRecordProcessorsFromEnv();
  const protocol = options.protocol ?? otlpProtocol('LOGS');
  return [batchLogRecordProcessor(logExporterFor(protocol, joinUrl(options.endpoint, 'v1/logs'), options.headers))];
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}
