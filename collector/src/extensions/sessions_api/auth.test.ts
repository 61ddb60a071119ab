// Config of `auth`, token lookup, role checks, the viewer's filtered answers and audit parameters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { auditParameters, pseudonym, REDACTED } from './audit.js';
import { hasRole, TokenTable } from './auth.js';
import { isLoopbackHost, sessionsApiConfigSchema } from './config.js';
import { forActor, withoutPersonalData } from './personal-data.js';

const parse = (config: Record<string, unknown>) => sessionsApiConfigSchema.safeParse(config);
const issues = (config: Record<string, unknown>) => {
  const result = parse(config);
  assert.equal(result.success, false, 'refused');
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('sessions_api auth config', () => {
  it('takes tokens with a role and a name', () => {
    const config = sessionsApiConfigSchema.parse({ auth: { tokens: [{ token: 't-1', role: 'viewer', name: 'support' }] } });
    assert.deepEqual(config.auth?.tokens, [{ token: 't-1', role: 'viewer', name: 'support' }]);
    assert.equal(sessionsApiConfigSchema.parse({}).auth, undefined);
    assert.equal(sessionsApiConfigSchema.parse({ auth: null }).auth, undefined);
  });

  it('refuses an empty token (an unset env variable), naming the key', () => {
    const found = issues({ auth: { tokens: [{ token: '', role: 'admin', name: 'ops' }] } });
    assert.ok(found.some((i) => i.startsWith('auth.tokens.0.token: is empty')), found.join('\n'));
  });

  it('refuses unknown roles, no tokens, a repeated token', () => {
    assert.ok(issues({ auth: { tokens: [{ token: 'x', role: 'root', name: 'a' }] } }).some((i) => i.startsWith('auth.tokens.0.role')));
    assert.ok(issues({ auth: { tokens: [] } }).some((i) => i.startsWith('auth.tokens')));
    const repeated = issues({ auth: { tokens: [{ token: 'x', role: 'viewer', name: 'a' }, { token: 'x', role: 'admin', name: 'b' }] } });
    assert.ok(repeated.some((i) => i.startsWith('auth.tokens.1.token: repeats')), repeated.join('\n'));
  });

  it('never shows a token in a config error', () => {
    for (const tokens of [
      [{ token: 'secret-x1', role: 'root', name: 'a' }],
      [{ token: 'secret-x1', role: 'viewer', name: 'a' }, { token: 'secret-x1', role: 'admin', name: 'b' }],
      [{ token: 123456789, role: 'viewer', name: '' }],
    ]) {
      const result = validateConfig(sessionsApiConfigSchema, { auth: { tokens } }, 'extensions.sessions_api');
      assert.equal(result.ok, false);
      const text = JSON.stringify(result.ok ? [] : result.problems);
      assert.ok(!text.includes('secret-x1') && !text.includes('123456789'), text);
    }
  });

  it('refuses a non-loopback endpoint without auth, and allows it with auth', () => {
    for (const endpoint of ['0.0.0.0:8686', ':8686', '192.168.1.5:8686', '[::]:8686']) {
      const found = issues({ endpoint });
      assert.ok(found.some((i) => i.startsWith('endpoint:') && i.includes('no auth')), `${endpoint}: ${found.join('\n')}`);
    }
    for (const endpoint of ['127.0.0.1:8686', 'localhost:8686', '[::1]:8686', '127.0.0.2:1']) assert.ok(parse({ endpoint }).success, endpoint);
    assert.ok(parse({ endpoint: '0.0.0.0:8686', auth: { tokens: [{ token: 't', role: 'viewer', name: 'a' }] } }).success);
  });

  it('knows loopback hosts', () => {
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('[::1]') && isLoopbackHost('LOCALHOST'));
    assert.ok(!isLoopbackHost('0.0.0.0') && !isLoopbackHost('10.0.0.1') && !isLoopbackHost('example.com') && !isLoopbackHost('127.0.0.1.nip.io'));
  });
});

describe('tokens and roles', () => {
  const table = new TokenTable([
    { token: 'viewer-token', role: 'viewer', name: 'support' },
    { token: 'admin-token', role: 'admin', name: 'dpo' },
  ]);

  it('finds the holder of a token and nobody for others', () => {
    assert.deepEqual(table.find('viewer-token'), { name: 'support', role: 'viewer' });
    assert.deepEqual(table.find('admin-token'), { name: 'dpo', role: 'admin' });
    for (const wrong of ['', 'viewer-toke', 'viewer-token ', 'ADMIN-TOKEN']) assert.equal(table.find(wrong), undefined, JSON.stringify(wrong));
  });

  it('ranks roles viewer < analyst < admin', () => {
    assert.ok(hasRole({ name: 'a', role: 'admin' }, 'viewer'));
    assert.ok(hasRole({ name: 'a', role: 'analyst' }, 'analyst'));
    assert.ok(!hasRole({ name: 'a', role: 'analyst' }, 'admin'));
    assert.ok(!hasRole({ name: 'a', role: 'viewer' }, 'analyst'));
  });
});

describe('answers for a viewer', () => {
  const detail = {
    session: { sessionId: 's', userId: 'hash-1', userEmail: 'a@example.com', userName: 'Ann', country: 'DE' },
    events: [{ name: 'browser.page_view', attributes: { 'user.email': 'a@example.com', 'user.name': 'Ann', 'user.hash': 'hash-1', 'url.full': 'https://x/' } }],
    spans: [{ attributes: { 'user.full_name': 'Ann A.', 'http.method': 'GET' } }],
  };

  it('drops e-mail and name fields and attributes at any depth, keeping the hashed id', () => {
    const out = withoutPersonalData(detail);
    const text = JSON.stringify(out);
    assert.ok(!text.includes('a@example.com') && !text.includes('Ann'), text);
    assert.equal(out.session.userId, 'hash-1');
    assert.deepEqual(out.events[0]!.attributes, { 'user.hash': 'hash-1', 'url.full': 'https://x/' });
    assert.deepEqual(out.spans[0]!.attributes, { 'http.method': 'GET' });
    assert.equal(detail.session.userEmail, 'a@example.com', 'the input is not changed');
  });

  it('leaves answers whole for analysts and admins', () => {
    assert.equal(forActor({ name: 'x', role: 'analyst' }, detail), detail);
    assert.equal(forActor({ name: 'x', role: 'admin' }, detail), detail);
    assert.ok(!JSON.stringify(forActor({ name: 'x', role: 'viewer' }, detail)).includes('@'));
  });
});

describe('audit parameters', () => {
  it('keeps parameters as given but redacts e-mails', () => {
    const params = new URLSearchParams('email=a@example.com&country=DE&user=bob@example.org&q=checkout&errors=any&errors=none');
    assert.deepEqual(auditParameters(params), { email: REDACTED, country: 'DE', user: REDACTED, q: 'checkout', errors: ['any', 'none'] });
  });

  it('keeps an e-mail target only as a stable hash', () => {
    assert.equal(pseudonym('hash-alice'), 'hash-alice');
    const hashed = pseudonym('Alice@Example.com');
    assert.match(hashed, /^email-sha256:[0-9a-f]{16}$/);
    assert.equal(pseudonym('alice@example.com'), hashed);
  });
});
