// Stitching a backend that knows nothing of sessions: a plain OpenTelemetry Node service (the
// upstream auto-instrumentation, W3C trace context only — no baggage propagator, no Stitch code)
// exports to a real collector running `session_stitch`; the browser span that names the session
// arrives later, as it does from a batching browser SDK.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestCollector } from './helpers/collector.js';
import { startApp, type AppProcess } from './node/app-process.js';

const SESSION = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const NAMED_TRACE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const UNNAMED_TRACE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2';
const BROWSER_SPAN = 'bbbbbbbbbbbbbbb1';
let collector: TestCollector;
let app: AppProcess;

before(async () => {
  collector = await TestCollector.start([], {
    processors: '  session_stitch:\n    wait: 1500ms\n    index_store: sessionstore\n',
    pipelineProcessors: ['session_stitch'],
    sessionStore: true,
  });
  app = await startApp('test/node/fixtures/session-app.mjs', {
    OTEL_SERVICE_NAME: 'legacy-orders',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_PROPAGATORS: 'tracecontext',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    OTEL_NODE_RESOURCE_DETECTORS: 'env',
    // OpenTelemetry's documented ES-module setup, so express and pino in the .mjs app are patched.
  }, ['--experimental-loader=@opentelemetry/instrumentation/hook.mjs', '--import', '@opentelemetry/auto-instrumentations-node/register']);
});

after(async () => {
  await app?.stop();
  await collector?.shutdown();
});

/** The browser's fetch span, as @stitch/web would send it: OTLP/JSON with session.id. */
async function postBrowserSpan(traceId: string, spanId: string, sessionId: string): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop-web' } }, { key: 'telemetry.sdk.language', value: { stringValue: 'webjs' } }] },
      scopeSpans: [{ spans: [{
        traceId, spanId, name: 'HTTP GET', kind: 3,
        startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now),
        attributes: [{ key: 'session.id', value: { stringValue: sessionId } }],
      }] }],
    }],
  };
  const response = await fetch(`${collector.endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

test('backend spans that arrive first are held, then stamped with the session when the browser span comes', async () => {
  const response = await fetch(`${app.baseUrl}/order`, { headers: { traceparent: `00-${NAMED_TRACE}-${BROWSER_SPAN}-01` } });
  assert.equal(response.status, 200);
  await new Promise((r) => setTimeout(r, 700)); // the service has exported; the collector holds
  assert.equal(collector.spans((s) => s.traceId === NAMED_TRACE).length, 0, 'held while the trace is unnamed');
  await postBrowserSpan(NAMED_TRACE, BROWSER_SPAN, SESSION);
  const spans = await collector.waitForSpans((s) => s.traceId === NAMED_TRACE && s.resource['service.name'] === 'legacy-orders', { count: 3 });
  for (const span of spans) {
    assert.equal(span.attributes['session.id'], SESSION, `${span.name} stamped`);
    assert.equal(span.attributes['stitch.stitched'], true);
  }
  const logs = await collector.waitForLogs((l) => l.traceId === NAMED_TRACE);
  assert.equal(logs[0]!.attributes['session.id'], SESSION, 'the service’s log line is stamped too');

  // The session store has the session with the service's spans and log line attached.
  const stamped = collector.spans((s) => s.traceId === NAMED_TRACE && s.resource['service.name'] === 'legacy-orders').length;
  const deadline = Date.now() + 5_000;
  let detail = await collector.sessionStore.getSession(SESSION);
  while ((detail?.spans.length ?? 0) < stamped + 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    detail = await collector.sessionStore.getSession(SESSION);
  }
  assert.ok(detail, 'the session is in the store');
  const backend = detail.spans.filter((s) => s.service === 'legacy-orders');
  assert.equal(backend.length, stamped, 'every span of the service is stored with the session');
  for (const span of backend) assert.equal(span.stitched, true);
  assert.deepEqual(detail.traces.map((t) => [t.traceId, t.services]), [[NAMED_TRACE, ['legacy-orders', 'shop-web']]]);
  assert.ok(detail.events.some((e) => e.name === 'log' && e.traceId === NAMED_TRACE), 'the service’s log line is on the timeline');
});

test('a trace never named is released unstamped after `wait`; one rooted in the backend passes at once', async () => {
  await fetch(`${app.baseUrl}/order`, { headers: { traceparent: `00-${UNNAMED_TRACE}-${BROWSER_SPAN}-01` } });
  const started = Date.now();
  await fetch(`${app.baseUrl}/stock`); // no traceparent: the trace starts here
  const rooted = await collector.waitForSpans((s) => s.parentSpanId === '' && s.kind === 2 && s.resource['service.name'] === 'legacy-orders', { timeoutMs: 5_000 });
  assert.ok(Date.now() - started < 1_500, `the backend-rooted trace did not wait (${Date.now() - started} ms)`);
  assert.equal(rooted[0]!.attributes['session.id'], undefined);
  const unnamed = await collector.waitForSpans((s) => s.traceId === UNNAMED_TRACE, { count: 3, timeoutMs: 8_000 });
  assert.ok(Date.now() - started >= 1_000, 'the unnamed trace waited');
  for (const span of unnamed) assert.equal(span.attributes['session.id'], undefined);
});
