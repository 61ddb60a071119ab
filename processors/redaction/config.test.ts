import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { redactionConfigSchema } from './config.js';

const problems = (value: unknown) => {
  const result = validateConfig(redactionConfigSchema, value, 'processors.redaction');
  assert.equal(result.ok, false, 'expected the config to be refused');
  return (result as { problems: { path: string; message: string }[] }).problems;
};

test('an empty config means privacy on: every detector, default blocked keys, query scrubbing, summary', () => {
  assert.deepEqual(redactionConfigSchema.parse({}), {
    allowed_keys: [],
    blocked_keys: ['password', 'authorization', 'cookie', 'set-cookie'],
    detectors: ['email', 'credit_card', 'iban', 'phone', 'jwt', 'bearer_token', 'api_key', 'ipv4', 'ipv6'],
    url_query: { allow: ['utm_source', 'utm_medium', 'page'] },
    hash: { keys: [], hmac_key: '' },
    summary: true,
  });
});

test('an empty hmac_key is fine while hash.keys is empty (the default config reads ${env:STITCH_HMAC_KEY:-})', () => {
  assert.equal(validateConfig(redactionConfigSchema, { hash: { keys: [], hmac_key: '' } }, 'processors.redaction').ok, true);
  assert.equal(validateConfig(redactionConfigSchema, { hash: { keys: ['user.id'], hmac_key: 'k' } }, 'processors.redaction').ok, true);
});

test('hash keys without an HMAC key refuse to start, naming processors.redaction.hash.hmac_key', () => {
  for (const hash of [{ keys: ['user.id'] }, { keys: ['user.id', 'enduser.id'], hmac_key: '' }, { keys: ['user.id'], hmac_key: '  ' }]) {
    const [problem, ...rest] = problems({ hash });
    assert.equal(rest.length, 0);
    assert.equal(problem!.path, 'processors.redaction.hash.hmac_key');
    assert.match(problem!.message, /HMAC key is required/);
  }
});

test('unknown detectors, keys and bad types are named with their full path', () => {
  assert.equal(problems({ detectors: ['email', 'ssn'] })[0]!.path, 'processors.redaction.detectors.1');
  assert.deepEqual(problems({ summry: true })[0], { path: 'processors.redaction.summry', message: 'unknown key' });
  assert.deepEqual(problems({ url_query: { allowed: [] } })[0], { path: 'processors.redaction.url_query.allowed', message: 'unknown key' });
  assert.equal(problems({ blocked_keys: 'password' })[0]!.path, 'processors.redaction.blocked_keys');
  assert.equal(problems({ hash: { keys: [''], hmac_key: 'k' } })[0]!.path, 'processors.redaction.hash.keys.0');
});
