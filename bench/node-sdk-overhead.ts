// Benchmark `node`: request throughput of the demo shop's API (express + knex on SQLite) with no
// instrumentation, with plain OpenTelemetry auto-instrumentation
// (`--import @opentelemetry/auto-instrumentations-node/register`, with and without OpenTelemetry's
// ESM loader hook) and with `@stitch/node` (`--import @stitch/node/register`), in one run, as
// ratios to the uninstrumented API and Stitch to plain OpenTelemetry with the same coverage.
//
// Load: autocannon in this process (the API runs in its own process), keep-alive connections, a
// browser-like mix of requests carrying `traceparent` + `baggage: session.id=…`. Traces and logs
// go to a discarding OTLP sink in a third process. Setups alternate within each round so machine
// noise spreads over all of them; the median round is reported.
import path from 'node:path';
import autocannon from 'autocannon';
import { forkWorker, freePort, nextMessage, REPO_ROOT, spawnProcess, stopChild, type Child } from './lib/children.js';
import { fixed, int, median, ratio } from './lib/format.js';
import type { Benchmark, BenchContext, BenchmarkResult, ResultRow } from './lib/types.js';
import type { SinkStats } from './workers/sink.js';

const API_ENTRY = 'examples/demo-shop/api/server.ts';
const CONNECTIONS = 16;

type SetupId = 'none' | 'otel' | 'otel-esm' | 'stitch';

const PLAIN_REGISTER = ['--import', '@opentelemetry/auto-instrumentations-node/register'];
const SETUPS: { id: SetupId; label: string; nodeArgs: string[] }[] = [
  { id: 'none', label: 'no instrumentation', nodeArgs: [] },
  // The API is an ES module app (TypeScript through tsx): without OpenTelemetry's loader hook,
  // express and pino imported with `import` stay unpatched, so this setup records less.
  { id: 'otel', label: 'plain OpenTelemetry, require hooks only', nodeArgs: PLAIN_REGISTER },
  // OpenTelemetry's documented setup for ES module apps: the same coverage as @stitch/node.
  { id: 'otel-esm', label: 'plain OpenTelemetry + ESM loader hook', nodeArgs: ['--experimental-loader=@opentelemetry/instrumentation/hook.mjs', ...PLAIN_REGISTER] },
  { id: 'stitch', label: '@stitch/node', nodeArgs: ['--import', '@stitch/node/register'] },
];

interface Round {
  setup: SetupId;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
  /** Spans the sink received per request served (warm-up included), after the API's exit flush. */
  spansPerRequest: number;
}

function sessionHeaders(i: number): Record<string, string> {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
  return {
    traceparent: `00-${hex(0xabc000 + i, 32)}-${hex(0xdef000 + i, 16)}-01`,
    baggage: `session.id=${hex(0x5e55 + (i % 50), 32)}`,
  };
}

/** What a browsing session asks for: the product list, product pages, the cart. */
function requestMix(): autocannon.Request[] {
  const requests: autocannon.Request[] = [];
  for (let i = 0; i < 20; i++) {
    const headers = { ...sessionHeaders(i), 'x-cart-id': `bench-cart-${i % 8}` };
    requests.push({ method: 'GET', path: '/api/products', headers });
    requests.push({ method: 'GET', path: `/api/products/${(i % 12) + 1}`, headers });
    requests.push({ method: 'GET', path: '/api/cart', headers });
  }
  return requests;
}

async function startApi(setup: (typeof SETUPS)[number], sinkPort: number): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = spawnProcess(`api (${setup.id})`, process.execPath, [...setup.nodeArgs, '--import', 'tsx', API_ENTRY], {
    PORT: String(port),
    DEMO_DB: ':memory:',
    DEMO_CHECKOUT_FAILURE_RATE: '0',
    DEMO_CHECKOUT_SLOW_RATE: '0',
    DEMO_LOG_LEVEL: 'warn',
    OTEL_SERVICE_NAME: 'demo-shop-api',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    // The same for both instrumented setups: no metrics, local resource detectors only.
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited: ${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${child.name} not healthy in 30 s: ${child.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, requests: requestMix() });
}

async function sinkStats(sink: Child): Promise<SinkStats> {
  const reply = nextMessage<SinkStats>(sink, 'stats', 5_000);
  sink.proc.send({ type: 'stats' });
  return reply;
}

async function resetSink(sink: Child): Promise<void> {
  const done = nextMessage(sink, 'reset-done', 5_000);
  sink.proc.send({ type: 'reset' });
  await done;
}

async function measure(setup: (typeof SETUPS)[number], sink: Child, sinkPort: number, seconds: number, ctx: BenchContext): Promise<Round> {
  await resetSink(sink);
  const api = await startApi(setup, sinkPort);
  let warm: autocannon.Result;
  let result: autocannon.Result;
  try {
    warm = await load(api.url, Math.max(1, Math.round(seconds / 3))); // JIT, SQLite page cache, SDK buffers
    result = await load(api.url, seconds);
  } finally {
    // SIGTERM flushes both SDKs; plain sdk-node's handler keeps the process alive, hence the short grace.
    await stopChild(api.child, 3_000);
  }
  const { spans } = await sinkStats(sink);
  const round: Round = {
    setup: setup.id,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    spansPerRequest: spans / Math.max(1, warm.requests.total + result.requests.total),
  };
  ctx.log(`  ${setup.label}: ${int(round.requestsPerSecond)} req/s, p99 ${fixed(round.latencyP99Ms, 0)} ms, ${fixed(round.spansPerRequest, 1)} spans/request`);
  return round;
}

export const nodeSdkBenchmark: Benchmark = {
  id: 'node',
  title: 'Node SDK: demo API throughput, uninstrumented vs plain OpenTelemetry vs @stitch/node',
  summary: 'express + SQLite demo API under loopback load (autocannon) with no SDK, plain sdk-node auto-instrumentation and @stitch/node',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const seconds = ctx.options.quick ? 3 : 10;
    const rounds = ctx.options.quick ? 1 : 3;
    const sink = forkWorker('sink', path.join(REPO_ROOT, 'bench/workers/sink.ts'));
    const all: Round[] = [];
    try {
      const { port: sinkPort } = await nextMessage<{ type: 'listening'; port: number }>(sink, 'listening', 30_000);
      for (let round = 0; round < rounds; round++) {
        ctx.log(`node: round ${round + 1}/${rounds}, ${seconds} s per setup, ${CONNECTIONS} connections`);
        const order = round % 2 === 0 ? SETUPS : [...SETUPS].reverse();
        for (const setup of order) all.push(await measure(setup, sink, sinkPort, seconds, ctx));
      }
    } finally {
      await stopChild(sink, 2_000);
    }

    const med = (id: SetupId, pick: (r: Round) => number) => median(all.filter((r) => r.setup === id).map(pick));
    const rps = Object.fromEntries(SETUPS.map((s) => [s.id, med(s.id, (r) => r.requestsPerSecond)])) as Record<SetupId, number>;
    const failures = all.reduce((n, r) => n + r.errors + r.non2xx, 0);
    const rows: ResultRow[] = SETUPS.map((s) => ({
      metric: `${s.label}: requests/s`,
      value: int(rps[s.id]),
      raw: rps[s.id],
      unit: 'req/s',
      note: `p50 ${fixed(med(s.id, (r) => r.latencyP50Ms), 0)} ms, p99 ${fixed(med(s.id, (r) => r.latencyP99Ms), 0)} ms, ${fixed(med(s.id, (r) => r.spansPerRequest), 1)} spans exported per request`,
    }));
    rows.push(
      { metric: '@stitch/node / none', value: ratio(rps.stitch / rps.none), raw: rps.stitch / rps.none, note: 'throughput kept' },
      { metric: 'plain OpenTelemetry + ESM hook / none', value: ratio(rps['otel-esm'] / rps.none), raw: rps['otel-esm'] / rps.none, note: 'throughput kept' },
      { metric: 'plain OpenTelemetry, require hooks only / none', value: ratio(rps.otel / rps.none), raw: rps.otel / rps.none, note: 'throughput kept (express, pino unpatched)' },
      { metric: '@stitch/node / plain OpenTelemetry + ESM hook', value: ratio(rps.stitch / rps['otel-esm']), raw: rps.stitch / rps['otel-esm'], note: 'like for like; > 1: Stitch is faster' },
    );
    return {
      id: 'node',
      title: this.title,
      rows,
      notes: [
        `Median of ${rounds} round(s) of ${seconds} s per setup (after a warm-up), ${CONNECTIONS} keep-alive connections from autocannon in the bench process; the API in its own process (Node ${process.version}); traces and logs to a discarding OTLP sink in a third process. Failed or non-2xx responses in all rounds: ${failures}.`,
        'Each request is a product list, product page or cart read (one to three SQLite queries through knex) with traceparent + session baggage, as the browser sends them. Plain OpenTelemetry runs with its own defaults (a span per express middleware and per router layer, dns and net on); @stitch/node with its quiet defaults (fs, dns, net, router off; express keeps request-handler spans) plus session stamping. The API is an ES module app, so plain OpenTelemetry needs its ESM loader hook to patch express and pino; @stitch/node/register installs it.',
      ],
      data: { rounds: all, requestsPerSecond: rps, connections: CONNECTIONS, seconds },
    };
  },
};
