// Serving the sessions UI: static files with the right types and caching, index.html for client
// routes, JSON 404s under /api, a clear answer when the UI is not built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import { createSessionsApiApp } from './app.js';
import { call } from './test-support.js';
import { DEFAULT_UI_DIR } from './ui-static.js';

const INDEX = '<!doctype html><title>ui</title><script type="module" src="/assets/index-abc123.js"></script>';

async function serve(uiDir: string): Promise<{ server: Server; url: (path: string) => string }> {
  const app = createSessionsApiApp({
    store: () => {
      throw new Error('no store in these tests');
    },
    jaegerUiUrl: undefined,
    corsAllowedOrigins: undefined,
    logger: capturingLogger(),
    uiDir,
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: (path) => `http://127.0.0.1:${port}${path}` };
}

describe('sessions UI serving', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-ui-dist-'));
  let ui: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(join(dir, 'assets', 'style-abc123.css'), 'body{}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    ui = await serve(dir);
  });
  after(() => {
    ui.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET / is index.html: HTML, revalidated (no-cache), with a CSP allowing only its own origin', async () => {
    const reply = await call(ui.url('/'));
    assert.equal(reply.status, 200);
    assert.equal(reply.text, INDEX);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/html; charset=utf-8$/i);
    assert.equal(reply.headers.get('cache-control'), 'no-cache');
    assert.match(reply.headers.get('content-security-policy') ?? '', /default-src 'self'.*script-src 'self'/);
    assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
  });

  it('client-side routes (/sessions/<id>, /?filters) get index.html too, HEAD included', async () => {
    for (const path of ['/sessions/s-1', '/sessions/s-1/', '/?range=1h&errors=any', '/sessions']) {
      const reply = await call(ui.url(path));
      assert.deepEqual([reply.status, reply.text], [200, INDEX], path);
    }
    const head = await call(ui.url('/sessions/s-1'), { method: 'HEAD' });
    assert.deepEqual([head.status, head.text], [200, '']);
  });

  it('hashed assets are served with their type and cached for a year; other files revalidate', async () => {
    const js = await call(ui.url('/assets/index-abc123.js'));
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const css = await call(ui.url('/assets/style-abc123.css'));
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    const icon = await call(ui.url('/favicon.svg'));
    assert.match(icon.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.equal(icon.headers.get('cache-control'), 'no-cache');
  });

  it('a missing file is a JSON 404, not index.html (a <script> would choke on HTML)', async () => {
    for (const path of ['/assets/index-old.js', '/assets/x', '/favicon.ico', '/api/nope', '/api']) {
      const reply = await call(ui.url(path));
      assert.equal(reply.status, 404, path);
      assert.match(reply.json.error, /no such endpoint/, path);
      assert.equal(reply.headers.get('cache-control'), 'no-store', path);
    }
  });

  it('the UI answers GET and HEAD only; paths outside it are not served', async () => {
    const post = await call(ui.url('/sessions/s-1'), { method: 'POST' });
    assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET, HEAD']);
    const options = await call(ui.url('/sessions/s-1'), { method: 'OPTIONS' });
    assert.deepEqual([options.status, options.headers.get('allow')], [204, 'GET, HEAD']);
    const traversal = await call(ui.url('/..%2f..%2fpackage.json'));
    assert.notEqual(traversal.status, 200);
  });

  it('without a built UI, pages answer 503 saying how to build it; the API still answers', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'stitch-ui-none-'));
    const bare = await serve(empty);
    try {
      for (const path of ['/', '/sessions/s-1']) {
        const reply = await call(bare.url(path));
        assert.equal(reply.status, 503, path);
        assert.match(reply.text, /npm run build:ui/);
      }
      assert.equal((await call(bare.url('/api/openapi.json'))).status, 200);
    } finally {
      bare.server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the committed UI build', () => {
  it('collector/ui/dist holds index.html and the assets it names', async () => {
    const index = readFileSync(join(DEFAULT_UI_DIR, 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `index.html names a script and a stylesheet: ${assets}`);
    const ui = await serve(DEFAULT_UI_DIR);
    try {
      for (const asset of assets) assert.equal((await call(ui.url(`/${asset}`))).status, 200, asset);
    } finally {
      ui.server.close();
    }
  });
});
