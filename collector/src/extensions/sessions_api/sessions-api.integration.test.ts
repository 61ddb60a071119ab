// The sessions API end to end: a real collector from YAML (otlp receiver → session_stitch →
// sessionstore exporter on DuckDB, sessions_api extension), fed OTLP JSON over HTTP the way
// @stitch/web and a backend would send it, queried over HTTP.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Collector } from '../../service/collector.js';
import { browserSession, type SessionScript } from '../../store/testing/browser-session.js';
import { collectorFromYaml, otlpBaseUrl, sessionsApiBaseUrl } from '../../testing/yaml-collector.js';
import { call, type Reply } from './test-support.js';

const JAEGER = 'http://jaeger.test:16686';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.now();

const ALICE: SessionScript = {
  sessionId: 's-alice',
  startMs: NOW - 30 * MINUTE,
  userId: 'hash-alice',
  userEmail: 'alice@example.com',
  geo: { country: 'DE', region: 'BE', city: 'Berlin' },
  pages: ['https://shop.example.com/', 'https://shop.example.com/cart', 'https://shop.example.com/checkout'],
  clicks: 2,
  apiCalls: [
    { url: 'https://api.example.com/api/cart', status: 200 },
    { url: 'https://api.example.com/api/checkout', status: 502, durationMs: 900 },
  ],
  error: { type: 'PaymentDeclined', message: 'card declined', stack: 'PaymentDeclined: card declined\n    at pay (checkout.js:10:5)' },
};
const BOB: SessionScript = {
  sessionId: 's-bob',
  startMs: NOW - 20 * MINUTE,
  userId: 'hash-bob',
  geo: { country: 'US', city: 'Austin' },
  version: '1.1.0',
  pages: ['https://shop.example.com/products'],
  clicks: 1,
  apiCalls: [{ url: 'https://api.example.com/api/products', status: 200 }],
};
/** Three days old: outside the default 24 hours. */
const CAROL: SessionScript = {
  sessionId: 's-carol',
  startMs: NOW - 3 * DAY,
  userId: 'hash-carol',
  geo: { country: 'FR', city: 'Lyon' },
  pages: ['https://shop.example.com/a', 'https://shop.example.com/b'],
  apiCalls: [{ url: 'https://api.example.com/api/a', status: 200 }],
};

let collector: Collector;
let api: string;
let otlp: string;
const dir = mkdtempSync(join(tmpdir(), 'stitch-sessions-api-'));

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${otlp}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, `${path}: ${await response.text()}`);
}

/** Sends a session as a browser and its backend would: browser spans and log events, then backend spans without session.id. */
async function send(script: SessionScript): Promise<string[]> {
  const telemetry = browserSession(script);
  await post('/v1/traces', telemetry.traces);
  await post('/v1/logs', telemetry.logs);
  await post('/v1/traces', telemetry.backendTraces);
  return telemetry.traceIds;
}

const get = (path: string) => call(`${api}${path}`);
const ids = async (query: string) => {
  const reply = await get(`/api/sessions?${query}`);
  assert.equal(reply.status, 200, `${query}: ${reply.text}`);
  return (reply.json.sessions as { sessionId: string }[]).map((s) => s.sessionId);
};

/** Polls until `check` passes: the store folds writes into session rows every refresh_interval. */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const traceIds: Record<string, string[]> = {};

before(async () => {
  const yaml = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  session_stitch:
    wait: 5s
exporters:
  sessionstore:
    path: ${JSON.stringify(join(dir, 'sessions.duckdb'))}
    refresh_interval: 100ms
extensions:
  sessions_api:
    endpoint: 127.0.0.1:0
    store: sessionstore
    jaeger_ui_url: ${JAEGER}/
service:
  extensions: [sessions_api]
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
    logs: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
`;
  collector = collectorFromYaml(yaml);
  await collector.start();
  api = sessionsApiBaseUrl(collector);
  otlp = otlpBaseUrl(collector);
  for (const script of [ALICE, BOB, CAROL]) traceIds[script.sessionId] = await send(script);
  await eventually(async () => {
    assert.deepEqual(await ids('range=7d'), ['s-bob', 's-alice', 's-carol']);
    const alice = await get('/api/sessions/s-alice');
    assert.equal(alice.json.spans.length, 4, 'browser and stitched backend spans stored');
    assert.equal(alice.json.session.errors, 1);
    // Every session's events folded into its row too (a row can exist from its spans alone first).
    assert.equal((await get('/api/sessions/s-bob')).json.session.pageViews, 1);
    assert.equal((await get('/api/sessions/s-carol')).json.session.pageViews, 2);
  });
});

after(async () => {
  await collector?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/sessions', () => {
  it('lists the last 24 hours by default, newest first, with each session summary', async () => {
    const reply = await get('/api/sessions');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
    assert.deepEqual(reply.json.sessions.map((s: { sessionId: string }) => s.sessionId), ['s-bob', 's-alice']);
    assert.equal(reply.json.nextCursor, null);
    const alice = reply.json.sessions[1];
    assert.equal(alice.startMs, ALICE.startMs);
    assert.equal(alice.pageViews, 3);
    assert.equal(alice.userActions, 2);
    assert.equal(alice.errors, 1);
    assert.equal(alice.apiCalls, 2);
    assert.equal(alice.userEmail, 'alice@example.com');
    assert.equal(alice.service, 'shop-web');
    assert.equal(alice.entryUrl, 'https://shop.example.com/');
    assert.equal(alice.exitUrl, 'https://shop.example.com/checkout');
  });

  it('time range: range, from/to as ISO 8601 and epoch ms', async () => {
    assert.deepEqual(await ids('range=15m'), []);
    assert.deepEqual(await ids('range=1h'), ['s-bob', 's-alice']);
    assert.deepEqual(await ids('range=30d'), ['s-bob', 's-alice', 's-carol']);
    const carolDay = new Date(CAROL.startMs).toISOString();
    assert.deepEqual(await ids(`from=${encodeURIComponent(carolDay)}&to=${CAROL.startMs + 1}`), ['s-carol']);
    assert.deepEqual(await ids(`from=${ALICE.startMs}&to=${BOB.startMs}`), ['s-alice'], 'to is exclusive');
    assert.deepEqual(await ids(`from=${BOB.startMs - 1}`), ['s-bob']);
  });

  it('filters by user, e-mail, errors, place, browser, OS, device, duration, environment, version, service and text', async () => {
    const cases: [string, string[]][] = [
      ['user=hash-alice', ['s-alice']],
      ['email=alice%40example.com', ['s-alice']],
      ['errors=any', ['s-alice']],
      ['errors=none', ['s-bob']],
      ['errors=0', ['s-alice']],
      ['errors=1', []],
      ['country=US', ['s-bob']],
      ['city=Berlin', ['s-alice']],
      ['browser=Google%20Chrome', ['s-bob', 's-alice']],
      ['browser=Firefox', []],
      ['os=macOS', ['s-bob', 's-alice']],
      ['device=desktop', ['s-bob', 's-alice']],
      ['device=mobile', []],
      ['min_duration=1h', []],
      ['max_duration=1h', ['s-bob', 's-alice']],
      ['min_duration=3s&max_duration=10m', ['s-alice']],
      ['environment=production', ['s-bob', 's-alice']],
      ['environment=staging', []],
      ['version=1.1.0', ['s-bob']],
      ['service=shop-web', ['s-bob', 's-alice']],
      ['service=shop-api', []],
      ['q=declined', ['s-alice']],
      ['q=PRODUCTS', ['s-bob']],
      ['q=add-to-cart-1', ['s-alice']],
      ['country=DE&errors=none', []],
    ];
    for (const [query, expected] of cases) assert.deepEqual(await ids(query), expected, query);
  });

  it('sorts by start, duration, errors and page views, either way', async () => {
    assert.deepEqual(await ids('order=asc'), ['s-alice', 's-bob']);
    assert.deepEqual(await ids('sort=pageViews'), ['s-alice', 's-bob']);
    assert.deepEqual(await ids('sort=pageViews&order=asc'), ['s-bob', 's-alice']);
    assert.deepEqual(await ids('sort=errors'), ['s-alice', 's-bob']);
    assert.deepEqual(await ids('sort=duration'), ['s-alice', 's-bob']);
  });

  it('pages with limit and nextCursor until null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: Reply = await get(`/api/sessions?range=7d&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.sessions.length, 1);
      seen.push(reply.json.sessions[0].sessionId);
      cursor = reply.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, ['s-bob', 's-alice', 's-carol']);
    assert.equal(cursor, null);
  });

  it('a cursor the store did not issue is a 400 naming cursor', async () => {
    const reply = await get('/api/sessions?cursor=garbage');
    assert.equal(reply.status, 400);
    assert.equal(reply.json.parameter, 'cursor');
    assert.match(reply.json.error, /nextCursor/);
  });

  it('bad or unknown parameters are 400s naming them', async () => {
    for (const [query, parameter] of [['limit=501', 'limit'], ['sort=name', 'sort'], ['from=tomorrow', 'from'], ['errors=many', 'errors'], ['page=2', 'page']]) {
      const reply = await get(`/api/sessions?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.json.parameter, parameter, query);
    }
  });
});

describe('GET /api/sessions/{id}', () => {
  it('returns the timeline, every span (backend stitched) and every trace with Jaeger links', async () => {
    const reply = await get('/api/sessions/s-alice');
    assert.equal(reply.status, 200);
    const detail = reply.json;
    assert.equal(detail.session.sessionId, 's-alice');
    const names: string[] = detail.events.map((e: { name: string }) => e.name);
    assert.equal(names.filter((n) => n === 'browser.page_view').length, 3);
    assert.equal(names.filter((n) => n === 'browser.user_action').length, 2);
    const pageView = detail.events.find((e: { name: string }) => e.name === 'browser.page_view');
    assert.equal(pageView.text, 'https://shop.example.com/');
    const exception = detail.events.find((e: { name: string }) => e.name === 'exception');
    assert.equal(exception.text, 'PaymentDeclined: card declined');
    assert.match(exception.attributes['exception.stacktrace'], /at pay/);

    assert.equal(detail.spans.length, 4);
    assert.equal(detail.spansOmitted, 0);
    const backend = detail.spans.filter((s: { service: string }) => s.service === 'shop-api');
    assert.equal(backend.length, 2, 'backend spans that carried no session.id were stitched in');
    assert.ok(backend.every((s: { stitched: boolean; kind: number }) => s.stitched && s.kind === 2));

    assert.deepEqual(detail.traces.map((t: { traceId: string }) => t.traceId), traceIds['s-alice']);
    for (const trace of detail.traces) {
      assert.deepEqual(trace.services, ['shop-api', 'shop-web']);
      assert.equal(trace.jaegerUrl, `${JAEGER}/trace/${trace.traceId}`);
    }
    assert.equal(detail.traces[1].errorCount, 2, 'the 502 checkout trace');
    const all = new URL(detail.jaeger.allTracesUrl);
    assert.equal(`${all.origin}${all.pathname}`, `${JAEGER}/search`);
    assert.deepEqual(all.searchParams.getAll('traceID'), traceIds['s-alice']);
    assert.equal(detail.jaeger.tracesInUrl, 2);
  });

  it('span_limit keeps the earliest spans and counts the rest', async () => {
    const reply = await get('/api/sessions/s-alice?span_limit=1');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.spans.length, 1);
    assert.equal(reply.json.spansOmitted, 3);
    assert.equal(reply.json.traces.length, 2, 'traces are all listed whatever the span limit');
  });

  it('an unknown session is 404 JSON; a malformed id or parameter is 400', async () => {
    const missing = await get('/api/sessions/s-nobody');
    assert.equal(missing.status, 404);
    assert.match(missing.json.error, /s-nobody/);
    const bad = await get('/api/sessions/not%20an%20id');
    assert.deepEqual([bad.status, bad.json.parameter], [400, 'id']);
    const badLimit = await get('/api/sessions/s-alice?span_limit=0');
    assert.deepEqual([badLimit.status, badLimit.json.parameter], [400, 'span_limit']);
  });
});

describe('GET /api/kpis', () => {
  it('totals, series and active users over the last 24 hours', async () => {
    const reply = await get('/api/kpis');
    assert.equal(reply.status, 200);
    const kpis = reply.json;
    assert.equal(kpis.totals.sessions, 2);
    assert.equal(kpis.totals.errorRate, 0.5);
    assert.equal(kpis.totals.pagesPerSession, 2);
    assert.equal(kpis.totals.errors, 1);
    assert.equal(kpis.interval, 'hour');
    assert.equal(kpis.series.reduce((sum: number, bucket: { sessions: number }) => sum + bucket.sessions, 0), 2);
    assert.ok(kpis.toMs - kpis.fromMs === DAY);
    assert.equal(kpis.groups, undefined);
    assert.equal(typeof kpis.activeUsersNow, 'number');
  });

  it('group_by splits by the API dimension names; interval and filters apply', async () => {
    const byVersion = (await get('/api/kpis?group_by=version')).json;
    assert.deepEqual(byVersion.groups.map((g: { key: string }) => g.key).sort(), ['1.0.0', '1.1.0']);
    const byDevice = (await get('/api/kpis?group_by=device')).json;
    assert.deepEqual(byDevice.groups.map((g: { key: string; sessions: number }) => [g.key, g.sessions]), [['desktop', 2]]);
    const byCountry = (await get('/api/kpis?range=7d&group_by=country&interval=day')).json;
    assert.equal(byCountry.interval, 'day');
    assert.deepEqual(byCountry.groups.map((g: { key: string }) => g.key).sort(), ['DE', 'FR', 'US']);
    const errorsOnly = (await get('/api/kpis?errors=any')).json;
    assert.equal(errorsOnly.totals.sessions, 1);
  });

  it('list-only parameters are refused', async () => {
    const reply = await get('/api/kpis?limit=5');
    assert.deepEqual([reply.status, reply.json.parameter], [400, 'limit']);
  });
});

describe('DELETE (data-subject erasure)', () => {
  it('DELETE /api/sessions/{id} erases one session with its spans, events and trace index entries', async () => {
    const reply = await call(`${api}/api/sessions/s-bob`, { method: 'DELETE' });
    assert.equal(reply.status, 200);
    assert.deepEqual({ ...reply.json, events: reply.json.events > 0 }, { sessions: 1, spans: 2, events: true, traceIndexEntries: 1 });
    assert.equal((await get('/api/sessions/s-bob')).status, 404);
    assert.deepEqual(await ids(''), ['s-alice']);
    const again = await call(`${api}/api/sessions/s-bob`, { method: 'DELETE' });
    assert.deepEqual(again.json, { sessions: 0, spans: 0, events: 0, traceIndexEntries: 0 }, 'erasing twice is harmless');
  });

  it('DELETE /api/users/{id} erases every session of the user', async () => {
    const reply = await call(`${api}/api/users/hash-carol`, { method: 'DELETE' });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.sessions, 1);
    assert.equal(reply.json.spans, 2);
    assert.deepEqual(await ids('range=30d'), ['s-alice']);
  });

  it('DELETE /api/users/{id} takes an e-mail too', async () => {
    const reply = await call(`${api}/api/users/${encodeURIComponent('alice@example.com')}`, { method: 'DELETE' });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.sessions, 1);
    assert.deepEqual(await ids('range=30d'), []);
  });
});
