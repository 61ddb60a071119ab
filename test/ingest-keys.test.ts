// Ingest keys and rate limits end to end: a real collector built from YAML (keys from the
// environment, as in otel-config.yaml), real HTTP, the file exporter's output read back, and the
// official OpenTelemetry JS exporter retrying after our 429.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { collectorFromYaml, defaultRegistry, formatProblems, loadConfigText, otlpBaseUrl, type Collector } from '@stitch/collector';

const ENV = { STITCH_SERVER_KEY: 'srv-5e2b9c0d7a1f4e38', STITCH_BROWSER_KEY: 'web-c4a18e7f2d9b6035' };
const SHOP = 'https://shop.example.com';

const yaml = (file: string, rateLimit: string) => `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
        cors:
          allowed_origins: ["${SHOP}"]
    auth:
      keys:
        - { key: "\${env:STITCH_SERVER_KEY}", kind: server }
        - { key: "\${env:STITCH_BROWSER_KEY}", kind: browser, origins: ["${SHOP}"] }
    rate_limit: ${rateLimit}
exporters:
  file:
    path: ${JSON.stringify(file)}
    flush_interval: 0s
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [file] }
`;

function spanRequest(name: string): string {
  const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name, startTimeUnixNano: '1', endTimeUnixNano: '2' };
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

interface Running {
  collector: Collector;
  url: string;
  file: string;
  dir: string;
}

async function startCollector(rateLimit: string): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'stitch-ingest-keys-'));
  const file = join(dir, 'traces.jsonl');
  const collector = collectorFromYaml(yaml(file, rateLimit), { env: ENV });
  await collector.start();
  return { collector, url: `${otlpBaseUrl(collector)}/v1/traces`, file, dir };
}

const exported = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** The exporter's file once it holds every one of `names` (its writes land after the 200), or as it is after 10 s. */
async function exportedWith(file: string, names: string[]): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = exported(file);
    if (names.every((name) => text.includes(name)) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const send = (url: string, name: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: spanRequest(name) });

describe('ingest keys: a real collector from YAML', () => {
  let running: Running;
  before(async () => {
    running = await startCollector('{ per_key: 2000/s, per_ip: 1000/s }');
  });
  after(async () => {
    await running.collector.shutdown();
    await rm(running.dir, { recursive: true, force: true });
  });

  it('answers each case with its status; only accepted data reaches the exporter', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['rejected-no-key', {}, 401],
      ['rejected-wrong-key', { authorization: 'Bearer srv-0000000000000000' }, 401],
      ['accepted-bearer', { authorization: `Bearer ${ENV.STITCH_SERVER_KEY}` }, 200],
      ['accepted-x-stitch-key', { 'x-stitch-key': ENV.STITCH_SERVER_KEY }, 200],
      ['rejected-browser-wrong-origin', { 'x-stitch-key': ENV.STITCH_BROWSER_KEY, origin: 'https://evil.test' }, 403],
      ['accepted-browser-right-origin', { 'x-stitch-key': ENV.STITCH_BROWSER_KEY, origin: SHOP }, 200],
    ];
    for (const [name, headers, status] of cases) {
      const response = await send(running.url, name, headers);
      assert.equal(response.status, status, name);
      if (status !== 200) assert.match((await response.json()).message, /ingest key|origin/, name);
      else await response.arrayBuffer();
    }
    const preflight = await fetch(running.url, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-stitch-key' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type, x-stitch-key');
    const text = await exportedWith(running.file, cases.filter(([, , status]) => status === 200).map(([name]) => name));
    for (const [name, , status] of cases) assert.equal(text.includes(name), status === 200, name);
  });
});

describe('rate limits: a real collector from YAML', () => {
  let running: Running;
  before(async () => {
    // Per minute, so the bucket cannot refill between the requests however slow the machine.
    running = await startCollector('{ per_key: 2/m }');
  });
  after(async () => {
    await running.collector.shutdown();
    await rm(running.dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After past the limit, and the limited data never reaches the exporter', async () => {
    const auth = { 'x-stitch-key': ENV.STITCH_SERVER_KEY };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await send(running.url, `burst-${i}`, auth);
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.ok(statuses.slice(2).every((status) => status === 429), String(statuses));
    assert.ok(Number(retryAfter) >= 29 && Number(retryAfter) <= 30, `Retry-After ${retryAfter}: one token per 30 s`);
    const text = await exportedWith(running.file, ['burst-0', 'burst-1']);
    assert.ok(text.includes('burst-0') && text.includes('burst-1'));
    assert.ok(!text.includes('burst-2') && !text.includes('burst-3'));
    const limited = await running.collector.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'rate_limited_key' });
    assert.equal(limited, 2);
  });
});

describe('rate limits: the OpenTelemetry JS exporter honours 429', () => {
  let running: Running;
  before(async () => {
    running = await startCollector('{ per_key: 2/s }');
  });
  after(async () => {
    await running.collector.shutdown();
    await rm(running.dir, { recursive: true, force: true });
  });

  it('the official OpenTelemetry exporter retries after a 429 and gets its spans through', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    for (let i = 0; i < 3; i++) provider.getTracer('t').startSpan(`sdk-span-${i}`).end();
    const spans: ReadableSpan[] = memory.getFinishedSpans();
    const exporter = new OTLPTraceExporter({ url: running.url, headers: { authorization: `Bearer ${ENV.STITCH_SERVER_KEY}` }, timeoutMillis: 10_000 });
    const before = await running.collector.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'rate_limited_key' });
    // Three exports at once against 2/s: the third is answered 429 and must be retried, not dropped.
    const results = await Promise.all(spans.map((span) => new Promise<ExportResult>((resolve) => exporter.export([span], resolve))));
    await exporter.shutdown();
    assert.deepEqual(results.map((result) => result.code), [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    const after = await running.collector.metrics.value('stitch_receiver_refused_requests_total', { receiver: 'otlp', transport: 'http', reason: 'rate_limited_key' });
    assert.ok(after > before, 'at least one export was answered 429');
    const text = await exportedWith(running.file, ['sdk-span-0', 'sdk-span-1', 'sdk-span-2']);
    for (let i = 0; i < 3; i++) assert.ok(text.includes(`sdk-span-${i}`), `sdk-span-${i} exported`);
  });
});

describe('ingest keys: refusing to start with an unset key', () => {
  it('names receivers.otlp.auth.keys.<i>.key when its ${env:…} is unset', () => {
    const result = loadConfigText(yaml('/tmp/never.jsonl', '{ per_ip: 10/s }'), defaultRegistry(), { STITCH_SERVER_KEY: ENV.STITCH_SERVER_KEY });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((problem) => problem.path), ['receivers.otlp.auth.keys.1.key']);
    assert.match(formatProblems(result.problems), /ingest key is empty/);
  });
});
