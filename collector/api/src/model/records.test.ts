import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtlpTypes } from '../otlp/schema.js';
import { scanFieldRanges } from './field-scan.js';
import { LogRecordView, SpanRecord } from './records.js';

const traceId = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const spanId = Buffer.from('eee19b7ec3c1b174', 'hex');
const parentSpanId = Buffer.from('eee19b7ec3c1b173', 'hex');

function encodedSpan(fields: object): Uint8Array {
  return OtlpTypes.Span.encode(OtlpTypes.Span.fromObject(fields)).finish();
}

test('ids are read from the bytes without decoding the span', () => {
  const span = SpanRecord.fromBytes(encodedSpan({ traceId, spanId, parentSpanId, name: 'GET /', attributes: [{ key: 'a', value: { intValue: 1 } }] }));
  assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
  assert.equal(span.spanId, 'eee19b7ec3c1b174');
  assert.equal(span.parentSpanId, 'eee19b7ec3c1b173');
  assert.equal(span.validate(), undefined);
  assert.equal(span.isDecoded, false, 'reading ids and validating must not decode');
  assert.equal(span.name, 'GET /');
  assert.equal(span.isDecoded, true);
});

test('ids written in any field order, or twice, are found (last one wins)', () => {
  // Hand-built wire: span_id (2) before trace_id (1), trace_id repeated.
  const wire = Buffer.concat([
    Buffer.from([0x12, 8]), spanId,
    Buffer.from([0x0a, 16]), Buffer.alloc(16, 9),
    Buffer.from([0x2a, 1, 0x78]), // name "x"
    Buffer.from([0x0a, 16]), traceId,
  ]);
  const span = SpanRecord.fromBytes(wire);
  assert.equal(span.traceId, traceId.toString('hex'));
  assert.equal(span.spanId, spanId.toString('hex'));
  assert.equal(span.parentSpanId, '');
});

test('validation names the bad id', () => {
  assert.equal(SpanRecord.fromBytes(encodedSpan({ traceId: Buffer.alloc(16), spanId })).validate(), 'traceId is all zeros');
  assert.equal(SpanRecord.fromBytes(encodedSpan({ traceId, spanId: Buffer.alloc(4, 1) })).validate(), 'spanId must be 8 bytes (16 hex characters), got 4');
  assert.equal(SpanRecord.fromBytes(encodedSpan({ spanId })).validate(), 'traceId is missing');
  assert.equal(LogRecordView.fromBytes(OtlpTypes.LogRecord.encode({ severityText: 'INFO' }).finish()).validate(), undefined, 'log ids are optional');
});

test('a changed span reports its new ids', () => {
  const span = SpanRecord.fromBytes(encodedSpan({ traceId, spanId }));
  span.update((data) => void (data.spanId = parentSpanId));
  assert.equal(span.spanId, 'eee19b7ec3c1b173');
  assert.equal(SpanRecord.fromBytes(span.encode()).spanId, 'eee19b7ec3c1b173');
});

test('malformed bytes throw instead of reading past the end', () => {
  const ranges = new Int32Array(2);
  assert.throws(() => scanFieldRanges(Buffer.from([0x0a, 20, 1, 2]), [1], ranges), /past the end/);
  assert.throws(() => scanFieldRanges(Buffer.from([0x0a]), [1], ranges), /truncated/);
  assert.throws(() => scanFieldRanges(Buffer.from([0x0f]), [1], ranges), /invalid wire type 7/);
  assert.throws(() => scanFieldRanges(Buffer.from([0x08, 0x80]), [1], ranges), /truncated varint/);
});
