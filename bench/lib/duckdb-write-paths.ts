// The `store` benchmark's probe of DuckDB's write paths, on a side database: which one the DuckDB
// adapter should use. (1) Ways to write a 512-span batch, with and without idempotence, and what
// making a retried batch harmless costs (spans only; the other tables behave alike). (2) Ways to
// fold a batch's session deltas into the sessions table, and what each costs at checkpoint time.
import path from 'node:path';
import { blobValue, DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { median } from './format.js';
import { DATASET_DAYS, DATASET_END_MS, generateSessions, LiveTraffic, type SpanRecord } from './session-data.js';
import { appendSpan, mergeSessionsSql, SESSION_COLUMNS_DDL, SPAN_COLUMNS_DDL } from './store-duckdb.js';
import { sessionUpsertAssignments } from './store-api.js';

export interface WritePathProbe {
  variant: string;
  /** What happens when the same batch is written again. */
  retry: string;
  msPerBatch: number;
  spansPerSecond: number;
  /** Median time to write an already-stored batch again (idempotent variants). */
  retryMsPerBatch: number | null;
}

interface Variant {
  variant: string;
  retry: string;
  write(spans: SpanRecord[]): Promise<void>;
  idempotent: boolean;
}

const BATCH_SPANS = 512;
const COLUMN_COUNT = 14;

function spanParams(spans: SpanRecord[]): DuckDBValue[] {
  return spans.flatMap((s) => [
    blobValue(s.traceId),
    blobValue(s.spanId),
    s.parentSpanId ? blobValue(s.parentSpanId) : null,
    s.sessionId,
    s.service,
    s.name,
    s.kind,
    s.startUs,
    s.durationUs,
    s.statusCode,
    s.httpMethod,
    s.httpStatus,
    s.url,
    s.attributes,
  ]);
}

async function loadBaseRows(c: DuckDBConnection, rows: number, seed: number): Promise<void> {
  const app = await c.createAppender('spans_plain');
  let loaded = 0;
  for (const session of generateSessions({ sessions: Math.ceil(rows / 15), seed, endMs: DATASET_END_MS, days: DATASET_DAYS })) {
    for (const span of session.spans) {
      appendSpan(app, span);
      app.endRow();
      if (++loaded >= rows) break;
    }
    if (loaded >= rows) break;
  }
  app.closeSync();
  await c.run(`
    CREATE TABLE spans_keyed AS SELECT * FROM spans_plain;
    ALTER TABLE spans_keyed ADD PRIMARY KEY (trace_id, span_id);
    CREATE TEMP TABLE stage AS SELECT * FROM spans_plain LIMIT 0;
    CHECKPOINT;`);
}

async function variants(c: DuckDBConnection): Promise<Variant[]> {
  const plain = await c.createAppender('spans_plain');
  const keyed = await c.createAppender('spans_keyed');
  const stage = await c.createAppender('stage', null, 'temp');
  const appendAll = (app: typeof plain, spans: SpanRecord[]) => {
    for (const span of spans) {
      appendSpan(app, span);
      app.endRow();
    }
    app.flushSync();
  };
  const row = `(${Array.from({ length: COLUMN_COUNT }, () => '?').join(', ')})`;
  const multiRow = await c.prepare(`INSERT OR IGNORE INTO spans_keyed VALUES ${Array.from({ length: BATCH_SPANS }, () => row).join(', ')}`);
  return [
    { variant: 'Appender into a table without key', retry: 'stores the batch twice', idempotent: false, write: async (spans) => appendAll(plain, spans) },
    { variant: 'Appender into a table with PRIMARY KEY (trace_id, span_id)', retry: 'fails (duplicate key)', idempotent: false, write: async (spans) => appendAll(keyed, spans) },
    {
      variant: 'Appender → staging, INSERT OR IGNORE into the PRIMARY KEY table',
      retry: 'ignored',
      idempotent: true,
      write: async (spans) => {
        appendAll(stage, spans);
        await c.run('INSERT OR IGNORE INTO spans_keyed SELECT * FROM stage; DELETE FROM stage;');
      },
    },
    {
      variant: 'multi-row INSERT OR IGNORE … VALUES (512 rows, prepared) into the PRIMARY KEY table',
      retry: 'ignored',
      idempotent: true,
      write: async (spans) => {
        multiRow.bind(spanParams(spans));
        await multiRow.run();
      },
    },
    {
      variant: 'Appender → staging, anti-join on rows since the batch’s first start, no key (adapter’s path)',
      retry: 'ignored',
      idempotent: true,
      write: async (spans) => {
        appendAll(stage, spans);
        const fromUs = Math.min(...spans.map((s) => s.startUs));
        await c.run(`
          INSERT INTO spans_plain SELECT * FROM stage s
          WHERE NOT EXISTS (SELECT 1 FROM spans_plain t WHERE t.start_us >= ${fromUs} AND t.trace_id = s.trace_id AND t.span_id = s.span_id);
          DELETE FROM stage;`);
      },
    },
  ];
}

export interface SessionUpsertProbe {
  variant: string;
  /** Median time of one batch's upsert (~230 sessions: 200 existing, 30 new). */
  msPerUpsert: number;
  /** Median CHECKPOINT time after 20 upserts. */
  checkpointMs: number;
}

const UPSERTS_PER_CHECKPOINT = 20;

/** `sessions` tables of `count` rows in two schemas: `keyed` (PRIMARY KEY) and `plain` (none). */
async function createSessionTables(c: DuckDBConnection, count: number): Promise<void> {
  await c.run(`
    CREATE SCHEMA keyed; CREATE SCHEMA plain;
    CREATE TABLE plain.sessions (${SESSION_COLUMNS_DDL});
    INSERT INTO plain.sessions (session_id, start_ms, last_activity_ms, duration_ms, ended, page_views, user_actions, errors, api_calls, browser, country)
      SELECT md5(i::VARCHAR), 1700000000000 + i * 1000, 1700000060000 + i * 1000, 60000, 0, 2, 1, 0, 4, 'Chrome', 'DE' FROM range(${count}) t(i);
    CREATE TABLE keyed.sessions AS SELECT * FROM plain.sessions;
    ALTER TABLE keyed.sessions ADD PRIMARY KEY (session_id);
    CHECKPOINT;`);
}

/** One batch's deltas: 200 of the newest sessions again and 30 new ones, like a live batch. */
async function stageSessionDeltas(c: DuckDBConnection, count: number, round: number): Promise<void> {
  const first = count - 200 + round * 30;
  await c.run(`
    CREATE OR REPLACE TEMP TABLE session_delta AS SELECT * FROM plain.sessions LIMIT 0;
    INSERT INTO session_delta (session_id, start_ms, last_activity_ms, duration_ms, ended, page_views, user_actions, errors, api_calls, browser, country)
      SELECT md5(i::VARCHAR), 1700000000000 + i * 1000, 1700000090000 + i * 1000, 90000, 0, 1, 0, 0, 1, 'Chrome', 'DE' FROM range(${first}, ${first + 230}) t(i);`);
}

async function probeSessionUpserts(c: DuckDBConnection, count: number, rounds: number): Promise<SessionUpsertProbe[]> {
  await createSessionTables(c, count);
  const variants = [
    {
      variant: 'PRIMARY KEY (session_id), INSERT … ON CONFLICT DO UPDATE',
      sql: `INSERT INTO keyed.sessions SELECT * FROM session_delta ON CONFLICT (session_id) DO UPDATE SET ${sessionUpsertAssignments({ greatest: 'greatest', least: 'least' })}`,
    },
    { variant: 'no key, MERGE INTO (adapter’s path)', sql: mergeSessionsSql('SELECT * FROM session_delta', 'plain.sessions') },
  ];
  const results: SessionUpsertProbe[] = [];
  for (const { variant, sql } of variants) {
    let round = 0;
    const upserts: number[] = [];
    const checkpoints: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < UPSERTS_PER_CHECKPOINT; i++) {
        await stageSessionDeltas(c, count, round++);
        const started = performance.now();
        await c.run(sql);
        upserts.push(performance.now() - started);
      }
      const started = performance.now();
      await c.run('CHECKPOINT');
      checkpoints.push(performance.now() - started);
    }
    results.push({ variant, msPerUpsert: median(upserts), checkpointMs: median(checkpoints) });
  }
  return results;
}

export async function probeDuckDbWritePaths(
  config: { dir: string; seed: number; sessions: number; probeRows: number; probeBatches: number },
  log: (line: string) => void,
): Promise<{ spans: WritePathProbe[]; sessions: SessionUpsertProbe[] }> {
  log(`write-path probe: ${config.probeRows.toLocaleString('en-US')} spans already stored, ${config.probeBatches} batches of ${BATCH_SPANS} per variant`);
  const instance = await DuckDBInstance.create(path.join(config.dir, 'probe.duckdb'));
  const c = await instance.connect();
  try {
    await c.run(`CREATE TABLE spans_plain (${SPAN_COLUMNS_DDL})`);
    await loadBaseRows(c, config.probeRows, config.seed + 3);
    const traffic = new LiveTraffic(config.seed + 4, DATASET_END_MS, 10_000_000);
    const results: WritePathProbe[] = [];
    for (const variant of await variants(c)) {
      const times: number[] = [];
      let last: SpanRecord[] = [];
      for (let i = 0; i < config.probeBatches; i++) {
        last = traffic.nextBatch(BATCH_SPANS).spans;
        const started = performance.now();
        await variant.write(last);
        times.push(performance.now() - started);
      }
      let retryMsPerBatch: number | null = null;
      if (variant.idempotent) {
        const started = performance.now();
        await variant.write(last);
        retryMsPerBatch = performance.now() - started;
      }
      const msPerBatch = median(times);
      results.push({ variant: variant.variant, retry: variant.retry, msPerBatch, spansPerSecond: (BATCH_SPANS * 1000) / msPerBatch, retryMsPerBatch });
      log(`  ${variant.variant}: ${msPerBatch.toFixed(1)} ms per batch`);
    }
    log(`session upserts into ${config.sessions.toLocaleString('en-US')} sessions`);
    const sessions = await probeSessionUpserts(c, config.sessions, Math.max(2, Math.round(config.probeBatches / 4)));
    for (const p of sessions) log(`  ${p.variant}: ${p.msPerUpsert.toFixed(1)} ms per upsert, checkpoint ${p.checkpointMs.toFixed(0)} ms`);
    return { spans: results, sessions };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
