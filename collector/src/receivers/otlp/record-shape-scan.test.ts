import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OtlpTypes } from '@stitch/collector-api';
import { DEFAULT_LIMITS } from './limits-config.js';
import { RecordShapeScanner, SHAPES } from './record-shape-scan.js';
import { countProtobufRequest } from './request-counts.js';
import { jsonNestsDeeperThan } from './json-depth.js';
import { deeplyNestedSpan } from './test-harness.js';

const LIMITS = { ...DEFAULT_LIMITS, max_attributes: 3, max_attribute_value_length: 8, max_array_length: 4, max_value_depth: 2 };

describe('record shape scan', () => {
  const scanner = new RecordShapeScanner(LIMITS);
  const span = (value: object) => OtlpTypes.Span.encode(OtlpTypes.Span.fromObject(value)).finish();

  it('finds nothing in a span within the limits', () => {
    const findings = scanner.scan(span({ name: 'ok', attributes: [{ key: 'a', value: { arrayValue: { values: [{ stringValue: '12345678' }] } } }] }), SHAPES.span);
    assert.deepEqual({ ...findings }, { malformed: undefined, tooDeep: false, arrayTooLong: false, tooManyAttributes: false, valueMaybeTooLong: false, points: 0 });
  });

  it('flags each limit', () => {
    const many = Array.from({ length: 4 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } }));
    assert.equal(scanner.scan(span({ attributes: many }), SHAPES.span).tooManyAttributes, true);
    assert.equal(scanner.scan(span({ events: [{ attributes: many }] }), SHAPES.span).tooManyAttributes, true);
    assert.equal(scanner.scan(span({ attributes: [{ key: 'a', value: { bytesValue: Buffer.alloc(9) } }] }), SHAPES.span).valueMaybeTooLong, true);
    const array = { arrayValue: { values: Array.from({ length: 5 }, () => ({ boolValue: true })) } };
    assert.equal(scanner.scan(span({ attributes: [{ key: 'a', value: array }] }), SHAPES.span).arrayTooLong, true);
    assert.equal(scanner.scan(deeplyNestedSpan(2), SHAPES.span).tooDeep, false);
    assert.equal(scanner.scan(deeplyNestedSpan(3), SHAPES.span).tooDeep, true);
  });

  it('stops at max_value_depth: 100 000 nested kvlists neither overflow the stack nor take long', () => {
    const bytes = deeplyNestedSpan(100_000);
    const started = Date.now();
    assert.equal(scanner.scan(bytes, SHAPES.span).tooDeep, true);
    assert.ok(Date.now() - started < 200);
  });

  it('reports malformed bytes instead of throwing', () => {
    const good = span({ name: 'ok', attributes: [{ key: 'a', value: { stringValue: 'v' } }] });
    for (let cut = 1; cut < good.length; cut++) {
      const findings = scanner.scan(good.subarray(0, cut), SHAPES.span);
      assert.ok(findings.malformed === undefined || typeof findings.malformed === 'string');
    }
    assert.match(scanner.scan(Buffer.from([0x4a, 0x05, 0x12]), SHAPES.span).malformed!, /runs past the end/);
    assert.match(scanner.scan(Buffer.from([0x48, 0x01]), SHAPES.span).malformed!, /field 9 has wire type 0/);
    assert.match(scanner.scan(Buffer.from([0x0b]), SHAPES.span).malformed!, /field 1 has wire type 3, expected 2/);
    assert.match(scanner.scan(Buffer.from([0x8b, 0x01]), SHAPES.span).malformed!, /invalid wire type 3/);
    assert.match(scanner.scan(Buffer.from([0x38, 0x01]), SHAPES.span).malformed!, /field 7 has wire type 0, expected 1/);
  });

  it('counts metric data points', () => {
    const metric = OtlpTypes.Metric.encode(OtlpTypes.Metric.fromObject({ name: 'm', sum: { dataPoints: [{ asInt: 1 }, { asInt: 2 }, { asDouble: 3 }] } })).finish();
    assert.equal(scanner.scan(metric, SHAPES.metric).points, 3);
  });
});

describe('request counts and JSON depth', () => {
  it('counts groups and items from the framing alone', () => {
    const body = OtlpTypes.ExportTraceServiceRequest.encode(
      OtlpTypes.ExportTraceServiceRequest.fromObject({
        resourceSpans: [{ scopeSpans: [{ spans: [{}, {}] }, { spans: [{}] }] }, { scopeSpans: [{ spans: [{}] }] }],
      }),
    ).finish();
    assert.deepEqual(countProtobufRequest(body), { groups: 5, items: 4 });
    assert.deepEqual(countProtobufRequest(Buffer.from([0x0a, 0x7f])), { groups: 0, items: 0 });
  });

  it('measures JSON nesting outside strings only', () => {
    assert.equal(jsonNestsDeeperThan(Buffer.from('[[[]]]'), 3), false);
    assert.equal(jsonNestsDeeperThan(Buffer.from('[[[[]]]]'), 3), true);
    assert.equal(jsonNestsDeeperThan(Buffer.from('{"a":"[[[[[[\\"[[[["}'), 1), false);
  });
});
