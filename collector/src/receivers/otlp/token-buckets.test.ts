import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRate } from './rate-limit-config.js';
import { TokenBuckets } from './token-buckets.js';

const rate = (text: string) => parseRate(text)!;

describe('token buckets (injected clock)', () => {
  it('lets a full bucket burst to capacity, then refills at the rate', () => {
    let now = 1_000_000;
    const buckets = new TokenBuckets(rate('5/s'), () => now);
    for (let i = 0; i < 5; i++) assert.equal(buckets.take('a'), 0, `request ${i}`);
    assert.equal(buckets.take('a'), 1, 'empty: retry after 1 s (rounded up, never 0)');
    now += 200; // one token back at 5/s
    assert.equal(buckets.take('a'), 0);
    assert.equal(buckets.take('a'), 1);
    now += 10_000; // refill caps at capacity
    for (let i = 0; i < 5; i++) assert.equal(buckets.take('a'), 0);
    assert.equal(buckets.take('a'), 1);
  });

  it('gives Retry-After in whole seconds until the next token for slow rates', () => {
    let now = 0;
    const buckets = new TokenBuckets(rate('2/m'), () => now);
    assert.equal(buckets.take('ip'), 0);
    assert.equal(buckets.take('ip'), 0);
    assert.equal(buckets.take('ip'), 30, 'one token per 30 s');
    now += 10_500;
    assert.equal(buckets.take('ip'), 20, '19.5 s left, rounded up');
    now += 19_500;
    assert.equal(buckets.take('ip'), 0);
  });

  it('keeps one bucket per name', () => {
    const buckets = new TokenBuckets(rate('1/s'), () => 0);
    assert.equal(buckets.take('a'), 0);
    assert.equal(buckets.take('b'), 0);
    assert.equal(buckets.take('a'), 1);
  });

  it('does not drain when the clock steps back', () => {
    let now = 5000;
    const buckets = new TokenBuckets(rate('1/s'), () => now);
    assert.equal(buckets.take('a'), 0);
    now = 0;
    assert.equal(buckets.take('a'), 1);
    now = 6000;
    assert.equal(buckets.take('a'), 0);
  });

  it('is bounded: past maxBuckets the least recently used bucket is forgotten', () => {
    const buckets = new TokenBuckets(rate('1/m'), () => 0, 3);
    for (const name of ['a', 'b', 'c']) assert.equal(buckets.take(name), 0);
    assert.equal(buckets.take('a'), 60, 'a is now the most recently used');
    for (let i = 0; i < 1000; i++) buckets.take(`random-${i}`);
    assert.equal(buckets.size, 3);
    assert.equal(buckets.take('a'), 0, 'a was evicted and starts full');
  });
});
