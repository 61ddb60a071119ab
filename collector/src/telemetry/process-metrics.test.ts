import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelfMetrics } from './self-metrics.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('event-loop delay: a blocked loop shows in the next scrape, and each scrape starts a new window', async () => {
  const metrics = new SelfMetrics();
  await sleep(100);
  await metrics.registry.metrics(); // starts a window
  await sleep(60);
  const until = Date.now() + 150;
  while (Date.now() < until) {
    // Synchronous work: nothing else runs meanwhile.
  }
  await sleep(60);
  const blocked = await metrics.value('stitch_process_event_loop_delay_max_seconds');
  const p99 = await metrics.value('stitch_process_event_loop_delay_p99_seconds');
  assert.ok(blocked >= 0.1 && blocked < 1, `the 150 ms block is the max: ${blocked} s`);
  assert.ok(p99 <= blocked, 'p99 never above the max');

  await sleep(200);
  const quiet = await metrics.value('stitch_process_event_loop_delay_max_seconds');
  assert.ok(quiet < 0.05, `the next window does not carry the block: ${quiet} s`);
});
