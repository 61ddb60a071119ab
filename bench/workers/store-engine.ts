// One engine's run of the `store` benchmark, in its own process (so its memory is its own): bulk
// load of the data set, the query mix, ingest phases, the retry check, ingest with concurrent
// queries, size on disk. Reads its config from STORE_BENCH_CONFIG, reports progress as
// { type: 'log' } messages and its figures as { type: 'result' }.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import duckdb from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { median } from '../lib/format.js';
import { DATASET_DAYS, DATASET_END_MS, generateSessions, LiveTraffic, SESSION_INACTIVITY_MS, type TelemetryBatch } from '../lib/session-data.js';
import { runQueryLoop, runQueryMix, type MixResult, type QuerySample } from '../lib/session-queries.js';
import { toBulkSession, type BulkSession, type SessionReader, type SessionStoreWriter, type StoreTotals } from '../lib/store-api.js';
import { DuckDbSessionStore, type SessionUpdateMode } from '../lib/store-duckdb.js';
import { SqliteSessionStore } from '../lib/store-sqlite.js';
import { probeDuckDbWritePaths, type SessionUpsertProbe, type WritePathProbe } from '../lib/duckdb-write-paths.js';
import type { CheckpointStats, QueryWorkerRequest } from './sqlite-queries.js';

export type EngineId = 'sqlite' | 'duckdb';

export interface EngineConfig {
  engine: EngineId;
  dir: string;
  /** Sessions in the bulk-loaded data set (~20 spans and ~5 log events each). */
  sessions: number;
  seed: number;
  ingestSeconds: number;
  /** Untimed ingest before the first measured phase. */
  warmupIngestSeconds: number;
  /** Arrival rate of the live traffic replayed by the ingest phases. */
  liveSessionsPerDay: number;
  queryRounds: number;
  warmupRounds: number;
  retryBatches: number;
  /** DuckDB write-path probe: rows already in the table, batches per variant. */
  probeRows: number;
  probeBatches: number;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface IngestPhase {
  label: string;
  batchSpans: number;
  batches: number;
  spans: number;
  events: number;
  sessionsPerBatch: number;
  /** Σ time inside writeBatch (the data generator's time is not counted). */
  writeSeconds: number;
  spansPerSecond: number;
  eventsPerSecond: number;
  batchMs: Percentiles;
  /** Time per batch the calling thread was blocked (the event loop could not run). */
  blockedMs: Percentiles;
  sessionUpdates?: SessionUpdateMode;
}

export interface EngineResult {
  engine: EngineId;
  engineVersion: string;
  dataset: StoreTotals;
  bulk: { seconds: number; loadSeconds: number; indexSeconds: number; spansPerSecond: number };
  sizeAfterBulkBytes: number;
  queries: MixResult;
  ingest: IngestPhase[];
  retry: { batches: number; msPerBatch: number; freshMsPerBatch: number; rowsWritten: number; unchanged: boolean; before: StoreTotals; after: StoreTotals };
  concurrent: { ingest: IngestPhase; queries: QuerySample[] };
  finalTotals: StoreTotals;
  sizeBytes: number;
  peakRssBytes: number;
  probe?: { spans: WritePathProbe[]; sessions: SessionUpsertProbe[] };
  /** SQLite: the WAL checkpoints the query worker ran (the writer does not checkpoint). */
  checkpoints?: CheckpointStats;
  /** DuckDB: the session-update mode used after the two alone phases (the faster one). */
  chosenSessionUpdates?: SessionUpdateMode;
}

/** Runs queries for the engine: SQLite through a worker thread, DuckDB on a second connection. */
interface QueryRunner {
  mix(rounds: number, warmupRounds: number): Promise<MixResult>;
  startLoop(): void;
  stopLoop(): Promise<QuerySample[]>;
  /** SQLite: what the worker's background checkpoints cost. */
  close(): Promise<CheckpointStats | undefined>;
}

const config = JSON.parse(process.env.STORE_BENCH_CONFIG ?? '{}') as EngineConfig;
const log = (line: string) => process.send?.({ type: 'log', line: `${config.engine}: ${line}` });

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: median(values), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

function peakRssBytes(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function* bulkSessions(): Generator<BulkSession> {
  for (const session of generateSessions({ sessions: config.sessions, seed: config.seed, endMs: DATASET_END_MS, days: DATASET_DAYS })) {
    yield toBulkSession(session.spans, session.events, DATASET_END_MS, SESSION_INACTIVITY_MS);
  }
}

const progress = (total: number) => {
  let next = 0.1;
  return (done: number) => {
    if (done / total >= next) {
      log(`bulk load ${Math.round((100 * done) / total)} %${done === total ? (config.engine === 'sqlite' ? ', building indexes' : ', checkpoint') : ''}`);
      next += 0.1;
    }
  };
};

// ── Engines ──────────────────────────────────────────────────────────────────────────────────────

interface OpenedEngine {
  writer: SessionStoreWriter;
  queries: QueryRunner;
  version: string;
  bulkSeconds: { load: number; index: number };
  duck?: DuckDbSessionStore;
}

async function openSqlite(): Promise<OpenedEngine> {
  const file = path.join(config.dir, 'stitch.sqlite');
  const store = new SqliteSessionStore(file, { autoCheckpoint: false, writerCheckpointEveryMs: 1_000 });
  store.migrate(1);
  const { loadMs, indexMs } = store.bulkLoad(bulkSessions(), progress(config.sessions));
  return {
    writer: store,
    queries: sqliteQueryWorker(file),
    version: (new Database(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    bulkSeconds: { load: loadMs / 1000, index: indexMs / 1000 },
  };
}

async function openDuckDb(): Promise<OpenedEngine> {
  const store = await DuckDbSessionStore.open(path.join(config.dir, 'stitch.duckdb'));
  await store.migrate();
  const loadStarted = performance.now();
  await store.bulkLoad(bulkSessions(), progress(config.sessions));
  const indexStarted = performance.now();
  await store.checkpoint();
  const done = performance.now();
  return {
    writer: store,
    queries: inProcessQueries(await store.reader()),
    version: duckdb.version(),
    bulkSeconds: { load: (indexStarted - loadStarted) / 1000, index: (done - indexStarted) / 1000 },
    duck: store,
  };
}

/** How often the SQLite query worker copies the WAL into the database (the writer only catches up once a second). */
const BACKGROUND_CHECKPOINT_EVERY_MS = 250;

/** SQLite: a worker thread with its own read connection (WAL), started through tsx like this process. */
function sqliteQueryWorker(file: string): QueryRunner {
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./sqlite-queries.ts', import.meta.url).href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { file, checkpointEveryMs: BACKGROUND_CHECKPOINT_EVERY_MS } });
  const reply = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string; error?: string }) => {
        if (message.type !== type && message.type !== 'error') return;
        worker.off('message', onMessage);
        if (message.type === 'error') reject(new Error(message.error));
        else resolve(message as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const send = (request: QueryWorkerRequest) => worker.postMessage(request);
  let loop: Promise<{ samples: QuerySample[] }> | undefined;
  return {
    async mix(rounds, warmupRounds) {
      const result = reply<{ result: MixResult }>('mix-result');
      send({ type: 'mix', nowMs: DATASET_END_MS, rounds, warmupRounds });
      return (await result).result;
    },
    startLoop() {
      loop = reply('loop-result');
      send({ type: 'loop', nowMs: DATASET_END_MS });
    },
    async stopLoop() {
      send({ type: 'stop' });
      return (await loop!).samples;
    },
    async close() {
      const closed = reply<{ checkpoints: CheckpointStats }>('closed');
      send({ type: 'close' });
      const { checkpoints } = await closed;
      await new Promise((resolve) => worker.once('exit', resolve));
      return checkpoints;
    },
  };
}

/** DuckDB: queries on a second connection in this process; they run on DuckDB's threads. */
function inProcessQueries(reader: SessionReader & { close(): void }): QueryRunner {
  let stop = false;
  let loop: Promise<QuerySample[]> | undefined;
  return {
    mix: (rounds, warmupRounds) => runQueryMix(reader, DATASET_END_MS, { rounds, warmupRounds }),
    startLoop() {
      stop = false;
      loop = runQueryLoop(reader, DATASET_END_MS, () => stop);
    },
    async stopLoop() {
      stop = true;
      return loop!;
    },
    async close() {
      reader.close();
      return undefined;
    },
  };
}

// ── Phases ───────────────────────────────────────────────────────────────────────────────────────

/** Writes live-traffic batches for `seconds` of wall time; keeps the last `keep` batches for the retry check. */
async function ingest(writer: SessionStoreWriter, traffic: LiveTraffic, label: string, batchSpans: number, seconds: number, keep = 0): Promise<{ phase: IngestPhase; kept: TelemetryBatch[] }> {
  const batchMs: number[] = [];
  const blockedMs: number[] = [];
  const kept: TelemetryBatch[] = [];
  let spans = 0;
  let events = 0;
  let sessions = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const batch = traffic.nextBatch(batchSpans);
    const started = performance.now();
    const outcome = await writer.writeBatch(batch);
    batchMs.push(performance.now() - started);
    blockedMs.push(outcome.blockedMs);
    spans += outcome.spansWritten;
    events += outcome.eventsWritten;
    sessions += outcome.sessionsTouched;
    if (keep > 0) {
      kept.push(batch);
      if (kept.length > keep) kept.shift();
    }
    await yieldToEventLoop();
  }
  const writeSeconds = batchMs.reduce((a, b) => a + b, 0) / 1000;
  const phase: IngestPhase = {
    label,
    batchSpans,
    batches: batchMs.length,
    spans,
    events,
    sessionsPerBatch: sessions / Math.max(1, batchMs.length),
    writeSeconds,
    spansPerSecond: spans / writeSeconds,
    eventsPerSecond: events / writeSeconds,
    batchMs: percentiles(batchMs),
    blockedMs: percentiles(blockedMs),
  };
  log(`${label}: ${Math.round(phase.spansPerSecond).toLocaleString('en-US')} spans/s, batch p50 ${phase.batchMs.p50.toFixed(1)} ms, p99 ${phase.batchMs.p99.toFixed(1)} ms, blocked p50 ${phase.blockedMs.p50.toFixed(1)} ms`);
  return { phase, kept };
}

/** Writes the same batches again: nothing may change, and it shows what the duplicate checks cost. */
async function retryCheck(writer: SessionStoreWriter, batches: TelemetryBatch[], freshMsPerBatch: number): Promise<EngineResult['retry']> {
  const before = await writer.totals();
  const times: number[] = [];
  let rowsWritten = 0;
  for (const batch of batches) {
    const started = performance.now();
    const outcome = await writer.writeBatch(batch);
    times.push(performance.now() - started);
    rowsWritten += outcome.spansWritten + outcome.eventsWritten;
  }
  const after = await writer.totals();
  const unchanged = JSON.stringify(before) === JSON.stringify(after) && rowsWritten === 0;
  log(`retry of ${batches.length} batches: ${unchanged ? 'nothing changed' : 'CHANGED THE DATA'}, ${median(times).toFixed(1)} ms per batch`);
  return { batches: batches.length, msPerBatch: median(times), freshMsPerBatch, rowsWritten, unchanged, before, after };
}

async function run(): Promise<EngineResult> {
  const started = performance.now();
  log(`bulk load of ${config.sessions.toLocaleString('en-US')} sessions`);
  const engine = config.engine === 'sqlite' ? await openSqlite() : await openDuckDb();
  const { writer, queries } = engine;
  const bulkSeconds = (performance.now() - started) / 1000;
  const dataset = await writer.totals();
  const sizeAfterBulkBytes = writer.sizeOnDisk();
  log(`loaded ${dataset.spans.toLocaleString('en-US')} spans in ${bulkSeconds.toFixed(0)} s (${engine.bulkSeconds.index.toFixed(0)} s of it ${config.engine === 'sqlite' ? 'indexes' : 'checkpoint'}), ${(sizeAfterBulkBytes / 2 ** 30).toFixed(2)} GiB`);

  log(`query mix: ${config.warmupRounds} warm-up + ${config.queryRounds} timed rounds`);
  const mix = await queries.mix(config.queryRounds, config.warmupRounds);
  const listMs = mix.list.map((s) => s.ms).sort((a, b) => a - b);
  log(`list p50 ${median(listMs).toFixed(1)} ms, p95 ${listMs[Math.floor(0.95 * listMs.length)]?.toFixed(1)} ms`);

  const traffic = new LiveTraffic(config.seed + 1, DATASET_END_MS, config.liveSessionsPerDay);
  // Untimed: fills the page cache with the indexes' hot pages and the traffic with live sessions.
  await ingest(writer, traffic, 'warm-up', 512, config.warmupIngestSeconds);
  const phases: IngestPhase[] = [];
  const alone = await ingest(writer, traffic, 'ingest, 512-span batches', 512, config.ingestSeconds, config.retryBatches);
  phases.push({ ...alone.phase, ...(engine.duck ? { sessionUpdates: engine.duck.sessionUpdates } : {}) });
  const retry = await retryCheck(writer, alone.kept, alone.phase.batchMs.p50);

  let chosenSessionUpdates: SessionUpdateMode | undefined;
  if (engine.duck) {
    engine.duck.sessionUpdates = 'rollup';
    const rollup = await ingest(writer, traffic, 'ingest, 512-span batches, session rollup every 1 s', 512, config.ingestSeconds);
    await engine.duck.rollup();
    phases.push({ ...rollup.phase, sessionUpdates: 'rollup' });
    chosenSessionUpdates = rollup.phase.spansPerSecond > alone.phase.spansPerSecond ? 'rollup' : 'per-batch';
    engine.duck.sessionUpdates = chosenSessionUpdates;
  }

  log('ingest with queries running concurrently');
  queries.startLoop();
  const concurrent = await ingest(writer, traffic, 'ingest, 512-span batches, queries running', 512, config.ingestSeconds);
  const concurrentQueries = await queries.stopLoop();
  phases.push({ ...concurrent.phase, ...(chosenSessionUpdates ? { sessionUpdates: chosenSessionUpdates } : {}) });

  const big = await ingest(writer, traffic, 'ingest, 4096-span batches', 4096, config.ingestSeconds);
  phases.push({ ...big.phase, ...(chosenSessionUpdates ? { sessionUpdates: chosenSessionUpdates } : {}) });
  if (engine.duck?.sessionUpdates === 'rollup') await engine.duck.rollup();

  await writer.checkpoint();
  const finalTotals = await writer.totals();
  const sizeBytes = writer.sizeOnDisk();
  const checkpoints = await queries.close();
  await writer.close();

  const probe = config.engine === 'duckdb' ? await probeDuckDbWritePaths(config, log) : undefined;
  return {
    engine: config.engine,
    engineVersion: engine.version,
    dataset,
    bulk: { seconds: bulkSeconds, loadSeconds: engine.bulkSeconds.load, indexSeconds: engine.bulkSeconds.index, spansPerSecond: dataset.spans / bulkSeconds },
    sizeAfterBulkBytes,
    queries: mix,
    ingest: phases,
    retry,
    concurrent: { ingest: concurrent.phase, queries: concurrentQueries },
    finalTotals,
    sizeBytes,
    peakRssBytes: peakRssBytes(),
    ...(probe ? { probe } : {}),
    ...(checkpoints ? { checkpoints } : {}),
    ...(chosenSessionUpdates ? { chosenSessionUpdates } : {}),
  };
}

run().then(
  (result) => process.send?.({ type: 'result', result }, () => process.exit(0)),
  (error: unknown) => {
    process.send?.({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
  },
);
