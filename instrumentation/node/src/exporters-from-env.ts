// The one file that reaches into @opentelemetry/sdk-node's internals. NodeSDK only builds its
// OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER processors when it is given none, and 2.x providers
// cannot take a processor after construction, so putting the session stamper in front of them
// means building the env-selected ones ourselves. We reuse sdk-node's own builder for traces so
// every exporter, protocol and OTEL_BSP_* setting behaves exactly as in plain sdk-node (the
// version is pinned; `exporters-from-env.test.ts` fails if the path moves).
import { createRequire } from 'node:module';
import { diag } from '@opentelemetry/api';
import { getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ConsoleLogRecordExporter, SimpleLogRecordProcessor, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

const require = createRequire(import.meta.url);

interface SdkNodeUtils {
  getSpanProcessorsFromEnv(selfObsMeterProvider: undefined): SpanProcessor[];
  getBatchLogRecordProcessorFromEnv(exporter: LogRecordExporter, selfObsMeterProvider: undefined): LogRecordProcessor;
}
interface SdkNodeCreateFromEnv {
  createBatchSpanProcessorFromEnv(exporter: SpanExporter): SpanProcessor;
}
const sdkNodeUtils = (): SdkNodeUtils => require('@opentelemetry/sdk-node/build/src/utils.js') as SdkNodeUtils;
const sdkNodeCreateFromEnv = (): SdkNodeCreateFromEnv =>
  require('@opentelemetry/sdk-node/build/src/create-from-env.js') as SdkNodeCreateFromEnv;

/** The span processors plain sdk-node would build from OTEL_TRACES_EXPORTER and friends. */
export function spanProcessorsFromEnv(): SpanProcessor[] {
  return sdkNodeUtils().getSpanProcessorsFromEnv(undefined);
}

/** A batch span processor honouring OTEL_BSP_* (schedule delay, queue and batch sizes, timeout). */
export function batchSpanProcessor(exporter: SpanExporter): SpanProcessor {
  return sdkNodeCreateFromEnv().createBatchSpanProcessorFromEnv(exporter);
}

/** A batch log processor honouring OTEL_BLRP_*. */
export function batchLogRecordProcessor(exporter: LogRecordExporter): LogRecordProcessor {
  return sdkNodeUtils().getBatchLogRecordProcessorFromEnv(exporter, undefined);
}

/** The log processors plain sdk-node would build from OTEL_LOGS_EXPORTER (otlp | console | none). */
export function logRecordProcessorsFromEnv(): LogRecordProcessor[] {
  const names = [...new Set(getStringListFromEnv('OTEL_LOGS_EXPORTER') ?? [])];
  if (names.length === 0) names.push('otlp');
  if (names.includes('none')) return [];
  const processors: LogRecordProcessor[] = [];
  for (const name of names) {
    if (name === 'otlp') processors.push(batchLogRecordProcessor(logExporterFor(otlpProtocol('LOGS'))));
    else if (name === 'console') processors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
    else diag.warn(`@stitch/node: unsupported OTEL_LOGS_EXPORTER value "${name}" (supported: otlp, console, none)`);
  }
  return processors;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** OTEL_EXPORTER_OTLP_{SIGNAL}_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, default http/protobuf. */
export function otlpProtocol(signal: 'TRACES' | 'LOGS'): OtlpProtocol {
  const value = (getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ?? getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL'))?.trim();
  if (!value || value === 'http/protobuf') return 'http/protobuf';
  if (value === 'http/json') return 'http/json';
  diag.warn(`@stitch/node: OTLP protocol "${value}" is not supported for ${signal.toLowerCase()} by this preset; using http/protobuf`);
  return 'http/protobuf';
}

/** An OTLP/HTTP trace exporter; `url`/`headers` given explicitly win over the OTEL_EXPORTER_OTLP_* variables. */
export function traceExporterFor(protocol: OtlpProtocol, url?: string, headers?: Record<string, string>): SpanExporter {
  const config = { ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  return protocol === 'http/json' ? new OTLPJsonTraceExporter(config) : new OTLPProtoTraceExporter(config);
}

export function logExporterFor(protocol: OtlpProtocol, url?: string, headers?: Record<string, string>): LogRecordExporter {
  const config = { ...(url ? { url } : {}), ...(headers ? { headers } : {}) };
  return protocol === 'http/json' ? new OTLPJsonLogExporter(config) : new OTLPProtoLogExporter(config);
}

