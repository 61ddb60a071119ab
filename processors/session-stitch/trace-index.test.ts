import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceSessionIndex } from './trace-index.js';

test('entries expire after the TTL, refreshed by use', () => {
  let now = 0;
  const index = new TraceSessionIndex(1_000, 10, () => now);
  index.learn('t1', 's1');
  now = 900;
  assert.deepEqual(index.lookup('t1'), { sessionId: 's1' }); // refreshes to 1900
  now = 1_800;
  assert.deepEqual(index.lookup('t1'), { sessionId: 's1' });
  now = 3_000;
  assert.equal(index.lookup('t1'), undefined);
});

test('bounded: the least recently used entry is forgotten first; sweep drops expired ones', () => {
  let now = 0;
  const index = new TraceSessionIndex(1_000, 2, () => now);
  index.learn('t1', 's1');
  index.learn('t2', 's2');
  index.lookup('t1');
  index.learn('t3', 's3');
  assert.equal(index.lookup('t2'), undefined);
  assert.ok(index.lookup('t1') && index.lookup('t3'));
  now = 5_000;
  index.sweep();
  assert.equal(index.size, 0);
});

test('a known session is never replaced by "started in a backend"; listeners hear each change once', () => {
  const index = new TraceSessionIndex(1_000, 10);
  const heard: [string, string | null][] = [];
  index.onLearn((t, s) => heard.push([t, s]));
  index.learn('t1', null);
  index.learn('t1', 's1');
  index.learn('t1', null);
  index.learn('t1', 's1');
  assert.deepEqual(index.lookup('t1'), { sessionId: 's1' });
  assert.deepEqual(heard, [['t1', null], ['t1', 's1']]);
});
