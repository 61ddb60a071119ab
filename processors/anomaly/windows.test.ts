import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CountWindow, SessionWindow } from './windows.js';

test('a count window sums its last buckets and slides one bucket per roll', () => {
  const window = new CountWindow(3);
  window.add(2);
  assert.equal(window.roll(), 2);
  window.add(5);
  assert.equal(window.roll(), 7);
  assert.equal(window.roll(), 7, 'an empty bucket: the two before still count');
  assert.equal(window.roll(), 5, 'the first bucket slid out');
  assert.equal(window.roll(), 0);
});

test('a session counts once per window however many records it sends, errored when any was an exception', () => {
  let evicted = 0;
  const sessions = new SessionWindow<string>(2, 100, () => evicted++);
  for (let i = 0; i < 3; i++) sessions.touch('web', 'web', 'a', false, 0);
  sessions.touch('web', 'web', 'b', true, 0);
  sessions.touch('web', 'web', 'b', false, 0);
  sessions.touch('api', 'api', 'a', false, 0); // the same session seen under another service
  assert.deepEqual(Object.fromEntries(sessions.count(0)), { web: { sessions: 2, errored: 1 }, api: { sessions: 1, errored: 0 } });
  sessions.touch('web', 'web', 'a', false, 1);
  assert.deepEqual(sessions.count(1).get('web'), { sessions: 2, errored: 1 }, 'b is still inside the 2-tick window');
  assert.deepEqual(sessions.count(2).get('web'), { sessions: 1, errored: 0 }, 'b slid out; a was seen at tick 1');
  assert.equal(sessions.count(3).size, 0);
  assert.equal(sessions.size, 0, 'forgotten once outside the window');
  assert.equal(evicted, 0);
});

test('past max_sessions the least recently seen session is forgotten and counted', () => {
  let evicted = 0;
  const sessions = new SessionWindow<string>(4, 2, () => evicted++);
  sessions.touch('web', 'web', 'a', false, 0);
  sessions.touch('web', 'web', 'b', false, 0);
  sessions.touch('web', 'web', 'a', false, 1); // a is now the most recent
  sessions.touch('web', 'web', 'c', false, 1);
  assert.equal(evicted, 1);
  assert.equal(sessions.size, 2);
  assert.deepEqual(sessions.count(1).get('web'), { sessions: 2, errored: 0 });
});
