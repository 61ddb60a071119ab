import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchEntry, resourceTimingWaiter, type FetchEntry } from './resource-timing.js';

const entry = (name: string, startTime: number, extra: Partial<FetchEntry> = {}): FetchEntry => ({
  name, startTime, initiatorType: 'fetch', responseEnd: startTime + 50, encodedBodySize: 100, ...extra,
});

function fakeObserver() {
  let deliver: (e: FetchEntry[]) => void = () => {};
  let observing = false;
  const observe = (cb: (e: FetchEntry[]) => void) => {
    deliver = cb;
    observing = true;
    return () => void (observing = false);
  };
  return { observe, deliver: (...e: FetchEntry[]) => deliver(e), observing: () => observing };
}

describe('resource timing for fetch', () => {
  it('gives each of two concurrent requests to one URL its own entry', () => {
    const waiting = [{ url: 'https://a/x', start: 10 }, { url: 'https://a/x', start: 20 }, { url: 'https://a/y', start: 25 }];
    assert.equal(matchEntry(waiting, entry('https://a/x', 20.5)), 1);
    assert.equal(matchEntry(waiting, entry('https://a/x', 10.2)), 0);
    assert.equal(matchEntry(waiting, entry('https://a/z', 30)), -1);
    assert.equal(matchEntry(waiting, entry('https://a/x', 5)), -1, 'an entry older than every request');
  });

  it('hands over the entry when it arrives, and ignores non-fetch entries', () => {
    const o = fakeObserver();
    const waiter = resourceTimingWaiter(o.observe, 1000);
    const got: Array<FetchEntry | undefined> = [];
    waiter.wait('https://a/x', 10, (e) => got.push(e));
    o.deliver(entry('https://a/x', 11, { initiatorType: 'img' }));
    assert.equal(got.length, 0);
    o.deliver(entry('https://a/x', 11));
    assert.equal(got[0]?.startTime, 11);
    waiter.stop();
  });

  it('uses an entry that arrived before the wait began', () => {
    const o = fakeObserver();
    const waiter = resourceTimingWaiter(o.observe, 1000);
    o.deliver(entry('https://a/x', 11));
    let got: FetchEntry | undefined;
    waiter.wait('https://a/x', 10, (e) => (got = e));
    assert.equal(got?.startTime, 11);
    waiter.stop();
  });

  it('gives up after the timeout, on flush and on stop', async () => {
    const o = fakeObserver();
    const waiter = resourceTimingWaiter(o.observe, 5);
    const calls: string[] = [];
    waiter.wait('https://a/slow', 1, (e) => calls.push(`slow:${e === undefined}`));
    await new Promise((r) => setTimeout(r, 20));
    waiter.wait('https://a/hidden', 1, (e) => calls.push(`hidden:${e === undefined}`));
    waiter.flush();
    waiter.wait('https://a/stop', 1, (e) => calls.push(`stop:${e === undefined}`));
    waiter.stop();
    assert.deepEqual(calls, ['slow:true', 'hidden:true', 'stop:true']);
    assert.equal(o.observing(), false);
  });
});
