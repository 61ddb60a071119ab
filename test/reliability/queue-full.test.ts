// A full exporter queue, through the real pipeline (otlp receiver → batch → fan-out to a stuck OTLP
// peer and a file): with when_full: refuse the client gets 503 with Retry-After (the batch
// processor passes the refusal to every caller whose items it held); with drop it gets 200 and the
// stuck exporter's copy is counted as lost. The file exporter beside it gets every batch either way.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { collectorFromYaml, otlpBaseUrl, type Collector } from '@stitch/collector';
import { startRecordingServer, type RecordingServer } from '../../collector/src/exporters/testing/recording-server.js';

const running: Collector[] = [];
let releasePeer!: () => void;
const peerReleased = new Promise<void>((resolve) => (releasePeer = resolve));
let peer: RecordingServer;
after(async () => {
  releasePeer();
  for (const collector of running) await collector.shutdown();
  await peer?.close();
});

function spanBody(name: string): string {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: Buffer.from(name.padEnd(8, '.')).subarray(0, 8).toString('hex'), name, startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
  });
}

async function start(whenFull: 'refuse' | 'drop'): Promise<{ url: string; file: string; collector: Collector }> {
  peer ??= await startRecordingServer(async () => {
    await peerReleased; // stuck: the first batch never gets an answer while the test runs
    return { status: 200 };
  });
  const file = join(mkdtempSync(join(tmpdir(), 'stitch-full-')), 'traces.jsonl');
  const collector = collectorFromYaml(`
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: { timeout: 20ms }
exporters:
  otlphttp/stuck:
    endpoint: ${peer.url}
    timeout: 60s
    sending_queue: { num_consumers: 1, queue_size: 1, when_full: ${whenFull} }
    retry_on_failure: { initial_interval: 2s }
  file: { path: ${file}, flush_interval: 0 }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlphttp/stuck, file] }
`);
  await collector.start();
  running.push(collector);
  return { url: `${otlpBaseUrl(collector)}/v1/traces`, file, collector };
}

const post = (url: string, name: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: spanBody(name) });
const fileNames = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').match(/"name":"[^"]+"/g) ?? [] : []);

async function fillQueue(url: string): Promise<void> {
  const before = peer.requests.length;
  assert.equal((await post(url, 'in-flight')).status, 200);
  const deadline = Date.now() + 5_000;
  while (peer.requests.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal((await post(url, 'waiting')).status, 200);
}

test('when_full: refuse → 503 with Retry-After from the queue; the file beside it still has the batch', async () => {
  const { url, file } = await start('refuse');
  await fillQueue(url);
  const refused = await post(url, 'refused');
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '2', 'retry_on_failure.initial_interval, in seconds');
  assert.match(await refused.text(), /otlphttp\/stuck: sending queue .* is full/);
  assert.deepEqual(fileNames(file), ['"name":"in-flight"', '"name":"waiting"', '"name":"refused"']);
});

test('when_full: drop → 200, counted as enqueue_failed', async () => {
  const { url, collector } = await start('drop');
  await fillQueue(url);
  assert.equal((await post(url, 'dropped')).status, 200);
  assert.equal(await collector.metrics.value('stitch_exporter_enqueue_failed_spans_total', { exporter: 'otlphttp/stuck' }), 1);
});
