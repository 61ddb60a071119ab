import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OtlpTypes, type SpanRecord } from '@stitch/collector-api';
import { partialSuccessOf, postJson, postProtobuf, startReceiver, type Harness } from './test-harness.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const span = (name: string, ids: Record<string, string> = {}) => ({ traceId: TRACE, spanId: 'eee19b7ec3c1b174', name, startTimeUnixNano: '1', endTimeUnixNano: '2', ...ids });
const LABELS = { receiver: 'otlp', transport: 'http' };

describe('otlp receiver: invalid items are dropped, the rest go through (partial success)', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver();
  });
  after(() => harness.stop());

  it('JSON: keeps the good spans and reports each bad one with its position', async () => {
    const spans = [
      span('good-1'),
      span('zero-trace', { traceId: '0'.repeat(32) }),
      span('bad-hex', { spanId: 'zz19b7ec3c1b1741' }),
      span('short-span-id', { spanId: 'eee19b7e' }),
      span('good-2'),
    ];
    const reply = await postJson(harness.url('/v1/traces'), { resourceSpans: [{ scopeSpans: [{ spans }] }] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(reply.body.toString()), {
      partialSuccess: {
        rejectedSpans: '3',
        errorMessage:
          '3 spans rejected: resourceSpans[0].scopeSpans[0].spans[1]: traceId is all zeros; ' +
          'resourceSpans[0].scopeSpans[0].spans[2].spanId: "zz19b7ec3c1b1741" is not a hex string; ' +
          'resourceSpans[0].scopeSpans[0].spans[3]: spanId must be 8 bytes (16 hex characters), got 4',
      },
    });
    const names = (harness.captured.traces.at(-1)!.items() as SpanRecord[]).map((s) => s.name);
    assert.deepEqual(names, ['good-1', 'good-2']);
  });

  it('protobuf: same, answered as a protobuf ExportTraceServiceResponse', async () => {
    const id = (hex: string) => Buffer.from(hex, 'hex');
    const spans = [
      { traceId: id('00'.repeat(16)), spanId: id('eee19b7ec3c1b174'), name: 'zero-trace' },
      { traceId: id(TRACE), spanId: id('eee19b7ec3c1b174'), name: 'good' },
      { traceId: id(TRACE), spanId: id('eee19b'), name: 'short-span-id' },
      { traceId: id(TRACE), name: 'no-span-id' },
      { traceId: id(TRACE), spanId: id('eee19b7ec3c1b174'), parentSpanId: id('00'.repeat(8)), name: 'zero-parent' },
    ];
    const body = OtlpTypes.ExportTraceServiceRequest.encode(OtlpTypes.ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish();
    const reply = await postProtobuf(harness.url('/v1/traces'), body);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'application/x-protobuf');
    const partial = partialSuccessOf('traces', reply)!;
    assert.equal(partial.rejected, 4);
    assert.equal(
      partial.errorMessage,
      '4 spans rejected: resourceSpans[0].scopeSpans[0].spans[0]: traceId is all zeros; ' +
        'resourceSpans[0].scopeSpans[0].spans[2]: spanId must be 8 bytes (16 hex characters), got 3; ' +
        'resourceSpans[0].scopeSpans[0].spans[3]: spanId is missing; and 1 more',
    );
    assert.deepEqual((harness.captured.traces.at(-1)!.items() as SpanRecord[]).map((s) => s.name), ['good']);
  });

  it('a batch with only bad spans reaches no pipeline and still answers 200 with partial success', async () => {
    const before = harness.captured.traces.length;
    const reply = await postJson(harness.url('/v1/traces'), { resourceSpans: [{ scopeSpans: [{ spans: [span('bad', { traceId: '' })] }] }] });
    assert.equal(reply.status, 200);
    assert.deepEqual(partialSuccessOf('traces', reply), { rejected: 1, errorMessage: '1 span rejected: resourceSpans[0].scopeSpans[0].spans[0]: traceId is missing' });
    assert.equal(harness.captured.traces.length, before);
  });

  it('log records with a bad trace id and unnamed metrics are rejected the same way', async () => {
    const logs = await postJson(harness.url('/v1/logs'), {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'kept' } }, { traceId: 'abcd', body: { stringValue: 'dropped' } }] }] }],
    });
    assert.deepEqual(partialSuccessOf('logs', logs), {
      rejected: 1,
      errorMessage: '1 log record rejected: resourceLogs[0].scopeLogs[0].logRecords[1]: traceId must be 16 bytes (32 hex characters), got 2',
    });
    assert.equal(harness.captured.logs.at(-1)!.itemCount(), 1);

    const gauge = { dataPoints: [{ asDouble: 1 }, { asDouble: 2 }] };
    const metrics = await postJson(harness.url('/v1/metrics'), { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'ok', gauge }, { gauge }] }] }] });
    assert.deepEqual(partialSuccessOf('metrics', metrics), {
      rejected: 2,
      errorMessage: '2 data points rejected: resourceMetrics[0].scopeMetrics[0].metrics[1]: metric name is missing',
    });
    assert.equal(harness.captured.metrics.at(-1)!.itemCount(), 2);
  });

  it('counts rejected items as refused and the rest as accepted', async () => {
    const value = (name: string) => harness.settings.metrics.value(name, LABELS);
    assert.equal(await value('stitch_receiver_accepted_spans_total'), 3);
    assert.equal(await value('stitch_receiver_refused_spans_total'), 8);
    assert.equal(await value('stitch_receiver_refused_log_records_total'), 1);
    assert.equal(await value('stitch_receiver_refused_metric_points_total'), 2);
    assert.equal(await value('stitch_receiver_accepted_metric_points_total'), 2);
  });
});
