// Outage: the OTLP peer behind `otlphttp/jaeger` (persistent queue on file_storage) is down. The
// collector keeps answering 200 at once, the file exporter beside it is not delayed, the collector
// is restarted in the middle of the outage, and when the peer comes back it gets every span, in
// order per trace.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decodeProtobufRequest } from '@stitch/collector-api';
import { freePort } from '../helpers/ports.js';
import { StitchProcess } from './stitch-process.js';

const TRACES = 6;
const SPANS_PER_PHASE = 90;
const RATE_PER_SECOND = 60;

const dir = mkdtempSync(join(tmpdir(), 'stitch-outage-'));
let collector: StitchProcess | undefined;
let peer: Server | undefined;
after(async () => {
  await collector?.kill9();
  peer?.closeAllConnections();
  peer?.close();
});

const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');

/** One span of trace `trace`, named `t<trace>-<seq>`, as a browser SDK would post it (OTLP JSON). */
function spanRequest(trace: number, seq: number): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'outage-test' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: hex(trace + 1, 16),
                spanId: hex(trace * 100_000 + seq + 1, 8),
                name: `t${trace}-${seq}`,
                startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n),
                endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n + 500_000n),
                attributes: [{ key: 'session.id', value: { stringValue: `s${trace}` } }],
              },
            ],
          },
        ],
      },
    ],
  });
}

/** Posts spans `from`..`from+count-1` round-robin over the traces at a steady rate; returns each answer's status and latency. */
async function sendPhase(otlpUrl: string, from: number, count: number): Promise<{ statuses: number[]; latenciesMs: number[] }> {
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (i * 1000) / RATE_PER_SECOND - Date.now())));
      const n = from + i;
      const begin = Date.now();
      const response = await fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: spanRequest(n % TRACES, Math.floor(n / TRACES)) });
      await response.arrayBuffer();
      return { status: response.status, latencyMs: Date.now() - begin };
    }),
  );
  return { statuses: results.map((r) => r.status), latenciesMs: results.map((r) => r.latencyMs) };
}

function fileSpanNames(): string[] {
  const path = join(dir, 'traces.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => JSON.parse(line).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => s.name as string))));
}

async function waitUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms\ncollector stderr (tail):\n${collector?.stderr.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

test('a peer outage, with a restart in the middle: accepted at once, file not delayed, everything delivered in order per trace', async (t) => {
  const ports = { otlp: await freePort(), health: await freePort(), peer: await freePort() };
  const configPath = join(dir, 'config.yaml');
  writeFileSync(
    configPath,
    `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:${ports.otlp} } } }
processors:
  batch: { timeout: 100ms }
exporters:
  file/traces: { path: ${join(dir, 'traces.jsonl')}, flush_interval: 50ms }
  otlphttp/jaeger:
    endpoint: http://127.0.0.1:${ports.peer}
    sending_queue: { storage: file_storage, num_consumers: 1 }
    retry_on_failure: { initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 0 }
extensions:
  file_storage: { directory: ${join(dir, 'queue')} }
  health_check: { endpoint: 127.0.0.1:${ports.health} }
service:
  extensions: [file_storage, health_check]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlphttp/jaeger, file/traces] }
`,
  );
  const healthUrl = `http://127.0.0.1:${ports.health}/`;
  const otlpUrl = `http://127.0.0.1:${ports.otlp}`;

  // Phase 1: the peer is down (nothing listens on its port).
  collector = await StitchProcess.start(configPath, healthUrl);
  const first = await sendPhase(otlpUrl, 0, SPANS_PER_PHASE);
  assert.deepEqual(new Set(first.statuses), new Set([200]), 'a down peer does not make the collector refuse');
  await waitUntil(() => fileSpanNames().length >= SPANS_PER_PHASE, 'the file exporter has phase 1', 3_000);

  // Restart during the outage: a graceful stop keeps the queue on disk.
  assert.equal(await collector.stop(), 0);
  collector = await StitchProcess.start(configPath, healthUrl);
  assert.match(collector.stderr, /delivering batches queued before the restart first/);
  const second = await sendPhase(otlpUrl, SPANS_PER_PHASE, SPANS_PER_PHASE);
  assert.deepEqual(new Set(second.statuses), new Set([200]));
  await waitUntil(() => fileSpanNames().length >= 2 * SPANS_PER_PHASE, 'the file exporter has phase 2', 3_000);
  const latencies = [...first.latenciesMs, ...second.latenciesMs];
  t.diagnostic(`while the peer was down: p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${Math.max(...latencies)} ms per request`);
  // batch timeout (100 ms) + file flush (50 ms) + fsync; a request waiting for the dead peer would take seconds.
  assert.ok(percentile(latencies, 0.99) < 1_500, `answers are not held by the dead peer (p99 ${percentile(latencies, 0.99)} ms)`);

  // The peer comes back.
  const received: string[] = [];
  peer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push(...decodeProtobufRequest('traces', body).items().map((span) => span.name));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => peer!.listen(ports.peer, '127.0.0.1', resolve));
  const back = Date.now();
  const all = 2 * SPANS_PER_PHASE;
  await waitUntil(() => new Set(received).size >= all, `the peer gets all ${all} spans (has ${new Set(received).size})`, 15_000);
  t.diagnostic(`peer back: all ${all} queued spans delivered in ${Date.now() - back} ms (${received.length - new Set(received).size} delivered twice)`);

  for (let trace = 0; trace < TRACES; trace++) {
    const firstSeen = [...new Set(received.filter((name) => name.startsWith(`t${trace}-`)))].map((name) => Number(name.split('-')[1]));
    assert.deepEqual(firstSeen, [...firstSeen].sort((a, b) => a - b), `trace ${trace} arrives in order`);
    assert.equal(firstSeen.length, all / TRACES);
  }
  assert.equal(await collector.stop(), 0);
});
