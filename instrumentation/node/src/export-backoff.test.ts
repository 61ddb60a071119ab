// What @stitch/node's exporters (the official OTLP/HTTP ones, as traceExporterFor/logExporterFor
// build them) do when the collector refuses data: 503 under memory pressure, 429 over a rate limit,
// both with Retry-After. They must wait what the collector asks and send the same data again.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { logExporterFor, traceExporterFor, type OtlpProtocol } from './exporters-from-env.js';

interface Arrival {
  at: number;
  path: string;
  body: Buffer;
}

let server: Server;
let base: string;
const arrivals: Arrival[] = [];
/** Answers still to give before the 200s: [status, Retry-After seconds]. */
let refusals: [number, number][] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrivals.push({ at: Date.now(), path: req.url ?? '', body: Buffer.concat(chunks) });
      const refusal = refusals.shift();
      if (refusal) res.writeHead(refusal[0], { 'retry-after': String(refusal[1]), 'content-type': 'text/plain' }).end('busy');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'backoff-test' }), spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  provider.getTracer('t').startSpan('GET /checkout').end();
  return memory.getFinishedSpans();
}

const exportOnce = (exporter: { export(items: never[], done: (r: ExportResult) => void): void }, items: unknown[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(items as never[], resolve));

for (const protocol of ['http/protobuf', 'http/json'] as OtlpProtocol[]) {
  test(`${protocol} traces: 503 then 429, each with Retry-After, are waited out and the same body sent again`, async () => {
    arrivals.length = 0;
    refusals = [
      [503, 1],
      [429, 1],
    ];
    const exporter = traceExporterFor(protocol, `${base}/v1/traces`);
    const result = await exportOnce(exporter, someSpans());
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assert.equal(arrivals.length, 3);
    assert.ok(arrivals.every((a) => a.path === '/v1/traces' && a.body.equals(arrivals[0]!.body)), 'the same request each time');
    const gaps = [arrivals[1]!.at - arrivals[0]!.at, arrivals[2]!.at - arrivals[1]!.at];
    assert.ok(gaps.every((gap) => gap >= 950), `waited Retry-After (1 s) each time: ${gaps.join(', ')} ms`);
    await exporter.shutdown();
  });
}

test('logs: 503 with Retry-After is waited out too', async () => {
  arrivals.length = 0;
  refusals = [[503, 2]];
  const exporter = logExporterFor('http/protobuf', `${base}/v1/logs`);
  const record = {
    hrTime: [1_700_000_000, 0],
    hrTimeObserved: [1_700_000_000, 0],
    body: 'payment failed',
    attributes: {},
    resource: resourceFromAttributes({ 'service.name': 'backoff-test' }),
    instrumentationScope: { name: 't' },
    droppedAttributesCount: 0,
  };
  const result = await exportOnce(exporter, [record]);
  assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
  assert.equal(arrivals.length, 2);
  assert.ok(arrivals[1]!.at - arrivals[0]!.at >= 1_950, `waited 2 s: ${arrivals[1]!.at - arrivals[0]!.at} ms`);
  await exporter.shutdown();
});

test('the bound: a collector that keeps refusing past the export timeout (10 s by default) loses the batch', async () => {
  arrivals.length = 0;
  // Retry-After beyond the time left: the official exporter gives up at once rather than wait.
  refusals = [[503, 30]];
  const exporter = traceExporterFor('http/protobuf', `${base}/v1/traces`);
  const result = await exportOnce(exporter, someSpans());
  assert.equal(result.code, ExportResultCode.FAILED);
  assert.equal(arrivals.length, 1);
  await exporter.shutdown();
});
