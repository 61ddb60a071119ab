import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StitchCore } from '../stitch.js';
import { decodeJsonRequest } from '@stitch/collector-api';

/** The core without the DOM parts of start(): consent, sampling, enrichment, export. */
function harness(options: Partial<ConstructorParameters<typeof StitchCore>[0]> = {}) {
  const bodies: { url: string; body: string }[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    bodies.push({ url, body: String(init.body) });
    return new Response(null, { status: 200 });
  }) as typeof fetch;
  const core = new StitchCore({ endpoint: 'https://c.example', serviceName: 'shop-web', compression: false, batchDelayMs: 10, ...options });
  core.session.touch();
  return { core, bodies, restore: () => (globalThis.fetch = original) };
}

const attrsOf = (body: string, signal: 'traces' | 'logs') => {
  const raw = JSON.parse(body);
  const items = signal === 'traces' ? raw.resourceSpans[0].scopeSpans.flatMap((s: { spans: unknown[] }) => s.spans) : raw.resourceLogs[0].scopeLogs.flatMap((s: { logRecords: unknown[] }) => s.logRecords);
  return items.map((i: { attributes: { key: string; value: { stringValue?: string } }[] }) => Object.fromEntries(i.attributes.map((a) => [a.key, a.value.stringValue ?? a.value])));
};

test('consent pending holds everything; granted sends it with session.id; headers only after grant', async () => {
  const h = harness({ consent: 'pending' });
  try {
    h.core.tracer('t').startSpan('held').end();
    h.core.emitEvent('browser.page_view', { 'url.path': '/cart' });
    h.core.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.bodies.length, 0);
    assert.equal(h.core.sessionId(), undefined); // no propagation before consent
    h.core.setConsent('granted');
    await new Promise((r) => setTimeout(r, 20));
    const traces = h.bodies.find((b) => b.url.endsWith('/v1/traces'))!;
    const logs = h.bodies.find((b) => b.url.endsWith('/v1/logs'))!;
    decodeJsonRequest('traces', traces.body);
    decodeJsonRequest('logs', logs.body);
    const sid = h.core.sessionId()!;
    assert.match(sid, /^[0-9a-f]{32}$/);
    assert.equal(attrsOf(traces.body, 'traces')[0]['session.id'], sid);
    const logAttrs = attrsOf(logs.body, 'logs');
    assert.ok(logAttrs.every((a: Record<string, unknown>) => a['session.id'] === sid));
    const names = JSON.parse(logs.body).resourceLogs[0].scopeLogs.flatMap((s: { logRecords: { eventName: string }[] }) => s.logRecords.map((r) => r.eventName));
    assert.deepEqual(names.sort(), ['browser.page_view', 'session.start']);
  } finally {
    h.restore();
  }
});

test('consent denied drops everything and records nothing', async () => {
  const h = harness({ consent: 'pending' });
  try {
    h.core.tracer().startSpan('a').end();
    h.core.setConsent('denied');
    const span = h.core.tracer().startSpan('b');
    assert.equal(span.isRecording(), false);
    span.end();
    h.core.emitEvent('x');
    h.core.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.bodies.length, 0);
    assert.equal(h.core.sessionId(), undefined);
  } finally {
    h.restore();
  }
});

test('an unsampled session sends nothing and has no id for headers', async () => {
  const h = harness({ sessionSampleRate: 0 });
  try {
    assert.equal(h.core.tracer().startSpan('a').isRecording(), false);
    h.core.emitEvent('x');
    h.core.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.bodies.length, 0);
    assert.equal(h.core.sessionId(), undefined);
  } finally {
    h.restore();
  }
});

test('user id is hashed (nothing attached until ready), email only when allowed, context properties', async () => {
  const h = harness({ consent: 'granted' });
  try {
    h.core.setUser({ id: 'u-123', email: 'a@b.c' });
    h.core.tracer().startSpan('before-hash').end();
    await new Promise((r) => setTimeout(r, 5));
    h.core.setGlobalContextProperty('plan', 'premium');
    h.core.setGlobalContextProperty('app.tier', 'gold');
    h.core.tracer().startSpan('after-hash').end();
    h.core.flush();
    await new Promise((r) => setTimeout(r, 20));
    const spans = h.bodies.filter((b) => b.url.endsWith('/v1/traces')).flatMap((b) => attrsOf(b.body, 'traces'));
    const [before, after] = spans;
    assert.equal(before['user.hash'], undefined);
    assert.match(after['user.hash'], /^[0-9a-f]{64}$/);
    assert.equal(after['user.id'], undefined);
    assert.equal(after['user.email'], undefined);
    assert.equal(after['stitch.context.plan'], 'premium');
    assert.equal(after['app.tier'], 'gold');
    assert.ok(!JSON.stringify(h.bodies).includes('u-123'));
    assert.ok(!JSON.stringify(h.bodies).includes('a@b.c'));
  } finally {
    h.restore();
  }
});

test('hashUserId: false sends user.id; sendUserEmail sends user.email', async () => {
  const h = harness({ hashUserId: false, sendUserEmail: true });
  try {
    h.core.setUser({ id: 'u-1', email: 'a@b.c' });
    h.core.tracer().startSpan('s').end();
    h.core.flush();
    await new Promise((r) => setTimeout(r, 20));
    const [span] = h.bodies.filter((b) => b.url.endsWith('/v1/traces')).flatMap((b) => attrsOf(b.body, 'traces'));
    assert.equal(span['user.id'], 'u-1');
    assert.equal(span['user.email'], 'a@b.c');
  } finally {
    h.restore();
  }
});
