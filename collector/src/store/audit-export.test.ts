// The store's audit log (append-only, paged) and user export, and migration 1 → 2 of an old store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { MIGRATIONS } from './schema.js';
import { openSessionStore, type SessionStore } from './session-store.js';
import { browserSession, logsBatch, tracesBatch } from './testing/browser-session.js';
import type { AuditEntry } from './types.js';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'stitch-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  timeMs: T0,
  actor: 'support',
  role: 'viewer',
  action: 'session.view',
  target: 's-1',
  parameters: { span_limit: '10' },
  clientAddress: '127.0.0.1',
  userAgent: 'test',
  status: 200,
  ...overrides,
});

describe('audit log and user export (DuckDB)', () => {
  let store: SessionStore;
  before(async () => {
    store = await openSessionStore({ path: join(dir, 'store.duckdb'), now: () => T0, refreshIntervalMs: 60_000 });
  });
  after(() => store.close());

  it('appends entries and lists them newest first, filtered and paged', async () => {
    for (let i = 0; i < 5; i++) await store.appendAudit(entry({ timeMs: T0 + i, actor: i % 2 ? 'ops' : 'support', action: i === 4 ? 'user.export' : 'session.view' }));
    const all = await store.listAudit({ fromMs: T0 - 1, toMs: T0 + 10, limit: 50 });
    assert.deepEqual(all.entries.map((e) => e.timeMs), [T0 + 4, T0 + 3, T0 + 2, T0 + 1, T0]);
    assert.equal(all.entries[0]!.time, new Date(T0 + 4).toISOString());
    assert.deepEqual(all.entries[4]!.parameters, { span_limit: '10' });
    assert.equal(all.nextCursor, null);

    const ops = await store.listAudit({ fromMs: T0 - 1, toMs: T0 + 10, actor: 'ops', limit: 50 });
    assert.deepEqual(ops.entries.map((e) => e.timeMs), [T0 + 3, T0 + 1]);
    const exports = await store.listAudit({ fromMs: T0 - 1, toMs: T0 + 10, action: 'user.export', limit: 50 });
    assert.equal(exports.entries.length, 1);

    const first = await store.listAudit({ fromMs: T0 - 1, toMs: T0 + 10, limit: 2 });
    assert.ok(first.nextCursor);
    const second = await store.listAudit({ fromMs: T0 - 1, toMs: T0 + 10, limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.entries.map((e) => e.timeMs), [T0 + 2, T0 + 1]);
    await assert.rejects(store.listAudit({ fromMs: 0, toMs: T0 + 10, limit: 2, cursor: 'nonsense' }), /cursor/);
  });

  it('keeps audit entries when the user is erased (append-only)', async () => {
    await store.appendAudit(entry({ action: 'user.delete', target: 'hash-dora', timeMs: T0 + 20 }));
    await store.deleteSessions({ userId: 'hash-dora' });
    const page = await store.listAudit({ fromMs: T0 + 20, toMs: T0 + 21, limit: 5 });
    assert.equal(page.entries[0]?.target, 'hash-dora');
  });

  it('exports every session of a user, by id or e-mail, with events and spans', async () => {
    for (const [sessionId, startMs] of [['s-eve-1', T0], ['s-eve-2', T0 + 3_600_000]] as const) {
      const t = browserSession({ sessionId, startMs, userId: 'hash-eve', userEmail: 'eve@example.com', apiCalls: [{ url: 'https://api.example.com/a', status: 200 }] });
      await store.write(tracesBatch(t.traces));
      await store.write(logsBatch(t.logs));
    }
    await store.write(tracesBatch(browserSession({ sessionId: 's-other', startMs: T0, userId: 'hash-other' }).traces));
    for (const who of ['hash-eve', 'eve@example.com']) {
      const out = await store.exportUser(who);
      assert.equal(out.userId, who);
      assert.equal(out.exportedAt, new Date(T0).toISOString());
      assert.deepEqual(out.sessions.map((s) => s.session.sessionId), ['s-eve-1', 's-eve-2']);
      for (const s of out.sessions) {
        assert.ok(s.events.length >= 2, 'events');
        assert.ok(s.spans.length >= 1, 'spans');
      }
    }
    assert.deepEqual((await store.exportUser('nobody')).sessions, []);
  });
});

describe('schema migration 2', () => {
  it('adds the audit log to a store written by schema 1, keeping its data', async () => {
    const path = join(dir, 'v1.duckdb');
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run('CREATE TABLE schema_version (version INTEGER NOT NULL, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)');
    await c.run(`BEGIN TRANSACTION; ${MIGRATIONS[0]!.sql}; INSERT INTO schema_version (version, description) VALUES (1, 'v1'); COMMIT;`);
    c.closeSync();
    instance.closeSync();

    const store = await openSessionStore({ path, refreshIntervalMs: 60_000 });
    try {
      await store.appendAudit(entry());
      assert.equal((await store.listAudit({ fromMs: 0, toMs: T0 + 1, limit: 5 })).entries[0]?.id, 1);
    } finally {
      await store.close();
    }
  });
});
