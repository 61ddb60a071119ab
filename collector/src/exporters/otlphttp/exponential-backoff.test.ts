import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ExponentialBackoff } from './exponential-backoff.js';

const policy = { enabled: true, initial_interval: 100, max_interval: 400, max_elapsed_time: 0, multiplier: 2, randomization_factor: 0.5 };

it('grows by the multiplier up to max_interval', () => {
  const backoff = new ExponentialBackoff(policy, () => 0.5); // 0.5 = no jitter
  assert.deepEqual([1, 2, 3, 4, 5].map(() => backoff.nextDelay()), [100, 200, 400, 400, 400]);
});

it('spreads each delay by ±randomization_factor', () => {
  const low = new ExponentialBackoff(policy, () => 0);
  const high = new ExponentialBackoff(policy, () => 0.999999);
  assert.equal(low.nextDelay(), 50);
  assert.ok(Math.abs(high.nextDelay() - 150) < 0.001);
  assert.equal(low.nextDelay(), 100);
});
