import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSampled } from './sampling.js';
import { SESSION_KEY, SessionManager, type SessionOptions, type SessionRecord } from './session.js';
import { memoryStore, type KeyValueStore } from './storage.js';

const MIN = 60_000;

function setup(over: Partial<SessionOptions> = {}, store: KeyValueStore = memoryStore(), clock = { t: 1_700_000_000_000 }) {
  let n = 0;
  const events: string[] = [];
  const m = new SessionManager({
    store, now: () => clock.t, newId: () => `id${++n}${over.newId ? '' : ''}`,
    inactivityMs: 15 * MIN, maxDurationMs: 240 * MIN, sampleRatePercent: 100, persist: () => true,
    onStart: (s) => events.push(`start ${s.id} prev=${s.previousId ?? '-'}`),
    onEnd: (s, r) => events.push(`end ${s.id} ${r}`),
    ...over,
  });
  return { m, clock, events, store };
}

test('a session starts on first activity and is extended by activity', () => {
  const { m, clock, events } = setup();
  const s = m.touch();
  assert.equal(s.id, 'id1');
  clock.t += 10 * MIN;
  assert.equal(m.touch().id, 'id1');
  clock.t += 10 * MIN; // 20 min since start, 10 since last activity
  assert.equal(m.current().id, 'id1');
  assert.deepEqual(events, ['start id1 prev=-']);
});

test('15 min of inactivity ends the session; the next one records session.previous_id', () => {
  const { m, clock, events } = setup();
  m.touch();
  clock.t += 15 * MIN;
  const s = m.touch();
  assert.equal(s.id, 'id2');
  assert.equal(s.previousId, 'id1');
  assert.deepEqual(events, ['start id1 prev=-', 'end id1 inactivity', 'start id2 prev=id1']);
});

test('reads do not extend a session', () => {
  const { m, clock } = setup();
  m.touch();
  for (let i = 0; i < 3; i++) {
    clock.t += 5 * MIN;
    m.current();
  }
  clock.t += 1;
  assert.equal(m.current().id, 'id2');
});

test('the maximum duration ends a session even with constant activity', () => {
  const { m, clock, events } = setup({ maxDurationMs: 60 * MIN });
  m.touch();
  for (let i = 0; i < 11; i++) {
    clock.t += 5 * MIN;
    assert.equal(m.touch().id, 'id1');
  }
  clock.t += 5 * MIN;
  assert.equal(m.touch().id, 'id2');
  assert.ok(events.includes('end id1 max_duration'));
});

test('survives a reload and is shared by tabs through the store', () => {
  const store = memoryStore();
  const clock = { t: 1_700_000_000_000 };
  const tabA = setup({}, store, clock);
  const id = tabA.m.touch().id;
  const reload = setup({ newId: () => 'other' }, store, clock);
  assert.equal(reload.m.touch().id, id);
  assert.deepEqual(reload.events, []);
  // Activity in tab A keeps tab B's session alive too.
  clock.t += 10 * MIN;
  tabA.m.touch();
  clock.t += 10 * MIN;
  assert.equal(reload.m.touch().id, id);
});

test('a tab adopts the session another tab rolled over to', () => {
  const store = memoryStore();
  const clock = { t: 1_700_000_000_000 };
  let n = 0;
  const newId = () => `s${++n}`;
  const a = setup({ newId }, store, clock);
  const b = setup({ newId }, store, clock);
  a.m.touch();
  b.m.touch();
  clock.t += 20 * MIN;
  const next = a.m.touch();
  assert.equal(next.previousId, 's1');
  clock.t += 2000;
  assert.equal(b.m.touch().id, next.id);
});

test('a stale stored session ends on load and links the new one', () => {
  const store = memoryStore();
  const now = 1_700_000_000_000;
  const old: SessionRecord = { id: 'old', start: now - 30 * MIN, last: now - 20 * MIN, sampled: true };
  store.set(SESSION_KEY, JSON.stringify(old));
  const { m, events } = setup({}, store);
  assert.equal(m.touch().previousId, 'old');
  assert.equal(events[0], 'end old inactivity');
});

test('nothing is written while persist() is false (consent pending/denied)', () => {
  let allowed = false;
  const { m, store } = setup({ persist: () => allowed });
  m.touch();
  assert.equal(store.get(SESSION_KEY), null);
  allowed = true;
  m.persistNow();
  assert.equal(JSON.parse(store.get(SESSION_KEY)!).id, 'id1');
  m.clear();
  assert.equal(store.get(SESSION_KEY), null);
});

test('sampling is decided from the id, deterministically, and stored with the session', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `session-${i}-${(i * 7919).toString(16)}`);
  for (const id of ids.slice(0, 50)) assert.equal(isSampled(id, 30), isSampled(id, 30));
  const share = ids.filter((id) => isSampled(id, 30)).length / ids.length;
  assert.ok(share > 0.25 && share < 0.35, `sampled share ${share}`);
  assert.equal(ids.every((id) => isSampled(id, 100)), true);
  assert.equal(ids.some((id) => isSampled(id, 0)), false);
  // Monotonic: sampled at 10% ⇒ sampled at 50%.
  for (const id of ids) if (isSampled(id, 10)) assert.equal(isSampled(id, 50), true);
  const { m } = setup({ sampleRatePercent: 0 });
  assert.equal(m.touch().sampled, false);
});
