// Burst: a real collector process (`stitch start`) with `memory_limiter` first, exporting to a slow
// OTLP peer through an in-memory sending queue (where a burst piles up) and to a file (what the
// test reads back). A client first sends at a rate the slow peer keeps up with, then at 10× that.
// The collector must answer 503 with Retry-After instead of growing, stay under limit_mib, never
// answer another 5xx, and a client that honours Retry-After must lose nothing.
//
// STITCH_BURST_SECONDS sets the burst's length: 5 s by default, so the file takes ~45 s on a busy
// 2-core machine; the 30 s with STITCH_BURST_SECONDS=30 takes ~2.2 min (the backlog a
// lossless client builds takes at least 2.3× the burst's length to deliver, see HEADROOM).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, waitForStatus } from '../helpers/ports.js';
import { RetryingOtlpClients } from './burst-client.js';
import { SpanRequestFactory } from './burst-payloads.js';

const BURST_SECONDS = Number(process.env.STITCH_BURST_SECONDS ?? 5);
const MIB = 1024 * 1024;
/**
 * The limiter's limits in the test: low, so a short burst reaches them (an idle collector is ~135
 * MiB). The spike headroom must cover what memory can grow in one check_interval: ~20 MiB/s of
 * bodies arrive in the burst, plus the garbage of decoding them, so 64 MiB with a 500 ms interval.
 */
const LIMIT_MIB = 256;
const SPIKE_LIMIT_MIB = 64;
const SPANS_PER_REQUEST = 256;
/** What the slow peer accepts, in bytes of request body per second: the pipeline's capacity. */
const PEER_BYTES_PER_SECOND = 6 * MIB;
/**
 * The sustainable rate is a third of that capacity: a deployment runs with headroom to catch up
 * after a burst. The burst (10×) is then 3.3× the capacity, and a client that loses nothing has
 * 2.3 burst-lengths of backlog to deliver afterwards.
 */
const HEADROOM = 3;
const BURST_FACTOR = 10;
/** Concurrent senders, each one request in flight like an SDK's exporter: services sending to one collector. */
const SENDERS = 32;

const cli = fileURLToPath(new URL('../../collector/bin/stitch.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stitch-burst-'));
let collector: ChildProcess;
let peer: Server;
let peerBytes = 0;
let stderr = '';
let ports: { otlp: number; health: number; metrics: number; peer: number };

/** An OTLP/HTTP destination that takes PEER_BYTES_PER_SECOND: each answer waits its turn on one virtual clock. */
function slowPeer(): Server {
  let freeAt = Date.now();
  return createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => {
      freeAt = Math.max(freeAt, Date.now()) + (size / PEER_BYTES_PER_SECOND) * 1000;
      setTimeout(() => {
        peerBytes += size;
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }, freeAt - Date.now());
    });
  });
}

function rssMib(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  ports = { otlp: await freePort(), health: await freePort(), metrics: await freePort(), peer: await freePort() };
  peer = slowPeer();
  await new Promise<void>((resolve) => peer.listen(ports.peer, '127.0.0.1', resolve));
  writeFileSync(
    join(dir, 'config.yaml'),
    `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:${ports.otlp} } } }
processors:
  memory_limiter: { check_interval: 500ms, limit_mib: ${LIMIT_MIB}, spike_limit_mib: ${SPIKE_LIMIT_MIB} }
  batch: { send_batch_size: 2048, timeout: 200ms }
exporters:
  # Written at once: the exporter acknowledges a batch when it is written, and batches go one at a time.
  file/traces: { path: ${dir}/traces.jsonl, flush_interval: 0 }
  otlphttp/slow:
    endpoint: http://127.0.0.1:${ports.peer}
    compression: none
    sending_queue: { enabled: true, queue_size: 100000 }
extensions:
  health_check: { endpoint: 127.0.0.1:${ports.health} }
service:
  extensions: [health_check]
  telemetry: { logs: { level: info }, metrics: { address: 127.0.0.1:${ports.metrics} } }
  pipelines:
    traces: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlphttp/slow, file/traces] }
`,
  );
  collector = spawn(process.execPath, [cli, 'start', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  collector.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-200_000)));
  await waitForStatus(`http://127.0.0.1:${ports.health}/`, 200);
});

after(async () => {
  if (collector.exitCode === null && collector.signalCode === null) collector.kill('SIGKILL');
  peer?.closeAllConnections();
  await new Promise((resolve) => peer?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Sends at `spansPerSecond` for `seconds` (open loop: new requests do not wait for answers), sampling the collector's RSS. */
async function offer(client: RetryingOtlpClients, factory: SpanRequestFactory, spansPerSecond: number, seconds: number, rss: number[]): Promise<void> {
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor((((Date.now() - started) / 1000) * spansPerSecond) / factory.spansPerRequest);
    for (; sent < due; sent++) client.send(factory.next());
    rss.push(rssMib(collector.pid!));
    await sleep(50);
  }
}

test(`${BURST_FACTOR}× the sustainable rate for ${BURST_SECONDS} s: 503 + Retry-After, RSS under limit_mib, nothing lost`, { timeout: (BURST_SECONDS * 5 + 60) * 1000 }, async () => {
  const factory = new SpanRequestFactory(SPANS_PER_REQUEST);
  const sustainable = Math.floor((PEER_BYTES_PER_SECOND / HEADROOM / factory.requestBytes) * SPANS_PER_REQUEST);
  const client = new RetryingOtlpClients(`http://127.0.0.1:${ports.otlp}/v1/traces`, SENDERS);
  const rss: number[] = [];
  try {
    // 1. The sustainable rate: everything is accepted at once.
    await offer(client, factory, sustainable, 3, rss);
    await client.idle();
    assert.deepEqual({ ...client.stats.statuses }, { 200: client.stats.requestsMade }, `at ${sustainable} spans/s nothing is refused`);
    const steadyRss = Math.max(...rss);

    // 2. The burst.
    const burstRss: number[] = [];
    const burstStarted = Date.now();
    const requestsBefore = client.stats.requestsMade;
    await offer(client, factory, sustainable * BURST_FACTOR, BURST_SECONDS, burstRss);
    const offeredPerSecond = (((client.stats.requestsMade - requestsBefore) * SPANS_PER_REQUEST) / ((Date.now() - burstStarted) / 1000)) | 0;
    // 3. The client keeps retrying until every request got its 200.
    const drainDeadline = Date.now() + (BURST_SECONDS * 4 + 30) * 1000;
    while (client.pending > 0 && Date.now() < drainDeadline) {
      burstRss.push(rssMib(collector.pid!));
      await sleep(100);
    }
    const drainSeconds = (Date.now() - burstStarted) / 1000 - BURST_SECONDS;
    const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
    const refusedByLimiter = Number(/stitch_processor_refused_items_total\{processor="memory_limiter",otel_signal="traces"\} (\d+)/.exec(metrics)?.[1] ?? 0);

    const { statuses, withRetryAfter, withoutRetryAfter, unexpected } = client.stats;
    const maxRss = Math.max(...burstRss);
    const summary =
      `sustainable ${sustainable} spans/s (steady RSS max ${steadyRss.toFixed(0)} MiB); burst offered ${offeredPerSecond} spans/s for ${BURST_SECONDS} s; ` +
      `answers ${JSON.stringify(statuses)}; Retry-After on ${withRetryAfter} of ${withRetryAfter + withoutRetryAfter} refusals (values ${[...client.stats.retryAfterSeconds].join(',')} s); ` +
      `collector RSS max ${maxRss.toFixed(0)} MiB (limit ${LIMIT_MIB}, soft ${LIMIT_MIB - SPIKE_LIMIT_MIB}); all acknowledged ${drainSeconds.toFixed(1)} s after the burst; ` +
      `memory_limiter refused ${refusedByLimiter} spans; peer got ${(peerBytes / MIB).toFixed(0)} MiB; ${client.stats.spansAcked} spans acknowledged`;
    process.stderr.write(`burst: ${summary}\n`);
    if (process.env.STITCH_BURST_DEBUG) {
      const limiterLog = stderr.split('\n').filter((line) => line.includes('memory_limiter') && !line.includes('RefusedError'));
      writeFileSync(process.env.STITCH_BURST_DEBUG, `${limiterLog.join('\n')}\nRSS ${burstRss.map((v) => v.toFixed(0)).join(' ')}\n`);
    }

    assert.ok((statuses[503] ?? 0) > 0, `the collector refused part of the burst: ${summary}`);
    assert.equal(withoutRetryAfter, 0, `every 503/429 carries Retry-After: ${summary}`);
    assert.deepEqual(unexpected, [], 'no answer other than 200, 429 and 503');
    assert.deepEqual(Object.keys(statuses).filter((status) => !['200', '429', '503'].includes(status)), [], `no other status, no connection failure: ${summary}`);
    assert.ok(refusedByLimiter > 0, 'the refusals were memory_limiter\'s, and counted');
    assert.ok(maxRss < LIMIT_MIB, `RSS stayed under limit_mib: ${summary}`);
    assert.equal(client.pending, 0, `every request got a 200 in the end: ${summary}`);
    assert.equal(client.stats.spansAcked, client.stats.requestsMade * SPANS_PER_REQUEST);
  } finally {
    client.close();
  }

  // 4. Every acknowledged span is in the file exporter's output (written at latest by the drain on SIGTERM).
  const exited = new Promise<number | null>((resolve) => collector.once('exit', (code) => resolve(code)));
  collector.kill('SIGTERM');
  assert.equal(await exited, 0, stderr.slice(-2000));
  const written = new Set<string>();
  let duplicates = 0;
  const lines = createInterface({ input: createReadStream(join(dir, 'traces.jsonl')) });
  for await (const line of lines) {
    if (!line) continue;
    const request = JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
    for (const resource of request.resourceSpans)
      for (const scope of resource.scopeSpans)
        for (const span of scope.spans) {
          if (written.has(span.spanId)) duplicates++;
          written.add(span.spanId);
        }
  }
  const missing = [...client.acked].filter((id) => !written.has(id));
  assert.equal(missing.length, 0, `${missing.length} of ${client.acked.size} acknowledged spans are not in the file (e.g. ${missing.slice(0, 3).join(', ')})`);
  assert.equal(written.size, client.acked.size, 'nothing in the file that was not acknowledged');
  assert.equal(duplicates, 0, 'a refused request was not half-accepted: no span written twice');
});
