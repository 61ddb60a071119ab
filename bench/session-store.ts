// Benchmark `store`: SQLite (better-sqlite3) vs DuckDB (@duckdb/node-api) as the collector's embedded
// session store, on the same generated data set (1 M sessions, ~20 M spans, ~5 M log events; 1/50 of
// it with --quick): bulk load, the sessions-list query mix (p50/p95), the KPI queries, batch ingest
// of live traffic (alone, with queries running, with bigger batches), a retried batch, size on disk.
//
// Each engine runs in its own process (bench/workers/store-engine.ts) one after the other, so their
// memory and CPU do not mix. The data set is loaded through each engine's fastest bulk path, not
// the ingest path: 20 M spans through 512-span batches would take longer than the rest of the
// benchmark; the ingest phases then write on top of the full data set for a fixed time.
import path from 'node:path';
import { forkWorker, nextMessage, REPO_ROOT } from './lib/children.js';
import { fixed, int, markdownTable, median, mib, ratio } from './lib/format.js';
import type { QuerySample } from './lib/session-queries.js';
import type { Benchmark, BenchContext, BenchmarkResult, ResultRow } from './lib/types.js';
import type { EngineConfig, EngineId, EngineResult, IngestPhase } from './workers/store-engine.js';

const ENGINES: { id: EngineId; label: string }[] = [
  { id: 'sqlite', label: 'SQLite' },
  { id: 'duckdb', label: 'DuckDB' },
];

function engineConfig(engine: EngineId, dir: string, quick: boolean): EngineConfig {
  return {
    engine,
    dir,
    sessions: quick ? 20_000 : 1_000_000,
    seed: 20_261_101,
    ingestSeconds: quick ? 2 : 15,
    warmupIngestSeconds: quick ? 1 : 5,
    // A busy site (~115 new sessions a second), so a 512-span batch holds records of ~200 sessions.
    liveSessionsPerDay: 10_000_000,
    queryRounds: quick ? 1 : 3,
    warmupRounds: quick ? 0 : 1,
    retryBatches: quick ? 5 : 10,
    probeRows: quick ? 100_000 : 2_000_000,
    probeBatches: quick ? 5 : 20,
  };
}

async function runEngine(engine: EngineId, ctx: BenchContext): Promise<EngineResult> {
  const config = engineConfig(engine, ctx.tmpDir, ctx.options.quick);
  const child = forkWorker(`store (${engine})`, path.join(REPO_ROOT, 'bench/workers/store-engine.ts'), { STORE_BENCH_CONFIG: JSON.stringify(config) });
  child.proc.on('message', (message: { type?: string; line?: string }) => {
    if (message.type === 'log' && message.line) ctx.log(`  ${message.line}`);
  });
  const { result } = await nextMessage<{ type: 'result'; result: EngineResult }>(child, 'result', 60 * 60_000);
  await child.exited;
  return result;
}

// ── Figures ────────────────────────────────────────────────────────────────────────────────────

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const ms = (value: number) => `${fixed(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
const millions = (n: number) => `${fixed(n / 1e6, 1)} M`;
const phase = (r: EngineResult, label: string) => r.ingest.find((p) => p.label.startsWith(label));

interface ListFigures {
  p50: number;
  p95: number;
  byQuery: Map<string, number>;
}

function listFigures(samples: QuerySample[]): ListFigures {
  const times = samples.map((s) => s.ms);
  const byQuery = new Map<string, number>();
  for (const name of new Set(samples.map((s) => s.name))) byQuery.set(name, median(samples.filter((s) => s.name === name && s.page === 1).map((s) => s.ms)));
  return { p50: median(times), p95: quantile(times, 0.95), byQuery };
}

const kpiMedian = (r: EngineResult, name: string) => median(r.queries.kpis.filter((s) => s.name === name).map((s) => s.ms));
const kpiNames = (r: EngineResult) => [...new Set(r.queries.kpis.map((s) => s.name))];
const kpiPageMs = (r: EngineResult) => kpiNames(r).reduce((sum, name) => sum + kpiMedian(r, name), 0);

function ingestNote(p: IngestPhase): string {
  return `${int(p.eventsPerSecond)} log events/s; ${int(p.batches)} batches, ~${int(p.sessionsPerBatch)} sessions each; per batch p50 ${ms(p.batchMs.p50)}, p99 ${ms(p.batchMs.p99)}; event loop blocked p50 ${ms(p.blockedMs.p50)}, p99 ${ms(p.blockedMs.p99)}, max ${ms(p.blockedMs.max)}`;
}

function checkpointRows(r: EngineResult, label: string): ResultRow[] {
  const c = r.checkpoints;
  if (!c) return [];
  return [
    {
      metric: `${label}: WAL checkpoints in the query worker`,
      value: `${int(c.count)}`,
      raw: c.count,
      note: `${fixed(c.totalMs / 1000, 1)} s in all (off the writer's thread), longest ${ms(c.maxMs)}; largest WAL seen ${mib(c.maxWalPages * 4096)}`,
    },
  ];
}

function engineRows(r: EngineResult, label: string): ResultRow[] {
  const alone = r.ingest[0]!;
  const rollup = phase(r, 'ingest, 512-span batches, session rollup');
  const concurrent = r.concurrent.ingest;
  // The concurrent phase runs in the engine's faster session-update mode: compare it with that.
  const concurrentBaseline = r.chosenSessionUpdates === 'rollup' && rollup ? rollup : alone;
  const big = phase(r, 'ingest, 4096')!;
  const list = listFigures(r.queries.list);
  const underLoad = listFigures(r.concurrent.queries.filter((s) => s.page > 0));
  const slowest = [...list.byQuery].sort((a, b) => b[1] - a[1]).slice(0, 2);
  const rows: ResultRow[] = [
    {
      metric: `${label}: batch ingest, 512 spans + their log events`,
      value: `${int(alone.spansPerSecond)} spans/s`,
      raw: alone.spansPerSecond,
      unit: 'spans/s',
      note: `${ingestNote(alone)}${alone.sessionUpdates ? '; touched sessions merged in every batch' : ''}`,
    },
  ];
  if (rollup) rows.push({ metric: `${label}: … sessions rolled up once a second instead`, value: `${int(rollup.spansPerSecond)} spans/s`, raw: rollup.spansPerSecond, unit: 'spans/s', note: ingestNote(rollup) });
  rows.push(
    {
      metric: `${label}: … with queries running (${r.engine === 'sqlite' ? 'worker thread' : 'second connection'})`,
      value: `${int(concurrent.spansPerSecond)} spans/s`,
      raw: concurrent.spansPerSecond,
      unit: 'spans/s',
      note: `${ratio(concurrent.spansPerSecond / concurrentBaseline.spansPerSecond)} of ingest alone${r.chosenSessionUpdates ? ` (sessions ${r.chosenSessionUpdates === 'rollup' ? 'rolled up' : 'merged per batch'})` : ''}; ${int(r.concurrent.queries.length)} queries ran meanwhile, list p50 ${ms(underLoad.p50)}, p95 ${ms(underLoad.p95)}; ${ingestNote(concurrent)}`,
    },
    { metric: `${label}: … 4096-span batches`, value: `${int(big.spansPerSecond)} spans/s`, raw: big.spansPerSecond, unit: 'spans/s', note: ingestNote(big) },
    {
      metric: `${label}: retried batch (already stored)`,
      value: ms(r.retry.msPerBatch),
      raw: r.retry.msPerBatch,
      unit: 'ms',
      note: `${r.retry.unchanged ? 'nothing changed ✓' : '**data changed ✗**'} (${r.retry.batches} batches written twice; a fresh batch: ${ms(r.retry.freshMsPerBatch)})`,
    },
    {
      metric: `${label}: sessions list p50 / p95`,
      value: `${ms(list.p50)} / ${ms(list.p95)}`,
      raw: list.p95,
      unit: 'ms (p95)',
      note: `${r.queries.list.length} timed pages (${list.byQuery.size} filter combinations × pages 1 and 2 × rounds); slowest: ${slowest.map(([name, t]) => `${name} ${ms(t)}`).join(', ')}`,
    },
    {
      metric: `${label}: KPI queries, all ${kpiNames(r).length}`,
      value: ms(kpiPageMs(r)),
      raw: kpiPageMs(r),
      unit: 'ms',
      note: `totals 30 d ${ms(kpiMedian(r, 'totals, 30 d'))}, daily series 30 d ${ms(kpiMedian(r, 'daily series, 30 d'))}, by country 30 d ${ms(kpiMedian(r, 'by country, 30 d'))}, active users now ${ms(kpiMedian(r, 'active users now (5 min)'))} (medians)`,
    },
    ...checkpointRows(r, label),
    {
      metric: `${label}: bulk load of the data set`,
      value: `${fixed(r.bulk.seconds, 0)} s`,
      raw: r.bulk.seconds,
      unit: 's',
      note: `${int(r.bulk.spansPerSecond)} spans/s incl. generating them; ${fixed(r.bulk.indexSeconds, 0)} s of it ${r.engine === 'sqlite' ? 'building the indexes and the FTS5 index' : 'the checkpoint'}`,
    },
    {
      metric: `${label}: size on disk`,
      value: mib(r.sizeAfterBulkBytes),
      raw: r.sizeAfterBulkBytes,
      unit: 'bytes',
      note: `after the bulk load (${fixed(r.sizeAfterBulkBytes / r.dataset.spans, 0)} bytes per span, all tables); ${mib(r.sizeBytes)} at the end with ${millions(r.finalTotals.spans)} spans; peak RSS ${mib(r.peakRssBytes)}`,
    },
  );
  return rows;
}

function answersCheck(results: EngineResult[]): { same: boolean; differing: string[] } {
  const [a, b] = results;
  if (!a || !b) return { same: true, differing: [] };
  const differing = Object.keys(a.queries.answers).filter((key) => a.queries.answers[key] !== b.queries.answers[key]);
  return { same: differing.length === 0, differing };
}

function comparisonTable(results: EngineResult[]): string {
  const byEngine = (pick: (r: EngineResult) => string) => results.map(pick);
  const rollup = (r: EngineResult) => phase(r, 'ingest, 512-span batches, session rollup');
  const lines: [string, ...string[]][] = [
    ['ingest, 512-span batches, sessions updated in every batch (spans/s)', ...byEngine((r) => int(r.ingest[0]!.spansPerSecond))],
    ['… sessions rolled up once a second', ...byEngine((r) => (rollup(r) ? int(rollup(r)!.spansPerSecond) : '—'))],
    ['… with queries running', ...byEngine((r) => `${int(r.concurrent.ingest.spansPerSecond)}${r.chosenSessionUpdates ? ` (${r.chosenSessionUpdates})` : ''}`)],
    ['… 4096-span batches', ...byEngine((r) => int(phase(r, 'ingest, 4096')!.spansPerSecond))],
    ['event loop blocked per 512-span batch, p50 / p99', ...byEngine((r) => `${ms(r.ingest[0]!.blockedMs.p50)} / ${ms(r.ingest[0]!.blockedMs.p99)}`)],
    ['sessions list p50 / p95', ...byEngine((r) => `${ms(listFigures(r.queries.list).p50)} / ${ms(listFigures(r.queries.list).p95)}`)],
    ['sessions list p95 while ingesting', ...byEngine((r) => ms(listFigures(r.concurrent.queries.filter((s) => s.page > 0)).p95))],
    ['KPI totals, 30 d', ...byEngine((r) => ms(kpiMedian(r, 'totals, 30 d')))],
    ['KPI daily series, 30 d', ...byEngine((r) => ms(kpiMedian(r, 'daily series, 30 d')))],
    ['KPI by version / browser / country / device, 30 d', ...byEngine((r) => ['by version, 30 d', 'by browser, 30 d', 'by country, 30 d', 'by device, 30 d'].map((n) => fixed(kpiMedian(r, n), 0)).join(' / ') + ' ms')],
    ['all 9 KPI queries', ...byEngine((r) => ms(kpiPageMs(r)))],
    ['size on disk after bulk load', ...byEngine((r) => mib(r.sizeAfterBulkBytes))],
    ['bulk load', ...byEngine((r) => `${fixed(r.bulk.seconds, 0)} s`)],
  ];
  return markdownTable(['', ...results.map((r) => ENGINES.find((e) => e.id === r.engine)!.label)], lines);
}

function perQueryTable(results: EngineResult[]): string {
  const figures = results.map((r) => listFigures(r.queries.list));
  const names = [...figures[0]!.byQuery.keys()];
  return markdownTable(
    ['sessions list: page 1, median', ...results.map((r) => ENGINES.find((e) => e.id === r.engine)!.label)],
    names.map((name) => [name, ...figures.map((f) => ms(f.byQuery.get(name) ?? 0))]),
  );
}

function probeTables(result: EngineResult | undefined, config: EngineConfig): string[] {
  if (!result?.probe) return [];
  return [
    '',
    `DuckDB write paths for a 512-span batch of new spans (a side database, spans only, the table already holding ${int(config.probeRows)} spans; medians):`,
    '',
    markdownTable(
      ['write path', 'per batch', 'spans/s', 'same batch again'],
      result.probe.spans.map((p) => [p.variant, ms(p.msPerBatch), int(p.spansPerSecond), p.retryMsPerBatch === null ? p.retry : `${p.retry}, ${ms(p.retryMsPerBatch)}`]),
      ['l', 'r', 'r', 'l'],
    ),
    '',
    `DuckDB session upserts: one batch's deltas (230 sessions, 200 of them stored already) into ${int(config.sessions)} sessions, and a CHECKPOINT after every 20 (medians):`,
    '',
    markdownTable(
      ['upsert', 'per batch', 'checkpoint'],
      result.probe.sessions.map((p) => [p.variant, ms(p.msPerUpsert), ms(p.checkpointMs)]),
      ['l', 'r', 'r'],
    ),
  ];
}

const TITLE = 'Session store: SQLite (better-sqlite3) vs DuckDB (@duckdb/node-api)';

function summaryRows(results: EngineResult[]): ResultRow[] {
  const first = results[0]!;
  const answers = answersCheck(results);
  return [
    {
      metric: 'Data set',
      value: `${int(first.dataset.sessions)} sessions`,
      raw: first.dataset.sessions,
      note: `${int(first.dataset.spans)} spans, ${int(first.dataset.events)} log events, ${int(first.dataset.traces)} traces over 30 days; the same rows in both engines`,
    },
    ...results.flatMap((r) => engineRows(r, ENGINES.find((e) => e.id === r.engine)!.label)),
    {
      metric: 'Same answers from both engines',
      value: answers.same ? 'yes' : 'no',
      note: answers.same ? `all ${Object.keys(first.queries.answers).length} queries: the same session ids on pages 1–2 and the same KPI values` : `differ: ${answers.differing.join('; ')}`,
    },
  ];
}

function methodNotes(results: EngineResult[], config: EngineConfig): string[] {
  const first = results[0]!;
  const sqlite = results.find((r) => r.engine === 'sqlite');
  const duck = results.find((r) => r.engine === 'duckdb');
  const eventsPerBatch = first.ingest[0]!.events / Math.max(1, first.ingest[0]!.batches);
  return [
    `SQLite ${sqlite?.engineVersion} through better-sqlite3 (WAL, synchronous=NORMAL, 256 MiB page cache per connection; writes on the main thread, queries from a worker thread with its own connection; the writer does not checkpoint on commit: the worker runs a PASSIVE checkpoint every 250 ms and the writer a short catch-up one once a second, which lets the WAL start over). DuckDB ${duck?.engineVersion} through @duckdb/node-api (default settings, threads = cores; writes and queries on two connections of one instance, async). Each engine in its own process, one after the other.`,
    `Data set: ${int(config.sessions)} sessions generated deterministically (seeded PRNG) over the 30 days before a fixed "now", loaded through each engine's bulk path (SQLite: prepared INSERTs in 5,000-session transactions, then indexes and the FTS5 index built by migration 2; DuckDB: Appenders, then a checkpoint). The list and KPI queries only look at those 30 days. Ingest phases then replay live traffic after "now" (a site with ~115 new sessions/s, records time-ordered across concurrent sessions) for ${config.ingestSeconds} s each on top of the full data set, after ${config.warmupIngestSeconds} s of untimed ingest (page cache, live sessions); rates are spans per second of time spent inside writeBatch (generating the batches is not counted). Each 512-span batch carries the log events of the same moments (~${int(eventsPerBatch)}) and updates every session it touches.`,
    `Query mix: ${listFigures(first.queries.list).byQuery.size} filter combinations of GET /api/sessions, page 1 and page 2 through the keyset cursor, 50 rows; ${config.warmupRounds} untimed round then ${config.queryRounds} timed rounds; p50/p95 over all timed pages. KPIs: the 9 queries of the KPI page, medians of the timed rounds. "With queries running": the same mix in a loop (a KPI query after every fourth list query) for the whole ingest phase.`,
  ];
}

/** The report's rows and notes from both engines' results (also usable on a saved latest.json). */
export function storeReport(results: EngineResult[], config: EngineConfig): BenchmarkResult {
  const duck = results.find((r) => r.engine === 'duckdb');
  return {
    id: 'store',
    title: TITLE,
    rows: summaryRows(results),
    notes: [...methodNotes(results, config), '', comparisonTable(results), '', perQueryTable(results), ...probeTables(duck, config)],
    data: { config, results },
  };
}

export const sessionStoreBenchmark: Benchmark = {
  id: 'store',
  title: TITLE,
  summary: 'bulk load of 1 M sessions / 20 M spans, batch ingest rate, sessions-list p95, KPI query times and size on disk for both embedded engines',
  async run(ctx: BenchContext): Promise<BenchmarkResult> {
    const results: EngineResult[] = [];
    for (const engine of ENGINES) {
      ctx.log(`store: ${engine.label}`);
      results.push(await runEngine(engine.id, ctx));
    }
    return storeReport(results, engineConfig('sqlite', ctx.tmpDir, ctx.options.quick));
  },
};
