// Seed payloads for the receiver fuzz test: real OTLP requests, each in JSON and in protobuf.
// JSON: the official opentelemetry-proto examples. Protobuf: those examples encoded by the
// collector's own encoder, plus a batch made by the OpenTelemetry JS SDK and serialized by its
// own OTLP protobuf serializer (events, links, arrays, status: what real exporters send).
import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeJsonRequest, encodeProtobufRequest, type Signal } from '@stitch/collector-api';

export interface Seed {
  name: string;
  signal: Signal;
  encoding: 'json' | 'protobuf';
  body: Buffer;
}

const EXAMPLES: [string, Signal][] = [
  ['trace.json', 'traces'],
  ['logs.json', 'logs'],
  ['events.json', 'logs'],
  ['metrics.json', 'metrics'],
];

function example(file: string): string {
  return readFileSync(new URL(`../fixtures/otlp-examples/${file}`, import.meta.url), 'utf8');
}

function sdkTraces(): Buffer {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'fuzz-shop', 'service.version': '1.0.0' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('fuzz-seed', '0.1.0');
  const other = tracer.startSpan('queue.poll');
  other.end();
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'session.id': 's-fuzz', 'stitch.tags': ['a', 'b'], 'stitch.codes': [1, 2], 'stitch.ok': true, 'stitch.ratio': 0.5 },
  });
  root.addEvent('session.start', { 'session.id': 's-fuzz' });
  const child = tracer.startSpan('SELECT cart', { kind: SpanKind.CLIENT, links: [{ context: other.spanContext(), attributes: { reason: 'enqueued-by' } }] }, trace.setSpan(context.active(), root));
  child.recordException(new TypeError('connection reset'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
  child.end();
  root.end();
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!);
}

export function seedPayloads(): Seed[] {
  const seeds: Seed[] = [];
  for (const [file, signal] of EXAMPLES) {
    const text = example(file);
    seeds.push({ name: file, signal, encoding: 'json', body: Buffer.from(text) });
    const { batch } = decodeJsonRequest(signal, text);
    seeds.push({ name: `${file} as protobuf`, signal, encoding: 'protobuf', body: Buffer.from(encodeProtobufRequest(batch)) });
  }
  seeds.push({ name: 'OpenTelemetry JS SDK traces', signal: 'traces', encoding: 'protobuf', body: sdkTraces() });
  return seeds;
}
