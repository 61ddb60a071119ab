import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// Our own OTLP schema (proto/*.proto, written from the OTLP spec) rather than the .proto files
// of an old npm package: those lack Span.flags and LogRecord.event_name.
const PROTO_FILES = ['common', 'resource', 'trace', 'logs', 'metrics', 'collector', 'status'];
const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const name of PROTO_FILES) {
    protobuf.parse(readFileSync(`${protoDir}${name}.proto`, 'utf8'), root, { keepCase: false });
  }
  root.resolveAll();
  return root;
}

export const otlpRoot = loadRoot();
const type = (name: string) => otlpRoot.lookupType(name);

export const OtlpTypes = {
  AnyValue: type('opentelemetry.proto.common.v1.AnyValue'),
  Resource: type('opentelemetry.proto.resource.v1.Resource'),
  InstrumentationScope: type('opentelemetry.proto.common.v1.InstrumentationScope'),
  Span: type('opentelemetry.proto.trace.v1.Span'),
  LogRecord: type('opentelemetry.proto.logs.v1.LogRecord'),
  Metric: type('opentelemetry.proto.metrics.v1.Metric'),
  ExportTraceServiceRequest: type('opentelemetry.proto.collector.v1.ExportTraceServiceRequest'),
  ExportTraceServiceResponse: type('opentelemetry.proto.collector.v1.ExportTraceServiceResponse'),
  ExportLogsServiceRequest: type('opentelemetry.proto.collector.v1.ExportLogsServiceRequest'),
  ExportLogsServiceResponse: type('opentelemetry.proto.collector.v1.ExportLogsServiceResponse'),
  ExportMetricsServiceRequest: type('opentelemetry.proto.collector.v1.ExportMetricsServiceRequest'),
  ExportMetricsServiceResponse: type('opentelemetry.proto.collector.v1.ExportMetricsServiceResponse'),
  Status: type('google.rpc.Status'),
} as const;

export const { Reader, Writer } = protobuf;
export type ProtoType = protobuf.Type;
export type ProtoWriter = protobuf.Writer;
