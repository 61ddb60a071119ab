import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { openSessionStore, type SessionStore } from './session-store.js';
import { browserSession, logsBatch, tracesBatch, type SessionScript } from './testing/browser-session.js';
import { LATEST_SCHEMA_VERSION } from './schema.js';
import type { SessionListQuery } from './types.js';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'stitch-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const list = (overrides: Partial<SessionListQuery> = {}): SessionListQuery => ({ fromMs: T0 - 24 * HOUR, toMs: T0 + 24 * HOUR, sort: 'start', order: 'desc', limit: 50, ...overrides });

/** Writes a session the way the pipeline would: browser traces and logs, then its backend spans stamped by session_stitch. */
async function writeSession(store: SessionStore, script: SessionScript) {
  const telemetry = browserSession(script);
  await store.write(tracesBatch(telemetry.traces));
  await store.write(logsBatch(telemetry.logs));
  const backend = tracesBatch(telemetry.backendTraces);
  for (const { item } of backend.entries()) {
    item.setAttribute('session.id', script.sessionId);
    item.setAttribute('stitch.stitched', true);
  }
  await store.write(backend);
  return telemetry;
}

describe('session store (DuckDB)', () => {
  let store: SessionStore;
  let now = T0 + HOUR;
  const path = join(dir, 'sessions.duckdb');

  before(async () => {
    store = await openSessionStore({ path, now: () => now, refreshIntervalMs: 60_000 });
    await writeSession(store, {
      sessionId: 's-alice',
      startMs: T0,
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
      vitals: { LCP: 1800, CLS: 0.05, INP: 120 },
    });
    await writeSession(store, {
      sessionId: 's-bob',
      startMs: T0 + 10 * 60_000,
      userId: 'hash-bob',
      geo: { country: 'US', city: 'Austin' },
      version: '1.1.0',
      pages: ['https://shop.example.com/products'],
      clicks: 1,
      apiCalls: [{ url: 'https://api.example.com/api/products', status: 200 }],
    });
    await store.flush();
  });
  after(() => store.close());

  it('keeps one row per session with what its events said', async () => {
    const page = await store.listSessions(list());
    assert.deepEqual(
      page.sessions.map((s) => s.sessionId),
      ['s-bob', 's-alice'],
    );
    const alice = page.sessions[1]!;
    assert.equal(alice.start, new Date(T0).toISOString());
    assert.equal(alice.pageViews, 3);
    assert.equal(alice.userActions, 2);
    assert.equal(alice.errors, 1);
    assert.equal(alice.apiCalls, 2);
    assert.equal(alice.userId, 'hash-alice');
    assert.equal(alice.userEmail, 'alice@example.com');
    assert.equal(alice.browser, 'Google Chrome');
    assert.equal(alice.os, 'macOS');
    assert.equal(alice.deviceType, 'desktop');
    assert.equal(alice.country, 'DE');
    assert.equal(alice.city, 'Berlin');
    assert.equal(alice.screen, '1512x982');
    assert.equal(alice.entryUrl, 'https://shop.example.com/');
    assert.equal(alice.exitUrl, 'https://shop.example.com/checkout');
    assert.equal(alice.lcpMs, 1800);
    assert.equal(alice.cls, 0.05);
    assert.equal(alice.startMs, T0);
    assert.ok(alice.durationMs > 3_000, `duration ${alice.durationMs}`);
    assert.equal(alice.ended, false);
  });

  it('counts nothing twice when a batch is retried', async () => {
    const before = await store.counts();
    const again = browserSession({ sessionId: 's-retry', startMs: T0 + 2 * HOUR, pages: ['https://shop.example.com/a'], clicks: 1, apiCalls: [{ url: 'https://api.example.com/x', status: 200 }] });
    const first = await store.write(tracesBatch(again.traces));
    await store.write(logsBatch(again.logs));
    const retried = await store.write(tracesBatch(again.traces));
    const retriedLogs = await store.write(logsBatch(again.logs));
    assert.equal(first.spansWritten, 1);
    assert.equal(retried.spansWritten, 0);
    assert.equal(retried.duplicates, 1);
    assert.equal(retriedLogs.eventsWritten, 0);
    await store.flush();
    const [row] = (await store.listSessions(list({ toMs: T0 + 3 * HOUR, userId: undefined }))).sessions.filter((s) => s.sessionId === 's-retry');
    assert.equal(row?.pageViews, 1);
    assert.equal(row?.userActions, 1);
    assert.equal(row?.apiCalls, 1);
    const afterCounts = await store.counts();
    assert.equal(afterCounts.spans - before.spans, 1);
    assert.equal(afterCounts.sessions - before.sessions, 1);
    await store.deleteSessions({ sessionId: 's-retry' });
  });

  it('filters, sorts and pages the list', async () => {
    const ids = async (q: Partial<SessionListQuery>) => (await store.listSessions(list(q))).sessions.map((s) => s.sessionId);
    assert.deepEqual(await ids({ errors: 'any' }), ['s-alice']);
    assert.deepEqual(await ids({ errors: 'none' }), ['s-bob']);
    assert.deepEqual(await ids({ errorsAbove: 0 }), ['s-alice']);
    assert.deepEqual(await ids({ country: 'US' }), ['s-bob']);
    assert.deepEqual(await ids({ city: 'Berlin' }), ['s-alice']);
    assert.deepEqual(await ids({ userEmail: 'alice@example.com' }), ['s-alice']);
    assert.deepEqual(await ids({ userId: 'alice@example.com' }), ['s-alice'], 'a user by e-mail');
    assert.deepEqual(await ids({ userId: 'hash-bob' }), ['s-bob'], 'a user by id');
    assert.deepEqual(await ids({ text: 'checkout.js:10' }), ['s-alice'], 'an attribute value (the stack trace)');
    assert.deepEqual(await ids({ appVersion: '1.1.0' }), ['s-bob']);
    assert.deepEqual(await ids({ text: 'declined' }), ['s-alice'], 'error message');
    assert.deepEqual(await ids({ text: 'PRODUCTS' }), ['s-bob'], 'page URL, any case');
    assert.deepEqual(await ids({ text: '100%' }), [], 'LIKE wildcards are literal');
    assert.deepEqual(await ids({ sort: 'start', order: 'asc' }), ['s-alice', 's-bob']);
    assert.deepEqual(await ids({ sort: 'pageViews' }), ['s-alice', 's-bob']);
    assert.deepEqual(await ids({ minDurationMs: 60_000 }), []);
    assert.deepEqual(await ids({ fromMs: T0 + 5 * 60_000 }), ['s-bob']);
    const first = await store.listSessions(list({ limit: 1 }));
    assert.equal(first.sessions[0]?.sessionId, 's-bob');
    assert.ok(first.nextCursor);
    const second = await store.listSessions(list({ limit: 1, cursor: first.nextCursor! }));
    assert.deepEqual(second.sessions.map((s) => s.sessionId), ['s-alice']);
    assert.equal(second.nextCursor, null);
    await assert.rejects(store.listSessions(list({ cursor: 'garbage' })), { name: 'StoreQueryError', parameter: 'cursor' });
  });

  it('sorts by text columns (user, location, browser, device) and pages through them by cursor', async () => {
    const ids = async (q: Partial<SessionListQuery>) => (await store.listSessions(list(q))).sessions.map((s) => s.sessionId);
    assert.deepEqual(await ids({ sort: 'location', order: 'asc' }), ['s-alice', 's-bob'], 'DE before US');
    assert.deepEqual(await ids({ sort: 'location', order: 'desc' }), ['s-bob', 's-alice']);
    const summaries = (await store.listSessions(list())).sessions;
    const label = (id: string) => {
      const s = summaries.find((x) => x.sessionId === id)!;
      return s.userEmail ?? s.userName ?? s.userId ?? '';
    };
    const byUser = await ids({ sort: 'user', order: 'asc' });
    assert.deepEqual(byUser.map(label), [...byUser.map(label)].sort(), 'ordered by the label the table shows');
    const first = await store.listSessions(list({ sort: 'location', order: 'asc', limit: 1 }));
    assert.deepEqual(first.sessions.map((s) => s.sessionId), ['s-alice']);
    const second = await store.listSessions(list({ sort: 'location', order: 'asc', limit: 1, cursor: first.nextCursor! }));
    assert.deepEqual(second.sessions.map((s) => s.sessionId), ['s-bob']);
    assert.equal(second.nextCursor, null);
    // A numeric sort's cursor is not a text sort's.
    const numeric = await store.listSessions(list({ limit: 1 }));
    await assert.rejects(store.listSessions(list({ sort: 'location', limit: 1, cursor: numeric.nextCursor! })), { name: 'StoreQueryError', parameter: 'cursor' });
    for (const sort of ['browser', 'os', 'device', 'userId'] as const) assert.equal((await ids({ sort })).length, 2, sort);
  });

  it('returns a session with its timeline, spans and every trace, backend included', async () => {
    const detail = await store.getSession('s-alice');
    assert.ok(detail);
    const names = detail.events.map((e) => e.name);
    assert.deepEqual(names.slice(0, 4), ['session.start', 'browser.page_view', 'browser.page_view', 'browser.page_view']);
    const times = detail.events.map((e) => e.timeMs);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const exception = detail.events.find((e) => e.name === 'exception')!;
    assert.equal(exception.text, 'PaymentDeclined: card declined');
    assert.match(String(exception.attributes['exception.stacktrace']), /at pay/);
    assert.equal(detail.traces.length, 2);
    for (const trace of detail.traces) assert.deepEqual(trace.services, ['shop-api', 'shop-web']);
    const failed = detail.traces[1]!;
    assert.equal(failed.errorCount, 2);
    assert.equal(detail.spans.length, 4);
    const server = detail.spans.find((s) => s.kind === 2 && s.traceId === failed.traceId)!;
    assert.equal(server.stitched, true);
    assert.equal(server.httpStatus, 502);
    const client = detail.spans.find((s) => s.kind === 3 && s.traceId === failed.traceId)!;
    assert.equal(client.url, 'https://api.example.com/api/checkout');
    assert.equal(server.parentSpanId, client.spanId);
    assert.equal(await store.getSession('nope'), undefined);
  });

  it('computes KPIs, a series and a breakdown over the same filters', async () => {
    const result = await store.kpis({ fromMs: T0 - HOUR, toMs: T0 + HOUR, groupBy: 'country' });
    assert.equal(result.totals.sessions, 2);
    assert.equal(result.totals.errorRate, 0.5);
    assert.equal(result.totals.pagesPerSession, 2);
    assert.equal(result.interval, 'hour');
    assert.deepEqual(result.series.map((b) => [b.bucketStartMs, b.sessions]), [[T0, 2]]);
    assert.deepEqual(result.groups?.map((g) => [g.key, g.sessions]), [['DE', 1], ['US', 1]]);
    assert.equal(result.activeUsersNow, 0, 'nobody active in the last 5 minutes of the test clock');
    now = T0 + 10 * 60_000 + 60_000;
    assert.equal((await store.kpis({ fromMs: T0 - HOUR, toMs: T0 + HOUR })).activeUsersNow, 1);
    const filtered = await store.kpis({ fromMs: T0 - HOUR, toMs: T0 + HOUR, errors: 'any' });
    assert.equal(filtered.totals.sessions, 1);
    now = T0 + HOUR;
  });

  it('finds the session of a trace in the persisted index', async () => {
    const detail = (await store.getSession('s-bob'))!;
    const traceId = detail.traces[0]!.traceId;
    const found = await store.lookupTraceSessions([traceId, 'f'.repeat(32), 'not-hex']);
    assert.deepEqual([...found], [[traceId, 's-bob']]);
  });

  it('ends sessions idle for longer than the inactivity timeout', async () => {
    now = T0 + 12 * 60_000;
    assert.equal(await store.endIdleSessions(), 0);
    const rows = (await store.listSessions(list())).sessions;
    assert.equal(rows.find((s) => s.sessionId === 's-alice')?.ended, false, 'alice was active 12 min ago');
    now = T0 + 40 * 60_000;
    assert.equal(await store.endIdleSessions(), 2);
    const later = (await store.listSessions(list())).sessions;
    assert.deepEqual(later.map((s) => s.ended), [true, true]);
  });

  it('erases a user: sessions, spans, events, index entries', async () => {
    await writeSession(store, { sessionId: 's-carol-1', startMs: T0 + 3 * HOUR, userId: 'hash-carol', apiCalls: [{ url: 'https://api.example.com/a', status: 200 }] });
    await writeSession(store, { sessionId: 's-carol-2', startMs: T0 + 4 * HOUR, userId: 'hash-carol', pages: ['https://shop.example.com/p'] });
    const counts = await store.deleteSessions({ userId: 'hash-carol' });
    assert.equal(counts.sessions, 2);
    assert.equal(counts.spans, 2, 'the fetch span and its stitched backend span');
    assert.ok(counts.events >= 4);
    assert.equal(counts.traceIndexEntries, 1);
    assert.equal(await store.getSession('s-carol-1'), undefined);
    assert.deepEqual((await store.listSessions(list({ toMs: T0 + 5 * HOUR, userId: 'hash-carol' }))).sessions, []);
  });

  it('deletes what is older than the retention period', async () => {
    const short = await openSessionStore({ path: join(dir, 'retention.duckdb'), now: () => now, retentionMs: 2 * HOUR, refreshIntervalMs: 60_000 });
    try {
      now = T0;
      await writeSession(short, { sessionId: 'old', startMs: T0 - 5 * HOUR, apiCalls: [{ url: 'https://api.example.com/a', status: 200 }] });
      await writeSession(short, { sessionId: 'new', startMs: T0 - HOUR, apiCalls: [{ url: 'https://api.example.com/a', status: 200 }] });
      const deleted = await short.applyRetention();
      assert.equal(deleted.sessions, 1);
      assert.equal(deleted.spans, 2);
      const counts = await short.counts();
      assert.equal(counts.sessions, 1);
      assert.equal(counts.spans, 2);
      assert.equal(counts.traceIndexEntries, 1);
    } finally {
      await short.close();
      now = T0 + HOUR;
    }
  });
});

describe('session store schema', () => {
  it('keeps data across a restart and refuses a newer schema', async () => {
    const path = join(dir, 'reopen.duckdb');
    const first = await openSessionStore({ path });
    await writeSession(first, { sessionId: 'kept', startMs: Date.now() - 60_000 });
    await first.close();
    const second = await openSessionStore({ path });
    assert.equal((await second.getSession('kept'))?.session.pageViews, 1);
    await second.close();

    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const version = (await connection.runAndReadAll('SELECT max(version) AS v FROM schema_version')).getRowObjectsJS()[0]!.v;
    assert.equal(Number(version), LATEST_SCHEMA_VERSION);
    await connection.run(`INSERT INTO schema_version (version, description) VALUES (${LATEST_SCHEMA_VERSION + 1}, 'from the future')`);
    connection.closeSync();
    instance.closeSync();
    await assert.rejects(openSessionStore({ path }), new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer than this Stitch understands`));
  });
});
