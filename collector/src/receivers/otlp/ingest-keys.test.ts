import assert from 'node:assert/strict';
import { timingSafeEqual } from 'node:crypto';
import { describe, it, mock } from 'node:test';
import { IngestKeys } from './ingest-keys.js';
import { keyFingerprint } from './key-fingerprint.js';
import { presentedKey } from './presented-key.js';

const SERVER = 'srv-7c1e9a2b4d6f8e0a';
const BROWSER = 'web-3b5d7f9a1c2e4f6a';
const keys = () =>
  new IngestKeys([
    { key: SERVER, kind: 'server' },
    { key: BROWSER, kind: 'browser', origins: ['https://shop.example.com', 'http://localhost:*'] },
  ]);

describe('ingest keys: where a request carries its key', () => {
  it('reads Authorization: Bearer first, then x-stitch-key, then the stitch_key query parameter', () => {
    assert.deepEqual(presentedKey({ authorization: `Bearer ${SERVER}` }, ''), { value: SERVER, from: 'authorization' });
    assert.deepEqual(presentedKey({ authorization: `bearer  ${SERVER} ` }, ''), { value: SERVER, from: 'authorization' });
    assert.deepEqual(presentedKey({ 'x-stitch-key': ` ${SERVER} ` }, ''), { value: SERVER, from: 'x-stitch-key' });
    assert.deepEqual(presentedKey({}, `a=1&stitch_key=${BROWSER}`), { value: BROWSER, from: 'query' });
    assert.deepEqual(presentedKey({ authorization: 'Bearer A', 'x-stitch-key': 'B' }, 'stitch_key=C'), { value: 'A', from: 'authorization' });
    assert.deepEqual(presentedKey({ 'x-stitch-key': 'B' }, 'stitch_key=C'), { value: 'B', from: 'x-stitch-key' });
  });

  it('finds no key in another Authorization scheme, an empty header or an empty parameter', () => {
    assert.equal(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' }, ''), undefined);
    assert.equal(presentedKey({ authorization: 'Bearer' }, ''), undefined);
    assert.equal(presentedKey({ 'x-stitch-key': '  ' }, 'stitch_key='), undefined);
    assert.deepEqual(presentedKey({ authorization: 'Basic x', 'x-stitch-key': 'k' }, ''), { value: 'k', from: 'x-stitch-key' });
  });
});

describe('ingest keys: who may send', () => {
  it('accepts a server key from anywhere, with or without an Origin', () => {
    assert.deepEqual(keys().authenticate({ value: SERVER, from: 'authorization' }, undefined), { ok: true, keyIndex: 0 });
    assert.deepEqual(keys().authenticate({ value: SERVER, from: 'x-stitch-key' }, 'https://anything.test'), { ok: true, keyIndex: 0 });
  });

  it('answers 401 for no key and for a wrong key, naming what is missing and never echoing the key', () => {
    const missing = keys().authenticate(undefined, undefined);
    assert.ok(!missing.ok);
    assert.equal(missing.status, 401);
    assert.equal(missing.reason, 'missing_key');
    assert.match(missing.message, /missing ingest key.*Authorization: Bearer.*x-stitch-key/);
    const wrong = keys().authenticate({ value: 'srv-7c1e9a2b4d6f8e0b', from: 'authorization' }, undefined);
    assert.ok(!wrong.ok);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.reason, 'invalid_key');
    assert.equal(wrong.fingerprint, keyFingerprint('srv-7c1e9a2b4d6f8e0b'));
    assert.match(wrong.fingerprint!, /^[0-9a-f]{6}$/);
    assert.ok(!wrong.message.includes('srv-7c1e9a2b4d6f8e0b'));
    assert.ok(!wrong.message.includes(SERVER));
  });

  it('binds a browser key to its origins (CORS patterns), 403 from any other or no Origin', () => {
    const browser = { value: BROWSER, from: 'x-stitch-key' } as const;
    assert.deepEqual(keys().authenticate(browser, 'https://shop.example.com'), { ok: true, keyIndex: 1 });
    assert.deepEqual(keys().authenticate(browser, 'http://localhost:5173'), { ok: true, keyIndex: 1 });
    for (const origin of ['https://evil.test', 'https://shop.example.com.evil.test', 'http://shop.example.com', undefined]) {
      const answer = keys().authenticate(browser, origin);
      assert.ok(!answer.ok, String(origin));
      assert.equal(answer.status, 403);
      assert.equal(answer.reason, 'origin_not_allowed');
    }
  });

  it('takes the query parameter for browser keys only (URLs end up in logs)', () => {
    assert.deepEqual(keys().authenticate({ value: BROWSER, from: 'query' }, 'https://shop.example.com'), { ok: true, keyIndex: 1 });
    const server = keys().authenticate({ value: SERVER, from: 'query' }, undefined);
    assert.ok(!server.ok);
    assert.equal(server.status, 401);
    assert.match(server.message, /server key is not accepted in the stitch_key query parameter/);
  });

  it('compares SHA-256 hashes with timingSafeEqual against every configured key, match or not', () => {
    const spy = mock.fn(timingSafeEqual);
    const many = new IngestKeys(['k-one-aaaa', 'k-two-bbbb', 'k-three-cc'].map((key) => ({ key, kind: 'server' as const })), spy);
    assert.deepEqual(many.authenticate({ value: 'k-one-aaaa', from: 'authorization' }, undefined), { ok: true, keyIndex: 0 });
    assert.equal(spy.mock.callCount(), 3, 'no early exit on the first (matching) key');
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments;
      assert.equal(a.byteLength, 32, 'SHA-256 hashes, so keys of any length compare in the same time');
      assert.equal(b.byteLength, 32);
    }
    spy.mock.resetCalls();
    assert.equal(many.authenticate({ value: 'short', from: 'authorization' }, undefined).ok, false);
    assert.equal(spy.mock.callCount(), 3);
  });
});
