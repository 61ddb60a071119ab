// The frontend server with a real esbuild bundle; no browser (the Chromium end-to-end test drives the pages).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildWebBundle, type Bundle } from './build.js';
import { startFrontend, type RunningFrontend } from './server.js';
import type { DemoConfig } from './src/config.js';

const CONFIG: DemoConfig = {
  collectorUrl: 'http://127.0.0.1:14318',
  apiUrl: 'http://127.0.0.1:13001',
  serviceName: 'demo-shop-web',
  environment: 'test',
  version: '9.9.9',
};

let bundle: Bundle;
let frontend: RunningFrontend;

before(async () => {
  bundle = await buildWebBundle();
  frontend = await startFrontend({ port: 0, config: CONFIG, bundle });
});
after(() => frontend.close());

test('the bundle is one ES module entry plus lazily loaded chunks, with the SDK inside', () => {
  const app = bundle.get('/assets/app.js')!;
  assert.ok(app.length > 10_000, `app.js is ${app.length} bytes`);
  assert.match(app, /__DEMO_CONFIG__/);
  assert.match(app, /demo-shop\.cart-id/);
  assert.doesNotMatch(app, /from\s*["']@stitch\/web["']/, 'the SDK is bundled, not left as a bare import');
  for (const path of bundle.keys()) assert.match(path, /^\/assets\/(app\.js|chunks\/.+\.js)$/);
});

test('every page is served with its data-page, the shared CSS, config.js and the bundle, under a strict CSP', async () => {
  const pages = { '/': 'list', '/index.html': 'list', '/product.html?id=3': 'product', '/cart.html': 'cart', '/checkout.html': 'checkout', '/login.html': 'login' };
  for (const [path, page] of Object.entries(pages)) {
    const response = await fetch(`${frontend.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    const html = await response.text();
    assert.match(html, new RegExp(`<body data-page="${page}">`), path);
    for (const needed of ['/style.css', '/config.js', '/assets/app.js', 'data-testid="error-banner"', 'data-testid="cart-link"']) assert.ok(html.includes(needed), `${path} has ${needed}`);
    const csp = response.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts');
    assert.ok(csp.includes(`connect-src 'self' ${CONFIG.apiUrl} ${CONFIG.collectorUrl}`), csp);
  }
  const css = await fetch(`${frontend.url}/style.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type')!, /^text\/css/);
});

test('/config.js hands the pages the collector, the API and the service identity', async () => {
  const response = await fetch(`${frontend.url}/config.js`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^text\/javascript/);
  const text = await response.text();
  const match = /^window\.__DEMO_CONFIG__ = (.*);\n$/.exec(text);
  assert.ok(match, text);
  assert.deepEqual(JSON.parse(match[1]!), CONFIG);
});

test('the bundle and its chunks are served as JavaScript; unknown paths are 404', async () => {
  for (const [path, text] of bundle) {
    const response = await fetch(`${frontend.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(await response.text(), text);
  }
  assert.equal((await fetch(`${frontend.url}/secret.txt`)).status, 404);
  assert.equal((await fetch(`${frontend.url}/../package.json`)).status, 404);
  assert.equal((await fetch(`${frontend.url}/`, { method: 'POST' })).status, 405);
});
