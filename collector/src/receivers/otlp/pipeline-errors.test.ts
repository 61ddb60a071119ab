import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { MalformedRecordError, PermanentError, RefusedError, type Logger } from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { otlpReceiverConfigSchema } from './config.js';
import { otlpReceiverFactory } from './factory.js';
import { postJson, postProtobuf, startReceiver, type Harness } from './test-harness.js';

const SPANS = (n: number) => ({
  resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: n }, (_, i) => ({ traceId: '5b8efff798038103d269b633813fc60c', spanId: `eee19b7ec3c1b1${String(10 + i)}`, name: `s${i}` })) }] }],
});
const LABELS = { receiver: 'otlp', transport: 'http' };

/** A logger that keeps warn and info lines for assertions. */
function recordingLogger(lines: { level: string; obj: unknown; msg?: string }[]): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { debug: () => {}, info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

describe('otlp receiver: pipeline failures become the right OTLP answer', () => {
  let harness: Harness;
  let failWith: unknown;
  before(async () => {
    harness = await startReceiver({}, {
      consume: async () => {
        if (failWith !== undefined) throw failWith;
      },
    });
  });
  afterEach(() => {
    failWith = undefined;
  });
  after(() => harness.stop());

  it('RefusedError → 503 with Retry-After (retryable)', async () => {
    failWith = new RefusedError('memory_limiter: memory usage above the soft limit', 7);
    const reply = await postJson(harness.url('/v1/traces'), SPANS(3));
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('retry-after'), '7');
    assert.equal(reply.message, 'memory_limiter: memory usage above the soft limit');
  });

  it('RefusedError without a delay → 503 without Retry-After (client backs off)', async () => {
    failWith = new RefusedError('queue full');
    const reply = await postProtobuf(harness.url('/v1/traces'), encodeOneSpan());
    assert.equal(reply.status, 503);
    assert.equal(reply.headers.get('retry-after'), null);
    assert.equal(reply.encoding, 'protobuf');
    assert.equal(reply.message, 'queue full');
  });

  it('PermanentError → 400 with its message (not retried)', async () => {
    failWith = new PermanentError('span too large for the session store');
    const reply = await postJson(harness.url('/v1/traces'), SPANS(2));
    assert.equal(reply.status, 400);
    assert.equal(reply.message, 'span too large for the session store');
  });

  it('a record that turns out undecodable downstream → 400, not an endless retry', async () => {
    failWith = new MalformedRecordError('Span', new Error('index out of range'));
    const reply = await postJson(harness.url('/v1/traces'), SPANS(1));
    assert.equal(reply.status, 400);
    assert.equal(reply.message, 'malformed Span: index out of range');
  });

  it('any other error → 503 (retryable) naming the cause', async () => {
    failWith = new Error('exporter queue closed');
    const reply = await postJson(harness.url('/v1/traces'), SPANS(1));
    assert.equal(reply.status, 503);
    assert.equal(reply.message, 'the pipeline failed to take the data, retry later: exporter queue closed');
  });

  it('counts items whose consume failed as refused, the others as accepted', async () => {
    await postJson(harness.url('/v1/traces'), SPANS(4));
    assert.equal(await harness.settings.metrics.value('stitch_receiver_refused_spans_total', LABELS), 3 + 1 + 2 + 1 + 1);
    assert.equal(await harness.settings.metrics.value('stitch_receiver_accepted_spans_total', LABELS), 4);
  });
});

function encodeOneSpan(): Uint8Array {
  // A minimal valid protobuf request: resourceSpans { scopeSpans { spans { trace_id, span_id } } }.
  const span = Buffer.concat([Buffer.from([0x0a, 16]), Buffer.alloc(16, 1), Buffer.from([0x12, 8]), Buffer.alloc(8, 2)]);
  const scope = Buffer.concat([Buffer.from([0x12, span.length]), span]);
  const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
  return Buffer.concat([Buffer.from([0x0a, resource.length]), resource]);
}

describe('otlp receiver: a consumer that throws synchronously', () => {
  it('answers 503, logs a warning and keeps serving', async () => {
    const lines: { level: string; obj: unknown; msg?: string }[] = [];
    const settings = testSettings('otlp', recordingLogger(lines));
    const config = otlpReceiverConfigSchema.parse({ protocols: { http: { endpoint: '127.0.0.1:0' } } });
    let calls = 0;
    const receiver = otlpReceiverFactory.create(settings, config, {
      traces: {
        consume() {
          if (++calls === 1) throw new TypeError('bug in a processor');
          return Promise.resolve();
        },
      },
    });
    await receiver.start();
    try {
      const url = `http://127.0.0.1:${receiver.port}/v1/traces`;
      const failed = await postJson(url, SPANS(1));
      assert.equal(failed.status, 503);
      assert.match(failed.message, /bug in a processor/);
      const warning = lines.find((line) => line.level === 'warn');
      assert.equal(warning?.msg, 'pipeline refused data from otlp receiver');
      assert.equal((await postJson(url, SPANS(1))).status, 200);
      const listening = lines.find((line) => line.msg === 'otlp receiver listening');
      assert.deepEqual((listening?.obj as { endpoint: string }).endpoint, `127.0.0.1:${receiver.port}`);
    } finally {
      await receiver.shutdown();
    }
  });
});
