import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeConsoleArgs, describeError } from './describe-error.js';
import { errorGuard } from './error-guard.js';

describe('errorGuard', () => {
  it('drops repeats of the same error within the window, not after it', () => {
    const allow = errorGuard(1000, 100);
    assert.equal(allow('a', 0), true);
    assert.equal(allow('a', 500), false);
    assert.equal(allow('b', 600), true);
    assert.equal(allow('a', 999), false);
    assert.equal(allow('a', 1000), true);
    assert.equal(allow('a', 1500), false, 'a burst that goes on is reported once per window');
  });
  it('stops at the per-page cap', () => {
    const allow = errorGuard(1000, 3);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => allow(k, 0)), [true, true, true, false]);
    assert.equal(allow('e', 5000), false);
  });
});

describe('describeError', () => {
  it('reads name, message and stack of errors', () => {
    const d = describeError(new RangeError('too far'));
    assert.equal(d.type, 'RangeError');
    assert.equal(d.message, 'too far');
    assert.match(d.stack ?? '', /RangeError: too far\n\s+at /);
  });
  it('describes thrown non-errors by their text', () => {
    assert.deepEqual(describeError('boom'), { type: 'Error', message: 'boom' });
    assert.deepEqual(describeError({ code: 42 }, 'UnhandledRejection'), { type: 'UnhandledRejection', message: '{"code":42}' });
    assert.deepEqual(describeError(undefined), { type: 'Error', message: 'undefined' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(describeError(circular).message, '[object Object]');
  });
  it('joins console.error arguments and keeps the stack of an Error among them', () => {
    const d = describeConsoleArgs(['Request failed', { status: 500 }, new Error('bad gateway')]);
    assert.equal(d.type, 'Error');
    assert.equal(d.message, 'Request failed {"status":500} bad gateway');
    assert.ok(d.stack);
    assert.deepEqual(describeConsoleArgs(['plain']), { type: 'ConsoleError', message: 'plain' });
  });
});
