import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { OtlpTypes, type SpanRecord } from '@stitch/collector-api';
import { deeplyNestedSpan, partialSuccessOf, post, postJson, postProtobuf, startReceiver, type Harness } from './test-harness.js';

const LIMIT = 64 * 1024;
const SPAN = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok', startTimeUnixNano: '1', endTimeUnixNano: '2' };
const TRACES = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [SPAN] }] }] });

/** A raw node:http request, for what fetch will not send (chunked uploads, lying Content-Length). */
function rawRequest(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString(), headers: res.headers }));
    });
    // The server may answer and close before the upload ends; the answer is what counts.
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('otlp receiver: bad requests get a clear 4xx and the server keeps serving', () => {
  let harness: Harness;
  before(async () => {
    harness = await startReceiver({ max_request_body_size: LIMIT }, { signals: ['traces', 'metrics'] });
  });
  after(() => harness.stop());

  it('answers another method with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await post(harness.url('/v1/traces'), '', {}, method);
      assert.equal(reply.status, 405);
      assert.equal(reply.headers.get('allow'), 'POST');
      assert.equal(reply.message, `method ${method} is not allowed on /v1/traces: OTLP/HTTP accepts only POST`);
    }
  });

  it('answers an unknown path with 404', async () => {
    const reply = await postJson(harness.url('/v2/traces'), TRACES);
    assert.equal(reply.status, 404);
    assert.match(reply.message, /^unknown path "\/v2\/traces": OTLP\/HTTP paths are \/v1\/traces, \/v1\/logs, \/v1\/metrics$/);
  });

  it('answers 404 for a signal no pipeline receives', async () => {
    const reply = await postJson(harness.url('/v1/logs'), '{}');
    assert.equal(reply.status, 404);
    assert.equal(reply.message, 'no pipeline receives logs from receiver otlp');
  });

  it('answers another content type with 415, in JSON', async () => {
    const reply = await post(harness.url('/v1/traces'), TRACES, { 'content-type': 'text/plain' });
    assert.equal(reply.status, 415);
    assert.equal(reply.headers.get('content-type'), 'application/json');
    assert.equal(reply.message, 'unsupported content type "text/plain": use application/x-protobuf or application/json');
    const missing = await post(harness.url('/v1/traces'), new Uint8Array([1]), {});
    assert.equal(missing.status, 415);
  });

  it('accepts content type parameters such as charset', async () => {
    const reply = await post(harness.url('/v1/traces'), TRACES, { 'content-type': 'Application/JSON; charset=utf-8' });
    assert.equal(reply.status, 200, reply.message);
  });

  it('answers an unsupported Content-Encoding with 415', async () => {
    const reply = await postJson(harness.url('/v1/traces'), TRACES, { 'content-encoding': 'br' });
    assert.equal(reply.status, 415);
    assert.equal(reply.message, 'unsupported content encoding "br": use gzip, deflate or none');
  });

  it('answers a broken gzip body with 400', async () => {
    const broken = gzipSync(TRACES).subarray(0, 20);
    const reply = await post(harness.url('/v1/traces'), broken, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(reply.status, 400);
    assert.match(reply.message, /^body is not valid gzip data: /);
    const garbage = await post(harness.url('/v1/traces'), Buffer.from('not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(garbage.status, 400);
    assert.match(garbage.message, /^body is not valid gzip data: incorrect header check/);
  });

  it('accepts gzip, zlib deflate and raw deflate bodies', async () => {
    const before = harness.captured.traces.length;
    for (const [coding, body] of [['gzip', gzipSync(TRACES)], ['deflate', deflateSync(TRACES)], ['deflate', deflateRawSync(TRACES)], ['identity', Buffer.from(TRACES)]] as const) {
      const reply = await post(harness.url('/v1/traces'), body, { 'content-type': 'application/json', 'content-encoding': coding });
      assert.equal(reply.status, 200, `${coding}: ${reply.message}`);
    }
    assert.equal(harness.captured.traces.length, before + 4);
    assert.equal((harness.captured.traces.at(-2)!.items()[0] as { name: string }).name, 'ok');
  });

  it('answers an undecodable protobuf body with 400, as a protobuf Status', async () => {
    const reply = await postProtobuf(harness.url('/v1/traces'), Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01]));
    assert.equal(reply.status, 400);
    assert.equal(reply.headers.get('content-type'), 'application/x-protobuf');
    assert.match(reply.message, /^body is not a valid ExportTraceServiceRequest in protobuf: /);
  });

  it('answers invalid JSON with 400', async () => {
    const reply = await postJson(harness.url('/v1/traces'), '{"resourceSpans": [');
    assert.equal(reply.status, 400);
    assert.match(reply.message, /^body is not valid JSON: /);
  });

  it('answers JSON of the wrong shape with 400 naming where', async () => {
    const notArray = await postJson(harness.url('/v1/traces'), { resourceSpans: 5 });
    assert.equal(notArray.status, 400);
    assert.equal(notArray.message, 'resourceSpans: expected an array');
    const notObject = await postJson(harness.url('/v1/traces'), [1, 2]);
    assert.equal(notObject.status, 400);
    assert.match(notObject.message, /^body must be a JSON object/);
    const badSpan = await postJson(harness.url('/v1/traces'), { resourceSpans: [{ scopeSpans: [{ spans: ['x'] }] }] });
    assert.equal(badSpan.status, 400);
    assert.equal(badSpan.message, 'resourceSpans[0].scopeSpans[0].spans[0]: expected an object');
  });

  it('answers a body over max_request_body_size with 413', async () => {
    const reply = await postJson(harness.url('/v1/traces'), ' '.repeat(LIMIT + 1));
    assert.equal(reply.status, 413);
    assert.equal(reply.message, `request body exceeds max_request_body_size (${LIMIT} bytes)`);
  });

  it('answers 413 to a chunked upload without Content-Length once it passes the limit', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const reply = await rawRequest(harness.url('/v1/traces'), { 'content-type': 'application/json' }, Array.from({ length: 8 }, () => chunk));
    assert.equal(reply.status, 413);
    assert.match(reply.body, /exceeds max_request_body_size/);
  });

  it('answers 413 at once when Content-Length declares too much', async () => {
    const reply = await rawRequest(harness.url('/v1/traces'), { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) }, [Buffer.from('{')]);
    assert.equal(reply.status, 413);
    assert.equal(reply.headers.connection, 'close');
  });

  it('answers 413 to a gzip bomb once the decompressed size passes the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < LIMIT);
    const reply = await post(harness.url('/v1/traces'), bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    assert.equal(reply.status, 413);
    assert.equal(reply.message, `request body exceeds max_request_body_size (${LIMIT} bytes) after gzip decompression`);
  });

  it('survives a client that hangs up in the middle of its upload', async () => {
    await new Promise<void>((resolve) => {
      const req = request(harness.url('/v1/traces'), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"resourceSpans": [', () => setTimeout(() => req.destroy(), 20));
    });
  });

  it('rejects a protobuf span nesting 100 000 kvlists deep on its own, without overflowing the stack', async () => {
    const good = Buffer.from(OtlpTypes.Span.encode(OtlpTypes.Span.fromObject({ traceId: Buffer.from(SPAN.traceId, 'hex'), spanId: Buffer.from(SPAN.spanId, 'hex'), name: 'kept' })).finish());
    const deep = Buffer.concat([Buffer.from(good), deeplyNestedSpan(100_000)]);
    const field = (tag: number, bytes: Buffer) => {
      const length: number[] = [];
      for (let rest = bytes.length; ; rest = Math.floor(rest / 128)) {
        if (rest < 128) {
          length.push(rest);
          break;
        }
        length.push((rest & 0x7f) | 0x80);
      }
      return Buffer.concat([Buffer.from([tag, ...length]), bytes]);
    };
    const body = field(0x0a, field(0x12, Buffer.concat([field(0x12, good), field(0x12, deep)])));
    const server = await startReceiver({}, { signals: ['traces'] });
    try {
      const reply = await postProtobuf(server.url('/v1/traces'), body);
      assert.equal(reply.status, 200, reply.message);
      assert.equal(partialSuccessOf('traces', reply)!.errorMessage, '1 span rejected: resourceSpans[0].scopeSpans[0].spans[1]: a value nests arrays or kvlists deeper than max_value_depth (16)');
      assert.deepEqual((server.captured.traces[0]!.items() as SpanRecord[]).map((span) => span.name), ['kept']);
    } finally {
      await server.stop();
    }
  });

  it('answers 400 to a JSON body nested 30 000 levels deep', async () => {
    const reply = await postJson(harness.url('/v1/traces'), `{"resourceSpans":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
    assert.equal(reply.status, 400);
    assert.match(reply.message, /^body nests JSON more than \d+ levels deep/);
  });

  it('still serves good requests after all of that', async () => {
    const reply = await postJson(harness.url('/v1/traces'), TRACES);
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body.toString()), {});
  });
});
