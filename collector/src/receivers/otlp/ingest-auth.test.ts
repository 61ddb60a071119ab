import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '@stitch/collector-api';
import { post, postJson, postProtobuf, startReceiver, type Harness } from './test-harness.js';

const SERVER = 'srv-0f1e2d3c4b5a6978';
const BROWSER = 'web-8796a5b4c3d2e1f0';
const SHOP = 'https://shop.example.com';
const SPANS = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 's' }] }] }] };
const AUTH = {
  keys: [
    { key: SERVER, kind: 'server' },
    { key: BROWSER, kind: 'browser', origins: [SHOP] },
  ],
};
const refused = (harness: Harness, reason: string) =>
  harness.settings.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason });

describe('otlp receiver: ingest keys over real HTTP', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({ cors: { allowed_origins: [SHOP] } }, { access: { auth: AUTH } });
  });
  after(() => harness.stop());

  it('answers 401 without a key, in the request encoding, with a challenge; nothing reaches the pipeline', async () => {
    const json = await postJson(harness.url('/v1/traces'), SPANS);
    assert.equal(json.status, 401);
    assert.equal(json.headers.get('www-authenticate'), 'Bearer realm="stitch"');
    assert.match(json.message, /^missing ingest key: send it as "Authorization: Bearer <key>" or "x-stitch-key: <key>"/);
    assert.equal(JSON.parse(json.body.toString()).code, 16, 'google.rpc.Code UNAUTHENTICATED');
    const protobuf = await postProtobuf(harness.url('/v1/logs'), new Uint8Array());
    assert.equal(protobuf.status, 401);
    assert.equal(protobuf.encoding, 'protobuf');
    assert.equal(harness.captured.traces.length + harness.captured.logs.length, 0);
    assert.equal(await refused(harness, 'missing_key'), 2);
  });

  it('answers 401 for a wrong key without echoing it', async () => {
    const reply = await postJson(harness.url('/v1/traces'), SPANS, { authorization: 'Bearer not-a-configured-key' });
    assert.equal(reply.status, 401);
    assert.match(reply.message, /^ingest key not recognized \(sha256 [0-9a-f]{6}…\)/);
    assert.ok(!reply.body.toString().includes('not-a-configured-key'));
    assert.equal(harness.captured.traces.length, 0);
    assert.equal(await refused(harness, 'invalid_key'), 1);
  });

  it('accepts the server key as Authorization: Bearer and as x-stitch-key, with no Origin', async () => {
    const bearer = await postJson(harness.url('/v1/traces'), SPANS, { authorization: `Bearer ${SERVER}` });
    assert.equal(bearer.status, 200);
    const header = await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': SERVER });
    assert.equal(header.status, 200);
    assert.equal(harness.captured.traces.length, 2);
  });

  it('refuses the browser key from another Origin (403) and accepts it from its own', async () => {
    const before = harness.captured.traces.length;
    const evil = await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': BROWSER, origin: 'https://evil.test' });
    assert.equal(evil.status, 403);
    assert.match(evil.message, /origin "https:\/\/evil.test" is not one of this browser key's origins/);
    const none = await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': BROWSER });
    assert.equal(none.status, 403);
    assert.equal(harness.captured.traces.length, before);
    const shop = await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': BROWSER, origin: SHOP });
    assert.equal(shop.status, 200);
    assert.equal(shop.headers.get('access-control-allow-origin'), SHOP);
    assert.equal(harness.captured.traces.length, before + 1);
    assert.equal(await refused(harness, 'origin_not_allowed'), 2);
  });

  it('takes a browser key from the stitch_key query parameter (sendBeacon), never a server key', async () => {
    const beacon = await post(harness.url(`/v1/logs?stitch_key=${BROWSER}`), JSON.stringify({ resourceLogs: [] }), { 'content-type': 'application/json', origin: SHOP });
    assert.equal(beacon.status, 200);
    const server = await postJson(harness.url(`/v1/traces?stitch_key=${SERVER}`), SPANS);
    assert.equal(server.status, 401);
  });

  it('passes a CORS preflight without a key and allows the key headers', async () => {
    const reply = await post(harness.url('/v1/traces'), '', {
      origin: SHOP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization, x-stitch-key',
    }, 'OPTIONS');
    assert.equal(reply.status, 204);
    assert.equal(reply.headers.get('access-control-allow-headers'), 'content-type, authorization, x-stitch-key');
  });
});

describe('otlp receiver: rate limits over real HTTP (injected clock)', () => {
  it('answers 429 with Retry-After past the per-key limit; the data never reaches the pipeline', async () => {
    let now = 0;
    const harness = await startReceiver({}, { access: { auth: AUTH, rate_limit: { per_key: '3/s', per_ip: '100/s' } }, clock: () => now });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': SERVER })).status, 200);
      const limited = await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': SERVER });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.match(limited.message, /too many requests with this ingest key \(rate_limit.per_key 3\/s\)/);
      assert.equal(JSON.parse(limited.body.toString()).code, 8, 'RESOURCE_EXHAUSTED');
      assert.equal(harness.captured.traces.length, 3);
      // The other key has its own bucket.
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': BROWSER, origin: SHOP })).status, 200);
      now += 1000;
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': SERVER })).status, 200);
      assert.equal(await refused(harness, 'rate_limited_key'), 1);
    } finally {
      await harness.stop();
    }
  });

  it('limits per client IP even with ingest open, before any key is checked', async () => {
    let now = 0;
    const harness = await startReceiver({}, { access: { rate_limit: { per_ip: '2/m' } }, clock: () => now });
    try {
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS)).status, 200);
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS)).status, 200);
      const limited = await postJson(harness.url('/v1/traces'), SPANS);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '30');
      assert.match(limited.message, /client address \(rate_limit.per_ip 2\/m\)/);
      assert.equal(harness.captured.traces.length, 2);
      assert.equal(await refused(harness, 'rate_limited_ip'), 1);
    } finally {
      await harness.stop();
    }
  });
});

describe('otlp receiver: per-IP limits behind a reverse proxy', () => {
  it('counts each forwarded client apart when the peer is a trusted proxy, and ignores X-Forwarded-For from anyone else', async () => {
    let now = 0;
    const behindProxy = await startReceiver({}, { access: { rate_limit: { per_ip: '1/m', trusted_proxies: ['127.0.0.1'] } }, clock: () => now });
    try {
      const from = (client: string) => postJson(behindProxy.url('/v1/traces'), SPANS, { 'x-forwarded-for': client });
      assert.equal((await from('203.0.113.7')).status, 200);
      assert.equal((await from('198.51.100.9')).status, 200, 'another client behind the same proxy has its own bucket');
      assert.equal((await from('203.0.113.7')).status, 429, 'the first client is over its own limit');
      // A client cannot escape its bucket by prepending a forged hop: the right-most untrusted hop counts.
      assert.equal((await from('192.0.2.1, 203.0.113.7')).status, 429);
    } finally {
      await behindProxy.stop();
    }
    const direct = await startReceiver({}, { access: { rate_limit: { per_ip: '1/m' } }, clock: () => now });
    try {
      const forged = (client: string) => postJson(direct.url('/v1/traces'), SPANS, { 'x-forwarded-for': client });
      assert.equal((await forged('203.0.113.7')).status, 200);
      assert.equal((await forged('198.51.100.9')).status, 429, 'without trusted_proxies the header is not believed: one bucket for the socket peer');
    } finally {
      await direct.stop();
    }
  });
});

describe('otlp receiver: open ingest', () => {
  it('accepts requests without a key when auth has no keys (today’s behaviour)', async () => {
    const harness = await startReceiver({}, { access: { auth: { keys: [] } } });
    try {
      assert.equal((await postJson(harness.url('/v1/traces'), SPANS)).status, 200);
    } finally {
      await harness.stop();
    }
  });
});

describe('otlp receiver: keys never reach the logs', () => {
  it('logs only fingerprints, at start and on refusals (debug level)', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (obj, msg) => void lines.push(JSON.stringify([obj, msg])),
      info: (obj, msg) => void lines.push(JSON.stringify([obj, msg])),
      warn: (obj, msg) => void lines.push(JSON.stringify([obj, msg])),
      error: (obj, msg) => void lines.push(JSON.stringify([obj, msg])),
      child: () => logger,
    };
    const harness = await startReceiver({ cors: { allowed_origins: [SHOP] } }, { access: { auth: AUTH }, logger });
    try {
      const wrong = 'srv-guess-0123456789';
      await postJson(harness.url('/v1/traces'), SPANS, { authorization: `Bearer ${wrong}` });
      await postJson(harness.url(`/v1/traces?stitch_key=${SERVER}`), SPANS);
      await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': BROWSER, origin: 'https://evil.test' });
      await postJson(harness.url('/v1/traces'), SPANS, { 'x-stitch-key': SERVER });
    } finally {
      await harness.stop();
    }
    const text = lines.join('\n');
    assert.match(text, /"ingest_keys":\["server sha256:[0-9a-f]{6}","browser sha256:[0-9a-f]{6}"\]/);
    assert.match(text, /otlp request rejected/, 'refusals are logged');
    for (const secret of [SERVER, BROWSER, 'srv-guess-0123456789']) assert.ok(!text.includes(secret), `${secret} in the logs`);
  });
});
