// The detector on synthetic streams: a seeded random source makes every run replay exactly. One
// interval is one evaluation (15 s by default), four make the 1 m window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poisson, seeded, simulate } from './testing/streams.js';

const HOUR = 240; // intervals of 15 s
const firing = <E extends { state: string }>(events: E[]): E[] => events.filter((e) => e.state === 'firing');

test('a session error rate spike is detected within one window, alerted once, and resolved after recovery', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const random = seeded(seed * 31);
    const sim = simulate({}, seed);
    const start = HOUR; // an hour of normal traffic, then 5 minutes of broken pages
    sim.run(HOUR + 20 + 2 * HOUR, (i) => ({ sessions: poisson(random, 150), errorRate: i >= start && i < start + 20 ? 0.15 : 0.03 }));
    const alerts = firing(sim.events);
    assert.equal(alerts.length, 1, `seed ${seed}: exactly one alert, got ${JSON.stringify(sim.events.map((e) => [e.interval, e.state]))}`);
    const alert = alerts[0]!;
    assert.equal(alert.signal, 'session_error_rate');
    assert.equal(alert.service, 'shop-web');
    assert.equal(alert.version, '1.4.0');
    assert.ok(alert.interval >= start && alert.interval < start + 4, `seed ${seed}: detected at interval ${alert.interval - start} of the spike (window: 4)`);
    assert.ok(alert.judgement.observed > 0.06 && Math.abs(alert.judgement.baseline - 0.03) < 0.01, JSON.stringify(alert.judgement));
    assert.ok(alert.judgement.zScore >= 3 && alert.judgement.ratio >= 2);
    const resolved = sim.events.filter((e) => e.state === 'resolved');
    assert.equal(resolved.length, 1, `seed ${seed}: one resolution`);
    // Recovery: the window flushes the spike (4) and the signal stays normal for rearm_after (2 windows: 8).
    const afterEnd = resolved[0]!.interval - (start + 20);
    assert.ok(afterEnd >= 8 && afterEnd <= 14, `seed ${seed}: resolved ${afterEnd} intervals after the spike ended`);
    assert.equal(resolved[0]!.startsAtMs, alert.startsAtMs, 'the resolution names the incident it ends');
    assert.ok(resolved[0]!.endsAtMs! > alert.startsAtMs);
  }
});

test('a failed-login surge is detected within one window and alerted once', () => {
  for (const seed of [1, 2, 3]) {
    const random = seeded(seed * 17);
    const sim = simulate({}, seed);
    const start = HOUR;
    sim.run(2 * HOUR, (i) => ({ failedLogins: poisson(random, i >= start && i < start + 12 ? 25 : 2) }));
    const alerts = firing(sim.events);
    assert.equal(alerts.length, 1, `seed ${seed}: ${JSON.stringify(sim.events.map((e) => [e.interval, e.state, e.signal]))}`);
    assert.equal(alerts[0]!.signal, 'failed_login_rate');
    assert.ok(alerts[0]!.interval - start < 4, `detected ${alerts[0]!.interval - start} intervals in`);
    assert.equal(sim.events.filter((e) => e.state === 'resolved').length, 1);
  }
});

test('an incident that flaps stays one alert; a second incident after re-arming is a second alert', () => {
  const random = seeded(99);
  const sim = simulate({}, 99);
  const bad = (i: number) => (i >= 240 && i < 250) || (i >= 253 && i < 260) || (i >= 400 && i < 410);
  sim.run(500, (i) => ({ sessions: poisson(random, 50), errorRate: bad(i) ? 0.25 : 0.03 }));
  // 250–253: three normal intervals, fewer than rearm_after (8): the same incident.
  assert.deepEqual(
    sim.events.map((e) => e.state),
    ['firing', 'resolved', 'firing', 'resolved'],
  );
  assert.ok(sim.events[2]!.interval >= 400 && sim.events[2]!.interval < 404);
});

test('no alert on hours of noisy but stationary traffic, for either signal', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    const random = seeded(seed);
    const sim = simulate({}, seed);
    // 600 sessions a minute, 4% of them with an exception, 32 failed logins a minute, all Poisson noise.
    sim.run(6 * HOUR, () => ({ sessions: poisson(random, 150), errorRate: 0.04, failedLogins: poisson(random, 8) }));
    assert.deepEqual(sim.events, [], `seed ${seed}`);
  }
});

test('below min_events nothing alerts, however large the relative rise', () => {
  const random = seeded(5);
  const sim = simulate({ min_events: 10 }, 5);
  // 1 failed login a minute, then 8 a minute: 8× the baseline, but under the floor of 10 per window.
  sim.run(2 * HOUR, (i) => ({ failedLogins: i >= HOUR && i % 2 === 0 ? 4 : poisson(random, 0.25), sessions: 4, errorRate: i >= HOUR ? 0.5 : 0 }));
  assert.deepEqual(sim.events, []);
  // The same surge with the floor lowered is an alert.
  const random2 = seeded(5);
  const low = simulate({ min_events: 5 }, 5);
  low.run(2 * HOUR, (i) => ({ failedLogins: i >= HOUR && i % 2 === 0 ? 4 : poisson(random2, 0.25) }));
  assert.equal(firing(low.events).length, 1);
});

test('nothing alerts during warm-up (min_samples), even a spike from the first minute', () => {
  const sim = simulate({ min_samples: 20 }, 3);
  sim.run(18, (i) => ({ failedLogins: i < 8 ? 1 : 40 }));
  assert.deepEqual(sim.events, []);
});

test('rate_of_change keeps a statistically significant but small rise quiet; 0 leaves the z-score alone', () => {
  // A very steady baseline: 1000 sessions an interval at exactly 5% errors, then 6.5%.
  const steady = (rate: number) => (i: number) => ({ sessions: 1000, errorRate: i >= 100 ? rate : 0.05 });
  const sim = simulate({}, 8);
  sim.run(200, steady(0.065));
  assert.deepEqual(sim.events, [], 'a 1.3× rise is not worth a page with rate_of_change: 2');
  const zOnly = simulate({ rate_of_change: 0 }, 8);
  zOnly.run(200, steady(0.065));
  assert.equal(firing(zOnly.events).length, 1, 'with the ratio rule off, the z-score alone decides');
});

test('series are per service version, bounded by max_series', () => {
  const sim = simulate({ max_series: 2 });
  const a = sim.engine.series('web', '1')!;
  const b = sim.engine.series('web', '2')!;
  assert.notEqual(a, b);
  assert.equal(sim.engine.series('web', '1'), a);
  assert.equal(sim.engine.series('api', '1'), undefined, 'a third pair is not tracked');
  assert.equal(sim.engine.seriesCount, 2);
});
