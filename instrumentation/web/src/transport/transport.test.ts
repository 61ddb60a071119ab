import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, isRetryable, parseRetryAfter } from './backoff.js';
import { Batcher, type Gate } from './batcher.js';
import { DROPPED_KEY, OfflineStore, OUTBOX_KEY } from './offline.js';
import { Sender, type SenderOptions } from './sender.js';
import { memoryStore } from '../session/storage.js';

test('retryable statuses are exactly 429, 502, 503, 504', () => {
  assert.deepEqual([400, 401, 413, 429, 500, 502, 503, 504].filter(isRetryable), [429, 502, 503, 504]);
});

test('backoff grows exponentially with jitter and a cap', () => {
  assert.equal(backoffDelay(0, 1000, 30000, () => 0), 500);
  assert.equal(backoffDelay(0, 1000, 30000, () => 1), 1000);
  assert.equal(backoffDelay(3, 1000, 30000, () => 1), 8000);
  assert.equal(backoffDelay(10, 1000, 30000, () => 1), 30000);
  const d = backoffDelay(2, 1000, 30000);
  assert.ok(d >= 2000 && d <= 4000);
});

test('Retry-After as seconds or HTTP date', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test('offline store is bounded: oldest dropped first and counted', () => {
  const kv = memoryStore();
  const store = new OfflineStore(kv, 100);
  store.add([{ s: 'traces', b: 'a'.repeat(40) }, { s: 'logs', b: 'b'.repeat(40) }]);
  store.add([{ s: 'traces', b: 'c'.repeat(40) }]);
  assert.equal(store.dropped(), 1);
  const all = store.take();
  assert.deepEqual(all.map((x) => x.b[0]), ['b', 'c']);
  assert.equal(kv.get(OUTBOX_KEY), null);
  store.add([{ s: 'traces', b: 'x'.repeat(500) }]); // larger than the bound: dropped too
  assert.equal(store.takeDropped(), 2);
  assert.equal(kv.get(DROPPED_KEY), null);
  store.add([{ s: 'logs', b: 'y' }]);
  store.clear();
  assert.deepEqual(store.take(), []);
});

function fakeEnv() {
  const clock = { t: 1_000_000 };
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const calls: { url: string; init: RequestInit }[] = [];
  const responses: (number | { status: number; retryAfter?: string } | 'network')[] = [];
  const kv = memoryStore();
  const offline = new OfflineStore(kv, 10_000);
  const opts: SenderOptions = {
    endpoint: 'https://c.example/', headers: { 'x-stitch-key': 'k' }, compression: false, maxAttempts: 3,
    offline: () => offline,
    now: () => clock.t,
    random: () => 1,
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const r = responses.shift() ?? 200;
      if (r === 'network') throw new TypeError('Failed to fetch');
      const status = typeof r === 'number' ? r : r.status;
      const retryAfter = typeof r === 'object' ? r.retryAfter : undefined;
      return { ok: status < 300, status, headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) } as Response;
    }) as typeof fetch,
    setTimer: (fn, ms) => { timers.push({ at: clock.t + ms, fn, id: ++nextId }); return nextId; },
    clearTimer: (id) => { const i = timers.findIndex((t) => t.id === id); if (i >= 0) timers.splice(i, 1); },
  };
  const advance = async (ms: number) => {
    clock.t += ms;
    for (const t of timers.filter((x) => x.at <= clock.t)) { timers.splice(timers.indexOf(t), 1); t.fn(); }
    await new Promise((r) => setImmediate(r));
  };
  return { clock, calls, responses, offline, opts, advance, settle: () => new Promise((r) => setImmediate(r)) };
}

test('sends OTLP/JSON to /v1/<signal> with the configured headers', async () => {
  const env = fakeEnv();
  const sender = new Sender(env.opts);
  sender.send('traces', '{"resourceSpans":[]}');
  sender.send('logs', '{"resourceLogs":[]}');
  await env.settle();
  assert.deepEqual(env.calls.map((c) => c.url), ['https://c.example/v1/traces', 'https://c.example/v1/logs']);
  const headers = env.calls[0]!.init.headers as Record<string, string>;
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers['x-stitch-key'], 'k');
});

test('retries 503 with backoff, drops 400, persists after the last attempt', async () => {
  const env = fakeEnv();
  const dropped: number[] = [];
  const sender = new Sender({ ...env.opts, onDrop: (_s, status) => dropped.push(status) });
  env.responses.push(400);
  sender.send('traces', 'bad');
  await env.settle();
  assert.deepEqual(dropped, [400]);
  assert.equal(sender.waiting, 0);

  env.responses.push(503, 'network', 502);
  sender.send('traces', 'b1');
  await env.settle();
  assert.equal(env.calls.length, 2);
  await env.advance(999);
  assert.equal(env.calls.length, 2); // first retry after 1 s (random = 1)
  await env.advance(1);
  assert.equal(env.calls.length, 3);
  await env.advance(2000);
  assert.equal(env.calls.length, 4);
  assert.deepEqual(env.offline.take(), [{ s: 'traces', b: 'b1' }]); // 3 attempts used: kept for later
});

test('Retry-After pauses every send until it passes', async () => {
  const env = fakeEnv();
  const sender = new Sender(env.opts);
  env.responses.push({ status: 429, retryAfter: '10' });
  sender.send('traces', 'a');
  await env.settle();
  assert.equal(sender.pausedUntil, env.clock.t + 10_000);
  sender.send('logs', 'b'); // paused: waits
  await env.settle();
  assert.equal(env.calls.length, 1);
  await env.advance(5000);
  assert.equal(env.calls.length, 1);
  await env.advance(5000);
  assert.equal(env.calls.length, 3);
  assert.equal(sender.waiting, 0);
});

test('page hide: keepalive sends within budget, the rest and pending retries go offline', async () => {
  const env = fakeEnv();
  const sender = new Sender({ ...env.opts, keepaliveBytes: 100 });
  env.responses.push(503);
  sender.send('traces', 'retry-me');
  await env.settle();
  sender.unload([{ s: 'logs', b: 'x'.repeat(60) }, { s: 'traces', b: 'y'.repeat(60) }]);
  await env.settle();
  const keepalive = env.calls.filter((c) => c.init.keepalive);
  assert.equal(keepalive.length, 1);
  assert.equal(keepalive[0]!.url, 'https://c.example/v1/logs');
  assert.deepEqual(env.offline.take().map((x) => x.b), ['retry-me', 'y'.repeat(60)]);
  assert.equal(sender.waiting, 0);
});

test('drain resends what the offline store holds', async () => {
  const env = fakeEnv();
  env.offline.add([{ s: 'logs', b: 'old1' }, { s: 'traces', b: 'old2' }]);
  const sender = new Sender(env.opts);
  sender.drain();
  await env.settle();
  assert.deepEqual(env.calls.map((c) => c.init.body), ['old1', 'old2']);
  assert.deepEqual(env.offline.take(), []);
});

test('gzip with CompressionStream when enabled', async () => {
  const env = fakeEnv();
  const sender = new Sender({ ...env.opts, compression: true });
  const body = JSON.stringify({ resourceSpans: Array.from({ length: 200 }, () => ({ a: 'same text' })) });
  sender.send('traces', body);
  await new Promise((r) => setTimeout(r, 50));
  const init = env.calls[0]!.init;
  assert.equal((init.headers as Record<string, string>)['content-encoding'], 'gzip');
  const { gunzipSync } = await import('node:zlib');
  assert.equal(gunzipSync(init.body as Uint8Array).toString(), body);
});

test('consent pending holds (bounded), granted flushes, denied drops', () => {
  let gate: Gate = 'hold';
  const exported: number[][] = [];
  const timers: (() => void)[] = [];
  const b = new Batcher<number>({
    maxItems: 3, delayMs: 1000, maxQueue: 5, gate: () => gate,
    export: (items) => exported.push(items), setTimer: (fn) => timers.push(fn), clearTimer: () => undefined,
  });
  for (let i = 1; i <= 7; i++) b.add(i);
  assert.deepEqual(exported, []);
  assert.equal(b.size, 5);
  assert.equal(b.dropped, 2);
  b.flush();
  assert.deepEqual(exported, []); // still pending: nothing leaves
  gate = 'send';
  b.flush();
  assert.deepEqual(exported, [[3, 4, 5], [6, 7]]);
  b.add(8);
  assert.equal(timers.length, 1); // time limit armed
  b.add(9);
  b.add(10); // count limit reached
  assert.deepEqual(exported.at(-1), [8, 9, 10]);
  gate = 'drop';
  b.add(11);
  assert.equal(b.size, 0);
});

test('page hide while offline keeps everything in the outbox (no doomed keepalive)', async () => {
  const env = fakeEnv();
  const sender = new Sender(env.opts);
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true });
  try {
    sender.unload([{ s: 'logs', b: 'offline-batch' }]);
    await env.settle();
    assert.equal(env.calls.length, 0);
    assert.deepEqual(env.offline.take(), [{ s: 'logs', b: 'offline-batch' }]);
  } finally {
    if (had) Object.defineProperty(globalThis, 'navigator', had);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
});

test('a request in flight when the page hides offline is kept once', async () => {
  const env = fakeEnv();
  let reject: (e: Error) => void = () => undefined;
  const sender = new Sender({ ...env.opts, fetch: (() => new Promise((_, r) => (reject = r))) as typeof fetch });
  sender.send('traces', 'in-flight');
  await env.settle();
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true });
  try {
    sender.unload([]);
    reject(new TypeError('Failed to fetch'));
    await env.settle();
    assert.deepEqual(env.offline.take(), [{ s: 'traces', b: 'in-flight' }]);
  } finally {
    if (had) Object.defineProperty(globalThis, 'navigator', had);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
});

test('a send that succeeds resends what retries gave up on (no wait for the next page load)', async () => {
  const env = fakeEnv();
  const sender = new Sender(env.opts);
  env.responses.push(503, 503, 503); // maxAttempts 3: the batch ends in the outbox
  sender.send('traces', 'refused-during-burst');
  await env.settle();
  await env.advance(1000);
  await env.advance(2000);
  assert.deepEqual(env.offline.size(), 1, 'kept in the outbox, not dropped');
  sender.send('logs', 'after-the-burst'); // answered 200
  await env.settle();
  await env.settle();
  assert.deepEqual(env.calls.map((c) => c.init.body), ['refused-during-burst', 'refused-during-burst', 'refused-during-burst', 'after-the-burst', 'refused-during-burst']);
  assert.equal(env.offline.size(), 0);
});

test('a long Retry-After keeps at most maxWaiting batches in memory; the oldest go to the outbox', async () => {
  const env = fakeEnv();
  const sender = new Sender({ ...env.opts, maxWaiting: 3 });
  env.responses.push({ status: 503, retryAfter: '3600' });
  sender.send('traces', 'b0');
  await env.settle();
  for (let i = 1; i <= 4; i++) sender.send('traces', `b${i}`);
  await env.settle();
  assert.equal(env.calls.length, 1, 'paused: nothing sent during the Retry-After');
  assert.equal(sender.waiting, 3);
  assert.deepEqual(env.offline.take().map((b) => b.b), ['b0', 'b1'], 'the oldest kept in the bounded outbox');
  await env.advance(3_600_000);
  assert.deepEqual(env.calls.slice(1).map((c) => c.init.body), ['b2', 'b3', 'b4'], 'sent when the pause ends');
});

test('ingestKey: x-stitch-key on every fetch; on the sendBeacon fallback, the stitch_key query parameter', async () => {
  const env = fakeEnv();
  const beacons: string[] = [];
  const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { onLine: true, sendBeacon: (url: string) => (beacons.push(url), true) } });
  try {
    // keepalive fetch refused (as browsers do past their budget): the beacon takes over.
    const refusingKeepalive = (async (url: string, init: RequestInit) => {
      if (init.keepalive) throw new TypeError('keepalive refused');
      return env.opts.fetch!(url, init);
    }) as typeof fetch;
    const sender = new Sender({ ...env.opts, headers: {}, ingestKey: 'pk_browser 1/2', fetch: refusingKeepalive });
    sender.send('traces', '{"resourceSpans":[]}');
    await env.settle();
    assert.equal((env.calls[0]!.init.headers as Record<string, string>)['x-stitch-key'], 'pk_browser 1/2');
    sender.unload([{ s: 'logs', b: '{"resourceLogs":[]}' }]);
    await env.settle();
    assert.deepEqual(beacons, ['https://c.example/v1/logs?stitch_key=pk_browser%201%2F2']);
  } finally {
    if (navigatorBefore) Object.defineProperty(globalThis, 'navigator', navigatorBefore);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
});
