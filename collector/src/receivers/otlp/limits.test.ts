import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { OtlpTypes, type AnyValue, type LogRecordView, type MetricRecord, type SpanRecord } from '@stitch/collector-api';
import { partialSuccessOf, post, postJson, postProtobuf, startReceiver, type Harness } from './test-harness.js';

const LIMITS = { max_items_per_request: 50, max_attributes: 4, max_attribute_value_length: 10, max_array_length: 5, max_value_depth: 3 };
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const id = (hex: string) => Buffer.from(hex, 'hex');

const str = (value: string): AnyValue => ({ stringValue: value });
const kv = (key: string, value: AnyValue) => ({ key, value });
/** A kvlist value nesting `depth` levels (depth 1: a kvlist of scalars). */
function nested(depth: number): AnyValue {
  let value: AnyValue = str('leaf');
  for (let level = 0; level < depth; level++) value = { kvlistValue: { values: [kv(`level${level}`, value)] } };
  return value;
}
const jsonSpan = (name: string, attributes: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: SPAN_ID,
  name,
  startTimeUnixNano: '1',
  endTimeUnixNano: '2',
  attributes,
  ...extra,
});
const protoSpan = (name: string, attributes: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  traceId: id(TRACE),
  spanId: id(SPAN_ID),
  name,
  attributes,
  ...extra,
});
const tracesJson = (spans: unknown[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const tracesProto = (spans: unknown[]) =>
  OtlpTypes.ExportTraceServiceRequest.encode(OtlpTypes.ExportTraceServiceRequest.fromObject(tracesJson(spans))).finish();

describe('otlp receiver limits: records over a limit are truncated or rejected one by one', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({ max_decompressed_body_size: 256 * 1024, max_header_count: 30, max_header_size: 4096 }, { access: { limits: LIMITS } });
  });
  after(() => harness.stop());
  const lastSpans = () => harness.captured.traces.at(-1)!.items() as SpanRecord[];
  const truncatedCount = (limit: string) =>
    harness.settings.metrics.value('stitch_receiver_truncated_attributes_total', { receiver: 'otlp', transport: 'http', limit });

  for (const encoding of ['json', 'protobuf'] as const) {
    const send = (spans: unknown[]) =>
      encoding === 'json'
        ? postJson(harness.url('/v1/traces'), tracesJson(spans.map((s) => (s as { json: unknown }).json)))
        : postProtobuf(harness.url('/v1/traces'), tracesProto(spans.map((s) => (s as { proto: unknown }).proto)));
    const both = (name: string, attributes: unknown[], extra: Record<string, unknown> = {}) => ({
      json: jsonSpan(name, attributes, extra),
      proto: protoSpan(name, attributes, extra),
    });

    it(`${encoding}: drops attributes past max_attributes, counting them in dropped_attributes_count`, async () => {
      const before = await truncatedCount('max_attributes');
      const attributes = Array.from({ length: 7 }, (_, i) => kv(`a${i}`, str(`v${i}`)));
      const reply = await send([both('many', attributes, { droppedAttributesCount: 1 })]);
      assert.equal(reply.status, 200, reply.message);
      assert.equal(partialSuccessOf('traces', reply), undefined);
      const span = lastSpans()[0]!;
      assert.deepEqual(Object.keys(span.attributes), ['a0', 'a1', 'a2', 'a3']);
      assert.equal(span.data.droppedAttributesCount, 4);
      assert.equal((await truncatedCount('max_attributes')) - before, 3);
    });

    it(`${encoding}: cuts string values (also in arrays and kvlists) to max_attribute_value_length characters`, async () => {
      const before = await truncatedCount('max_attribute_value_length');
      const attributes = [
        kv('long', str('0123456789abcdef')),
        kv('emoji', str('😀'.repeat(12))),
        kv('list', { arrayValue: { values: [str('short'), str('x'.repeat(30))] } }),
        kv('map', { kvlistValue: { values: [kv('inner', str('y'.repeat(11))), kv('fits', str('0123456789'))] } }),
      ];
      const reply = await send([both('long values', attributes)]);
      assert.equal(reply.status, 200, reply.message);
      const span = lastSpans()[0]!;
      assert.deepEqual(span.attributes, {
        long: '0123456789',
        // Characters, not UTF-16 units: no surrogate pair is split.
        emoji: '😀'.repeat(10),
        list: ['short', 'x'.repeat(10)],
        map: { inner: 'y'.repeat(10), fits: '0123456789' },
      });
      assert.equal((await truncatedCount('max_attribute_value_length')) - before, 4);
    });

    it(`${encoding}: truncates span event and link attributes too`, async () => {
      const attributes = Array.from({ length: 6 }, (_, i) => kv(`e${i}`, str('z'.repeat(20))));
      const reply = await send([
        both('events', [], {
          events: [{ name: 'ev', timeUnixNano: '3', attributes }],
          links: [{ traceId: encoding === 'json' ? TRACE : id(TRACE), spanId: encoding === 'json' ? SPAN_ID : id(SPAN_ID), attributes }],
        }),
      ]);
      assert.equal(reply.status, 200, reply.message);
      const data = lastSpans()[0]!.data;
      for (const holder of [data.events[0]!, data.links[0]!]) {
        assert.equal(holder.attributes.length, 4);
        assert.equal(holder.droppedAttributesCount, 2);
        assert.equal(holder.attributes[0]!.value!.stringValue, 'z'.repeat(10));
      }
    });

    it(`${encoding}: rejects a span nesting deeper than max_value_depth or with a longer array, keeps the others`, async () => {
      const reply = await send([
        both('good-1', [kv('ok', nested(3))]),
        both('too-deep', [kv('deep', nested(4))]),
        both('long-array', [kv('list', { arrayValue: { values: Array.from({ length: 6 }, () => str('x')) } })]),
        both('good-2', [kv('list', { arrayValue: { values: Array.from({ length: 5 }, () => str('x')) } })]),
      ]);
      assert.equal(reply.status, 200, reply.message);
      const partial = partialSuccessOf('traces', reply)!;
      assert.equal(partial.rejected, 2);
      assert.equal(
        partial.errorMessage,
        '2 spans rejected: resourceSpans[0].scopeSpans[0].spans[1]: a value nests arrays or kvlists deeper than max_value_depth (3); ' +
          'resourceSpans[0].scopeSpans[0].spans[2]: an array or kvlist value has more than max_array_length (5) entries',
      );
      assert.deepEqual(
        lastSpans().map((span) => span.name),
        ['good-1', 'good-2'],
      );
    });

    it(`${encoding}: answers 413 naming max_items_per_request when a request holds too many spans`, async () => {
      const spans = Array.from({ length: 51 }, (_, i) => both(`s${i}`, []));
      const reply = await send(spans);
      assert.equal(reply.status, 413);
      assert.equal(reply.message, 'request holds more than max_items_per_request (50) spans: send smaller batches');
      assert.equal((await send(spans.slice(0, 50))).status, 200);
    });
  }

  it('protobuf: refuses millions of empty spans from their framing, before decoding them', async () => {
    // Empty spans are 2 bytes each: a 20 MiB body of them would be 10 million record objects.
    const scope = Buffer.concat(Array.from({ length: 60 }, () => Buffer.from([0x12, 0x00])));
    const body = Buffer.concat([Buffer.from([0x0a, scope.length + 2, 0x12, scope.length]), scope]);
    const reply = await postProtobuf(harness.url('/v1/traces'), body);
    assert.equal(reply.status, 413);
    assert.match(reply.message, /max_items_per_request \(50\) spans/);
  });

  it('protobuf: rejects a span whose attribute bytes are malformed, keeps the others', async () => {
    const good = OtlpTypes.Span.encode(OtlpTypes.Span.fromObject(protoSpan('good'))).finish();
    // A span whose attributes field (9) claims 5 bytes of KeyValue holding a truncated value.
    const bad = Buffer.concat([Buffer.from(OtlpTypes.Span.encode(OtlpTypes.Span.fromObject(protoSpan('bad'))).finish()), Buffer.from([0x4a, 0x03, 0x12, 0x05, 0x0a])]);
    const scope = Buffer.concat([Buffer.from([0x12, good.length]), good, Buffer.from([0x12, bad.length]), bad]);
    const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const body = Buffer.concat([Buffer.from([0x0a, resource.length]), resource]);
    const reply = await postProtobuf(harness.url('/v1/traces'), body);
    assert.equal(reply.status, 200, reply.message);
    const partial = partialSuccessOf('traces', reply)!;
    assert.equal(partial.rejected, 1);
    assert.match(partial.errorMessage, /spans\[1\]: malformed opentelemetry\.proto\.trace\.v1\.Span|spans\[1\]: malformed Span/);
    assert.deepEqual(
      lastSpans().map((span) => span.name),
      ['good'],
    );
  });

  it('JSON: answers 400 naming max_value_depth to a body nesting deeper than any OTLP request can', async () => {
    const bomb = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const reply = await postJson(harness.url('/v1/traces'), bomb);
    assert.equal(reply.status, 400);
    assert.match(reply.message, /^body nests JSON more than 32 levels deep: attribute and body values may nest at most max_value_depth \(3\) levels$/);
  });

  it('logs: the body obeys depth and array limits but is never cut', async () => {
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { body: str('b'.repeat(100)), attributes: [kv('a', str('c'.repeat(100)))] },
                { body: nested(4) },
              ],
            },
          ],
        },
      ],
    };
    const reply = await postJson(harness.url('/v1/logs'), logs);
    assert.equal(reply.status, 200, reply.message);
    assert.equal(partialSuccessOf('logs', reply)!.rejected, 1);
    const record = harness.captured.logs.at(-1)!.items()[0] as LogRecordView;
    assert.equal(record.body, 'b'.repeat(100));
    assert.equal(record.attributes.a, 'c'.repeat(10));
  });

  it('metrics: a data point over an attribute limit rejects its metric (attributes name the series); too many points → 413', async () => {
    const point = (attributes: unknown[]) => ({ asInt: '1', timeUnixNano: '1', attributes });
    const metrics = (list: unknown[]) => ({ resourceMetrics: [{ scopeMetrics: [{ metrics: list }] }] });
    const reply = await postJson(
      harness.url('/v1/metrics'),
      metrics([
        { name: 'ok', gauge: { dataPoints: [point([kv('k', str('v'))])] } },
        { name: 'long', sum: { dataPoints: [point([kv('k', str('v'.repeat(11)))])] } },
        { name: 'many', gauge: { dataPoints: [point(Array.from({ length: 5 }, (_, i) => kv(`k${i}`, str('v'))))] } },
      ]),
    );
    assert.equal(reply.status, 200, reply.message);
    const partial = partialSuccessOf('metrics', reply)!;
    assert.equal(partial.rejected, 2);
    assert.match(partial.errorMessage, /metrics\[1\]: an attribute value is longer than max_attribute_value_length \(10\); .*metrics\[2\]: an attribute list has more than max_attributes \(4\) entries/);
    assert.deepEqual(
      (harness.captured.metrics.at(-1)!.items() as MetricRecord[]).map((metric) => metric.name),
      ['ok'],
    );

    const tooMany = await postJson(harness.url('/v1/metrics'), metrics([{ name: 'points', gauge: { dataPoints: Array.from({ length: 51 }, () => point([])) } }]));
    assert.equal(tooMany.status, 413);
    assert.equal(tooMany.message, 'request holds more than max_items_per_request (50) data points: send smaller batches');
  });

  it('answers 413 naming max_decompressed_body_size once a body inflates past it', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const reply = await post(harness.url('/v1/traces'), bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(reply.status, 413);
    assert.equal(reply.message, `request body exceeds max_decompressed_body_size (${256 * 1024} bytes) after gzip decompression`);
  });

  it('answers 431 to more headers than max_header_count, and to headers over max_header_size', async () => {
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`x-extra-${i}`, '1']));
    const reply = await postJson(harness.url('/v1/traces'), tracesJson([jsonSpan('h')]), many);
    assert.equal(reply.status, 431);
    assert.equal(reply.message, 'request has more than max_header_count (30) headers');

    const big = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(harness.url('/v1/traces'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-big': 'a'.repeat(5000) } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(big.status, 431);
    assert.equal(JSON.parse(big.body).message, 'request headers exceed max_header_size (4096 bytes)');
    assert.equal(await harness.settings.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'headers_too_large' }), 1);
  });

  it('still accepts a plain request after all of that', async () => {
    const reply = await postJson(harness.url('/v1/traces'), tracesJson([jsonSpan('after')]));
    assert.equal(reply.status, 200);
    assert.equal(lastSpans()[0]!.name, 'after');
  });
});

describe('otlp receiver limits: max_in_flight_bytes', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({ max_in_flight_bytes: 1000 });
  });
  after(() => harness.stop());

  it('answers 503 with Retry-After while other uploads hold the budget, and accepts again once they are done', async () => {
    const body = JSON.stringify(tracesJson([jsonSpan('x'.repeat(600))]));
    assert.ok(body.length > 600 && body.length < 1000);
    // A slow upload holds its bytes so far.
    const slow = request(harness.url('/v1/traces'), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    const slowAnswer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => (res.resume(), resolve(res.statusCode!)));
      slow.on('error', reject);
    });
    slow.write(body.slice(0, 700));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const refused = await postJson(harness.url('/v1/traces'), body);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(refused.message, 'the receiver holds more than max_in_flight_bytes (1000 bytes) of request bodies; retry later');
    assert.equal(await harness.settings.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'busy' }), 1);

    slow.end(body.slice(700));
    assert.equal(await slowAnswer, 200);
    // Alone, a request larger than the whole budget still gets in.
    const big = JSON.stringify(tracesJson([jsonSpan('y'.repeat(2000))]));
    assert.equal((await postJson(harness.url('/v1/traces'), big)).status, 200);
    assert.equal((await postJson(harness.url('/v1/traces'), body)).status, 200);
  });
});
