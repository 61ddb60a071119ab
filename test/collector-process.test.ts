// The collector as a user runs it: `stitch start --config …` in its own process, fed by the official
// OpenTelemetry JS exporters, read back through its file exporter, health check and /metrics.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { freePort, waitForStatus } from './helpers/ports.js';

const cli = fileURLToPath(new URL('../collector/bin/stitch.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stitch-process-'));
let collector: ChildProcess;
let stderr = '';
let ports: { otlp: number; health: number; metrics: number; deadPeer: number };

before(async () => {
  ports = { otlp: await freePort(), health: await freePort(), metrics: await freePort(), deadPeer: await freePort() };
  const config = `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:${ports.otlp} } } }
processors:
  batch: { timeout: 100ms }
exporters:
  file/traces: { path: ${dir}/traces.jsonl }
  file/logs: { path: ${dir}/logs.jsonl }
  # Nothing listens here: this exporter fails on every batch, and must not hold back the file exporter.
  # Its sending queue takes the batch (so the client gets its 200), the send fails behind it.
  otlphttp/down: { endpoint: http://127.0.0.1:${ports.deadPeer}, retry_on_failure: { enabled: false } }
extensions:
  health_check: { endpoint: 127.0.0.1:${ports.health} }
service:
  extensions: [health_check]
  telemetry: { metrics: { address: 127.0.0.1:${ports.metrics} } }
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlphttp/down, file/traces] }
    logs: { receivers: [otlp], processors: [batch], exporters: [file/logs] }
`;
  writeFileSync(join(dir, 'config.yaml'), config);
  collector = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  collector.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForStatus(`http://127.0.0.1:${ports.health}/`, 200);
});

after(() => {
  if (collector.exitCode === null) collector.kill('SIGKILL');
});

test('spans and logs from the official OTLP exporters reach the file exporter, despite a dead exporter beside it', async () => {
  const resource = resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3' });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${ports.otlp}/v1/traces` }))],
  });
  const tracer = tracerProvider.getTracer('process-test', '0.1.0');
  const span = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'cart.items': 3 } });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  span.end();
  await tracerProvider.forceFlush();

  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${ports.otlp}/v1/logs` }) })],
  });
  loggerProvider.getLogger('process-test').emit({ body: 'payment failed', severityText: 'ERROR', attributes: { 'session.id': 's-1' } });
  await loggerProvider.forceFlush();

  const traceId = span.spanContext().traceId;
  await waitFor(() => existsSync(join(dir, 'traces.jsonl')) && readFileSync(join(dir, 'traces.jsonl'), 'utf8').includes(traceId));
  const line = JSON.parse(readFileSync(join(dir, 'traces.jsonl'), 'utf8').trim().split('\n').at(-1)!);
  const exported = line.resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(exported.traceId, traceId);
  assert.equal(exported.name, 'POST /checkout');
  assert.equal(exported.status.code, 2);
  assert.equal(line.resourceSpans[0].scopeSpans[0].scope.name, 'process-test');
  await waitFor(() => existsSync(join(dir, 'logs.jsonl')) && readFileSync(join(dir, 'logs.jsonl'), 'utf8').includes('payment failed'));

  const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  assert.match(metrics, /stitch_receiver_accepted_spans_total\{receiver="otlp",transport="http"\} 1/);
  assert.match(metrics, /stitch_receiver_accepted_log_records_total\{receiver="otlp",transport="http"\} 1/);
  assert.match(metrics, /stitch_exporter_sent_spans_total\{exporter="file\/traces"\} 1/);
  assert.match(metrics, /stitch_exporter_send_failed_spans_total\{exporter="otlphttp\/down"\} 1/);
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
});

test('logs are JSON lines with a level', () => {
  const lines = stderr.trim().split('\n').filter(Boolean);
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.equal(typeof entry.level, 'number');
    assert.equal(typeof entry.msg, 'string');
  }
  assert.ok(lines.some((l) => l.includes('collector running')));
});

test('SIGTERM drains: data still in the batch processor reaches the file, then the process exits 0', async () => {
  // A batch that waits 100 ms in the batch processor is still flushed when the drain starts at once.
  const body = JSON.stringify({
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'written during drain' }, timeUnixNano: '1700000000000000001' }] }] }],
  });
  const response = await fetch(`http://127.0.0.1:${ports.otlp}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(response.status, 200);
  const exited = new Promise<number | null>((resolve) => collector.once('exit', (code) => resolve(code)));
  collector.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(readFileSync(join(dir, 'logs.jsonl'), 'utf8'), /written during drain/);
  assert.match(stderr, /draining/);
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; collector stderr:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
