// Erasure (GDPR art. 17) end to end: two sessions of one user, with backend spans stitched to them,
// and a session of another user go in over OTLP; `DELETE /api/users/{id}` comes through the sessions
// API with an admin token. Then the collector stops and every row of every table of the store is
// read: nothing may reference the erased user — not the user id, the e-mail, the session ids, the
// trace ids or span ids of their sessions (backend spans included). The only exception is the
// audit log, append-only by design: it records that the erasure was requested (who, when, which
// user id), which is the proof the request was honoured. The other user's data stays whole.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectorFromYaml, otlpBaseUrl, sessionsApiBaseUrl } from '@stitch/collector';
import { browserSession, type SessionScript } from '../../collector/src/store/testing/browser-session.js';
import { dumpDuckDb } from '../helpers/duckdb-dump.js';

const ADMIN = 'admin-token-erasure-3f9a';
const dir = mkdtempSync(join(tmpdir(), 'stitch-erasure-'));
const MINUTE = 60_000;

const now = Date.now();
const ERASED = { userId: 'u-erase-7d2c', email: 'erase.me@example.com' };
const scripts: SessionScript[] = [
  { sessionId: 'ses-erase-1', startMs: now - 30 * MINUTE, userId: ERASED.userId, userEmail: ERASED.email, pages: ['https://shop.example.com/', 'https://shop.example.com/cart'], clicks: 2, apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200 }], error: { type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at cart.js:1:1' }, vitals: { LCP: 2100 } },
  { sessionId: 'ses-erase-2', startMs: now - 10 * MINUTE, userId: ERASED.userId, userEmail: ERASED.email, pages: ['https://shop.example.com/checkout'], apiCalls: [{ url: 'https://api.example.com/api/checkout', status: 502 }] },
  { sessionId: 'ses-keep-1', startMs: now - 20 * MINUTE, userId: 'u-keep-41b0', userEmail: 'keep.me@example.com', pages: ['https://shop.example.com/'], apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200 }] },
];
const telemetry = scripts.map((script) => ({ script, ...browserSession(script) }));

let collector: ReturnType<typeof collectorFromYaml>;
let api: string;
let deleteAnswer: Record<string, number>;
let tables: Record<string, string>;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${otlpBaseUrl(collector)}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

const asAdmin = (path: string, init: RequestInit = {}) => fetch(`${api}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}` } });

before(async () => {
  collector = collectorFromYaml(`
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  session_stitch: { wait: 5s, index_store: sessionstore }
exporters:
  sessionstore: { path: ${JSON.stringify(join(dir, 'sessions.duckdb'))}, refresh_interval: 100ms }
extensions:
  sessions_api:
    endpoint: 127.0.0.1:0
    store: sessionstore
    auth: { tokens: [{ token: ${ADMIN}, role: admin, name: dpo }] }
service:
  extensions: [sessions_api]
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
    logs: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
`);
  await collector.start();
  api = sessionsApiBaseUrl(collector);
  for (const t of telemetry) {
    await post('/v1/traces', t.traces);
    await post('/v1/traces', t.backendTraces);
    await post('/v1/logs', t.logs);
  }
  // Wait until every session is folded with its stitched backend spans.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const details = await Promise.all(scripts.map(async (s) => (await asAdmin(`/api/sessions/${s.sessionId}`)).json() as Promise<{ spans?: { stitched: boolean }[] }>));
    const backendSpans = details.map((d) => (d.spans ?? []).filter((span) => span.stitched).length);
    if (backendSpans.every((n, i) => n === scripts[i]!.apiCalls!.length)) break;
    if (Date.now() > deadline) throw new Error(`sessions never complete: backend spans per session ${JSON.stringify(backendSpans)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reply = await asAdmin(`/api/users/${ERASED.userId}`, { method: 'DELETE' });
  assert.equal(reply.status, 200);
  deleteAnswer = (await reply.json()) as Record<string, number>;
  await collector.shutdown();
  tables = await dumpDuckDb(join(dir, 'sessions.duckdb'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('erasing a user (DELETE /api/users/{id})', () => {
  it('answers what it erased', () => {
    assert.equal(deleteAnswer.sessions, 2);
    assert.ok((deleteAnswer.spans ?? 0) > 0 && (deleteAnswer.events ?? 0) > 0, JSON.stringify(deleteAnswer));
  });

  it('leaves no row anywhere in the store that references the user, their sessions, traces or spans (the audit log aside)', () => {
    const erased = telemetry.filter((t) => t.script.userId === ERASED.userId);
    const needles = [ERASED.userId, ERASED.email, ...erased.map((t) => t.script.sessionId), ...erased.flatMap((t) => t.traceIds), ...erased.flatMap((t) => t.spanIds)];
    assert.ok(Object.keys(tables).length >= 5, `store tables: ${Object.keys(tables).join(', ')}`);
    const found: string[] = [];
    for (const [table, rows] of Object.entries(tables)) {
      if (table === 'audit_log') continue;
      for (const needle of needles) if (rows.includes(needle)) found.push(`${needle} in ${table}`);
    }
    assert.deepEqual(found, []);
  });

  it('keeps the erasure on record in the audit log, without the e-mail', () => {
    const audit = tables.audit_log!;
    assert.match(audit, /user\.delete/);
    assert.ok(audit.includes(ERASED.userId), 'the audit entry names the erased user id');
    assert.ok(!audit.includes(ERASED.email));
  });

  it('keeps every row of the other user', () => {
    const kept = telemetry.find((t) => t.script.userId === 'u-keep-41b0')!;
    for (const needle of [kept.script.sessionId, ...kept.traceIds, ...kept.spanIds]) {
      assert.ok(tables.spans!.includes(needle) || tables.sessions!.includes(needle), `${needle} still stored`);
    }
    assert.ok(tables.sessions!.includes('keep.me@example.com'));
  });
});
