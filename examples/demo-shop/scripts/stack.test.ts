// The demo stack as `npm run demo` starts it (real child processes), on free ports, with the API
// uninstrumented so the test does not depend on the Node SDK: wiring, CORS on both sides, stop.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoStack, type DemoStack } from './stack.js';

let stack: DemoStack;
let dataDir: string;
const output: string[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'demo-stack-test-'));
  stack = await startDemoStack({ ports: 'free', dataDir, dbFile: ':memory:', instrumentApi: false, log: (line) => output.push(line) });
});

after(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('the frontend tells the pages where the API and the collector are', async () => {
  const text = await (await fetch(`${stack.frontendUrl}/config.js`)).text();
  const config = JSON.parse(/^window\.__DEMO_CONFIG__ = (.*);\n$/.exec(text)![1]!) as Record<string, string>;
  assert.equal(config.apiUrl, stack.apiUrl);
  assert.equal(config.collectorUrl, stack.collectorUrl);
  assert.equal(config.serviceName, 'demo-shop-web');
});

test('the API and the collector both accept cross-origin calls from the shop, under both of its names', async () => {
  for (const origin of [stack.frontendUrl, `http://localhost:${stack.ports.frontend}`]) {
    const api = await fetch(`${stack.apiUrl}/api/cart`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-cart-id,traceparent,baggage' },
    });
    assert.equal(api.status, 204, `API preflight from ${origin}`);
    const collector = await fetch(`${stack.collectorUrl}/v1/traces`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.equal(collector.status, 204, `collector preflight from ${origin}`);
  }
  const stranger = await fetch(`${stack.collectorUrl}/v1/traces`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' } });
  assert.equal(stranger.status, 403);
});

test('health, self-metrics and the shop answer; the output is prefixed per process', async () => {
  assert.equal((await fetch(stack.healthUrl)).status, 200);
  assert.match(await (await fetch(stack.metricsUrl)).text(), /stitch_/);
  assert.equal(((await (await fetch(`${stack.apiUrl}/api/products`)).json()) as { products: unknown[] }).products.length, 12);
  for (const name of ['collector', 'api', 'frontend']) assert.ok(output.some((line) => line.startsWith(`[${name}]`)), name);
});

test('stop() ends every process', async () => {
  const processes = [stack.collectorUrl, stack.apiUrl, stack.frontendUrl];
  await stack.stop();
  for (const url of processes) await assert.rejects(fetch(url), `${url} still answers`);
});
