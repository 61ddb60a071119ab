// Roles, audit and data-subject requests end to end: a real collector from YAML with
// `sessions_api.auth` tokens from the environment, the DuckDB store, OTLP JSON in, HTTP out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatProblems, loadConfigText } from '../../config/load.js';
import { defaultRegistry } from '../../default-registry.js';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import type { Collector } from '../../service/collector.js';
import { browserSession, type SessionScript } from '../../store/testing/browser-session.js';
import { collectorFromYaml, otlpBaseUrl, sessionsApiBaseUrl } from '../../testing/yaml-collector.js';
import { call } from './test-support.js';

const NOW = Date.now();
const TOKENS = { STITCH_VIEWER_TOKEN: 'viewer-secret-4f1c', STITCH_ANALYST_TOKEN: 'analyst-secret-9b2e', STITCH_ADMIN_TOKEN: 'admin-secret-7d3a' };
const ALICE: SessionScript = {
  sessionId: 's-alice',
  startMs: NOW - 30 * 60_000,
  userId: 'hash-alice',
  userEmail: 'alice@example.com',
  pages: ['https://shop.example.com/', 'https://shop.example.com/cart'],
  clicks: 1,
  apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200 }],
};
const ALICE_2: SessionScript = { ...ALICE, sessionId: 's-alice-2', startMs: NOW - 10 * 60_000, pages: ['https://shop.example.com/p'] };
const BOB: SessionScript = { sessionId: 's-bob', startMs: NOW - 20 * 60_000, userId: 'hash-bob', pages: ['https://shop.example.com/'] };

const yaml = (path: string, extension: string) => `
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
    path: ${JSON.stringify(path)}
    refresh_interval: 100ms
extensions:
  sessions_api:
${extension}
service:
  extensions: [sessions_api]
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
    logs: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
`;

const AUTH = `    endpoint: 127.0.0.1:0
    auth:
      tokens:
        - token: \${env:STITCH_VIEWER_TOKEN}
          role: viewer
          name: support
        - token: \${env:STITCH_ANALYST_TOKEN}
          role: analyst
          name: growth
        - token: \${env:STITCH_ADMIN_TOKEN}
          role: admin
          name: dpo`;

const dir = mkdtempSync(join(tmpdir(), 'stitch-api-auth-'));
const logger = capturingLogger();
let collector: Collector;
let api: string;
let otlp: string;

const as = (token: string | undefined, path: string, method = 'GET') =>
  call(`${api}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
const viewer = (path: string, method?: string) => as(TOKENS.STITCH_VIEWER_TOKEN, path, method);
const analyst = (path: string, method?: string) => as(TOKENS.STITCH_ANALYST_TOKEN, path, method);
const admin = (path: string, method?: string) => as(TOKENS.STITCH_ADMIN_TOKEN, path, method);

async function send(script: SessionScript): Promise<void> {
  const telemetry = browserSession(script);
  for (const [path, body] of [['/v1/traces', telemetry.traces], ['/v1/logs', telemetry.logs], ['/v1/traces', telemetry.backendTraces]] as const) {
    const response = await fetch(`${otlp}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.text());
  }
}

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

before(async () => {
  collector = collectorFromYaml(yaml(join(dir, 'sessions.duckdb'), AUTH), { env: TOKENS, logger });
  await collector.start();
  api = sessionsApiBaseUrl(collector);
  otlp = otlpBaseUrl(collector);
  for (const script of [ALICE, ALICE_2, BOB]) await send(script);
  await eventually(async () => {
    const reply = await admin('/api/sessions');
    assert.equal(reply.json.sessions.length, 3);
    assert.ok((await admin('/api/sessions/s-alice')).json.spans.length >= 2);
  });
});

after(async () => {
  await collector?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('sessions API with auth (real collector and store)', () => {
  it('answers 401 with WWW-Authenticate: Bearer without a token or with a wrong one', async () => {
    for (const path of ['/api/sessions', '/api/sessions/s-alice', '/api/kpis', '/api/audit', '/api/users/hash-alice/export']) {
      const none = await as(undefined, path);
      assert.equal(none.status, 401, path);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(typeof none.json.error, 'string');
      assert.equal((await as('not-a-token', path)).status, 401, `${path} wrong token`);
    }
    assert.equal((await as(undefined, '/api/users/hash-bob', 'DELETE')).status, 401);
  });

  it('answers each endpoint × (no token, wrong token, each role) as the roles table says', async () => {
    // Ids that match nothing, so the admin's DELETEs change no data.
    const endpoints = [
      ['GET', '/api/sessions', 'viewer'],
      ['GET', '/api/sessions/s-nobody', 'viewer'],
      ['GET', '/api/kpis', 'viewer'],
      ['DELETE', '/api/sessions/s-nobody', 'admin'],
      ['DELETE', '/api/users/hash-nobody', 'admin'],
      ['GET', '/api/users/hash-nobody/export', 'admin'],
      ['GET', '/api/audit', 'admin'],
      ['GET', '/api/openapi.json', 'public'],
      ['GET', '/api/me', 'viewer'],
    ] as const;
    const rank = { public: 0, viewer: 1, analyst: 2, admin: 3 };
    const callers = [
      ['none', undefined, -1],
      ['wrong', 'wrong-token', -1],
      ['viewer', TOKENS.STITCH_VIEWER_TOKEN, 1],
      ['analyst', TOKENS.STITCH_ANALYST_TOKEN, 2],
      ['admin', TOKENS.STITCH_ADMIN_TOKEN, 3],
    ] as const;
    for (const [method, path, needed] of endpoints) {
      for (const [who, token, level] of callers) {
        const reply = await as(token, path, method);
        const ok = path === '/api/sessions/s-nobody' && method === 'GET' ? 404 : 200;
        const expected = needed === 'public' ? 200 : level < 0 ? 401 : level >= rank[needed] ? ok : 403;
        assert.equal(reply.status, expected, `${method} ${path} as ${who}`);
      }
    }
  });

  it('tells a token holder who they are (the UI signs in with it)', async () => {
    assert.deepEqual((await viewer('/api/me')).json, { name: 'support', role: 'viewer', authRequired: true });
    assert.equal((await as(TOKENS.STITCH_ADMIN_TOKEN, '/api/me')).json.role, 'admin');
  });

  it('keeps the UI page and the OpenAPI document public', async () => {
    assert.equal((await as(undefined, '/api/openapi.json')).status, 200);
    assert.notEqual((await as(undefined, '/')).status, 401);
  });

  it('shows a viewer sessions without any e-mail, list and detail', async () => {
    const list = await viewer('/api/sessions');
    assert.equal(list.status, 200);
    assert.equal(list.json.sessions.length, 3);
    assert.ok(!list.text.includes('alice@example.com'), list.text.slice(0, 500));
    assert.ok(!('userEmail' in list.json.sessions[0]));
    assert.ok(list.json.sessions.some((s: { userId: string }) => s.userId === 'hash-alice'), 'hashed ids stay');
    const detail = await viewer('/api/sessions/s-alice');
    assert.equal(detail.status, 200);
    assert.ok(detail.json.events.length > 0);
    assert.ok(!detail.text.includes('alice@example.com'), 'no e-mail in the detail');
    const byEmail = await viewer('/api/sessions?email=alice%40example.com');
    assert.equal(byEmail.status, 403);
    assert.match(byEmail.json.error, /analyst/);
  });

  it('shows an analyst the e-mail', async () => {
    const list = await analyst('/api/sessions?email=alice%40example.com');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.sessions.map((s: { userEmail: string }) => s.userEmail), ['alice@example.com', 'alice@example.com']);
    assert.ok((await analyst('/api/sessions/s-alice')).text.includes('alice@example.com'));
  });

  it('refuses viewers and analysts the admin endpoints with a 403 naming the role', async () => {
    for (const call of [viewer, analyst]) {
      for (const [path, method] of [['/api/users/hash-bob', 'DELETE'], ['/api/sessions/s-bob', 'DELETE'], ['/api/users/hash-bob/export', 'GET'], ['/api/audit', 'GET']] as const) {
        const reply = await call(path, method);
        assert.equal(reply.status, 403, `${method} ${path}`);
        assert.match(reply.json.error, /admin/);
      }
    }
    assert.equal((await admin('/api/sessions/s-bob')).status, 200, 'bob is still there');
  });

  it('exports a user for an admin: sessions with their events and spans, as an attachment', async () => {
    for (const id of ['hash-alice', 'alice%40example.com']) {
      const reply = await admin(`/api/users/${id}/export`);
      assert.equal(reply.status, 200, reply.text);
      assert.match(reply.headers.get('content-disposition') ?? '', /^attachment; filename="stitch-user-export-\d{4}-\d{2}-\d{2}\.json"$/);
      assert.deepEqual(reply.json.sessions.map((s: { session: { sessionId: string } }) => s.session.sessionId), ['s-alice', 's-alice-2']);
      for (const s of reply.json.sessions) {
        assert.ok(s.events.length >= 2, 'events');
        assert.ok(s.spans.length >= 1, 'spans');
        assert.equal(s.session.userEmail, 'alice@example.com');
      }
    }
  });

  it('erases a user for an admin and returns the counts', async () => {
    const reply = await admin('/api/users/hash-bob', 'DELETE');
    assert.equal(reply.status, 200);
    assert.equal(reply.json.sessions, 1);
    assert.ok(reply.json.events >= 2);
    assert.equal((await admin('/api/sessions/s-bob')).status, 404);
    assert.deepEqual((await admin('/api/users/hash-bob/export')).json.sessions, []);
  });

  it('records every audited action with its actor and status, and never a token', async () => {
    await viewer('/api/kpis?range=1h');
    await eventually(async () => {
      const page = await admin('/api/audit?limit=500');
      assert.equal(page.status, 200);
      const entries = page.json.entries as { actor: string; role: string; action: string; status: number; target: string | null; parameters: Record<string, unknown> }[];
      const has = (actor: string, action: string, status: number) =>
        assert.ok(entries.some((e) => e.actor === actor && e.action === action && e.status === status), `${actor} ${action} ${status}`);
      has('support', 'session.list', 200);
      has('support', 'session.list', 403);
      has('support', 'session.view', 200);
      has('support', 'kpi.view', 200);
      has('support', 'user.delete', 403);
      has('growth', 'session.list', 200);
      has('dpo', 'user.export', 200);
      has('dpo', 'user.delete', 200);
      has('dpo', 'session.view', 200);
      assert.ok(entries.every((e) => e.role && e.actor !== 'unknown'));
      const text = page.text;
      for (const token of Object.values(TOKENS)) assert.ok(!text.includes(token), 'no token in the audit log');
      assert.ok(!text.includes('alice@example.com'), 'no e-mail in the audit log');
      assert.ok(entries.some((e) => e.action === 'user.export' && /^email-sha256:/.test(e.target ?? '')));
    });
    const filtered = await admin('/api/audit?actor=support&action=kpi.view');
    assert.ok(filtered.json.entries.length >= 1);
    assert.ok(filtered.json.entries.every((e: { actor: string; action: string }) => e.actor === 'support' && e.action === 'kpi.view'));
    assert.equal((await admin('/api/audit?action=nonsense')).status, 400);
  });

  it('logs one JSON line per audited action and never a token', () => {
    const audits = logger.lines.filter((line) => (line as { audit?: boolean }).audit === true);
    assert.ok(audits.length >= 10);
    assert.ok(audits.some((line) => (line as { action?: string }).action === 'user.delete'));
    const all = JSON.stringify(logger.lines);
    for (const token of Object.values(TOKENS)) assert.ok(!all.includes(token), 'no token in any log line');
  });
});

describe('sessions_api config from YAML', () => {
  const problems = (extension: string, env: Record<string, string> = {}) => {
    const result = loadConfigText(yaml(join(dir, 'unused.duckdb'), extension), defaultRegistry(), env);
    assert.equal(result.ok, false);
    return formatProblems(result.ok ? [] : result.problems);
  };

  it('refuses to expose the API on a non-loopback address without auth', () => {
    assert.match(problems('    endpoint: 0.0.0.0:8686'), /extensions\.sessions_api\.endpoint: .*no auth/);
  });

  it('refuses a token whose environment variable is unset', () => {
    assert.match(problems(AUTH), /extensions\.sessions_api\.auth\.tokens\.0\.token: is empty/);
  });
});
