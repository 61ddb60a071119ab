import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { originPattern } from './cors.js';
import { post, postJson, startReceiver, type Harness } from './test-harness.js';

const preflight = (url: string, origin: string, extra: Record<string, string> = {}) =>
  post(url, '', { origin, 'access-control-request-method': 'POST', ...extra }, 'OPTIONS');

describe('cors: allowed_origins wildcards match like the Go collector', () => {
  it('matches exact origins case-insensitively', () => {
    assert.equal(originPattern('https://shop.example.com')('https://SHOP.example.com'), true);
    assert.equal(originPattern('https://shop.example.com')('https://shop.example.com:8443'), false);
  });
  it('a bare * matches any origin', () => {
    assert.equal(originPattern('*')('https://anything.test'), true);
  });
  it('https://*.example.com matches subdomains only, of that scheme', () => {
    const matches = originPattern('https://*.example.com');
    assert.equal(matches('https://app.example.com'), true);
    assert.equal(matches('https://a.b.example.com'), true);
    assert.equal(matches('https://example.com'), false);
    assert.equal(matches('http://app.example.com'), false);
    assert.equal(matches('https://app.example.com.evil.test'), false);
  });
  it('http://localhost:* matches any port', () => {
    const matches = originPattern('http://localhost:*');
    assert.equal(matches('http://localhost:5173'), true);
    assert.equal(matches('http://localhost.evil.test'), false);
    assert.equal(matches('https://localhost:5173'), false);
  });
});

describe('otlp receiver: CORS for browser senders', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({
      cors: { allowed_origins: ['http://localhost:*', 'https://*.example.com'], allowed_headers: ['X-Stitch-Key'], max_age: 7200 },
    });
  });
  after(() => harness.stop());

  it('answers an allowed preflight with 204 and the CORS headers', async () => {
    const reply = await preflight(harness.url('/v1/logs'), 'http://localhost:5173', {
      'access-control-request-headers': 'Content-Type, x-stitch-key, x-not-allowed',
    });
    assert.equal(reply.status, 204);
    assert.equal(reply.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(reply.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(reply.headers.get('access-control-allow-headers'), 'content-type, x-stitch-key');
    assert.equal(reply.headers.get('access-control-max-age'), '7200');
    assert.match(reply.headers.get('vary')!, /\bOrigin\b/);
  });

  it('refuses a preflight from another origin with 403 and no CORS headers', async () => {
    const reply = await preflight(harness.url('/v1/traces'), 'https://evil.test');
    assert.equal(reply.status, 403);
    assert.equal(reply.headers.get('access-control-allow-origin'), null);
    assert.equal(reply.message, 'origin "https://evil.test" is not allowed by cors.allowed_origins');
    const apex = await preflight(harness.url('/v1/traces'), 'https://example.com');
    assert.equal(apex.status, 403);
  });

  it('refuses a preflight for a method other than POST', async () => {
    const reply = await preflight(harness.url('/v1/traces'), 'https://app.example.com', { 'access-control-request-method': 'PUT' });
    assert.equal(reply.status, 403);
    assert.match(reply.message, /method "PUT" is not allowed/);
  });

  it('marks actual responses to an allowed origin, errors included', async () => {
    const ok = await postJson(harness.url('/v1/traces'), {}, { origin: 'https://app.example.com' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(ok.headers.get('vary'), 'Origin');
    const failed = await postJson(harness.url('/v1/traces'), 'not json', { origin: 'https://app.example.com' });
    assert.equal(failed.status, 400);
    assert.equal(failed.headers.get('access-control-allow-origin'), 'https://app.example.com');
  });

  it('leaves responses to other origins unmarked (the browser then hides them)', async () => {
    const reply = await postJson(harness.url('/v1/traces'), {}, { origin: 'https://evil.test' });
    assert.equal(reply.headers.get('access-control-allow-origin'), null);
  });
});

describe('otlp receiver: without cors configured', () => {
  it('answers OPTIONS with 405 and sends no CORS headers', async () => {
    const harness = await startReceiver();
    try {
      const reply = await preflight(harness.url('/v1/traces'), 'http://localhost:5173');
      assert.equal(reply.status, 405);
      assert.equal(reply.headers.get('access-control-allow-origin'), null);
      const posted = await postJson(harness.url('/v1/traces'), {}, { origin: 'http://localhost:5173' });
      assert.equal(posted.headers.get('access-control-allow-origin'), null);
    } finally {
      await harness.stop();
    }
  });
});
