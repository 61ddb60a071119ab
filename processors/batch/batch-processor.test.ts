import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  RefusedError,
  type Consumer,
  type CreateSettings,
  type Traces,
} from '@stitch/collector-api';
import { batchProcessorFactory } from './factory.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
function settings(): CreateSettings & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const counter = (name: string) => ({ add: (n: number, labels?: Record<string, string>) => counts.set(`${name}:${labels?.otel_signal}`, (counts.get(`${name}:${labels?.otel_signal}`) ?? 0) + n) });
  return { id: 'batch', logger: silent, telemetry: { counter, gauge: () => ({ set() {} }) }, counts };
}

let nextId = 1;
function spans(count: number, service = 'svc'): Traces {
  const items = Array.from({ length: count }, () => {
    const id = nextId++;
    return SpanRecord.fromValue({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.from(id.toString(16).padStart(16, '0'), 'hex'),
      name: `span-${id}`,
      startTimeUnixNano: 1,
      endTimeUnixNano: 2,
      attributes: [],
      events: [],
      links: [],
    });
  });
  const resource = ResourceRecord.fromValue({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });
  return new SignalBatch('traces', [new ResourceGroup(resource, [new ScopeGroup(ScopeRecord.empty(), items)])]);
}

function collecting(): Consumer<'traces'> & { batches: Traces[] } {
  const batches: Traces[] = [];
  return { batches, consume: async (batch) => void batches.push(batch) };
}

const create = (config: object, next: Consumer<'traces'>, s = settings()) =>
  batchProcessorFactory.create(s, batchProcessorFactory.configSchema.parse(config), 'traces', next);

/** Whether a promise has settled yet (after pending callbacks ran). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test('sends at once when send_batch_size items wait, split to send_batch_max_size', async () => {
  const sink = collecting();
  const processor = create({ send_batch_size: 10, send_batch_max_size: 10, timeout: '10s', flush_when_idle: 0 }, sink);
  const small = processor.consume(spans(4), {});
  assert.equal(await settled(small), false, 'below the size nothing is sent, so nothing is acknowledged');
  assert.equal(sink.batches.length, 0);
  const large = processor.consume(spans(25), {});
  assert.equal(await settled(small), true, 'the first full batch held all 4 spans');
  assert.deepEqual(sink.batches.map((b) => b.itemCount()), [10, 10]);
  assert.equal(await settled(large), false, '9 of its spans still wait');
  await processor.shutdown!();
  await large;
  assert.deepEqual(sink.batches.map((b) => b.itemCount()), [10, 10, 9], 'shutdown flushes the rest');
  const names = sink.batches.flatMap((b) => b.items().map((s) => s.name));
  assert.equal(new Set(names).size, 29, 'every span exactly once');
});

test('sends a partial batch after the timeout, and only then acknowledges its callers', async () => {
  const sink = collecting();
  const processor = create({ send_batch_size: 100, timeout: '50ms', flush_when_idle: 0 }, sink);
  const started = Date.now();
  const acks = Promise.all([processor.consume(spans(3), {}), processor.consume(spans(2, 'other'), {})]);
  assert.equal(sink.batches.length, 0);
  await acks;
  assert.ok(Date.now() - started >= 45, 'acknowledged when the timeout sent the batch');
  assert.equal(sink.batches.length, 1);
  assert.equal(sink.batches[0]!.itemCount(), 5);
  assert.deepEqual(sink.batches[0]!.resources.map((r) => r.resource.serviceName), ['svc', 'other'], 'resources stay apart');
  await processor.shutdown!();
});

test('sends a partial batch once nothing has arrived for flush_when_idle, as one batch, long before the timeout', async () => {
  const sink = collecting();
  const processor = create({ send_batch_size: 100, timeout: '10s', flush_when_idle: '30ms' }, sink);
  const started = performance.now();
  const first = processor.consume(spans(3), {});
  // Arrivals closer together than the idle time keep the batch open.
  await new Promise((resolve) => setTimeout(resolve, 15));
  assert.equal(sink.batches.length, 0);
  const second = processor.consume(spans(4), {});
  await Promise.all([first, second]);
  const waited = performance.now() - started;
  assert.ok(waited >= 40, `the second arrival re-armed the idle wait (${Math.round(waited)} ms)`);
  assert.ok(waited < 2_000, `sent when idle, not after the 10 s timeout (${Math.round(waited)} ms)`);
  assert.deepEqual(sink.batches.map((b) => b.itemCount()), [7]);
  await processor.shutdown!();
});

test('while a send runs, partial batches wait and leave together when it ends (group commit)', async () => {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const sink = collecting();
  const slow: Consumer<'traces'> = { consume: async (batch, context) => { await gate; return sink.consume(batch, context); } };
  const processor = create({ send_batch_size: 1000, timeout: '10s', flush_when_idle: '5ms' }, slow);
  const first = processor.consume(spans(1), {});
  await new Promise((resolve) => setTimeout(resolve, 30)); // idle: the first send starts and waits at the gate
  const later = [processor.consume(spans(2), {}), processor.consume(spans(3), {})];
  await new Promise((resolve) => setTimeout(resolve, 30)); // idle again, but the first send still runs
  assert.equal(await settled(later[0]!), false);
  const held = gate;
  gate = Promise.resolve();
  release();
  await held;
  await Promise.all([first, ...later]);
  assert.deepEqual(sink.batches.map((b) => b.itemCount()), [1, 5], 'the two later requests left as one batch');
  await processor.shutdown!();
});

test('a caller is acknowledged only once downstream has taken its batch', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const sink = collecting();
  const slow: Consumer<'traces'> = { consume: async (batch, context) => { await gate; return sink.consume(batch, context); } };
  const processor = create({ send_batch_size: 2 }, slow);
  const ack = processor.consume(spans(2), {});
  assert.equal(await settled(ack), false, 'the batch is on its way but not yet taken');
  release();
  await ack;
  assert.equal(sink.batches.length, 1);
  await processor.shutdown!();
});

test('leaves the incoming batch intact for other pipelines that share it', async () => {
  const sink = collecting();
  const processor = create({ send_batch_size: 2, send_batch_max_size: 2 }, sink);
  const shared = spans(5);
  const ack = processor.consume(shared, {});
  assert.equal(shared.itemCount(), 5);
  assert.equal(shared.resources[0]!.scopes[0]!.items.length, 5);
  await processor.shutdown!();
  await ack;
});

test('a failing downstream reaches the callers whose items it held (any of their batches); later batches still flow', async () => {
  let calls = 0;
  const sink = collecting();
  const flaky: Consumer<'traces'> = {
    consume: async (batch, context) => {
      if (calls++ === 0) throw new RefusedError('queue full', 3);
      return sink.consume(batch, context);
    },
  };
  const s = settings();
  const processor = create({ send_batch_size: 3, send_batch_max_size: 3 }, flaky, s);
  // 2 + 2 spans: the second caller's spans are split over the failing batch and the next.
  const first = processor.consume(spans(2), {});
  const second = processor.consume(spans(2), {});
  const third = processor.consume(spans(2), {});
  await assert.rejects(first, (error: Error) => error instanceof RefusedError && error.retryAfterSeconds === 3);
  await assert.rejects(second, /queue full/);
  await processor.shutdown!();
  await third;
  assert.equal(sink.batches.length, 1);
  assert.equal(s.counts.get('processor_incoming_items:traces'), 6);
  assert.equal(s.counts.get('processor_outgoing_items:traces'), 3);
});

test('rejects a max size below the batch size, naming the key', () => {
  const result = batchProcessorFactory.configSchema.safeParse({ send_batch_size: 100, send_batch_max_size: 10 });
  assert.equal(result.success, false);
  assert.deepEqual(result.error!.issues[0]!.path, ['send_batch_max_size']);
});
