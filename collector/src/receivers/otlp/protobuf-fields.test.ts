import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OtlpTypes, type LogRecordView, type SpanRecord } from '@stitch/collector-api';
import { postProtobuf, startReceiver, type Harness } from './test-harness.js';

const TRACE_ID = Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex');
const SPAN_ID = Buffer.from('00f067aa0ba902b7', 'hex');
const anyValue = {
  kvlistValue: { values: [{ key: 'nested', value: { arrayValue: { values: [{ intValue: '-9007199254740993' }, { doubleValue: 1.5 }] } } }] },
};

function encode(type: keyof typeof OtlpTypes, value: object): Uint8Array {
  return OtlpTypes[type].encode(OtlpTypes[type].fromObject(value)).finish();
}

describe('otlp receiver: protobuf fields newer than old .proto packages', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver();
  });
  after(() => harness.stop());

  it('decodes Span.flags, kvlist and bytes attributes and 64-bit ints beyond 2^53', async () => {
    const body = encode('ExportTraceServiceRequest', {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] },
          scopeSpans: [
            {
              scope: { name: 'hand-made' },
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  flags: 0x301,
                  name: 'charge',
                  kind: 3,
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '1700000000999999999',
                  attributes: [
                    { key: 'stitch.map', value: anyValue },
                    { key: 'stitch.bytes', value: { bytesValue: Buffer.from([1, 2, 3]) } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const reply = await postProtobuf(harness.url('/v1/traces'), body);
    assert.equal(reply.status, 200, reply.message);
    assert.equal(reply.headers.get('content-type'), 'application/x-protobuf');
    assert.equal(reply.body.length, 0, 'full success is an empty ExportTraceServiceResponse');
    const span = harness.captured.traces.at(-1)!.items()[0] as SpanRecord;
    assert.equal(span.data.flags, 0x301);
    assert.equal(span.traceId, TRACE_ID.toString('hex'));
    assert.equal(span.startTimeUnixNano, 1_700_000_000_123_456_789n);
    assert.deepEqual(span.attribute('stitch.map'), { nested: [-9007199254740993n, 1.5] });
    assert.deepEqual(Buffer.from(span.attribute('stitch.bytes') as Uint8Array), Buffer.from([1, 2, 3]));
  });

  it('decodes LogRecord.event_name', async () => {
    const body = encode('ExportLogsServiceRequest', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { eventName: 'session.start', timeUnixNano: '1700000000000000001', body: { stringValue: 'hello' }, traceId: TRACE_ID, spanId: SPAN_ID },
              ],
            },
          ],
        },
      ],
    });
    const reply = await postProtobuf(harness.url('/v1/logs'), body);
    assert.equal(reply.status, 200, reply.message);
    const record = harness.captured.logs.at(-1)!.items()[0] as LogRecordView;
    assert.equal(record.eventName, 'session.start');
    assert.equal(record.timeUnixNano, 1_700_000_000_000_000_001n);
    assert.equal(record.body, 'hello');
    assert.equal(record.spanId, SPAN_ID.toString('hex'));
  });
});
