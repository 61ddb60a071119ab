// @stitch/node in real processes: an express app under `--import @stitch/node/register` (and one
// using `startStitch`) exporting over OTLP/HTTP to a real Stitch collector.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestCollector } from '../helpers/collector.js';
import type { ExportedSpan } from '../helpers/otlp.js';
import { startApp, tryJson } from './app-process.js';

const REGISTER = ['--import', '@stitch/node/register'];
const SESSION = '0af7651916cd43dd8448eb211c80319c';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BROWSER_SPAN = '00f067aa0ba902b7';
let collector: TestCollector;

before(async () => {
  collector = await TestCollector.start([]);
});
after(async () => {
  await collector?.shutdown();
});

const inTrace = (traceId: string) => (s: ExportedSpan) => s.traceId === traceId;

test('register: session.id from baggage lands on the server span, every child and the logs; flushed on SIGTERM', async () => {
  const app = await startApp('test/node/fixtures/session-app.mjs', {
    OTEL_SERVICE_NAME: 'orders-api',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.version=9.9.9',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    // Nothing would be exported for a minute: spans arriving prove the SIGTERM flush.
    OTEL_BSP_SCHEDULE_DELAY: '60000',
    OTEL_BLRP_SCHEDULE_DELAY: '60000',
  }, REGISTER);
  const withSession = await fetch(`${app.baseUrl}/order`, {
    headers: { traceparent: `00-${TRACE}-${BROWSER_SPAN}-01`, baggage: `session.id=${SESSION},cart=7` },
  });
  assert.equal(withSession.status, 200);
  const badTrace = '11111111111111111111111111111111';
  await fetch(`${app.baseUrl}/order`, {
    headers: { traceparent: `00-${badTrace}-${BROWSER_SPAN}-01`, baggage: `session.id=${encodeURIComponent('"><script>')}` },
  });
  const plainTrace = '22222222222222222222222222222222';
  await fetch(`${app.baseUrl}/order`, { headers: { traceparent: `00-${plainTrace}-${BROWSER_SPAN}-01` } });
  assert.equal(collector.spans(inTrace(TRACE)).length, 0, 'nothing exported before the flush');

  const exit = await app.stop();
  assert.equal(exit.signal, 'SIGTERM', 'without an app handler the process still dies of SIGTERM after the flush');

  const spans = await collector.waitForSpans(inTrace(TRACE), { count: 4, what: 'spans of the session trace' });
  const server = spans.find((s) => s.kind === 2 && s.attributes['http.route'] === '/order');
  assert.ok(server, `server span for /order; got ${spans.map((s) => `${s.name}(${s.kind})`).join(', ')}`);
  assert.equal(server.parentSpanId, BROWSER_SPAN, 'the server span is a child of the caller (browser) span');
  const client = spans.find((s) => s.kind === 3);
  assert.ok(client && client.parentSpanId !== '', 'outgoing HTTP client span');
  const downstream = spans.find((s) => s.kind === 2 && s.parentSpanId === client.spanId);
  assert.ok(downstream, 'the /stock server span continues the trace through the outgoing call');
  for (const span of spans) assert.equal(span.attributes['session.id'], SESSION, `${span.name} carries session.id`);
  assert.equal(server.resource['service.name'], 'orders-api');
  assert.equal(server.resource['deployment.environment.name'], 'test');
  assert.equal(server.resource['service.version'], '9.9.9');
  assert.equal(typeof server.resource['host.name'], 'string');
  assert.equal(typeof server.resource['process.pid'], 'number');

  const logs = await collector.waitForLogs((l) => l.traceId === TRACE, { what: 'pino log of the session request' });
  assert.equal(logs[0]!.attributes['session.id'], SESSION);
  assert.equal(logs[0]!.body, 'order placed');

  for (const traceId of [badTrace, plainTrace]) {
    const other = await collector.waitForSpans(inTrace(traceId), { count: 4 });
    for (const span of other) assert.equal(span.attributes['session.id'], undefined, `${span.name} in ${traceId} has no session.id`);
  }
  assert.ok(!collector.rawLines().some((line) => line.includes('script>')), 'the refused value appears nowhere');
  assert.ok(app.stderr.some((l) => l.includes('ignored an invalid session.id')), 'the refusal is reported (without the value)');
  assert.ok(!app.stderr.some((l) => l.includes('script>')), 'the refused value is not logged');
});

test('register: a 5xx answer is an error on the server span; OTEL_TRACES_SAMPLER is honoured', async () => {
  const traceId = '33333333333333333333333333333333';
  const app = await startApp('test/node/fixtures/session-app.mjs', {
    OTEL_SERVICE_NAME: 'failing-api',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    APP_HANDLES_SIGTERM: '1',
  }, REGISTER);
  assert.equal((await fetch(`${app.baseUrl}/fail`, { headers: { traceparent: `00-${traceId}-${BROWSER_SPAN}-01`, baggage: `session.id=${SESSION}` } })).status, 502);
  const exit = await app.stop();
  assert.equal(exit.code, 0, 'with its own SIGTERM handler the app decides how it exits');
  const [server] = await collector.waitForSpans((s) => s.traceId === traceId && s.kind === 2);
  assert.equal(server!.status.code, 2, 'status ERROR');
  assert.equal(server!.attributes['http.response.status_code'], 502);
  assert.equal(server!.attributes['session.id'], SESSION);

  const unsampledTrace = '44444444444444444444444444444444';
  const off = await startApp('test/node/fixtures/session-app.mjs', {
    OTEL_SERVICE_NAME: 'sampled-off-api',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_TRACES_SAMPLER: 'always_off',
  }, REGISTER);
  await fetch(`${off.baseUrl}/order`, { headers: { traceparent: `00-${unsampledTrace}-${BROWSER_SPAN}-01` } });
  await off.stop();
  await collector.waitForLogs((l) => l.traceId === unsampledTrace, { what: 'the log (logs are not sampled)' });
  assert.equal(collector.spans((s) => s.resource['service.name'] === 'sampled-off-api').length, 0);
});

test('startStitch: options win, OTLP/JSON works, and the app awaits shutdown itself', async () => {
  const traceId = '55555555555555555555555555555555';
  const app = await startApp('test/node/fixtures/programmatic-app.mjs', {
    COLLECTOR_URL: collector.endpoint,
    OTEL_SERVICE_NAME: 'overridden-by-option',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // the endpoint option must win
  });
  await fetch(`${app.baseUrl}/ping`, { headers: { traceparent: `00-${traceId}-${BROWSER_SPAN}-01`, baggage: 'session.id=prog-session-1' } });
  await fetch(`${app.baseUrl}/ping`, { headers: { baggage: `session.id=${'x'.repeat(200)}` } });
  const exit = await app.stop();
  assert.equal(exit.code, 0);
  const [server] = await collector.waitForSpans((s) => s.traceId === traceId && s.kind === 2);
  assert.equal(server!.attributes['session.id'], 'prog-session-1');
  assert.equal(server!.resource['service.name'], 'programmatic-api');
  assert.equal(server!.resource['service.version'], '2.3.4');
  assert.equal(server!.resource['deployment.environment.name'], 'staging');
  const stats = app.stdout.map(tryJson).find((j) => j?.stats)?.stats as { stampedSpans: number; rejected: Record<string, number> };
  assert.ok(stats, `stats line; stdout: ${app.stdout.join('\n')}`);
  assert.ok(stats.stampedSpans >= 1);
  assert.equal(stats.rejected.too_long, 1);
});
