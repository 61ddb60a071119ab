import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJsonRequest } from '@stitch/collector-api';
import { SpanKind, SpanStatusCode, trace, context, ROOT_CONTEXT } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { anyValue, encodeLogs, encodeSpans } from './otlp-json.js';
import { encodeChunks } from './exporter.js';

const resource = resourceFromAttributes({ 'service.name': 'shop-web', 'stitch.screen.size': '1x2' });

function makeSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('@stitch/web/network', '0.1.0');
  const parent = tracer.startSpan('documentLoad', { attributes: { 'session.id': 's1', n: 3, d: 1.5, ok: true, list: ['a', 'b'] } });
  parent.addEvent('domInteractive', { at: 12 });
  const child = tracer.startSpan('GET', { kind: SpanKind.CLIENT, links: [{ context: parent.spanContext(), attributes: { why: 'x' } }] }, trace.setSpan(ROOT_CONTEXT, parent));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end();
  parent.end();
  return { spans: exporter.getFinishedSpans(), parent, child };
}

test('spans encode to OTLP/JSON the collector decodes', () => {
  const { spans, parent, child } = makeSpans();
  const json = JSON.stringify(encodeSpans(spans));
  const { batch, invalid } = decodeJsonRequest('traces', json);
  assert.equal(batch.resources.length, 1);
  const items = batch.resources[0]!.scopes[0]!.items;
  assert.equal(items.length, 2);
  for (const item of items) assert.equal(invalid.get(item), undefined);
  const raw = JSON.parse(json);
  const [c, p] = raw.resourceSpans[0].scopeSpans[0].spans;
  assert.equal(raw.resourceSpans[0].scopeSpans[0].scope.name, '@stitch/web/network');
  assert.equal(c.traceId, child.spanContext().traceId);
  assert.equal(c.parentSpanId, parent.spanContext().spanId);
  assert.equal(c.kind, 3); // CLIENT
  assert.deepEqual(c.status, { code: 2, message: 'boom' });
  assert.equal(typeof p.startTimeUnixNano, 'string');
  assert.match(p.startTimeUnixNano, /^\d{19}$/);
  assert.equal(p.kind, 1); // INTERNAL
  assert.deepEqual(p.attributes.find((a: { key: string }) => a.key === 'n').value, { intValue: '3' });
  assert.deepEqual(p.attributes.find((a: { key: string }) => a.key === 'd').value, { doubleValue: 1.5 });
  assert.deepEqual(p.attributes.find((a: { key: string }) => a.key === 'list').value, { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } });
  assert.equal(p.events[0].name, 'domInteractive');
  assert.equal(c.links[0].spanId, parent.spanContext().spanId);
  // The decoded model agrees.
  assert.deepEqual(items.map((i) => (i as unknown as { name: string }).name).sort(), ['GET', 'documentLoad']);
});

test('logs encode with eventName, body, severity and trace context', async () => {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('@stitch/web', '0.1.0');
  const span = new BasicTracerProvider().getTracer('t').startSpan('s');
  logger.emit({
    eventName: 'browser.page_view', severityNumber: SeverityNumber.ERROR, severityText: 'ERROR',
    body: { path: '/cart', n: 1, nested: [true, null] }, attributes: { 'session.id': 's1' },
    context: trace.setSpan(context.active(), span),
  });
  await provider.forceFlush();
  assert.equal(exporter.getFinishedLogRecords().length, 1);
  const json = JSON.stringify(encodeLogs(exporter.getFinishedLogRecords()));
  const { batch } = decodeJsonRequest('logs', json);
  const rec = batch.resources[0]!.scopes[0]!.items[0]!;
  assert.equal((rec as unknown as { eventName: string }).eventName, 'browser.page_view');
  const raw = JSON.parse(json).resourceLogs[0].scopeLogs[0].logRecords[0];
  assert.equal(raw.severityNumber, 17);
  assert.equal(raw.traceId, span.spanContext().traceId);
  assert.equal(raw.spanId, span.spanContext().spanId);
  assert.deepEqual(raw.body.kvlistValue.values[0], { key: 'path', value: { stringValue: '/cart' } });
  assert.deepEqual(raw.body.kvlistValue.values[2].value, { arrayValue: { values: [{ boolValue: true }, {}] } });
});

test('anyValue covers bytes and bigint', () => {
  assert.deepEqual(anyValue(new Uint8Array([1, 2, 255])), { bytesValue: 'AQL/' });
  assert.deepEqual(anyValue(10n), { intValue: '10' });
  assert.deepEqual(anyValue(undefined), {});
});

test('encodeChunks splits a batch until each body fits', () => {
  const { spans } = makeSpans();
  const many = Array.from({ length: 40 }, (_, i) => spans[i % 2]!);
  const one = encodeChunks(many, encodeSpans, 1_000_000);
  assert.equal(one.length, 1);
  const limit = Math.ceil(one[0]!.length / 5);
  const chunks = encodeChunks(many, encodeSpans, limit);
  assert.ok(chunks.length >= 5);
  for (const c of chunks) assert.ok(c.length <= limit);
  const total = chunks.reduce((n, c) => n + JSON.parse(c).resourceSpans[0].scopeSpans[0].spans.length, 0);
  assert.equal(total, 40);
});
