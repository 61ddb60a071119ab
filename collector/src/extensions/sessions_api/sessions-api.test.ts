// The HTTP layer with store stand-ins for what a real store cannot be made to do on demand: be
// missing, not open yet, or throw. What the endpoints return is tested against the real store in
// sessions-api.integration.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import type { SessionStoreReader } from '../../store/types.js';
import { StoreQueryError } from '../../store/types.js';
import { sessionsApiConfigSchema } from './config.js';
import { SessionsApiExtension } from './sessions-api.js';
import { hasSessionStore } from './store-lookup.js';
import { call, hostWith } from './test-support.js';

const EMPTY_KPIS = { fromMs: 0, toMs: 1, totals: { sessions: 0, avgDurationMs: null, errorRate: null, pagesPerSession: null, errors: 0 }, activeUsersNow: 0, interval: 'hour', series: [] };

/** A reader whose every method does what `behaviour` says. */
function reader(behaviour: () => Promise<unknown>): SessionStoreReader {
  return {
    listSessions: behaviour as SessionStoreReader['listSessions'],
    getSession: behaviour as SessionStoreReader['getSession'],
    kpis: behaviour as SessionStoreReader['kpis'],
    deleteSessions: behaviour as SessionStoreReader['deleteSessions'],
    exportUser: behaviour as SessionStoreReader['exportUser'],
    listAudit: behaviour as SessionStoreReader['listAudit'],
    // Audit appends are fire-and-forget; these tests are about the answers.
    appendAudit: async () => undefined,
  };
}

async function startApi(config: Record<string, unknown>, exporters: Record<string, object>, logger = capturingLogger()) {
  const extension = new SessionsApiExtension(sessionsApiConfigSchema.parse({ endpoint: '127.0.0.1:0', ...config }), logger);
  await extension.start(hostWith(exporters));
  const base = `http://127.0.0.1:${extension.port}`;
  return { extension, base, logger, url: (path: string) => `${base}${path}` };
}

describe('sessions_api config', () => {
  it('defaults: loopback port 8686, store "sessionstore", no Jaeger links, no CORS', () => {
    const config = sessionsApiConfigSchema.parse({});
    assert.deepEqual([config.endpoint, config.store, config.jaeger_ui_url, config.cors], ['127.0.0.1:8686', 'sessionstore', undefined, undefined]);
    assert.deepEqual(sessionsApiConfigSchema.parse({ cors: null }).cors, undefined);
    assert.deepEqual(sessionsApiConfigSchema.parse({ cors: {} }).cors, { allowed_origins: [] });
  });
  it('jaeger_ui_url loses its trailing slash; an empty one (unset env variable) means none', () => {
    assert.equal(sessionsApiConfigSchema.parse({ jaeger_ui_url: 'http://jaeger:16686/' }).jaeger_ui_url, 'http://jaeger:16686');
    assert.equal(sessionsApiConfigSchema.parse({ jaeger_ui_url: '' }).jaeger_ui_url, undefined);
    assert.equal(sessionsApiConfigSchema.safeParse({ jaeger_ui_url: 'jaeger:16686' }).success, false);
  });
  it('unknown keys and bad endpoints are refused', () => {
    assert.equal(sessionsApiConfigSchema.safeParse({ port: 1 }).success, false);
    assert.equal(sessionsApiConfigSchema.safeParse({ endpoint: 'localhost' }).success, false);
    assert.equal(sessionsApiConfigSchema.safeParse({ cors: { allowed_origin: [] } }).success, false);
  });
});

describe('hasSessionStore', () => {
  it('is true for an object with a sessionStore property, open or not', () => {
    assert.equal(hasSessionStore({ sessionStore: undefined }), true);
    assert.equal(hasSessionStore(new (class { get sessionStore() { return undefined; } })()), true);
    assert.equal(hasSessionStore({ consume() {} }), false);
    assert.equal(hasSessionStore(undefined), false);
  });
});

describe('sessions_api: finding the store', () => {
  it('503 naming extensions.sessions_api.store when the exporter does not run', async () => {
    const api = await startApi({ store: 'sessionstore/main' }, {});
    try {
      assert.ok(api.logger.lines.some((l) => l.level === 'warn' && String(l.msg).includes('extensions.sessions_api.store')));
      const reply = await call(api.url('/api/sessions'));
      assert.equal(reply.status, 503);
      assert.match(reply.json.error, /extensions\.sessions_api\.store/);
      assert.match(reply.json.error, /"sessionstore\/main"/);
      assert.equal(reply.headers.get('retry-after'), null, 'waiting will not fix a config error');
    } finally {
      await api.extension.shutdown();
    }
  });

  it('503 when the exporter is not a sessionstore', async () => {
    const api = await startApi({ store: 'debug' }, { debug: { consume: async () => {} } });
    try {
      const reply = await call(api.url('/api/kpis'));
      assert.equal(reply.status, 503);
      assert.match(reply.json.error, /not a sessionstore exporter/);
    } finally {
      await api.extension.shutdown();
    }
  });

  it('503 with Retry-After while the store is not open, then answers once it is (looked up per request)', async () => {
    const exporter: { sessionStore: SessionStoreReader | undefined } = { sessionStore: undefined };
    const api = await startApi({}, { sessionstore: exporter });
    try {
      const waiting = await call(api.url('/api/sessions'));
      assert.equal(waiting.status, 503);
      assert.equal(waiting.headers.get('retry-after'), '1');
      assert.match(waiting.json.error, /not open yet/);
      exporter.sessionStore = reader(async () => ({ sessions: [], nextCursor: null }));
      const ready = await call(api.url('/api/sessions'));
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.json, { sessions: [], nextCursor: null });
    } finally {
      await api.extension.shutdown();
    }
  });
});

describe('sessions_api: HTTP behaviour', () => {
  let failing = false;
  let api: Awaited<ReturnType<typeof startApi>>;
  const store = reader(async () => {
    if (failing) throw new Error('IO Error: disk on fire');
    return EMPTY_KPIS;
  });

  before(async () => {
    api = await startApi({}, { sessionstore: { sessionStore: store } });
  });
  after(() => api.extension.shutdown());

  it('a store exception is a 500 JSON, logged, and the next request is served', async () => {
    failing = true;
    const reply = await call(api.url('/api/kpis'));
    failing = false;
    assert.equal(reply.status, 500);
    assert.match(reply.headers.get('content-type') ?? '', /application\/json/);
    assert.match(reply.json.error, /internal error/);
    assert.doesNotMatch(reply.text, /disk on fire/, 'internals stay in the log');
    const logged = api.logger.lines.find((l) => l.level === 'error');
    assert.match(String((logged?.err as Error)?.message), /disk on fire/);
    assert.equal((await call(api.url('/api/kpis'))).status, 200);
  });

  it('a StoreQueryError is a 400 naming its parameter', async () => {
    const api2 = await startApi({}, { sessionstore: { sessionStore: reader(async () => Promise.reject(new StoreQueryError('cursor', 'cursor is stale'))) } });
    try {
      const reply = await call(api2.url('/api/sessions?cursor=abc'));
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.json, { error: 'cursor is stale', parameter: 'cursor' });
    } finally {
      await api2.extension.shutdown();
    }
  });

  it('a bad parameter is a 400 with error and parameter, before the store is asked', async () => {
    const reply = await call(api.url('/api/sessions?limit=0'));
    assert.equal(reply.status, 400);
    assert.equal(reply.json.parameter, 'limit');
    assert.match(reply.json.error, /from 1 to 500/);
    const unknown = await call(api.url('/api/kpis?colour=red'));
    assert.deepEqual([unknown.status, unknown.json.parameter], [400, 'colour']);
  });

  it('unknown paths are 404 JSON, never HTML', async () => {
    for (const path of ['/api', '/api/session', '/api/sessions/a/b', '/favicon.ico']) {
      const reply = await call(api.url(path));
      assert.equal(reply.status, 404, path);
      assert.match(reply.json.error, /no such endpoint/, path);
    }
  });

  it('a wrong method is 405 with Allow; OPTIONS answers 204 with Allow', async () => {
    const post = await call(api.url('/api/sessions'), { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.match(post.json.error, /POST is not allowed on \/api\/sessions/);
    const put = await call(api.url('/api/users/u1'), { method: 'PUT' });
    assert.deepEqual([put.status, put.headers.get('allow')], [405, 'DELETE']);
    const get = await call(api.url('/api/users/u1'));
    assert.deepEqual([get.status, get.headers.get('allow')], [405, 'DELETE']);
    const patch = await call(api.url('/api/sessions/s1'), { method: 'PATCH' });
    assert.deepEqual([patch.status, patch.headers.get('allow')], [405, 'GET, HEAD, DELETE']);
    const options = await call(api.url('/api/sessions/s1'), { method: 'OPTIONS' });
    assert.deepEqual([options.status, options.headers.get('allow')], [204, 'GET, HEAD, DELETE']);
  });

  it('a path parameter with broken %-encoding is a 400 JSON', async () => {
    const reply = await call(api.url('/api/sessions/%E0%A4%A'));
    assert.equal(reply.status, 400);
    assert.equal(typeof reply.json.error, 'string');
  });

  it('an invalid session id is a 400 naming id', async () => {
    const reply = await call(api.url(`/api/sessions/${'x'.repeat(129)}`));
    assert.deepEqual([reply.status, reply.json.parameter], [400, 'id']);
    const deleting = await call(api.url('/api/sessions/a%20b'), { method: 'DELETE' });
    assert.deepEqual([deleting.status, deleting.json.parameter], [400, 'id']);
  });

  it('DELETE takes no query parameters', async () => {
    const reply = await call(api.url('/api/users/u1?dry_run=1'), { method: 'DELETE' });
    assert.deepEqual([reply.status, reply.json.parameter], [400, 'dry_run']);
  });

  it('every API answer, errors included, is no-store and nosniff, without x-powered-by or ETag', async () => {
    for (const path of ['/api/kpis', '/api/sessions?limit=x', '/api/nope', '/api/openapi.json']) {
      const reply = await call(api.url(path));
      assert.equal(reply.headers.get('cache-control'), 'no-store', path);
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(reply.headers.get('x-powered-by'), null, path);
      assert.equal(reply.headers.get('etag'), null, path);
    }
  });

  it('GET / is the sessions UI (collector/ui/dist/index.html), revalidated rather than cached', async () => {
    const reply = await call(api.url('/'));
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(reply.headers.get('cache-control'), 'no-cache');
    assert.match(reply.text, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  it('GET /api/openapi.json is the OpenAPI 3.1 document', async () => {
    const reply = await call(api.url('/api/openapi.json'));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.openapi, '3.1.0');
    assert.ok(reply.json.paths['/api/sessions']);
  });

  it('HEAD of a GET endpoint answers without a body', async () => {
    const reply = await call(api.url('/api/kpis'), { method: 'HEAD' });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '');
  });

  it('CORS is off by default: no Access-Control headers, even for a preflight', async () => {
    const reply = await call(api.url('/api/kpis'), { headers: { origin: 'http://localhost:5173' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('access-control-allow-origin'), null);
    const preflight = await call(api.url('/api/kpis'), { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });

  it('logs each request at debug level with route and parameter names, not values', async () => {
    api.logger.lines.length = 0;
    await call(api.url('/api/sessions?email=ana%40example.com&limit=5'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const line = api.logger.lines.find((l) => l.msg === 'sessions API request');
    assert.ok(line);
    assert.equal(line.level, 'debug');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/api/sessions');
    assert.deepEqual(line.parameters, ['email', 'limit']);
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.doesNotMatch(JSON.stringify(api.logger.lines), /ana@example\.com/);
  });
});

describe('sessions_api: CORS with allowed_origins', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    api = await startApi({ cors: { allowed_origins: ['http://localhost:*'] } }, { sessionstore: { sessionStore: reader(async () => EMPTY_KPIS) } });
  });
  after(() => api.extension.shutdown());

  it('echoes an allowed origin on answers and errors', async () => {
    for (const path of ['/api/kpis', '/api/kpis?range=1y']) {
      const reply = await call(api.url(path), { headers: { origin: 'http://localhost:5173' } });
      assert.equal(reply.headers.get('access-control-allow-origin'), 'http://localhost:5173', path);
      assert.match(reply.headers.get('vary') ?? '', /Origin/);
    }
  });
  it('answers an allowed preflight with the methods', async () => {
    const reply = await call(api.url('/api/sessions/s1'), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(reply.status, 204);
    assert.equal(reply.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(reply.headers.get('access-control-allow-methods') ?? '', /DELETE/);
    assert.equal(reply.headers.get('access-control-allow-headers'), 'content-type');
  });
  it('refuses a preflight from another origin with 403 JSON, and sends no CORS header to it', async () => {
    const preflight = await call(api.url('/api/kpis'), { method: 'OPTIONS', headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 403);
    assert.match(preflight.json.error, /extensions\.sessions_api\.cors\.allowed_origins/);
    const simple = await call(api.url('/api/kpis'), { headers: { origin: 'https://evil.test' } });
    assert.equal(simple.headers.get('access-control-allow-origin'), null);
  });
});

describe('sessions_api: lifecycle', () => {
  it('a taken port fails start with an error naming extensions.sessions_api', async () => {
    const first = await startApi({}, {});
    try {
      const endpoint = `127.0.0.1:${first.extension.port}`;
      const second = new SessionsApiExtension(sessionsApiConfigSchema.parse({ endpoint }), capturingLogger());
      await assert.rejects(second.start(hostWith({})), { message: `extensions.sessions_api: cannot listen on ${endpoint}: address already in use` });
    } finally {
      await first.extension.shutdown();
    }
  });
  it('shutdown closes the server, keep-alive connections included', async () => {
    const api = await startApi({}, {});
    await call(api.url('/'));
    await api.extension.shutdown();
    assert.equal(api.extension.port, undefined);
    await assert.rejects(fetch(api.url('/')));
  });
});
