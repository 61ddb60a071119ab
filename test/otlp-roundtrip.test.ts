// A batch leaves through the otlphttp exporter, crosses a real OTLP/HTTP receiver and lands in the
// file exporter's file: what is written must be byte for byte the OTLP JSON of what was sent.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, type Exporter, type Traces } from '@stitch/collector-api';
import { fileExporterFactory } from '../collector/src/exporters/file/factory.js';
import { otlpHttpExporterFactory } from '../collector/src/exporters/otlphttp/factory.js';
import { otlpReceiverFactory } from '../collector/src/receivers/otlp/factory.js';
import { testSettings } from '../collector/src/testing/settings.js';

const EXAMPLE = new URL('./fixtures/otlp-examples/trace.json', import.meta.url);
const T0 = 1_763_900_000_000; // ms, fixed so the fixture is the same on every run

/** Spans made by the OpenTelemetry JS SDK, serialized by its own OTLP protobuf serializer. */
async function sdkBatch(): Promise<Traces> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop-backend', 'service.version': '2.4.0', 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('stitch-roundtrip', '1.2.3');
  const elsewhere = tracer.startSpan('queue.poll', { startTime: T0 - 50 });
  elsewhere.end(T0 - 40);

  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    startTime: T0,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'stitch.sample_ratio': 0.25,
      'stitch.cached': false,
      'session.id': 'c0ffee-session',
      'stitch.tags': ['checkout', 'eu'],
      'stitch.codes': [1, 2, 3],
      'stitch.weights': [0.5, 1.5],
      'stitch.flags': [true, false],
    },
  });
  root.addEvent('session.start', { 'session.id': 'c0ffee-session', 'stitch.tabs': 2 }, T0 + 1);
  const child = tracer.startSpan(
    'SELECT orders',
    {
      kind: SpanKind.CLIENT,
      startTime: T0 + 5,
      links: [{ context: elsewhere.spanContext(), attributes: { 'stitch.link.reason': 'enqueued-by' } }],
      attributes: { 'db.system.name': 'postgresql', 'server.address': 'db.internal' },
    },
    trace.setSpan(context.active(), root),
  );
  child.recordException(new TypeError('connection reset'), T0 + 20);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
  child.end(T0 + 25);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(T0 + 40);
  await provider.forceFlush();

  const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
  assert.ok(body);
  await provider.shutdown();
  return decodeProtobufRequest('traces', body);
}

describe('otlphttp → OTLP receiver → file, round trip', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  let dir: string;
  let batches: Traces[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stitch-roundtrip-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    batches = [decodeJsonRequest('traces', await readFile(EXAMPLE, 'utf8')).batch, await sdkBatch()];
  });
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  for (const encoding of ['proto', 'json'] as const) {
    const compression = encoding === 'proto' ? 'gzip' : 'none';
    it(`keeps every byte of the OTLP JSON (${encoding}, ${compression})`, async () => {
      const path = join(dir, encoding, 'traces.jsonl');
      const file: Exporter = fileExporterFactory.create(testSettings('file'), fileExporterFactory.configSchema.parse({ path }));
      const receiver = otlpReceiverFactory.create(
        testSettings('otlp'),
        otlpReceiverFactory.configSchema.parse({ protocols: { http: { endpoint: '127.0.0.1:0' } } }),
        { traces: file },
      );
      await file.start?.({ getExtension: () => undefined, getExporter: () => undefined });
      await receiver.start();
      cleanup.push(() => receiver.shutdown());
      const exporter = otlpHttpExporterFactory.create(
        testSettings('otlphttp'),
        otlpHttpExporterFactory.configSchema.parse({
          endpoint: `http://127.0.0.1:${receiver.port}`,
          encoding,
          compression,
          sending_queue: { enabled: false },
          retry_on_failure: { enabled: false },
        }),
      );

      const expected = batches.map((batch) => encodeJsonRequest(batch));
      for (const batch of batches) await exporter.consume(batch, {});
      await exporter.shutdown?.();
      await receiver.shutdown();
      await file.shutdown?.();

      const written = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
      assert.equal(written.length, expected.length);
      written.forEach((line, i) => assert.equal(line, expected[i], `batch ${i} changed on the way`));
      // The SDK batch really carries what it is meant to exercise.
      const sdkJson = JSON.parse(expected[1]!) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown[]>[] }[] }[] };
      const spans = sdkJson.resourceSpans[0]!.scopeSpans[0]!.spans;
      assert.ok(spans.some((span) => (span.links?.length ?? 0) > 0) && spans.some((span) => (span.events?.length ?? 0) > 0));
    });
  }
});
