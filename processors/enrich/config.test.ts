import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { enrichConfigSchema } from './config.js';

const problems = (value: unknown) => {
  const result = validateConfig(enrichConfigSchema, value, 'processors.enrich');
  assert.equal(result.ok, false, 'expected the config to be refused');
  return (result as { problems: { path: string; message: string }[] }).problems;
};

test('an empty config means every default', () => {
  assert.deepEqual(enrichConfigSchema.parse({}), {
    user_agent: true,
    geo: true,
    client_ip: { trusted_proxies: [], store: 'truncate', ipv4_prefix: 24, ipv6_prefix: 48 },
    only_browser_resources: true,
  });
  assert.deepEqual(enrichConfigSchema.parse({ client_ip: { store: 'drop' } }).client_ip.ipv4_prefix, 24, 'inner defaults apply');
});

test('a bad trusted proxy is named with its position', () => {
  const [problem] = problems({ client_ip: { trusted_proxies: ['10.0.0.0/8', '10.0.0.0/33'] } });
  assert.equal(problem!.path, 'processors.enrich.client_ip.trusted_proxies.1');
  assert.match(problem!.message, /CIDR range.*got "10\.0\.0\.0\/33"/);
});

test('store, prefixes, types and unknown keys are checked with their full path', () => {
  assert.equal(problems({ client_ip: { store: 'hash' } })[0]!.path, 'processors.enrich.client_ip.store');
  assert.equal(problems({ client_ip: { ipv4_prefix: 33 } })[0]!.path, 'processors.enrich.client_ip.ipv4_prefix');
  assert.equal(problems({ client_ip: { ipv6_prefix: -1 } })[0]!.path, 'processors.enrich.client_ip.ipv6_prefix');
  assert.deepEqual(problems({ geo: 'yes' })[0], { path: 'processors.enrich.geo', message: 'expected boolean, got "yes"' });
  assert.deepEqual(problems({ client_ip: { trusted_proxy: [] } })[0], { path: 'processors.enrich.client_ip.trusted_proxy', message: 'unknown key' });
  assert.deepEqual(problems({ only_browser: true })[0], { path: 'processors.enrich.only_browser', message: 'unknown key' });
});
