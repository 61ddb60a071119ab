import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  decodeJsonRequest,
  decodeProtobufRequest,
  encodeExportResponse,
  encodeJsonRequest,
  encodeStatus,
  PermanentError,
  RpcCode,
  type Exporter,
} from '@stitch/collector-api';
import { testSettings } from '../../testing/settings.js';
import { capturingLogger } from '../testing/capturing-logger.js';
import { startRecordingServer, type RecordingServer, type Responder } from '../testing/recording-server.js';
import { sampleLogs, sampleMetrics, sampleTraces } from '../testing/sample-batches.js';
import { otlpHttpExporterFactory } from './factory.js';

const FAST_RETRY = { initial_interval: '20ms', max_interval: '200ms', max_elapsed_time: '5s', randomization_factor: 0 };
const NO_QUEUE = { enabled: false };

const cleanup: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function peer(respond?: Responder): Promise<RecordingServer> {
  const server = await startRecordingServer(respond);
  cleanup.push(() => server.close());
  return server;
}

function exporter(yaml: Record<string, unknown>) {
  const settings = testSettings('otlphttp/test', capturingLogger());
  const config = otlpHttpExporterFactory.configSchema.parse({ retry_on_failure: FAST_RETRY, ...yaml });
  const instance: Exporter = otlpHttpExporterFactory.create(settings, config);
  cleanup.push(() => instance.shutdown?.());
  const counter = (name: string) => settings.metrics.value(`stitch_exporter_${name}_total`, { exporter: 'otlphttp/test' });
  return { instance, logs: (settings.logger as ReturnType<typeof capturingLogger>).lines, counter };
}

describe('otlphttp exporter: what goes on the wire', () => {
  it('posts gzipped protobuf to /v1/traces with the configured headers, content intact', async () => {
    const server = await peer();
    const { instance, counter } = exporter({ endpoint: server.url, headers: { authorization: 'Bearer x' }, sending_queue: NO_QUEUE });
    const batch = sampleTraces(5);
    await instance.consume(batch, {});

    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, '/v1/traces');
    assert.equal(request!.headers['content-type'], 'application/x-protobuf');
    assert.equal(request!.headers['content-encoding'], 'gzip');
    assert.equal(request!.headers.authorization, 'Bearer x');
    assert.ok(request!.rawBody.length < request!.body.length, 'the body on the wire is the compressed one');
    assert.equal(encodeJsonRequest(decodeProtobufRequest('traces', request!.body)), encodeJsonRequest(batch));
    assert.equal(await counter('sent_spans'), 5);
  });

  it('posts uncompressed JSON when configured, for logs and metrics too, honouring signal endpoint overrides', async () => {
    const server = await peer();
    const { instance, counter } = exporter({
      endpoint: `${server.url}/otlp/`,
      metrics_endpoint: `${server.url}/custom/metrics`,
      encoding: 'json',
      compression: 'none',
      sending_queue: NO_QUEUE,
    });
    const traces = sampleTraces(2);
    const logs = sampleLogs(3);
    const metrics = sampleMetrics(4);
    await instance.consume(traces, {});
    await instance.consume(logs, {});
    await instance.consume(metrics, {});

    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/otlp/v1/traces', '/otlp/v1/logs', '/custom/metrics'],
    );
    for (const request of server.requests) {
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['content-encoding'], undefined);
    }
    const text = (i: number) => server.requests[i]!.body.toString('utf8');
    assert.equal(encodeJsonRequest(decodeJsonRequest('traces', text(0)).batch), encodeJsonRequest(traces));
    assert.equal(encodeJsonRequest(decodeJsonRequest('logs', text(1)).batch), encodeJsonRequest(logs));
    assert.equal(encodeJsonRequest(decodeJsonRequest('metrics', text(2)).batch), encodeJsonRequest(metrics));
    assert.equal(await counter('sent_log_records'), 3);
    assert.equal(await counter('sent_metric_points'), 4);
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    const server = await peer();
    const { instance } = exporter({ endpoint: server.url, sending_queue: NO_QUEUE });
    for (let i = 0; i < 5; i++) await instance.consume(sampleTraces(1), {});
    assert.equal(server.requests.length, 5);
    assert.equal(server.connections, 1);
  });

  it('rejects a signal that has no endpoint, naming the key to set', async () => {
    const server = await peer();
    const { instance } = exporter({ traces_endpoint: `${server.url}/v1/traces`, sending_queue: NO_QUEUE });
    await assert.rejects(instance.consume(sampleLogs(1), {}), (error: Error) => error instanceof PermanentError && /logs_endpoint/.test(error.message));
    assert.equal(server.requests.length, 0);
  });
});

describe('otlphttp exporter: responses and retries', () => {
  it('waits as long as Retry-After says on 503, then sends', async () => {
    const server = await peer((_, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { instance, counter } = exporter({ endpoint: server.url, sending_queue: NO_QUEUE });
    await instance.consume(sampleTraces(2), {});
    assert.equal(server.requests.length, 2);
    const waited = server.requests[1]!.receivedAt - server.requests[0]!.receivedAt;
    assert.ok(waited >= 950, `waited ${waited} ms, Retry-After asked for 1000`);
    assert.equal(await counter('sent_spans'), 2);
  });

  it('retries on 429 and after a dropped connection', async () => {
    const server = await peer((_, i) => (i === 0 ? { status: 429 } : i === 1 ? 'drop-connection' : { status: 200 }));
    const { instance, counter, logs } = exporter({ endpoint: server.url, sending_queue: NO_QUEUE });
    await instance.consume(sampleTraces(3), {});
    assert.equal(server.requests.length, 3);
    assert.equal(await counter('sent_spans'), 3);
    assert.equal(logs.filter((l) => l.msg === 'export failed, will retry').length, 2);
  });

  it('does not retry a 400: one request, a PermanentError with the peer\'s status message, counted and logged', async () => {
    const server = await peer(() => ({
      status: 400,
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeStatus('protobuf', RpcCode.INVALID_ARGUMENT, 'span 0: traceId is all zeros'),
    }));
    const { instance, counter, logs } = exporter({ endpoint: server.url, sending_queue: NO_QUEUE });
    await assert.rejects(
      instance.consume(sampleTraces(4), {}),
      (error: Error) => error instanceof PermanentError && error.message.includes('HTTP 400: span 0: traceId is all zeros'),
    );
    assert.equal(server.requests.length, 1);
    assert.equal(await counter('send_failed_spans'), 4);
    const line = logs.find((l) => l.level === 'error');
    assert.equal(line?.status, 400);
    assert.match(String(line?.reason), /traceId is all zeros/);
  });

  it('backs off exponentially between attempts', async () => {
    const server = await peer((_, i) => (i < 3 ? { status: 503 } : { status: 200 }));
    const { instance } = exporter({
      endpoint: server.url,
      sending_queue: NO_QUEUE,
      retry_on_failure: { initial_interval: '60ms', multiplier: 2, max_interval: '1s', randomization_factor: 0 },
    });
    await instance.consume(sampleTraces(1), {});
    const at = server.requests.map((r) => r.receivedAt);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    assert.equal(gaps.length, 3);
    [60, 120, 240].forEach((expected, i) => {
      assert.ok(gaps[i]! >= expected - 5 && gaps[i]! < expected + 100, `gap ${i} was ${gaps[i]} ms, expected about ${expected}`);
    });
  });

  it('gives up at max_elapsed_time and counts the batch as send_failed', async () => {
    const server = await peer(() => ({ status: 503 }));
    const { instance, counter } = exporter({
      endpoint: server.url,
      sending_queue: NO_QUEUE,
      retry_on_failure: { initial_interval: '50ms', multiplier: 1, max_elapsed_time: '300ms', randomization_factor: 0 },
    });
    const started = Date.now();
    await assert.rejects(instance.consume(sampleTraces(6), {}), (error: Error) => !(error instanceof PermanentError) && /max_elapsed_time/.test(error.message));
    assert.ok(Date.now() - started < 600);
    assert.ok(server.requests.length >= 5 && server.requests.length <= 7, `${server.requests.length} attempts`);
    assert.equal(await counter('send_failed_spans'), 6);
  });

  it('counts the rejected part of a partial success as send_failed and logs it at warn', async () => {
    const server = await peer(() => ({
      status: 200,
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeExportResponse('traces', 'protobuf', { rejected: 2, errorMessage: 'two spans too old' }),
    }));
    const { instance, counter, logs } = exporter({ endpoint: server.url, sending_queue: NO_QUEUE });
    await instance.consume(sampleTraces(5), {});
    assert.equal(server.requests.length, 1, 'a partial success is not retried');
    assert.equal(await counter('sent_spans'), 3);
    assert.equal(await counter('send_failed_spans'), 2);
    const warn = logs.find((l) => l.level === 'warn');
    assert.equal(warn?.rejected, 2);
    assert.equal(warn?.message, 'two spans too old');
  });
});

describe('otlphttp exporter: sending queue and shutdown', () => {
  it('returns once queued, and refuses a batch (RefusedError: 503 + Retry-After upstream) when the queue is full', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = await peer(async () => {
      await released;
      return { status: 200 };
    });
    const { instance, counter, logs } = exporter({ endpoint: server.url, sending_queue: { num_consumers: 1, queue_size: 1 } });
    await instance.consume(sampleTraces(1), {}); // taken by the one sender, in flight
    await instance.consume(sampleTraces(2), {}); // waits in the queue
    await assert.rejects(instance.consume(sampleTraces(3), {}), (error: Error) => error.name === 'RefusedError' && /queue .* is full/.test(error.message));
    assert.equal(await counter('enqueue_failed_spans'), 3);
    assert.ok(logs.some((l) => l.level === 'error' && l.msg.includes('queue is full')));
    release();
    await instance.shutdown!();
    assert.equal(server.requests.length, 2);
    assert.equal(await counter('sent_spans'), 3);
  });

  it('sends every queued batch before shutdown resolves', async () => {
    const server = await peer(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { status: 200 };
    });
    const { instance, counter } = exporter({ endpoint: server.url, sending_queue: { num_consumers: 2, queue_size: 100 } });
    for (let i = 0; i < 8; i++) await instance.consume(sampleTraces(1), {});
    assert.ok(server.requests.length < 8, 'consume did not wait for the sends');
    await instance.shutdown!();
    assert.equal(server.requests.length, 8);
    assert.equal(await counter('sent_spans'), 8);
    await assert.rejects(instance.consume(sampleTraces(1), {}), /shut down/);
  });

  it('abandons retry waits at shutdown instead of sleeping through them', async () => {
    const server = await peer(() => ({ status: 503 }));
    const { instance, counter } = exporter({ endpoint: server.url, retry_on_failure: { initial_interval: '10s', max_elapsed_time: '60s' } });
    await instance.consume(sampleTraces(2), {});
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await instance.shutdown!();
    assert.ok(Date.now() - started < 1000);
    assert.equal(await counter('send_failed_spans'), 2);
  });

  it('bounds the drain by timeout, dropping what is left', async () => {
    const server = await peer(() => new Promise(() => {})); // never answers
    const { instance, counter } = exporter({ endpoint: server.url, timeout: '200ms', sending_queue: { num_consumers: 1 } });
    for (let i = 0; i < 3; i++) await instance.consume(sampleTraces(1), {});
    const started = Date.now();
    await instance.shutdown!();
    assert.ok(Date.now() - started < 1000);
    assert.equal(await counter('send_failed_spans'), 3);
  });
});
