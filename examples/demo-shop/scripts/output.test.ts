// The demo's terminal output helpers and its seeded randomness.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readableLogLine } from './log-lines.js';
import { seededRandom } from './prng.js';
import { repeatFilter } from './repeat-filter.js';

test('pino lines become one readable line; anything else is left alone', () => {
  const line = JSON.stringify({ level: 40, time: 1, pid: 7, hostname: 'h', name: 'demo-shop-api', msg: 'payment declined', reason: 'test_card', trace_id: 'abc', span_id: 'def', trace_flags: '01' });
  assert.equal(readableLogLine(line), 'WARN  payment declined  reason=test_card trace_id=abc');
  assert.equal(readableLogLine(JSON.stringify({ level: 50, msg: 'request failed', err: { message: 'boom', stack: 'at x' } })), 'ERROR request failed  err=boom');
  assert.equal(readableLogLine('demo shop frontend on http://127.0.0.1:3000'), 'demo shop frontend on http://127.0.0.1:3000');
  assert.equal(readableLogLine('{not json'), '{not json');
});

test('a repeated collector line is shown once, with one note that the rest are hidden', () => {
  const notes: string[] = [];
  const keep = repeatFilter((note) => notes.push(note));
  const retry = JSON.stringify({ level: 30, component: 'otlphttp/jaeger', msg: 'export failed, will retry' });
  const batch = JSON.stringify({ level: 30, component: 'debug', msg: 'batch' });
  assert.deepEqual([retry, retry, batch, retry, batch].map(keep), [true, false, true, false, false]);
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, /export failed, will retry.*otlphttp\/jaeger/);
  assert.equal(keep(JSON.stringify({ level: 30, msg: 'request completed' })), true, 'lines without a component (the API) are never hidden');
  assert.equal(keep(JSON.stringify({ level: 30, msg: 'request completed' })), true);
});

test('the same seed gives the same sequence', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const first = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(first, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(first, Array.from({ length: 5 }, () => seededRandom(43).next()));
  for (const value of first) assert.ok(value >= 0 && value < 1);
  const r = seededRandom(1);
  for (let i = 0; i < 100; i++) {
    const n = r.between(2, 4);
    assert.ok(n >= 2 && n <= 4 && Number.isInteger(n));
  }
});
