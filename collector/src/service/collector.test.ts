import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  z,
  type ExporterFactory,
  type ProcessorFactory,
  type ReceiverConsumers,
  type ReceiverFactory,
  type SignalBatch as Batch,
  type Traces,
} from '@stitch/collector-api';
import { batchProcessorFactory } from '@stitch/processors';
import { loadConfigText, formatProblems } from '../config/load.js';
import { Registry } from '../registry.js';
import { healthCheckExtensionFactory } from '../extensions/health_check/factory.js';
import type { HealthCheckExtension } from '../extensions/health_check/health-check.js';
import { silentLogger } from '../telemetry/logger.js';
import { Collector } from './collector.js';

// Test doubles for the ends of a pipeline: a receiver the test pushes into, and exporters that
// record or fail. The pipeline runtime between them is the real one.
const events: string[] = [];
const pushers = new Map<string, ReceiverConsumers>();
const received = new Map<string, Batch[]>();

const pushReceiver: ReceiverFactory<object> = {
  type: 'push', kind: 'receiver', stability: 'development', signals: ['traces', 'logs'], configSchema: z.strictObject({}),
  create: (settings, _config, consumers) => {
    pushers.set(settings.id, consumers);
    return { start: () => void events.push(`start ${settings.id}`), shutdown: () => void events.push(`stop ${settings.id}`) };
  },
};
const recordExporter: ExporterFactory<{ fail: boolean }> = {
  type: 'record', kind: 'exporter', stability: 'development', signals: ['traces', 'logs', 'metrics'],
  configSchema: z.strictObject({ fail: z.boolean().default(false) }),
  create: (settings, config) => ({
    start: () => void events.push(`start ${settings.id}`),
    shutdown: () => void events.push(`stop ${settings.id}`),
    consume: async (batch) => {
      if (config.fail) throw new Error('destination down');
      received.set(settings.id, [...(received.get(settings.id) ?? []), batch]);
    },
  }),
};
const renameProcessor: ProcessorFactory<{ to: string }> = {
  type: 'rename', kind: 'processor', stability: 'development', signals: ['traces'],
  configSchema: z.strictObject({ to: z.string() }),
  create: (settings, config, _signal, next) => ({
    mutatesData: true,
    start: () => void events.push(`start ${settings.id}`),
    shutdown: () => void events.push(`stop ${settings.id}`),
    consume: async (batch, context) => {
      for (const span of (batch as Traces).items()) span.update((data) => void (data.name = config.to));
      return next.consume(batch, context);
    },
  }),
};
const registry = new Registry([pushReceiver, recordExporter, renameProcessor, batchProcessorFactory, healthCheckExtensionFactory]);

function traces(name: string): Traces {
  const span = SpanRecord.fromValue({ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 3), name, startTimeUnixNano: 1, endTimeUnixNano: 2, attributes: [], events: [], links: [] });
  // Through bytes, as a receiver would hand it over.
  const fromBytes = SpanRecord.fromBytes(span.encode());
  return new SignalBatch('traces', [new ResourceGroup(ResourceRecord.empty(), [new ScopeGroup(ScopeRecord.empty(), [fromBytes])])]);
}

function collector(yaml: string): Collector {
  const result = loadConfigText(yaml, registry, {});
  assert.ok(result.ok, result.ok ? '' : formatProblems(result.problems));
  return new Collector(result.config, silentLogger());
}

test('components start downstream-first and stop upstream-first; shared exporters are one instance', async () => {
  events.length = 0;
  const c = collector(`
receivers: { push: {} }
processors: { rename/a: { to: a }, rename/b: { to: b } }
exporters: { record/1: {}, record/2: {} }
service:
  pipelines:
    traces: { receivers: [push], processors: [rename/a, rename/b], exporters: [record/1, record/2] }
    logs: { receivers: [push], exporters: [record/1] }
`);
  await c.start();
  await c.shutdown();
  assert.deepEqual(events, [
    'start record/1', 'start record/2', 'start rename/b', 'start rename/a', 'start push',
    'stop push', 'stop rename/a', 'stop rename/b', 'stop record/1', 'stop record/2',
  ]);
});

test('a pipeline that changes data gets its own copy; the other pipeline sees the original', async () => {
  received.clear();
  const c = collector(`
receivers: { push: {} }
processors: { rename: { to: changed } }
exporters: { record/plain: {}, record/renamed: {} }
service:
  pipelines:
    traces/plain: { receivers: [push], exporters: [record/plain] }
    traces/renamed: { receivers: [push], processors: [rename], exporters: [record/renamed] }
`);
  await c.start();
  await pushers.get('push')!.traces!.consume(traces('original'), {});
  await c.shutdown();
  assert.equal((received.get('record/plain')![0] as Traces).items()[0]!.name, 'original');
  assert.equal((received.get('record/renamed')![0] as Traces).items()[0]!.name, 'changed');
});

test('a failing exporter does not stop the others; the error reaches the caller', async () => {
  received.clear();
  const c = collector(`
receivers: { push: {} }
exporters: { record/down: { fail: true }, record/up: {} }
service:
  pipelines:
    traces: { receivers: [push], exporters: [record/down, record/up] }
`);
  await c.start();
  await assert.rejects(pushers.get('push')!.traces!.consume(traces('x'), {}), /record\/down: destination down/);
  assert.equal(received.get('record/up')?.length, 1);
  await c.shutdown();
});

test('health_check answers 503 until pipelines run, 200 while running, 503 while draining', async () => {
  const c = collector(`
receivers: { push/slow: {} }
exporters: { record: {} }
extensions: { health_check: { endpoint: 127.0.0.1:0 } }
service:
  extensions: [health_check]
  pipelines:
    traces: { receivers: [push/slow], exporters: [record] }
`);
  const health = c.component<HealthCheckExtension>('extension', 'health_check')!;
  const receiver = c.component<{ start: () => void }>('receiver', 'push/slow')!;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let statusWhileStarting = 0;
  // The receiver starts last; while it starts, the health check already listens and must say 503.
  receiver.start = async () => {
    statusWhileStarting = (await fetch(`http://127.0.0.1:${health.port}/`)).status;
    await gate;
  };
  const started = c.start();
  release();
  await started;
  assert.equal(statusWhileStarting, 503);
  const url = `http://127.0.0.1:${health.port}/`;
  const running = await fetch(url);
  assert.equal(running.status, 200);
  assert.equal((await running.json()).status, 'Server available');
  health.notReady();
  const draining = await fetch(url);
  assert.equal(draining.status, 503);
  assert.equal((await draining.json()).state, 'draining');
  await c.shutdown();
});

test('a batch processor in two pipelines fed by one receiver keeps both intact', async () => {
  received.clear();
  const c = collector(`
receivers: { push: {} }
processors: { batch: { send_batch_size: 1 } }
exporters: { record/1: {}, record/2: {} }
service:
  pipelines:
    traces/1: { receivers: [push], processors: [batch], exporters: [record/1] }
    traces/2: { receivers: [push], processors: [batch], exporters: [record/2] }
`);
  await c.start();
  await pushers.get('push')!.traces!.consume(traces('both'), {});
  await c.shutdown();
  assert.equal((received.get('record/1')![0] as Traces).items()[0]!.name, 'both');
  assert.equal((received.get('record/2')![0] as Traces).items()[0]!.name, 'both');
});
