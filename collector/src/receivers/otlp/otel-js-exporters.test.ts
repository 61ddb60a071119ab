import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as LogsJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TraceJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { attributesToObject, bytesToHex, int64ToBigInt, type LogRecordView, type SpanRecord } from '@stitch/collector-api';
import { startReceiver, type Harness } from './test-harness.js';

// Times with every nanosecond digit set, to prove nothing is rounded through a double.
const START: HrTime = [1_700_000_000, 123_456_789];
const EVENT: HrTime = [1_700_000_000, 223_456_781];
const END: HrTime = [1_700_000_001, 987_654_321];
const resource = resourceFromAttributes({ 'service.name': 'shop-frontend', 'service.version': '1.2.3' });

const SPAN_ATTRIBUTES = {
  'http.request.method': 'POST',
  'stitch.cached': true,
  'http.response.status_code': 201,
  'stitch.ratio': 0.625,
  'stitch.tags': ['a', 'b'],
  'stitch.sizes': [1, 2, 3],
  'stitch.flags': [true, false],
};

/** Spans of every kind, with events, a link, an error status and all SDK attribute types. */
function makeSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('stitch-test', '0.1.0');
  const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, startTime: START, attributes: SPAN_ATTRIBUTES });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const linked = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
  const kinds = [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.INTERNAL];
  for (const kind of kinds) {
    const child = tracer.startSpan(`child ${SpanKind[kind]}`, { kind, startTime: START, links: [{ context: linked, attributes: { 'link.why': 'retry' } }] }, parent);
    child.end(END);
  }
  root.addEvent('cart.validated', { 'cart.items': 3 }, EVENT);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
  root.end(END);
  return memory.getFinishedSpans();
}

/** One log record whose body and attributes carry kvlist and bytes (the SDK's spans cannot). */
function makeLogs(): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 });
  provider.getLogger('stitch-web', '0.2.0').emit({
    eventName: 'session.start',
    timestamp: START,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: { page: '/cart', replay: new Uint8Array([0, 1, 254, 255]), steps: [1, 'two', false] },
    attributes: { 'session.id': 's-42', 'stitch.payload': new Uint8Array([9, 8, 7]), 'stitch.viewport': { width: 1280, height: 720.5 } },
    context,
  });
  return memory.getFinishedLogRecords();
}

function exportWith<T>(exporter: { export(items: T[], done: (result: ExportResult) => void): void; shutdown(): Promise<void> }, items: T[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve)).finally(() => exporter.shutdown()) as Promise<ExportResult>;
}

function assertSpansArrived(harness: Harness, sent: ReadableSpan[]): void {
  const batch = harness.captured.traces.at(-1)!;
  assert.equal(batch.itemCount(), sent.length);
  assert.equal(batch.resources[0]!.resource.serviceName, 'shop-frontend');
  assert.equal(batch.resources[0]!.resource.attribute('service.version'), '1.2.3');
  const scope = batch.resources[0]!.scopes[0]!.scope;
  assert.deepEqual([scope.name, scope.version], ['stitch-test', '0.1.0']);
  const byName = new Map((batch.items() as SpanRecord[]).map((span) => [span.name, span]));
  const root = byName.get('POST /checkout')!;
  const sentRoot = sent.find((span) => span.name === 'POST /checkout')!;
  assert.equal(root.traceId, sentRoot.spanContext().traceId);
  assert.equal(root.spanId, sentRoot.spanContext().spanId);
  assert.equal(root.parentSpanId, '');
  assert.equal(root.kind, 2);
  assert.equal(root.startTimeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(root.endTimeUnixNano, 1_700_000_001_987_654_321n);
  assert.deepEqual(root.attributes, SPAN_ATTRIBUTES);
  assert.deepEqual(root.status, { code: 2, message: 'payment declined' });
  // W3C sampled flag plus OTLP's "has is_remote" bit (0x100), as the JS exporters write it.
  assert.equal(root.data.flags, 0x101);
  const [event] = root.data.events;
  assert.equal(event!.name, 'cart.validated');
  assert.equal(int64ToBigInt(event!.timeUnixNano), 1_700_000_000_223_456_781n);
  assert.deepEqual(attributesToObject(event!.attributes), { 'cart.items': 3 });
  const kinds: [string, number][] = [['CLIENT', 3], ['PRODUCER', 4], ['CONSUMER', 5], ['INTERNAL', 1]];
  for (const [name, kind] of kinds) {
    const child = byName.get(`child ${name}`)!;
    assert.equal(child.kind, kind);
    assert.equal(child.traceId, root.traceId);
    assert.equal(child.parentSpanId, root.spanId);
    const [link] = child.data.links;
    assert.equal(bytesToHex(link!.traceId), '0af7651916cd43dd8448eb211c80319c');
    assert.equal(bytesToHex(link!.spanId), 'b7ad6b7169203331');
    assert.deepEqual(attributesToObject(link!.attributes), { 'link.why': 'retry' });
  }
}

function assertLogArrived(harness: Harness): void {
  const batch = harness.captured.logs.at(-1)!;
  assert.equal(batch.resources[0]!.resource.serviceName, 'shop-frontend');
  assert.equal(batch.resources[0]!.scopes[0]!.scope.name, 'stitch-web');
  const record = batch.items()[0] as LogRecordView;
  assert.equal(record.eventName, 'session.start');
  assert.equal(record.timeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(record.severityNumber, 9);
  assert.equal(record.severityText, 'INFO');
  assert.equal(record.traceId, '5b8efff798038103d269b633813fc60c');
  assert.equal(record.spanId, 'eee19b7ec3c1b174');
  const body = record.body as Record<string, unknown>;
  assert.equal(body.page, '/cart');
  assert.deepEqual(Buffer.from(body.replay as Uint8Array), Buffer.from([0, 1, 254, 255]));
  assert.deepEqual(body.steps, [1, 'two', false]);
  const attributes = record.attributes;
  assert.equal(attributes['session.id'], 's-42');
  assert.deepEqual(Buffer.from(attributes['stitch.payload'] as Uint8Array), Buffer.from([9, 8, 7]));
  assert.deepEqual(attributes['stitch.viewport'], { width: 1280, height: 720.5 });
}

describe('otlp receiver: the official OpenTelemetry JS exporters', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver();
  });
  after(() => harness.stop());

  it('receives spans from exporter-trace-otlp-proto (protobuf)', async () => {
    const spans = makeSpans();
    const result = await exportWith(new TraceProtoExporter({ url: harness.url('/v1/traces') }), spans);
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assertSpansArrived(harness, spans);
  });

  it('receives spans from exporter-trace-otlp-http (JSON)', async () => {
    const spans = makeSpans();
    const result = await exportWith(new TraceJsonExporter({ url: harness.url('/v1/traces') }), spans);
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assertSpansArrived(harness, spans);
  });

  it('receives log records from exporter-logs-otlp-proto (protobuf)', async () => {
    const result = await exportWith(new LogsProtoExporter({ url: harness.url('/v1/logs') }), makeLogs());
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assertLogArrived(harness);
  });

  it('receives log records from exporter-logs-otlp-http (JSON)', async () => {
    const result = await exportWith(new LogsJsonExporter({ url: harness.url('/v1/logs') }), makeLogs());
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assertLogArrived(harness);
  });

  it('counts what the exporters delivered in the self-metrics', async () => {
    const labels = { receiver: 'otlp', transport: 'http' };
    assert.equal(await harness.settings.metrics.value('stitch_receiver_accepted_spans_total', labels), 10);
    assert.equal(await harness.settings.metrics.value('stitch_receiver_accepted_log_records_total', labels), 2);
    assert.equal(await harness.settings.metrics.value('stitch_receiver_refused_spans_total', labels), 0);
  });
});
