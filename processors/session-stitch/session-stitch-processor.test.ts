import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  LogRecordView,
  ResourceGroup,
  ResourceRecord,
  ScopeGroup,
  ScopeRecord,
  SignalBatch,
  SpanRecord,
  type Consumer,
  type CreateSettings,
  type KeyValue,
  type TelemetryItem,
  type LogRecordView as LogRecordViewType,
  type SpanRecord as SpanRecordType,
} from '@stitch/collector-api';
import { sessionStitchConfigSchema } from './config.js';
import { SessionStitchProcessor } from './session-stitch-processor.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
let components = 0;

function settings(id = `session_stitch/t${components++}`): CreateSettings & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const counter = (name: string) => ({
    add: (n: number, labels?: Record<string, string>) => {
      const key = `${name}:${labels?.otel_signal}:${labels?.outcome ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + n);
    },
  });
  return { id, logger: silent, telemetry: { counter, gauge: () => ({ set() {} }) }, counts };
}

class Collected<R extends TelemetryItem> implements Consumer {
  readonly batches: SignalBatch<R>[] = [];
  async consume(batch: SignalBatch): Promise<void> {
    this.batches.push(batch as unknown as SignalBatch<R>);
  }
  items(): R[] {
    return this.batches.flatMap((b) => b.items());
  }
}

const hexBytes = (hex: string) => Buffer.from(hex, 'hex');
const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
let spanCounter = 1;

/** A span as the receiver makes it: bytes, undecoded. */
function span(traceId: string, opts: { parent?: string; session?: string; name?: string } = {}): SpanRecordType {
  const spanId = (spanCounter++).toString(16).padStart(16, '0');
  const value = SpanRecord.fromValue({
    traceId: hexBytes(traceId),
    spanId: hexBytes(spanId),
    parentSpanId: opts.parent ? hexBytes(opts.parent) : Buffer.alloc(0),
    name: opts.name ?? `span-${spanId}`,
    startTimeUnixNano: 1,
    endTimeUnixNano: 2,
    attributes: opts.session ? [str('session.id', opts.session)] : [str('http.route', '/x')],
    events: [],
    links: [],
  });
  return SpanRecord.fromBytes(value.encode());
}

function log(traceId: string, body: string, session?: string): LogRecordViewType {
  const value = LogRecordView.fromValue({
    traceId: hexBytes(traceId),
    spanId: hexBytes('00000000000000aa'),
    body: { stringValue: body },
    attributes: session ? [str('session.id', session)] : [],
    timeUnixNano: 1,
  } as never);
  return LogRecordView.fromBytes(value.encode());
}

function batchOf<R extends SpanRecordType | LogRecordViewType>(signal: 'traces' | 'logs', items: R[], service = 'svc'): SignalBatch<R> {
  const resource = ResourceRecord.fromValue({ attributes: [str('service.name', service)] });
  return new SignalBatch<R>(signal, [new ResourceGroup<R>(resource, [new ScopeGroup<R>(ScopeRecord.empty(), items)])]);
}

const T1 = '11111111111111111111111111111111';
const T2 = '22222222222222222222222222222222';
const T3 = '33333333333333333333333333333333';
const BROWSER_SPAN = 'b0b0b0b0b0b0b0b0';
const config = (over: Record<string, unknown> = {}) => sessionStitchConfigSchema.parse({ wait: '150ms', ...over });
const running: SessionStitchProcessor<'traces' | 'logs'>[] = [];
function processor<S extends 'traces' | 'logs'>(signal: S, next: Consumer, s = settings(), over: Record<string, unknown> = {}) {
  const p = new SessionStitchProcessor(s, config(over), signal, next as never, { checkIntervalMs: 20 });
  running.push(p as never);
  return p;
}
afterEach(async () => {
  for (const p of running.splice(0)) await p.shutdown();
});
const sessionOf = (r: SpanRecordType | LogRecordViewType) => r.attribute('session.id');
const waitFor = async (check: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('browser span first: a later backend span of the trace is stamped at once, marked stitched', async () => {
  const out = new Collected<SpanRecordType>();
  const s = settings();
  const p = processor('traces', out, s);
  await p.consume(batchOf('traces', [span(T1, { session: 'S1', name: 'HTTP POST' })]), {});
  await p.consume(batchOf('traces', [span(T1, { parent: BROWSER_SPAN, name: 'POST /api' })], 'api'), {});
  const [browser, backend] = out.items();
  assert.equal(sessionOf(browser!), 'S1');
  assert.equal(sessionOf(backend!), 'S1');
  assert.equal(backend!.attribute('stitch.stitched'), true);
  assert.equal(browser!.attribute('stitch.stitched'), undefined, 'records that named their session are not marked');
  assert.equal(s.counts.get('processor_session_stitch_released_items:traces:stitched'), 1);
});

test('backend spans first (the usual order): held, then released stamped when the browser span arrives', async () => {
  const out = new Collected<SpanRecordType>();
  const p = processor('traces', out);
  await p.consume(batchOf('traces', [span(T1, { parent: BROWSER_SPAN }), span(T1, { parent: 'c0c0c0c0c0c0c0c0' })], 'api'), {});
  assert.equal(out.items().length, 0, 'held');
  assert.deepEqual(p.heldTraceIds(), [T1]);
  await p.consume(batchOf('traces', [span(T1, { session: 'S1' })], 'web'), {});
  await waitFor(() => out.items().length === 3);
  for (const item of out.items()) assert.equal(sessionOf(item), 'S1');
  const services = out.batches.map((b) => b.resources.map((r) => r.resource.serviceName).join());
  assert.ok(services.includes('api'), 'released records keep their resource');
  assert.deepEqual(p.heldTraceIds(), []);
});

test('a trace nobody names is released unstamped after `wait`, counted unmatched', async () => {
  const out = new Collected<SpanRecordType>();
  const s = settings();
  const p = processor('traces', out, s);
  await p.consume(batchOf('traces', [span(T2, { parent: BROWSER_SPAN })]), {});
  assert.equal(out.items().length, 0);
  await waitFor(() => out.items().length === 1);
  assert.equal(sessionOf(out.items()[0]!), undefined);
  assert.equal(s.counts.get('processor_session_stitch_released_items:traces:unmatched'), 1);
});

test('a trace rooted in a backend is passed on at once, undecoded, and so are its later spans', async () => {
  const out = new Collected<SpanRecordType>();
  const p = processor('traces', out);
  const root = span(T3);
  await p.consume(batchOf('traces', [span(T3, { parent: 'd0d0d0d0d0d0d0d0' }), root]), {});
  assert.equal(out.items().length, 2, 'nothing held');
  assert.equal(root.isDecoded, false, 'forwarded as the bytes it came in');
  await p.consume(batchOf('traces', [span(T3, { parent: 'e0e0e0e0e0e0e0e0' })]), {});
  assert.equal(out.items().length, 3);
  assert.deepEqual(p.heldTraceIds(), []);
});

test('over max_traces the oldest held traces leave unstamped, counted evicted; nothing is dropped', async () => {
  const out = new Collected<SpanRecordType>();
  const s = settings();
  const p = processor('traces', out, s, { max_traces: 2, wait: '1h' });
  const traces = ['a1', 'a2', 'a3', 'a4'].map((t) => t.padEnd(32, '0'));
  for (const t of traces) await p.consume(batchOf('traces', [span(t, { parent: BROWSER_SPAN })]), {});
  await waitFor(() => out.items().length === 2);
  assert.deepEqual(out.items().map((i) => i.traceId), traces.slice(0, 2));
  assert.deepEqual(p.heldTraceIds(), traces.slice(2));
  assert.equal(s.counts.get('processor_session_stitch_released_items:traces:evicted'), 2);
  await p.shutdown();
  assert.equal(out.items().length, 4, 'shutdown releases the rest');
});

test('the byte bound evicts too', async () => {
  const out = new Collected<SpanRecordType>();
  const p = processor('traces', out, settings(), { max_buffer_mib: 0.0001, wait: '1h' }); // ~105 bytes
  await p.consume(batchOf('traces', [span(T1, { parent: BROWSER_SPAN }), span(T1, { parent: BROWSER_SPAN })]), {});
  await p.consume(batchOf('traces', [span(T2, { parent: BROWSER_SPAN })]), {});
  await waitFor(() => out.items().length >= 2);
  assert.ok(out.items().every((i) => i.traceId === T1), 'the oldest trace went first');
});

test('a browser span in the traces pipeline releases backend logs held in the logs pipeline, stamped', async () => {
  const id = 'session_stitch/shared';
  const spansOut = new Collected<SpanRecordType>();
  const logsOut = new Collected<LogRecordViewType>();
  const traces = processor('traces', spansOut, settings(id));
  const logs = processor('logs', logsOut, settings(id));
  await logs.consume(batchOf('logs', [log(T1, 'payment declined')], 'api'), {});
  assert.equal(logsOut.items().length, 0, 'held');
  await traces.consume(batchOf('traces', [span(T1, { session: 'S9' })], 'web'), {});
  await waitFor(() => logsOut.items().length === 1);
  assert.equal(sessionOf(logsOut.items()[0]!), 'S9');
  // And a browser log teaches the traces pipeline.
  await logs.consume(batchOf('logs', [log(T2, 'click', 'S10')], 'web'), {});
  await traces.consume(batchOf('traces', [span(T2, { parent: BROWSER_SPAN })], 'api'), {});
  assert.equal(sessionOf(spansOut.items().at(-1)!), 'S10');
});

test('logs without a trace pass straight through', async () => {
  const out = new Collected<LogRecordViewType>();
  const p = processor('logs', out);
  const plain = LogRecordView.fromBytes(LogRecordView.fromValue({ body: { stringValue: 'boot' }, attributes: [], timeUnixNano: 1 } as never).encode());
  await p.consume(batchOf('logs', [plain]), {});
  assert.equal(out.items().length, 1);
});

test('config: durations and bounds are validated with the key named', () => {
  assert.throws(() => sessionStitchConfigSchema.parse({ wait: 'soon' }), /wait|duration/i);
  assert.throws(() => sessionStitchConfigSchema.parse({ max_traces: 0 }));
  assert.throws(() => sessionStitchConfigSchema.parse({ bogus: 1 }));
  const d = sessionStitchConfigSchema.parse({});
  assert.deepEqual([d.wait, d.max_traces, d.index_ttl], [10_000, 100_000, 4 * 3_600_000]);
});
