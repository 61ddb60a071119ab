import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefusedError } from '@stitch/collector-api';
import { capturingLogger } from '../../exporters/testing/capturing-logger.js';
import { RefusalLog } from './refusal-log.js';

test('logs one refusal line per 10 s, counting the ones in between, without a stack for backpressure', () => {
  const logger = capturingLogger();
  let now = 1_000_000;
  const log = new RefusalLog(logger, () => now);
  log.note('traces', 10, new RefusedError('memory above the soft limit', 1));
  for (let i = 0; i < 99; i++) {
    now += 50;
    log.note('traces', 5, new RefusedError('memory above the soft limit', 1));
  }
  now += 10_000;
  log.note('logs', 3, new Error('exporter broke'));
  const lines = logger.lines.filter((l) => l.msg === 'pipeline refused data from otlp receiver');
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.reason, 'memory above the soft limit');
  assert.equal(lines[0]!.err, undefined, 'no stack for a refusal');
  assert.equal(lines[1]!.refusals_since_last_line, 99);
  assert.equal(lines[1]!.items_refused_since_last_line, 495);
  assert.ok(lines[1]!.err, 'an unexpected failure keeps its error');
});
