import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSessionId, MAX_SESSION_ID_LENGTH } from './session-id.js';

test('accepts the id formats browser SDKs send', () => {
  for (const id of ['0af7651916cd43dd8448eb211c80319c', '3f0c2d8e-5b1a-4c7e-9d2f-6a8b0c1d2e3f', '01HZX3J5Q7K9M2N4P6R8S0T1V3', 'abc_DEF-1.2:3~x']) {
    assert.deepEqual(checkSessionId(id), { ok: true, sessionId: id }, id);
  }
  assert.equal(checkSessionId('a'.repeat(MAX_SESSION_ID_LENGTH)).ok, true);
});

test('refuses empty, overlong and out-of-charset values, naming the reason', () => {
  assert.deepEqual(checkSessionId(''), { ok: false, reason: 'empty' });
  assert.deepEqual(checkSessionId('a'.repeat(MAX_SESSION_ID_LENGTH + 1)), { ok: false, reason: 'too_long' });
  for (const bad of ['<script>', 'a b', 'id"quoted', 'line\nbreak', 'semi;colon', 'ümlaut', 'a,b', 'x=y']) {
    assert.deepEqual(checkSessionId(bad), { ok: false, reason: 'bad_charset' }, JSON.stringify(bad));
  }
});
