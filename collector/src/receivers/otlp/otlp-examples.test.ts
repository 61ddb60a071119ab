import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { batchToJsonObject, type LogRecordView, type Signal, type SpanRecord } from '@stitch/collector-api';
import { postJson, startReceiver, type Harness } from './test-harness.js';

// The official request examples from opentelemetry-proto, unchanged (see their README).
const example = (name: string) => readFileSync(new URL(`../../../../test/fixtures/otlp-examples/${name}`, import.meta.url), 'utf8');

/** The example as the pipeline should see it: identical, except ids written in lower-case hex. */
function expected(text: string): unknown {
  return JSON.parse(text.replace(/"(traceId|spanId|parentSpanId)": "([0-9A-Fa-f]*)"/g, (_m, key: string, hex: string) => `"${key}": "${hex.toLowerCase()}"`));
}

const CASES: [file: string, path: string, signal: Signal][] = [
  ['trace.json', '/v1/traces', 'traces'],
  ['logs.json', '/v1/logs', 'logs'],
  ['events.json', '/v1/logs', 'logs'],
  ['metrics.json', '/v1/metrics', 'metrics'],
];

describe('otlp receiver: the official OTLP/JSON examples', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver();
  });
  after(() => harness.stop());

  for (const [file, path, signal] of CASES) {
    it(`accepts ${file} on ${path} and passes its content on intact`, async () => {
      const text = example(file);
      const reply = await postJson(harness.url(path), text);
      assert.equal(reply.status, 200, reply.message);
      assert.equal(reply.headers.get('content-type'), 'application/json');
      assert.deepEqual(JSON.parse(reply.body.toString()), {});
      assert.deepEqual(batchToJsonObject(harness.captured[signal].at(-1)!), expected(text));
    });
  }

  it('trace.json: the span reads back through the record API', () => {
    const batch = harness.captured.traces.at(-1)!;
    assert.equal(batch.resources[0]!.resource.serviceName, 'my.service');
    const scope = batch.resources[0]!.scopes[0]!;
    assert.equal(scope.scope.name, 'my.library');
    assert.deepEqual(scope.scope.attributes, { 'my.scope.attribute': 'some scope attribute' });
    const span = scope.items[0] as SpanRecord;
    assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(span.spanId, 'eee19b7ec3c1b174');
    assert.equal(span.parentSpanId, 'eee19b7ec3c1b173');
    assert.equal(span.startTimeUnixNano, 1544712660000000000n);
    assert.equal(span.kind, 2);
  });

  it('logs.json and events.json: attribute types, kvlist body and event_name read back', () => {
    const [logs, events] = harness.captured.logs.slice(-2).map((batch) => batch.items()[0] as LogRecordView);
    assert.deepEqual(logs!.attributes, {
      'string.attribute': 'some string',
      'boolean.attribute': true,
      'int.attribute': 10,
      'double.attribute': 637.704,
      'array.attribute': ['many', 'values'],
      'map.attribute': { 'some.map.key': 'some value' },
    });
    assert.equal(logs!.body, 'Example log record');
    assert.equal(events!.eventName, 'browser.page_view');
    assert.deepEqual(events!.body, {
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
  });
});
