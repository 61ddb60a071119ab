// Benchmark `web`: bundle size and main-thread cost of the browser SDK (@stitch/web) against the
// plain OpenTelemetry web setup, both built the same way in the same run.
//
// Size: each entry imports and initialises one setup; esbuild --bundle --minify --format=esm
// --platform=browser (with code splitting, so dynamic import() chunks show as "initial" vs "total"),
// then gzip -9 (zlib level 9).
// Cost: the same setups in headless Chromium (Debian's /usr/bin/chromium, the test suite's launch
// flags), same page, same run, alternating order: init time, long tasks during load, and the time
// spent in event dispatch for N clicks and N fetches, reported as ratios Stitch / plain OTel.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { REPO_ROOT } from './lib/children.js';
import { fixed, int, markdownTable, median, ratio } from './lib/format.js';
import type { Benchmark, BenchContext, BenchmarkResult, ResultRow } from './lib/types.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CLICKS = 200;
const FETCHES = 50;
const NODE_PATHS = [path.join(REPO_ROOT, 'node_modules'), path.join(REPO_ROOT, 'bench/node_modules')];

type SetupId = 'stitch' | 'otel-traces' | 'otel-full';

interface Setup {
  id: SetupId;
  label: string;
  /** The entry's imports and init, `ENDPOINT` and `PROPAGATE` substituted per use. */
  source: string;
}

const OTEL_TRACES_IMPORTS = `
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';`;

const OTEL_TRACES_INIT = (spanProcessors: string) => `
const tracerProvider = new WebTracerProvider({
  spanProcessors: [${spanProcessors}new BatchSpanProcessor(new OTLPTraceExporter({ url: ENDPOINT + '/v1/traces' }))],
});
tracerProvider.register();
registerInstrumentations({
  instrumentations: [
    new DocumentLoadInstrumentation(),
    new UserInteractionInstrumentation(),
    new FetchInstrumentation({ propagateTraceHeaderCorsUrls: [PROPAGATE] }),
    new XMLHttpRequestInstrumentation({ propagateTraceHeaderCorsUrls: [PROPAGATE] }),
  ],
});`;

const SETUPS: Setup[] = [
  {
    id: 'stitch',
    label: '@stitch/web, every instrumentation on',
    source: `
import { Stitch } from '@stitch/web';
Stitch.init({
  endpoint: ENDPOINT,
  serviceName: 'shop-web', environment: 'production', version: '1.4.2',
  propagateTo: [PROPAGATE],
  sessionSampleRate: 100,
  consent: 'granted',
  instrumentations: { 'page-load': true, 'page-view': true, 'user-action': true, network: true, errors: true, 'web-vitals': true },
});`,
  },
  {
    id: 'otel-traces',
    label: 'plain OpenTelemetry web, traces only',
    source: `${OTEL_TRACES_IMPORTS}
${OTEL_TRACES_INIT('')}`,
  },
  {
    id: 'otel-full',
    label: 'plain OpenTelemetry web + logs SDK + web-common sessions',
    source: `${OTEL_TRACES_IMPORTS}
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { logs } from '@opentelemetry/api-logs';
import { createSessionManager, createDefaultSessionIdGenerator, createLocalStorageSessionStore, createSessionSpanProcessor, createSessionLogRecordProcessor } from '@opentelemetry/web-common';
const sessionManager = createSessionManager({
  sessionIdGenerator: createDefaultSessionIdGenerator(),
  sessionStore: createLocalStorageSessionStore(),
  maxDuration: 4 * 3600,
  inactivityTimeout: 15 * 60,
});
sessionManager.start();
${OTEL_TRACES_INIT('createSessionSpanProcessor(sessionManager), ')}
const loggerProvider = new LoggerProvider({
  processors: [createSessionLogRecordProcessor(sessionManager), new BatchLogRecordProcessor(new OTLPLogExporter({ url: ENDPOINT + '/v1/logs' }))],
});
logs.setGlobalLoggerProvider(loggerProvider);`,
  },
];

/** Published gzip sizes of other browser SDKs, as stated in the issue (not measured here). */
const PUBLISHED: { label: string; gzipKB: number }[] = [
  { label: 'Grafana Faro web SDK + tracing', gzipKB: 98 },
  { label: 'Honeycomb web', gzipKB: 82 },
  { label: 'Splunk RUM', gzipKB: 126 },
  { label: 'HyperDX', gzipKB: 192 },
];
/** The issue's figures for the OpenTelemetry setups, for comparison with what we measure. */
const ISSUE_FIGURES: Partial<Record<SetupId, number>> = { 'otel-traces': 31, 'otel-full': 37 };

interface SizeResult {
  id: SetupId;
  label: string;
  /** Unminified bundle (all files). */
  rawBytes: number;
  /** Minified: the entry file, and all files (entry + dynamic-import chunks). */
  minInitialBytes: number;
  minTotalBytes: number;
  gzipInitialBytes: number;
  gzipTotalBytes: number;
  chunks: number;
}

const kb = (bytes: number): string => `${fixed(bytes / 1024, 1)} KB`;

async function bundle(entry: string, outdir: string, minify: boolean): Promise<{ entry: Uint8Array; files: Uint8Array[] }> {
  const result = await build({
    entryPoints: { entry },
    bundle: true,
    minify,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    outdir,
    write: false,
    nodePaths: NODE_PATHS,
    logLevel: 'error',
    legalComments: 'none',
  });
  const js = result.outputFiles.filter((f) => f.path.endsWith('.js'));
  const main = js.find((f) => path.basename(f.path) === 'entry.js');
  if (!main) throw new Error(`esbuild produced no entry.js for ${entry}`);
  return { entry: main.contents, files: js.map((f) => f.contents) };
}

const gz = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

async function measureSize(setup: Setup, dir: string): Promise<SizeResult> {
  const entry = path.join(dir, `${setup.id}.js`);
  writeFileSync(
    entry,
    setup.source.replace(/ENDPOINT/g, "'https://collector.example.com'").replace(/PROPAGATE/g, '/^https:\\/\\/api\\.example\\.com/'),
  );
  const raw = await bundle(entry, path.join(dir, `${setup.id}-raw`), false);
  const min = await bundle(entry, path.join(dir, `${setup.id}-min`), true);
  return {
    id: setup.id,
    label: setup.label,
    rawBytes: raw.files.reduce((sum, f) => sum + f.length, 0),
    minInitialBytes: min.entry.length,
    minTotalBytes: min.files.reduce((sum, f) => sum + f.length, 0),
    gzipInitialBytes: gz(min.entry),
    gzipTotalBytes: min.files.reduce((sum, f) => sum + gz(f), 0),
    chunks: min.files.length,
  };
}

// ---- cost in Chromium --------------------------------------------------------------------------

type CostSetupId = SetupId | 'none';

interface Bench {
  initMs: number;
  evalEnd: number;
  longTasks: { start: number; duration: number }[];
}

/**
 * The page around each setup: marks before the SDK is imported, timing of init, a button with the
 * app's own click listener (added after init, so OpenTelemetry's user-interaction patch sees it),
 * and loops that dispatch the events and time them.
 */
function costEntry(setup: Setup | undefined, endpoint: string): string {
  const init = setup
    ? setup.source.replace(/ENDPOINT/g, JSON.stringify(endpoint)).replace(/PROPAGATE/g, '/\\/api\\//')
    : '';
  // Imports are hoisted: the module body starts after the SDK's modules evaluated.
  const imports = init.split('\n').filter((l) => l.startsWith('import '));
  const body = init.split('\n').filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}
const bench = window.__bench;
bench.evalEnd = performance.now();
const t0 = performance.now();
${body.join('\n')}
bench.initMs = performance.now() - t0;
let clicked = 0;
const button = document.getElementById('buy');
button.addEventListener('click', () => { clicked++; });
bench.clicks = (n) => {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
    total += performance.now() - t;
  }
  return { total, clicked };
};
bench.fetches = async (n) => {
  let sync = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const pending = fetch('/api/items?i=' + i);
    sync += performance.now() - t;
    await (await pending).text();
  }
  return { sync, wall: performance.now() - t0 };
};
bench.ready = true;
`;
}

const COST_HTML = (id: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench ${id}</title>
<script>
window.__bench = { longTasks: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });
</script>
<script type="module" src="/${id}/entry.js"></script>
</head><body><h1>Shop</h1><p>A page with a button.</p><button id="buy" data-stitch-name="buy">Buy</button></body></html>`;

interface Received {
  requests: number;
  bytes: number;
  spans: number;
  logs: number;
}

/** Serves the cost pages, their bundles, a tiny API, and an OTLP sink counting what each setup sends. */
async function startCostServer(files: Map<string, Uint8Array>): Promise<{ server: Server; origin: string; received: Map<string, Received> }> {
  const received = new Map<string, Received>();
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const sink = /^\/sink\/([^/]+)\/v1\/(traces|logs|metrics)$/.exec(url);
    if (sink && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        const stats = received.get(sink[1]!) ?? { requests: 0, bytes: 0, spans: 0, logs: 0 };
        stats.requests++;
        stats.bytes += body.length;
        try {
          if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const request = JSON.parse(body.toString('utf8')) as {
            resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
            resourceLogs?: { scopeLogs?: { logRecords?: unknown[] }[] }[];
          };
          for (const rs of request.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) stats.spans += ss.spans?.length ?? 0;
          for (const rl of request.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) stats.logs += sl.logRecords?.length ?? 0;
        } catch {
          // protobuf or malformed: counted as a request only
        }
        received.set(sink[1]!, stats);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
      return;
    }
    req.resume();
    // Cross-origin isolation: performance.now() resolution 5 µs instead of 100 µs.
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    const page = /^\/([a-z-]+)\/$/.exec(url);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(COST_HTML(page[1]!));
    } else if (files.has(url)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(files.get(url));
    } else if (url.startsWith('/api/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[1,2,3]}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

interface CostRun {
  setup: CostSetupId;
  initMs: number;
  /** Module body start minus app.js responseEnd: parse + compile + evaluation of the bundle. */
  evalMs: number;
  /** Sum over long tasks (≥ 50 ms) of (duration − 50) from navigation to load + 1 s. */
  tbtMs: number;
  longTasks: number;
  /** CDP Performance.getMetrics ScriptDuration from navigation to load + 1 s. */
  loadScriptMs: number;
  clickDispatchMs: number;
  clickScriptMs: number;
  fetchSyncMs: number;
  fetchWallMs: number;
  fetchScriptMs: number;
}

async function scriptSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function costRun(context: BrowserContext, origin: string, setup: CostSetupId): Promise<CostRun> {
  const page: Page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(`${origin}/${setup}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __bench: { ready?: boolean } }).__bench.ready === true);
    await sleep(1000);
    const load = await page.evaluate(() => {
      const b = (window as unknown as { __bench: Bench }).__bench;
      const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/entry.js')) as PerformanceResourceTiming | undefined;
      return { initMs: b.initMs, evalMs: b.evalEnd - (script?.responseEnd ?? 0), longTasks: b.longTasks };
    });
    const loadScript = await scriptSeconds(cdp);

    const clicks = await page.evaluate((n) => (window as unknown as { __bench: { clicks(n: number): { total: number } } }).__bench.clicks(n), CLICKS);
    await sleep(500);
    const afterClicks = await scriptSeconds(cdp);

    const fetches = await page.evaluate(
      (n) => (window as unknown as { __bench: { fetches(n: number): Promise<{ sync: number; wall: number }> } }).__bench.fetches(n),
      FETCHES,
    );
    await sleep(500);
    const afterFetches = await scriptSeconds(cdp);
    return {
      setup,
      initMs: load.initMs,
      evalMs: load.evalMs,
      tbtMs: load.longTasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longTasks: load.longTasks.length,
      loadScriptMs: loadScript * 1000,
      clickDispatchMs: clicks.total,
      clickScriptMs: (afterClicks - loadScript) * 1000,
      fetchSyncMs: fetches.sync,
      fetchWallMs: fetches.wall,
      fetchScriptMs: (afterFetches - afterClicks) * 1000,
    };
  } finally {
    await page.close({ runBeforeUnload: false });
  }
}

type CostSummary = Record<CostSetupId, Omit<CostRun, 'setup'>>;

async function measureCost(ctx: BenchContext, rounds: number): Promise<{ summary: CostSummary; runs: CostRun[]; received: Record<string, Received> }> {
  const ids: CostSetupId[] = ['none', 'otel-traces', 'stitch'];
  const files = new Map<string, Uint8Array>();
  const costDir = path.join(ctx.tmpDir, 'cost');
  mkdirSync(costDir, { recursive: true });
  // The origin is needed in the entries (endpoint); bundles are served from a map filled after listen.
  const { server, origin, received } = await startCostServer(files);
  for (const id of ids) {
    const setup = SETUPS.find((s) => s.id === id);
    const entry = path.join(costDir, `${id}.js`);
    writeFileSync(entry, costEntry(setup, `${origin}/sink/${id}`));
    const result = await build({
      entryPoints: { entry },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      splitting: true,
      outdir: path.join(costDir, id),
      write: false,
      nodePaths: NODE_PATHS,
      logLevel: 'error',
    });
    for (const file of result.outputFiles) files.set(`/${id}/${path.relative(path.join(costDir, id), file.path)}`, file.contents);
  }

  const profile = await mkdtemp(path.join(tmpdir(), 'stitch-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const runs: CostRun[] = [];
  try {
    await costRun(context, origin, 'none'); // warm-up: browser start-up work lands here, not in a measured run
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so drift (thermal, GC of the browser process) does not favour one setup.
      const order = ids.map((_, i) => ids[(i + round) % ids.length]!);
      for (const id of order) {
        await context.clearCookies();
        runs.push(await costRun(context, origin, id));
      }
      ctx.log(`chromium round ${round + 1}/${rounds} done`);
    }
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const summary = {} as CostSummary;
  for (const id of ids) {
    const mine = runs.filter((r) => r.setup === id);
    const med = (key: Exclude<keyof CostRun, 'setup'>) => median(mine.map((r) => r[key]));
    summary[id] = {
      initMs: med('initMs'),
      evalMs: med('evalMs'),
      tbtMs: med('tbtMs'),
      longTasks: med('longTasks'),
      loadScriptMs: med('loadScriptMs'),
      clickDispatchMs: med('clickDispatchMs'),
      clickScriptMs: med('clickScriptMs'),
      fetchSyncMs: med('fetchSyncMs'),
      fetchWallMs: med('fetchWallMs'),
      fetchScriptMs: med('fetchScriptMs'),
    };
  }
  return { summary, runs, received: Object.fromEntries(received) };
}

// ---- report ------------------------------------------------------------------------------------

function sizeTable(sizes: SizeResult[]): string {
  const base = sizes.find((s) => s.id === 'otel-traces')!;
  const rows = sizes.map((s) => {
    const split = s.chunks > 1;
    return [
      s.label,
      kb(s.rawBytes),
      split ? `${kb(s.minInitialBytes)} initial / ${kb(s.minTotalBytes)} total` : kb(s.minTotalBytes),
      split ? `**${kb(s.gzipInitialBytes)}** initial / **${kb(s.gzipTotalBytes)}** total` : `**${kb(s.gzipTotalBytes)}**`,
      split ? `${ratio(s.gzipInitialBytes / base.gzipTotalBytes)} / ${ratio(s.gzipTotalBytes / base.gzipTotalBytes)}` : ratio(s.gzipTotalBytes / base.gzipTotalBytes),
      ISSUE_FIGURES[s.id] ? `≈ ${ISSUE_FIGURES[s.id]} KB (issue)` : 'measured',
    ];
  });
  for (const p of PUBLISHED) {
    rows.push([p.label, '—', '—', `≈ ${p.gzipKB} KB`, ratio((p.gzipKB * 1024) / base.gzipTotalBytes), 'published, not measured']);
  }
  return markdownTable(['setup', 'raw', 'minified', 'min + gzip -9', 'gzip vs plain OTel traces', 'source'], rows, ['l', 'r', 'r', 'r', 'r', 'l']);
}

function costTable(summary: CostSummary): string {
  const a = summary.stitch;
  const b = summary['otel-traces'];
  const none = summary.none;
  const us = (ms: number, n: number) => `${fixed((ms * 1000) / n, 1)} µs`;
  const r = (x: number, y: number) => (y > 0 ? ratio(x / y) : '—');
  const net = (x: number, y: number) => Math.max(0, x - y);
  const rows: string[][] = [
    ['init (performance.now() around init)', `${fixed(a.initMs, 2)} ms`, `${fixed(b.initMs, 2)} ms`, '—', r(a.initMs, b.initMs)],
    ['bundle parse + evaluate (app.js responseEnd → module body)', `${fixed(a.evalMs, 1)} ms`, `${fixed(b.evalMs, 1)} ms`, `${fixed(none.evalMs, 1)} ms`, r(a.evalMs, b.evalMs)],
    ['script time navigation → load + 1 s (CDP ScriptDuration)', `${fixed(a.loadScriptMs, 1)} ms`, `${fixed(b.loadScriptMs, 1)} ms`, `${fixed(none.loadScriptMs, 1)} ms`, r(net(a.loadScriptMs, none.loadScriptMs), net(b.loadScriptMs, none.loadScriptMs)) + ' (net of no SDK)'],
    ['total blocking time during load (long tasks − 50 ms)', `${fixed(a.tbtMs, 0)} ms (${a.longTasks} tasks)`, `${fixed(b.tbtMs, 0)} ms (${b.longTasks} tasks)`, `${fixed(none.tbtMs, 0)} ms`, r(a.tbtMs, b.tbtMs)],
    [`click: dispatch time per click (N=${CLICKS})`, us(a.clickDispatchMs, CLICKS), us(b.clickDispatchMs, CLICKS), us(none.clickDispatchMs, CLICKS), r(net(a.clickDispatchMs, none.clickDispatchMs), net(b.clickDispatchMs, none.clickDispatchMs)) + ' (net of no SDK)'],
    [`click: all script time per click incl. async work, 0.5 s after (CDP)`, us(a.clickScriptMs, CLICKS), us(b.clickScriptMs, CLICKS), us(none.clickScriptMs, CLICKS), r(net(a.clickScriptMs, none.clickScriptMs), net(b.clickScriptMs, none.clickScriptMs)) + ' (net of no SDK)'],
    [`fetch: synchronous cost of the fetch() call (N=${FETCHES})`, us(a.fetchSyncMs, FETCHES), us(b.fetchSyncMs, FETCHES), us(none.fetchSyncMs, FETCHES), r(net(a.fetchSyncMs, none.fetchSyncMs), net(b.fetchSyncMs, none.fetchSyncMs)) + ' (net of no SDK)'],
    [`fetch: all script time per fetch incl. async work, 0.5 s after (CDP)`, us(a.fetchScriptMs, FETCHES), us(b.fetchScriptMs, FETCHES), us(none.fetchScriptMs, FETCHES), r(net(a.fetchScriptMs, none.fetchScriptMs), net(b.fetchScriptMs, none.fetchScriptMs)) + ' (net of no SDK)'],
    [`fetch: wall time per sequential fetch (local server)`, `${fixed(a.fetchWallMs / FETCHES, 2)} ms`, `${fixed(b.fetchWallMs / FETCHES, 2)} ms`, `${fixed(none.fetchWallMs / FETCHES, 2)} ms`, r(a.fetchWallMs, b.fetchWallMs)],
  ];
  return markdownTable(['Chromium, median of runs', '@stitch/web', 'plain OTel traces', 'no SDK', 'Stitch / OTel'], rows, ['l', 'r', 'r', 'r', 'r']);
}

export const webSdkSizeBenchmark: Benchmark = {
  id: 'web',
  title: 'Browser SDK: bundle size and main-thread cost vs plain OpenTelemetry web',
  summary: 'esbuild --bundle --minify + gzip -9 of @stitch/web and the plain OpenTelemetry web setups; init and per-event cost in headless Chromium',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const sizeDir = path.join(ctx.tmpDir, 'size');
    mkdirSync(sizeDir, { recursive: true });
    const sizes: SizeResult[] = [];
    for (const setup of SETUPS) {
      sizes.push(await measureSize(setup, sizeDir));
      ctx.log(`size ${setup.id}: ${kb(sizes.at(-1)!.gzipTotalBytes)} gzip`);
    }
    const rounds = ctx.options.quick ? 2 : 7;
    const cost = await measureCost(ctx, rounds);
    const stitch = sizes.find((s) => s.id === 'stitch')!;
    const traces = sizes.find((s) => s.id === 'otel-traces')!;
    const full = sizes.find((s) => s.id === 'otel-full')!;
    const { summary } = cost;
    const net = (x: number, y: number) => Math.max(0, x - y);

    const rows: ResultRow[] = [
      { metric: '@stitch/web gzip (initial entry)', value: kb(stitch.gzipInitialBytes), raw: stitch.gzipInitialBytes, unit: 'bytes', note: 'target for the stretch goal: ≤ 12 KB' },
      { metric: '@stitch/web gzip (total, all chunks)', value: kb(stitch.gzipTotalBytes), raw: stitch.gzipTotalBytes, unit: 'bytes', note: `${stitch.chunks} file(s)` },
      { metric: 'plain OTel web traces-only gzip', value: kb(traces.gzipTotalBytes), raw: traces.gzipTotalBytes, unit: 'bytes', note: 'issue: ≈ 31 KB' },
      { metric: 'plain OTel web + logs + sessions gzip', value: kb(full.gzipTotalBytes), raw: full.gzipTotalBytes, unit: 'bytes', note: 'issue: ≈ 37 KB' },
      { metric: 'Stitch total / plain OTel traces-only', value: ratio(stitch.gzipTotalBytes / traces.gzipTotalBytes), raw: stitch.gzipTotalBytes / traces.gzipTotalBytes, note: 'target: < 1' },
      { metric: 'init cost, Stitch / OTel', value: ratio(summary.stitch.initMs / summary['otel-traces'].initMs), raw: summary.stitch.initMs / summary['otel-traces'].initMs, note: `${fixed(summary.stitch.initMs, 2)} ms vs ${fixed(summary['otel-traces'].initMs, 2)} ms` },
      {
        metric: 'per-click dispatch cost, Stitch / OTel (net of no SDK)',
        value: ratio(net(summary.stitch.clickDispatchMs, summary.none.clickDispatchMs) / net(summary['otel-traces'].clickDispatchMs, summary.none.clickDispatchMs)),
        note: `${fixed((summary.stitch.clickDispatchMs * 1000) / CLICKS, 1)} µs vs ${fixed((summary['otel-traces'].clickDispatchMs * 1000) / CLICKS, 1)} µs per click`,
      },
      {
        metric: 'per-fetch script cost, Stitch / OTel (net of no SDK)',
        value: ratio(net(summary.stitch.fetchScriptMs, summary.none.fetchScriptMs) / net(summary['otel-traces'].fetchScriptMs, summary.none.fetchScriptMs)),
        note: `${fixed((summary.stitch.fetchScriptMs * 1000) / FETCHES, 1)} µs vs ${fixed((summary['otel-traces'].fetchScriptMs * 1000) / FETCHES, 1)} µs per fetch`,
      },
    ];
    const received = Object.entries(cost.received)
      .map(([id, r]) => `${id}: ${r.requests} requests, ${int(r.bytes)} bytes, ${r.spans} spans, ${r.logs} log records`)
      .join('; ');
    const notes = [
      '#### Bundle size (esbuild 0.28 `--bundle --minify --format=esm --platform=browser`, code splitting on; gzip -9)',
      '',
      sizeTable(sizes),
      '',
      `Raw = unminified bundle. When a setup loads code with dynamic \`import()\`, "initial" is the entry file the page downloads first and "total" every chunk. Faro, Honeycomb, Splunk and HyperDX figures are the published ones quoted in issue 3, not measured here.`,
      '',
      `#### Main-thread cost in headless Chromium (${rounds} rounds per setup, setups interleaved, median)`,
      '',
      costTable(summary),
      '',
      `Clicks are synthetic (\`dispatchEvent\`) on a button whose listener the page adds after init; fetches are sequential to a same-origin API that both setups propagate to. "no SDK" is the same page without any SDK. CDP script time includes work the SDKs defer (timers, PerformanceObserver callbacks, exports) that ran within 0.5 s after the last event. What the SDKs sent in all runs: ${received}.`,
    ];
    const result: BenchmarkResult = {
      id: 'web',
      title: this.title,
      rows,
      notes,
      data: { sizes, published: PUBLISHED, cost: { clicks: CLICKS, fetches: FETCHES, rounds, summary, runs: cost.runs, received: cost.received } },
    };
    if (!ctx.options.quick) {
      const date = new Date().toISOString();
      writeFileSync(
        path.join(ctx.resultsDir, 'web-sdk-size.md'),
        [`## ${result.title}`, '', `Run: ${date.slice(0, 16).replace('T', ' ')} UTC`, '', markdownTable(['Metric', 'Value', 'Notes'], rows.map((row) => [row.metric, row.value, row.note ?? '']), ['l', 'r', 'l']), '', ...notes, ''].join('\n'),
      );
      writeFileSync(path.join(ctx.resultsDir, 'web-sdk-size.json'), `${JSON.stringify({ date, ...result }, null, 2)}\n`);
      ctx.log('wrote bench/results/web-sdk-size.md and web-sdk-size.json');
    }
    return result;
  },
};
