// The API against a real server on a free port, with a fresh in-memory store per server.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { DECLINED_CARD, GOOD_CARD } from './payment.js';
import { startApi, type RunningApi } from './server.js';

const FRONTEND = 'http://127.0.0.1:3999';

interface Captured {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** A silent-to-stdout pino logger whose lines the tests can read. */
function capturingLogger(into: Captured[]) {
  return pino({ level: 'info' }, { write: (line: string) => void into.push(JSON.parse(line) as Captured) });
}

async function startTestApi(options: { failureRate?: number; slowRate?: number; slowMs?: number; logs?: Captured[] } = {}): Promise<RunningApi> {
  return startApi({
    port: 0,
    dbFile: ':memory:',
    frontendOrigin: FRONTEND,
    checkoutFailureRate: options.failureRate ?? 0,
    checkoutSlowRate: options.slowRate ?? 0,
    slowMs: options.slowMs ?? 1500,
    logger: capturingLogger(options.logs ?? []),
  });
}

function client(api: RunningApi, cartId = `test-${randomUUID()}`) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'x-cart-id': cartId, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }
  return {
    cartId,
    call,
    stockOf: async (id: number) => (await call('GET', `/api/products/${id}`)).body!.product.stock as number,
    add: (productId: number, quantity = 1) => call('POST', '/api/cart/items', { productId, quantity }),
    checkout: (cardNumber: string) => call('POST', '/api/checkout', { cardNumber, email: 'buyer@example.com' }),
  };
}

describe('demo shop API', () => {
  let api: RunningApi;
  const logs: Captured[] = [];
  before(async () => {
    api = await startTestApi({ logs });
  });
  after(() => api.close());

  test('health answers without a cart id', async () => {
    const response = await fetch(`${api.url}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('lists the seeded products, and one product by id', async () => {
    const shop = client(api);
    const list = await shop.call('GET', '/api/products');
    assert.equal(list.status, 200);
    assert.equal(list.body!.products.length, 12);
    const first = list.body!.products[0];
    assert.deepEqual(Object.keys(first).sort(), ['description', 'id', 'image', 'name', 'priceCents', 'stock']);
    const one = await shop.call('GET', `/api/products/${first.id}`);
    assert.deepEqual(one.body!.product, first);
  });

  test('an unknown product is a JSON 404, a malformed id a 400', async () => {
    const shop = client(api);
    const missing = await shop.call('GET', '/api/products/9999');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'product 9999 not found' });
    assert.equal((await shop.call('GET', '/api/products/abc')).status, 400);
    const noRoute = await shop.call('GET', '/api/nope');
    assert.equal(noRoute.status, 404);
    assert.match(noRoute.body!.error, /no route/);
  });

  test('a cart is created on first use, and items are added, summed and removed', async () => {
    const shop = client(api);
    const empty = await shop.call('GET', '/api/cart');
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body!.cart, { id: shop.cartId, items: [], count: 0, totalCents: 0 });

    await shop.add(1, 2);
    const added = await shop.add(2, 1);
    assert.equal(added.status, 200);
    assert.equal(added.body!.cart.count, 3);
    assert.equal(added.body!.cart.totalCents, 2 * 1200 + 900);
    assert.equal((await shop.add(1, 1)).body!.cart.items[0].quantity, 3, 'adding again adds to the line');

    const removed = await shop.call('DELETE', '/api/cart/items/1');
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body!.cart.items.map((item: { productId: number }) => item.productId), [2]);
    assert.equal((await shop.call('DELETE', '/api/cart/items/1')).status, 200, 'removing twice is fine');
  });

  test('bad bodies and a missing cart id are 400s with a message, never a stack trace', async () => {
    const shop = client(api);
    for (const body of [{}, { productId: 'one' }, { productId: 1, quantity: 0 }, { productId: 1, quantity: 1.5 }, [1], '{"productId":']) {
      const answer = await shop.call('POST', '/api/cart/items', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(typeof answer.body!.error, 'string');
      assert.doesNotMatch(JSON.stringify(answer.body), /at .*\.(ts|js):\d+/);
    }
    assert.equal((await shop.call('POST', '/api/cart/items', '{"productId":')).body!.error, 'request body is not valid JSON');
    const noCart = await fetch(`${api.url}/api/cart`);
    assert.equal(noCart.status, 400);
    assert.match(((await noCart.json()) as { error: string }).error, /x-cart-id/);
    assert.equal((await shop.add(9999)).status, 404);
    assert.equal((await shop.checkout('not a card')).status, 400);
  });

  test('adding more than the stock is a 409', async () => {
    const shop = client(api);
    const answer = await shop.add(5, 99); // headphones: 12 in stock
    assert.equal(answer.status, 409);
    assert.match(answer.body!.error, /only 12 Headphones left/);
  });

  test('checkout with the good test card: order created, stock decremented, cart cleared', async () => {
    const shop = client(api);
    const stockBefore = await shop.stockOf(3);
    await shop.add(3, 2);
    const answer = await shop.checkout('4242 4242 4242 4242');
    assert.equal(answer.status, 201);
    assert.equal(answer.body!.order.totalCents, 2 * 750);
    assert.equal(answer.body!.order.itemCount, 2);
    assert.equal(typeof answer.body!.order.id, 'number');
    assert.equal(await shop.stockOf(3), stockBefore - 2);
    assert.equal((await shop.call('GET', '/api/cart')).body!.cart.count, 0);
    assert.ok(logs.some((line) => line.msg === 'checkout completed' && line.orderId === answer.body!.order.id));
  });

  test('the declining test card: 502, and the transaction is rolled back (stock and cart unchanged)', async () => {
    const shop = client(api);
    const stockBefore = await shop.stockOf(4);
    await shop.add(4, 1);
    const answer = await shop.checkout(DECLINED_CARD);
    assert.equal(answer.status, 502);
    assert.deepEqual(answer.body, { error: 'payment declined' });
    assert.equal(await shop.stockOf(4), stockBefore);
    const cart = (await shop.call('GET', '/api/cart')).body!.cart;
    assert.deepEqual(cart.items.map((item: { productId: number; quantity: number }) => [item.productId, item.quantity]), [[4, 1]]);
    const declined = logs.find((line) => line.msg === 'payment declined');
    assert.ok(declined, 'a payment declined warning is logged');
    assert.equal(declined.level, 40);
    assert.equal(declined.reason, 'test_card');
    assert.doesNotMatch(JSON.stringify(declined), new RegExp(DECLINED_CARD), 'the full card number is not logged');
    // The cart survived, so paying again with a good card works.
    assert.equal((await shop.checkout(GOOD_CARD)).status, 201);
  });

  test('checkout of an empty cart is a 400', async () => {
    const answer = await client(api).checkout(GOOD_CARD);
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, { error: 'cart is empty' });
  });

  test('login: the demo user gets in; a wrong password or unknown e-mail gets the same 401', async () => {
    const shop = client(api);
    const ok = await shop.call('POST', '/api/login', { email: 'demo@shop.example', password: 'demo' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body!.user, { id: 1, email: 'demo@shop.example', name: 'Demo Shopper' });
    for (const credentials of [
      { email: 'demo@shop.example', password: 'wrong' },
      { email: 'nobody@shop.example', password: 'demo' },
    ]) {
      const refused = await shop.call('POST', '/api/login', credentials);
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { error: 'invalid email or password' });
    }
    assert.equal(logs.filter((line) => line.msg === 'login failed').length, 2);
    assert.equal((await shop.call('POST', '/api/login', { email: 'demo@shop.example' })).status, 400);
  });

  test('CORS: the preflight from the frontend allows traceparent and baggage; other origins are refused', async () => {
    const preflight = await fetch(`${api.url}/api/checkout`, {
      method: 'OPTIONS',
      headers: { origin: FRONTEND, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,traceparent,baggage,x-cart-id' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), FRONTEND);
    const allowedHeaders = preflight.headers.get('access-control-allow-headers')!.split(',').map((h) => h.trim());
    for (const header of ['traceparent', 'tracestate', 'baggage', 'content-type', 'x-cart-id']) assert.ok(allowedHeaders.includes(header), header);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /DELETE/);

    const simple = await fetch(`${api.url}/api/products`, { headers: { origin: FRONTEND } });
    assert.equal(simple.headers.get('access-control-allow-origin'), FRONTEND);

    const stranger = await fetch(`${api.url}/api/checkout`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  });
});

describe('demo shop API failure knobs', () => {
  test('failure rate 1 declines ordinary cards but never the good test card; slow rate 1 adds slowMs', async () => {
    const api = await startTestApi({ failureRate: 1, slowRate: 1, slowMs: 150 });
    try {
      const shop = client(api);
      await shop.add(2, 1);
      const declined = await shop.checkout('5555555555554444');
      assert.equal(declined.status, 502);
      const started = Date.now();
      const paid = await shop.checkout(GOOD_CARD);
      assert.equal(paid.status, 201);
      assert.ok(Date.now() - started >= 140, `slow checkout took ${Date.now() - started} ms`);
    } finally {
      await api.close();
    }
  });

  test("frontendOrigin '*' allows any local origin", async () => {
    const api = await startApi({ port: 0, dbFile: ':memory:', frontendOrigin: '*', logger: pino({ level: 'silent' }) });
    try {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080']) {
        const preflight = await fetch(`${api.url}/api/cart`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
      }
      const remote = await fetch(`${api.url}/api/cart`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } });
      assert.equal(remote.status, 403);
    } finally {
      await api.close();
    }
  });
});

describe('demo shop store file', () => {
  test('a store file kept between runs keeps its orders and is restocked at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-shop-db-'));
    const dbFile = join(dir, 'shop.sqlite');
    try {
      let api = await startApi({ port: 0, dbFile, frontendOrigin: FRONTEND, checkoutFailureRate: 0, checkoutSlowRate: 0, logger: pino({ level: 'silent' }) });
      const shop = client(api);
      await shop.add(7, 10); // all 10 running shoes
      assert.equal((await shop.checkout(GOOD_CARD)).status, 201);
      assert.equal(await shop.stockOf(7), 0);
      await api.close();

      api = await startApi({ port: 0, dbFile, frontendOrigin: FRONTEND, checkoutFailureRate: 0, checkoutSlowRate: 0, logger: pino({ level: 'silent' }) });
      try {
        assert.equal(await client(api).stockOf(7), 10);
        assert.equal((await client(api).call('GET', '/api/products')).body!.products.length, 12, 'not seeded twice');
      } finally {
        await api.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
