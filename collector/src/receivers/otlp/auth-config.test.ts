import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { otlpReceiverConfigSchema } from './config.js';
import { parseRate } from './rate-limit-config.js';

const validate = (value: unknown) => validateConfig(otlpReceiverConfigSchema, value, 'receivers.otlp');
const problems = (value: unknown) => {
  const result = validate(value);
  assert.ok(!result.ok, 'expected a config error');
  return result.problems;
};

describe('otlp receiver config: auth', () => {
  it('leaves auth and rate_limit undefined when absent (open ingest, no limits)', () => {
    const result = validate({});
    assert.ok(result.ok);
    assert.equal(result.config.auth, undefined);
    assert.equal(result.config.rate_limit, undefined);
  });

  it('reads server and browser keys; an empty or null keys list is open', () => {
    const result = validate({
      auth: { keys: [{ key: 'srv-123abc', kind: 'server' }, { key: 'web-456def', kind: 'browser', origins: ['https://shop.example.com'] }] },
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.auth!.keys, [
      { key: 'srv-123abc', kind: 'server' },
      { key: 'web-456def', kind: 'browser', origins: ['https://shop.example.com'] },
    ]);
    for (const keys of [[], null, undefined]) {
      const open = validate({ auth: { keys } });
      assert.ok(open.ok);
      assert.deepEqual(open.config.auth!.keys, []);
    }
  });

  it('refuses an empty key (an unset ${env:…}) naming receivers.otlp.auth.keys.<i>.key', () => {
    for (const key of ['', null, undefined]) {
      const found = problems({ auth: { keys: [{ key: 'srv-123abc', kind: 'server' }, { key, kind: 'server' }] } });
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0]!.path, 'receivers.otlp.auth.keys.1.key');
      assert.match(found[0]!.message, /ingest key is empty.*environment variable/);
    }
  });

  it('refuses a key that arrived as a number (all digits through ${env:}) instead of changing it', () => {
    const found = problems({ auth: { keys: [{ key: 123456, kind: 'server' }] } });
    assert.equal(found[0]!.path, 'receivers.otlp.auth.keys.0.key');
    assert.match(found[0]!.message, /expected the key as text/);
  });

  it('needs origins on a browser key, refuses them on a server key, and refuses duplicates', () => {
    assert.equal(problems({ auth: { keys: [{ key: 'k1-abc', kind: 'browser' }] } })[0]!.path, 'receivers.otlp.auth.keys.0.origins');
    assert.equal(problems({ auth: { keys: [{ key: 'k1-abc', kind: 'browser', origins: [] }] } })[0]!.path, 'receivers.otlp.auth.keys.0.origins');
    assert.equal(problems({ auth: { keys: [{ key: 'k1-abc', kind: 'server', origins: ['*'] }] } })[0]!.path, 'receivers.otlp.auth.keys.0.origins');
    const duplicate = problems({ auth: { keys: [{ key: 'same-key', kind: 'server' }, { key: 'same-key', kind: 'browser', origins: ['*'] }] } });
    assert.equal(duplicate[0]!.path, 'receivers.otlp.auth.keys.1.key');
  });

  it('names unknown keys and a bad kind with their full path', () => {
    const found = problems({ auth: { keys: [{ key: 'k1-abc', kind: 'admin' }], key: 'x' } }).map((problem) => problem.path).sort();
    assert.deepEqual(found, ['receivers.otlp.auth.key', 'receivers.otlp.auth.keys.0.kind']);
  });
});

describe('otlp receiver config: rate_limit', () => {
  it('parses N/s and N/m into a token-bucket rate', () => {
    assert.deepEqual(parseRate('2000/s'), { text: '2000/s', perSecond: 2000, capacity: 2000 });
    assert.deepEqual(parseRate(' 600 / m '), { text: '600 / m', perSecond: 10, capacity: 600 });
    for (const bad of ['', '0/s', '-1/s', '1.5/s', '10/h', '10', 's/10', '10/sec']) assert.equal(parseRate(bad), undefined, bad);
  });

  it('reads per_key and per_ip, each optional', () => {
    const result = validate({ rate_limit: { per_key: '2000/s', per_ip: '600/m' } });
    assert.ok(result.ok);
    assert.equal(result.config.rate_limit!.per_key!.perSecond, 2000);
    assert.equal(result.config.rate_limit!.per_ip!.perSecond, 10);
    const onlyIp = validate({ rate_limit: { per_ip: '5/s' } });
    assert.ok(onlyIp.ok);
    assert.equal(onlyIp.config.rate_limit!.per_key, undefined);
  });

  it('names a bad rate and an unknown key', () => {
    const found = problems({ rate_limit: { per_ip: 200, per_host: '1/s' } });
    const byPath = Object.fromEntries(found.map((problem) => [problem.path, problem.message]));
    assert.match(byPath['receivers.otlp.rate_limit.per_ip']!, /expected a rate such as "2000\/s" or "600\/m", got 200/);
    assert.equal(byPath['receivers.otlp.rate_limit.per_host'], 'unknown key');
  });
});
