import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RefusedError,
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  type Consumer,
  type CreateSettings,
  type Traces,
  validateConfig,
} from '@stitch/collector-api';
import { memoryLimiterConfigSchema, resolveLimits } from './config.js';
import { makeMemoryLimiterFactory } from './factory.js';
import { processMemoryProbe, type MemoryProbe } from './memory-probe.js';
import { MemoryWatch } from './memory-watch.js';

const MIB = 1024 * 1024;
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function settings(): CreateSettings & { values: Map<string, number> } {
  const values = new Map<string, number>();
  const key = (name: string, labels?: Record<string, string>) => `${name}${JSON.stringify(labels ?? {})}`;
  return {
    id: 'memory_limiter',
    logger: silent,
    telemetry: {
      counter: (name) => ({ add: (n, labels) => values.set(key(name, labels), (values.get(key(name, labels)) ?? 0) + n) }),
      gauge: (name) => ({ set: (v, labels) => values.set(key(name, labels), v) }),
    },
    values,
  };
}

/** Memory that the test sets; a GC brings it down to `afterGc` when given. */
function fakeProbe(startMib: number): MemoryProbe & { mib: number; afterGc?: number; reads: number; gcs: number } {
  const probe = {
    mib: startMib,
    afterGc: undefined as number | undefined,
    reads: 0,
    gcs: 0,
    rssBytes: () => {
      probe.reads++;
      return probe.mib * MIB;
    },
    collectGarbage: () => {
      probe.gcs++;
      if (probe.afterGc !== undefined) probe.mib = probe.afterGc;
      return true;
    },
  };
  return probe;
}

function spans(count: number): Traces {
  const items = Array.from({ length: count }, (_, i) =>
    SpanRecord.fromValue({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, i + 1),
      name: `span-${i}`,
      startTimeUnixNano: 1,
      endTimeUnixNano: 2,
      attributes: [],
      events: [],
      links: [],
    }),
  );
  return new SignalBatch('traces', [new ResourceGroup(ResourceRecord.empty(), [new ScopeGroup(ScopeRecord.empty(), items)])]);
}

function collecting(): Consumer<'traces'> & { received: number } {
  const sink = { received: 0, consume: async (batch: Traces) => void (sink.received += batch.itemCount()) };
  return sink;
}

const parse = (config: object) => memoryLimiterConfigSchema.parse(config);

test('passes data below the soft limit, refuses it (RefusedError with Retry-After, counted) above, accepts again below', async () => {
  const probe = fakeProbe(100);
  const factory = makeMemoryLimiterFactory(probe);
  const s = settings();
  const sink = collecting();
  const config = parse({ check_interval: '2s', limit_mib: 200, spike_limit_mib: 50 });
  const processor = factory.create(s, config, 'traces', sink);
  await processor.start!({ getExtension: () => undefined, getExporter: () => undefined });
  try {
    await processor.consume(spans(3), {});
    assert.equal(sink.received, 3);

    probe.mib = 160; // above the soft limit (150), below the hard one
    const watch = (processor as unknown as { watch: { check(): void } }).watch;
    watch.check();
    const refusal = await processor.consume(spans(4), {}).then(
      () => assert.fail('expected a refusal'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof RefusedError);
    assert.equal(refusal.retryAfterSeconds, 2, 'come back after the next check');
    assert.match(refusal.message, /160 MiB is above the soft limit 150 MiB/);
    assert.equal(sink.received, 3, 'nothing refused went on');
    assert.equal(s.values.get('processor_refused_items{"processor":"memory_limiter","otel_signal":"traces"}'), 4);
    assert.equal(s.values.get('memory_limiter_refusing{"processor":"memory_limiter"}'), 1);
    assert.equal(s.values.get('memory_limiter_usage_bytes{"processor":"memory_limiter"}'), 160 * MIB);
    assert.equal(s.values.get('memory_limiter_limit_bytes{"processor":"memory_limiter","limit":"soft"}'), 150 * MIB);
    assert.equal(s.values.get('memory_limiter_limit_bytes{"processor":"memory_limiter","limit":"hard"}'), 200 * MIB);

    probe.mib = 140;
    watch.check();
    await processor.consume(spans(2), {});
    assert.equal(sink.received, 5);
    assert.equal(s.values.get('memory_limiter_refusing{"processor":"memory_limiter"}'), 0);
  } finally {
    await processor.shutdown!();
  }
});

test('above the hard limit every check forces a GC; between the limits at most one a second', () => {
  const probe = fakeProbe(100);
  const s = settings();
  const clock = { now: 0 };
  const watch = new MemoryWatch({
    id: 'memory_limiter',
    limits: resolveLimits(parse({ limit_mib: 200, spike_limit_mib: 50 }), 0),
    intervalMs: 1000,
    probe,
    logger: silent,
    telemetry: s.telemetry,
    now: () => clock.now,
  });
  watch.check();
  assert.equal(probe.gcs, 0, 'no GC below the soft limit');

  probe.mib = 230;
  probe.afterGc = 120;
  watch.check();
  assert.equal(probe.gcs, 1);
  assert.equal(watch.refusing, false, 'decided on the memory left after the GC');
  assert.equal(s.values.get('memory_limiter_gc_runs{"processor":"memory_limiter"}'), 1);

  clock.now += 100;
  probe.mib = 230;
  probe.afterGc = 210;
  watch.check();
  assert.equal(probe.gcs, 2, 'every check above the hard limit collects');
  assert.equal(watch.refusing, true);

  probe.mib = 170;
  probe.afterGc = undefined;
  clock.now += 500;
  watch.check();
  assert.equal(probe.gcs, 2, 'between the limits, not within a second of the last GC');
  assert.equal(watch.refusing, true);
  clock.now += 500;
  watch.check();
  assert.equal(probe.gcs, 3, 'a second later, one more');
});

test('pipelines of one memory_limiter share one sampler; another collector gets its own', async () => {
  const probe = fakeProbe(100);
  const factory = makeMemoryLimiterFactory(probe);
  const config = parse({ check_interval: '20ms', limit_mib: 200, spike_limit_mib: 50 });
  const host = { getExtension: () => undefined, getExporter: () => undefined };
  const traces = factory.create(settings(), config, 'traces', collecting());
  const logs = factory.create(settings(), config, 'logs', { consume: async () => {} });
  assert.equal((traces as unknown as { watch: unknown }).watch, (logs as unknown as { watch: unknown }).watch);
  const other = factory.create(settings(), parse({ limit_mib: 200, spike_limit_mib: 50 }), 'traces', collecting());
  assert.notEqual((traces as unknown as { watch: unknown }).watch, (other as unknown as { watch: unknown }).watch);

  await traces.start!(host);
  await logs.start!(host);
  await new Promise((resolve) => setTimeout(resolve, 210));
  const reads = probe.reads;
  // ~11 checks in 210 ms: one sampler, not two (two would read ~22 times).
  assert.ok(reads >= 5 && reads <= 14, `one sampler reads about once per interval, got ${reads} reads`);
  await traces.shutdown!();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.ok(probe.reads > reads, 'still sampling while the logs pipeline runs');
  await logs.shutdown!();
  const stopped = probe.reads;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(probe.reads, stopped, 'the last pipeline to stop stops the sampling');
});

test('the hot path does not read memory: consume() only looks at the last verdict', async () => {
  const probe = fakeProbe(100);
  const config = parse({ check_interval: '1h', limit_mib: 200 });
  const processor = makeMemoryLimiterFactory(probe).create(settings(), config, 'traces', collecting());
  await processor.start!({ getExtension: () => undefined, getExporter: () => undefined });
  const reads = probe.reads;
  for (let i = 0; i < 1000; i++) await processor.consume(spans(1), {});
  assert.equal(probe.reads, reads);
  await processor.shutdown!();
});

test('limits: defaults 512/128 MiB, spike defaults to a quarter, percentages of the available memory', () => {
  assert.deepEqual(resolveLimits(parse({}), 0), { hardBytes: 512 * MIB, softBytes: 384 * MIB });
  assert.equal(parse({}).check_interval, 1000);
  assert.deepEqual(resolveLimits(parse({ limit_mib: 1000 }), 0), { hardBytes: 1000 * MIB, softBytes: 750 * MIB });
  assert.deepEqual(resolveLimits(parse({ limit_mib: 300, spike_limit_mib: 0 }), 0), { hardBytes: 300 * MIB, softBytes: 300 * MIB });
  assert.deepEqual(resolveLimits(parse({ limit_percentage: 50, spike_limit_percentage: 10 }), 1000 * MIB), { hardBytes: 500 * MIB, softBytes: 400 * MIB });
  assert.deepEqual(resolveLimits(parse({ limit_percentage: 80 }), 1000 * MIB), { hardBytes: 800 * MIB, softBytes: 600 * MIB });
});

test('invalid configs name the key', () => {
  const problem = (config: object) => {
    const result = memoryLimiterConfigSchema.safeParse(config);
    assert.equal(result.success, false, JSON.stringify(config));
    return { path: result.error!.issues[0]!.path.join('.'), message: result.error!.issues[0]!.message };
  };
  assert.deepEqual(problem({ limit_mib: 100, spike_limit_mib: 100 }), { path: 'spike_limit_mib', message: 'spike_limit_mib must be less than limit_mib (100)' });
  assert.deepEqual(problem({ spike_limit_mib: 600 }), { path: 'spike_limit_mib', message: 'spike_limit_mib must be less than limit_mib (512)' });
  assert.equal(problem({ limit_mib: 100, limit_percentage: 50 }).path, 'limit_percentage');
  assert.equal(problem({ limit_percentage: 50, spike_limit_percentage: 50 }).path, 'spike_limit_percentage');
  assert.equal(problem({ limit_mib: 100, spike_limit_percentage: 5 }).path, 'spike_limit_percentage');
  assert.equal(problem({ limit_percentage: 50, spike_limit_mib: 5 }).path, 'spike_limit_mib');
  assert.equal(problem({ check_interval: '0s' }).path, 'check_interval');
  assert.equal(problem({ limit_mib: -1 }).path, 'limit_mib');
  assert.equal(problem({ limit_percentage: 101 }).path, 'limit_percentage');
  assert.equal(problem({ limit: 5 }).path, '');
  // As the collector reports it at start: the full key path, the rule, the value.
  assert.deepEqual(validateConfig(memoryLimiterConfigSchema, { limit_mib: 256, spike_limit_mib: 300 }, 'processors.memory_limiter'), {
    ok: false,
    problems: [{ path: 'processors.memory_limiter.spike_limit_mib', message: 'spike_limit_mib must be less than limit_mib (256), got 300' }],
  });
});

test('the real probe reads RSS and can force a GC without --expose-gc', () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'the test runs without --expose-gc');
  let garbage: object[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `item ${i}` }));
  const before = process.memoryUsage().heapUsed;
  garbage = undefined;
  assert.equal(processMemoryProbe.collectGarbage(), true);
  const after = process.memoryUsage().heapUsed;
  assert.equal(garbage, undefined);
  assert.ok(after < before - 10 * MIB, `the GC freed the garbage: heap ${Math.round(before / MIB)} → ${Math.round(after / MIB)} MiB`);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'no gc global leaks into the main context');
  const rss = processMemoryProbe.rssBytes();
  assert.ok(rss > 10 * MIB && rss < 4096 * MIB);
});
