// Load generator: POSTs OTLP/protobuf trace requests over keep-alive connections, either as fast as
// the target accepts them (`max`, N requests in flight) or at a fixed span rate (`paced`). It reads
// the watched processes' CPU time itself at the edges of the measured window, so counts and CPU
// readings are taken at the same instant.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpuDelta, rssBytes, snapshot, type CpuSnapshot } from '../lib/procfs.js';

export interface LoadRun {
  type: 'run';
  mode: 'max' | 'paced';
  url: string;
  payloadFiles: string[];
  spansPerPayload: number;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  /** Paced mode: spans per second to send. */
  spansPerSecond?: number;
  /** Processes whose CPU time is read at the window edges ('loadgen' is this process). */
  watch: Record<string, number>;
  /** A process whose RSS is sampled once a second during the window. */
  rssPid?: number;
}

export interface LoadResult {
  type: 'done';
  windowStartNs: string;
  windowEndNs: string;
  wallSeconds: number;
  cpu: Record<string, number>;
  /** Requests and spans answered 200 inside the window. */
  windowRequests: number;
  windowSpans: number;
  /** Everything answered 200 from the first request to the last (warm-up and drain included). */
  totalRequests: number;
  totalSpans: number;
  /** Every answer that was not a 200, by status or error code. */
  failures: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  rssSamples: number[];
  /** The window cut into ~1 s slices. */
  slices: LoadSlice[];
  missedTicks: number;
}

export interface LoadSlice {
  startNs: string;
  endNs: string;
  wallSeconds: number;
  /** Spans answered 200 in the slice. */
  spans: number;
  cpu: Record<string, number>;
}

function post(agent: http.Agent, url: URL, body: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        method: 'POST',
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'response-error'));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'request-error'));
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(config: LoadRun): Promise<LoadResult> {
  const payloads = config.payloadFiles.map((file) => readFileSync(file));
  const url = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const watch = { ...config.watch, loadgen: process.pid };

  let phase = 'warmup' as 'warmup' | 'window' | 'done';
  let next = 0;
  let inFlight = 0;
  let windowRequests = 0;
  let totalRequests = 0;
  let missedTicks = 0;
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  const rssSamples: number[] = [];

  const isDone = () => phase === 'done';

  const sendOne = async () => {
    const body = payloads[next++ % payloads.length]!;
    inFlight++;
    const started = performance.now();
    const status = await post(agent, url, body);
    inFlight--;
    if (status === '200') {
      totalRequests++;
      if (phase === 'window') {
        windowRequests++;
        latencies.push(performance.now() - started);
      }
    } else {
      failures[status] = (failures[status] ?? 0) + 1;
      if (!/^\d+$/.test(status)) await sleep(10); // connection errors: do not spin
    }
  };

  const senders: Promise<void>[] = [];
  if (config.mode === 'max') {
    for (let i = 0; i < config.concurrency; i++) {
      senders.push(
        (async () => {
          while (phase !== 'done') await sendOne();
        })(),
      );
    }
  } else {
    const intervalMs = (config.spansPerPayload / (config.spansPerSecond ?? 10_000)) * 1000;
    senders.push(
      (async () => {
        const start = performance.now();
        const pending = new Set<Promise<void>>();
        for (let tick = 0; phase !== 'done'; tick++) {
          const due = start + tick * intervalMs;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          if (isDone()) break;
          if (inFlight >= config.concurrency) {
            missedTicks++;
            continue;
          }
          const p = sendOne();
          pending.add(p);
          void p.then(() => pending.delete(p));
        }
        await Promise.all(pending);
      })(),
    );
  }

  await sleep(config.warmupMs);
  const from: CpuSnapshot = snapshot(watch);
  phase = 'window';
  const sampleRss = () => {
    try {
      if (config.rssPid) rssSamples.push(rssBytes(config.rssPid));
    } catch {
      // process gone; the caller notices
    }
  };
  // Once a second: RSS, and a CPU/count reading so the caller can see how steady the window was.
  const slices: LoadSlice[] = [];
  let sliceFrom = from;
  let sliceRequests = 0;
  const takeSlice = () => {
    const now = snapshot(watch);
    const delta = cpuDelta(sliceFrom, now);
    slices.push({
      startNs: String(sliceFrom.atNs),
      endNs: String(now.atNs),
      wallSeconds: delta.wallSeconds,
      spans: (windowRequests - sliceRequests) * config.spansPerPayload,
      cpu: delta.cpu,
    });
    sliceFrom = now;
    sliceRequests = windowRequests;
  };
  sampleRss();
  const sampler = setInterval(() => {
    sampleRss();
    takeSlice();
  }, 1000);
  await sleep(config.measureMs);
  const to: CpuSnapshot = snapshot(watch);
  const counted = windowRequests;
  if (Number(to.atNs - sliceFrom.atNs) > 0.5e9) {
    const delta = cpuDelta(sliceFrom, to);
    slices.push({
      startNs: String(sliceFrom.atNs),
      endNs: String(to.atNs),
      wallSeconds: delta.wallSeconds,
      spans: (counted - sliceRequests) * config.spansPerPayload,
      cpu: delta.cpu,
    });
  }
  phase = 'done';
  clearInterval(sampler);
  await Promise.all(senders);
  agent.destroy();

  const delta = cpuDelta(from, to);
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    type: 'done',
    windowStartNs: String(from.atNs),
    windowEndNs: String(to.atNs),
    wallSeconds: delta.wallSeconds,
    cpu: delta.cpu,
    windowRequests: counted,
    windowSpans: counted * config.spansPerPayload,
    totalRequests,
    totalSpans: totalRequests * config.spansPerPayload,
    failures,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    rssSamples,
    slices,
    missedTicks,
  };
}

process.on('message', (message: LoadRun) => {
  if (message.type !== 'run') return;
  run(message).then(
    (result) => process.send!(result),
    (error: unknown) => process.send!({ type: 'error', error: error instanceof Error ? error.stack : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready' });
