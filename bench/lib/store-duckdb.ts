// The session store on DuckDB (@duckdb/node-api): the schema with its migrations, the write path and
// the queries. Statements run on DuckDB's own threads (the API is async), so queries never block the
// event loop; only appending rows to an Appender and flushing it are synchronous.
//
// Write path, per batch (what measured fastest in DuckDB 1.5, see the `store` benchmark):
// 1. append the batch's spans and events to temporary staging tables with Appenders;
// 2. find the staged rows already stored (a retried batch) with a semi-join that only scans rows
//    at or after the batch's earliest timestamp (a duplicate has the same timestamp), which the
//    min/max zone maps of the time-ordered tables prune to the last row groups;
// 3. from the new rows only, compute each touched session's delta in JS (shared with SQLite) and
//    MERGE it into `sessions`, or, in `rollup` mode, append it to `session_deltas`, which is
//    folded into `sessions` once a second;
// 4. move everything from staging to the tables in one transaction.
// No PRIMARY KEY anywhere: `INSERT OR IGNORE`/`ON CONFLICT` against a large ART index measured one
// to two orders of magnitude slower than the anti-join, and every checkpoint rewrites a table's
// whole ART index (~0.45 s for 1 M session ids), where MERGE's hash join needs none.
import { statSync } from 'node:fs';
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { HOUR_MS, MAX_SESSION_MS, type EventRecord, type SpanRecord, type TelemetryBatch } from './session-data.js';
import {
  kpiSql,
  normalizeRow,
  SESSION_COLUMNS,
  SESSION_MERGE_RULES,
  SessionDeltas,
  sessionListSql,
  sessionUpsertAssignments,
  toSessionPage,
  tracesOf,
  type BulkSession,
  type KpiQuery,
  type KpiRow,
  type MergeRule,
  type SessionColumn,
  type SessionListQuery,
  type SessionPage,
  type SessionReader,
  type SessionRow,
  type SessionStoreWriter,
  type SqlDialect,
  type StoreTotals,
  type WriteOutcome,
} from './store-api.js';

type ColumnType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'DOUBLE';

const SESSION_COLUMN_TYPES: Record<SessionColumn, ColumnType> = {
  session_id: 'VARCHAR',
  start_ms: 'BIGINT',
  last_activity_ms: 'BIGINT',
  duration_ms: 'BIGINT',
  ended: 'INTEGER',
  page_views: 'INTEGER',
  user_actions: 'INTEGER',
  errors: 'INTEGER',
  api_calls: 'INTEGER',
  user_hash: 'VARCHAR',
  user_name: 'VARCHAR',
  user_email: 'VARCHAR',
  service: 'VARCHAR',
  environment: 'VARCHAR',
  app_version: 'VARCHAR',
  browser: 'VARCHAR',
  browser_version: 'VARCHAR',
  os: 'VARCHAR',
  os_version: 'VARCHAR',
  device_type: 'VARCHAR',
  screen: 'VARCHAR',
  viewport: 'VARCHAR',
  connection_type: 'VARCHAR',
  country: 'VARCHAR',
  region: 'VARCHAR',
  city: 'VARCHAR',
  entry_url: 'VARCHAR',
  exit_url: 'VARCHAR',
  lcp_ms: 'DOUBLE',
  inp_ms: 'DOUBLE',
  cls: 'DOUBLE',
  fcp_ms: 'DOUBLE',
  ttfb_ms: 'DOUBLE',
};

export const SESSION_COLUMNS_DDL = SESSION_COLUMNS.map(([column]) => `${column} ${SESSION_COLUMN_TYPES[column]}${column === 'session_id' ? ' NOT NULL' : ''}`).join(', ');
const SPAN_COLUMN_LIST = 'trace_id, span_id, parent_span_id, session_id, service, name, kind, start_us, duration_us, status_code, http_method, http_status, url, attributes';
export const SPAN_COLUMNS_DDL = `
  trace_id BLOB NOT NULL, span_id BLOB NOT NULL, parent_span_id BLOB, session_id VARCHAR,
  service VARCHAR NOT NULL, name VARCHAR NOT NULL, kind TINYINT NOT NULL,
  start_us BIGINT NOT NULL, duration_us BIGINT NOT NULL, status_code TINYINT NOT NULL,
  http_method VARCHAR, http_status SMALLINT, url VARCHAR, attributes VARCHAR`;
const EVENT_COLUMN_LIST = 'event_key, session_id, time_us, name, trace_id, span_id, severity, text, value, attributes';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Forward-only; `schema_version` holds the version reached. (One so far: DuckDB needs no indexes here.) */
export const DUCKDB_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'tables',
    sql: `
      CREATE TABLE sessions (${SESSION_COLUMNS_DDL});
      -- Rollup mode: per-batch changes to sessions, folded into sessions periodically.
      CREATE TABLE session_deltas (${SESSION_COLUMNS_DDL});
      CREATE TABLE spans (${SPAN_COLUMNS_DDL});
      CREATE TABLE log_events (
        event_key BIGINT NOT NULL, session_id VARCHAR NOT NULL, time_us BIGINT NOT NULL, name VARCHAR NOT NULL,
        trace_id BLOB, span_id BLOB, severity TINYINT, text VARCHAR, value DOUBLE, attributes VARCHAR
      );
      CREATE TABLE trace_session (trace_id BLOB NOT NULL, session_id VARCHAR NOT NULL, first_us BIGINT NOT NULL);
    `,
  },
];

export const DUCKDB_LATEST_VERSION = DUCKDB_MIGRATIONS.at(-1)!.version;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const DUCKDB_DIALECT: SqlDialect = {
  // No index: a scan of log_events.text over the time range (zone maps prune by time_us).
  textFilter: (text, fromMs, toMs) => ({
    sql: "session_id IN (SELECT session_id FROM log_events WHERE time_us >= ? AND time_us < ? AND text ILIKE ? ESCAPE '\\')",
    params: [fromMs * 1000, (toMs + MAX_SESSION_MS) * 1000, `%${escapeLike(text)}%`],
  }),
  intDiv: (a, b) => `(${a} // ${b})`,
};

/** How rollup mode folds many deltas of one session into one row (the upsert then folds that into the stored row). */
function deltaAggregate(column: SessionColumn, rule: MergeRule): string {
  const nonNull = `FILTER (WHERE ${column} IS NOT NULL)`;
  switch (rule) {
    case 'key':
      return column;
    case 'sum':
      return `sum(${column})`;
    case 'min':
      return `min(${column})`;
    case 'max':
      return `max(${column})`;
    case 'duration':
      return 'max(last_activity_ms) - min(start_ms)';
    case 'keep-first':
    case 'entry':
      return `arg_min(${column}, start_ms) ${nonNull}`;
    case 'take-new':
    case 'exit':
      return `arg_max(${column}, last_activity_ms) ${nonNull}`;
  }
}

/** Folds one delta row per session (from `source`) into `sessions`: a hash join on session_id, no index. */
export const mergeSessionsSql = (source: string, table = 'sessions') => `
  MERGE INTO ${table} AS sessions USING (${source}) AS excluded ON (sessions.session_id = excluded.session_id)
  WHEN MATCHED THEN UPDATE SET ${sessionUpsertAssignments({ greatest: 'greatest', least: 'least' })}
  WHEN NOT MATCHED THEN INSERT;`;

const ROLLUP_SQL = `
  ${mergeSessionsSql(`SELECT ${SESSION_COLUMNS.map(([column]) => `${deltaAggregate(column, SESSION_MERGE_RULES[column])} AS ${column}`).join(', ')} FROM session_deltas GROUP BY session_id`)}
  DELETE FROM session_deltas;`;

// ── Appending rows ──────────────────────────────────────────────────────────────────────────────

function appendText(app: DuckDBAppender, value: string | null): void {
  if (value === null) app.appendNull();
  else app.appendVarchar(value);
}

function appendBlob(app: DuckDBAppender, value: Buffer | null): void {
  if (value === null) app.appendNull();
  else app.appendBlob(value);
}

function appendNumber(app: DuckDBAppender, type: ColumnType, value: number | null): void {
  if (value === null) app.appendNull();
  else if (type === 'BIGINT') app.appendBigInt(BigInt(value));
  else if (type === 'INTEGER') app.appendInteger(value);
  else app.appendDouble(value);
}

/** Appends a span's values (no endRow: a staging row has a column before them). */
export function appendSpan(app: DuckDBAppender, s: SpanRecord): void {
  app.appendBlob(s.traceId);
  app.appendBlob(s.spanId);
  appendBlob(app, s.parentSpanId);
  app.appendVarchar(s.sessionId);
  app.appendVarchar(s.service);
  app.appendVarchar(s.name);
  app.appendTinyInt(s.kind);
  app.appendBigInt(BigInt(s.startUs));
  app.appendBigInt(BigInt(s.durationUs));
  app.appendTinyInt(s.statusCode);
  appendText(app, s.httpMethod);
  if (s.httpStatus === null) app.appendNull();
  else app.appendSmallInt(s.httpStatus);
  appendText(app, s.url);
  app.appendVarchar(s.attributes);
}

function appendEvent(app: DuckDBAppender, e: EventRecord): void {
  app.appendBigInt(e.eventKey);
  app.appendVarchar(e.sessionId);
  app.appendBigInt(BigInt(e.timeUs));
  app.appendVarchar(e.name);
  appendBlob(app, e.traceId);
  appendBlob(app, e.spanId);
  app.appendTinyInt(e.severity);
  appendText(app, e.text);
  if (e.value === null) app.appendNull();
  else app.appendDouble(e.value);
  app.appendVarchar(e.attributes);
}

function appendSession(app: DuckDBAppender, row: SessionRow): void {
  for (const [column, field] of SESSION_COLUMNS) {
    const type = SESSION_COLUMN_TYPES[column];
    const value = row[field];
    if (type === 'VARCHAR') appendText(app, value as string | null);
    else appendNumber(app, type, value as number | null);
  }
  app.endRow();
}

// ── The store ─────────────────────────────────────────────────────────────────────────────────────

export type SessionUpdateMode = 'per-batch' | 'rollup';

export interface DuckDbOptions {
  /** `per-batch`: upsert the touched sessions in every batch; `rollup`: fold the deltas in every `rollupEveryMs`. */
  sessionUpdates?: SessionUpdateMode;
  rollupEveryMs?: number;
  /** DuckDB settings (threads, memory_limit…). */
  config?: Record<string, string>;
}

interface Staging {
  spans: DuckDBAppender;
  events: DuckDBAppender;
  sessions: DuckDBAppender;
}

export class DuckDbSessionStore implements SessionStoreWriter {
  readonly engine = 'duckdb';
  sessionUpdates: SessionUpdateMode;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDBConnection;
  readonly #file: string;
  readonly #rollupEveryMs: number;
  #staging: Staging | undefined;
  #lastRollup = performance.now();

  private constructor(file: string, instance: DuckDBInstance, writer: DuckDBConnection, options: DuckDbOptions) {
    this.#file = file;
    this.#instance = instance;
    this.#writer = writer;
    this.sessionUpdates = options.sessionUpdates ?? 'per-batch';
    this.#rollupEveryMs = options.rollupEveryMs ?? 1_000;
  }

  static async open(file: string, options: DuckDbOptions = {}): Promise<DuckDbSessionStore> {
    const instance = await DuckDBInstance.create(file, options.config ?? {});
    return new DuckDbSessionStore(file, instance, await instance.connect(), options);
  }

  /** A reader on its own connection: its queries run on DuckDB's threads beside the writer's. */
  async reader(): Promise<DuckDbSessionReader> {
    return new DuckDbSessionReader(await this.#instance.connect());
  }

  async schemaVersion(): Promise<number> {
    await this.#writer.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const rows = (await this.#writer.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_version')).getRowObjectsJS();
    return Number(rows[0]?.v ?? 0);
  }

  async migrate(toVersion = DUCKDB_LATEST_VERSION): Promise<void> {
    const current = await this.schemaVersion();
    for (const migration of DUCKDB_MIGRATIONS) {
      if (migration.version <= current || migration.version > toVersion) continue;
      await this.#writer.run(`BEGIN TRANSACTION; ${migration.sql}; INSERT INTO schema_version VALUES (${migration.version}); COMMIT;`);
    }
  }

  /** The fastest way in: Appenders straight into the tables. */
  async bulkLoad(sessions: Iterable<BulkSession>, onProgress?: (sessions: number) => void): Promise<void> {
    const sessionApp = await this.#writer.createAppender('sessions');
    const spanApp = await this.#writer.createAppender('spans');
    const eventApp = await this.#writer.createAppender('log_events');
    const traceApp = await this.#writer.createAppender('trace_session');
    let loaded = 0;
    for (const session of sessions) {
      appendSession(sessionApp, session.row);
      for (const span of session.spans) {
        appendSpan(spanApp, span);
        spanApp.endRow();
      }
      for (const event of session.events) {
        appendEvent(eventApp, event);
        eventApp.endRow();
      }
      for (const trace of tracesOf(session.spans)) {
        traceApp.appendBlob(trace.traceId);
        traceApp.appendVarchar(trace.sessionId);
        traceApp.appendBigInt(BigInt(trace.firstUs));
        traceApp.endRow();
      }
      if (++loaded % 5_000 === 0) onProgress?.(loaded);
    }
    for (const app of [sessionApp, spanApp, eventApp, traceApp]) app.closeSync();
  }

  async writeBatch(batch: TelemetryBatch): Promise<WriteOutcome> {
    let blockedMs = 0;
    const sync = <T>(work: () => T): T => {
      const started = performance.now();
      try {
        return work();
      } finally {
        blockedMs += performance.now() - started;
      }
    };
    const staging = await this.#stagingTables();
    sync(() => stageRecords(staging, batch));
    const spanFromUs = minOf(batch.spans, (s) => s.startUs);
    const eventFromUs = minOf(batch.events, (e) => e.timeUs);
    try {
      await this.#writer.run('BEGIN TRANSACTION');
      const duplicates = await this.#findStoredDuplicates(spanFromUs, eventFromUs);
      const { deltas, spansWritten, eventsWritten } = sync(() => {
        const newSpans = batch.spans.filter((_, i) => !duplicates.spans.has(i));
        const newEvents = batch.events.filter((_, i) => !duplicates.events.has(i));
        const d = new SessionDeltas();
        for (const span of newSpans) d.addSpan(span);
        for (const event of newEvents) d.addEvent(event);
        for (const row of d.rows()) appendSession(staging.sessions, row);
        staging.sessions.flushSync();
        return { deltas: d, spansWritten: newSpans.length, eventsWritten: newEvents.length };
      });
      await this.#writer.run(this.#applyStagedSql(duplicates, spanFromUs));
      if (this.sessionUpdates === 'rollup' && performance.now() - this.#lastRollup >= this.#rollupEveryMs) await this.rollup();
      return { spansWritten, eventsWritten, sessionsTouched: deltas.size, blockedMs };
    } catch (error) {
      await this.#writer.run('ROLLBACK').catch(() => undefined);
      await this.#writer.run('DELETE FROM spans_stage; DELETE FROM events_stage; DELETE FROM sessions_stage;');
      throw error;
    }
  }

  /** Folds the pending session deltas into `sessions` (rollup mode; a no-op when there are none). */
  async rollup(): Promise<void> {
    this.#lastRollup = performance.now();
    await this.#writer.run(`BEGIN TRANSACTION; ${ROLLUP_SQL} COMMIT;`);
  }

  async #stagingTables(): Promise<Staging> {
    if (this.#staging) return this.#staging;
    // Temporary tables live in memory, per connection; `seq` is the record's index in the batch.
    await this.#writer.run(`
      CREATE TEMP TABLE spans_stage AS SELECT 0::INTEGER AS seq, * FROM spans LIMIT 0;
      CREATE TEMP TABLE events_stage AS SELECT 0::INTEGER AS seq, * FROM log_events LIMIT 0;
      CREATE TEMP TABLE sessions_stage AS SELECT * FROM sessions LIMIT 0;`);
    this.#staging = {
      spans: await this.#writer.createAppender('spans_stage', null, 'temp'),
      events: await this.#writer.createAppender('events_stage', null, 'temp'),
      sessions: await this.#writer.createAppender('sessions_stage', null, 'temp'),
    };
    return this.#staging;
  }

  /** Staged records already in the tables (from an earlier try of the same batch). */
  async #findStoredDuplicates(spanFromUs: number, eventFromUs: number): Promise<{ spans: Set<number>; events: Set<number> }> {
    const parts: string[] = [];
    if (Number.isFinite(spanFromUs)) {
      parts.push(`SELECT 0 AS kind, seq FROM spans_stage s WHERE EXISTS (SELECT 1 FROM spans t WHERE t.start_us >= ${spanFromUs} AND t.trace_id = s.trace_id AND t.span_id = s.span_id)`);
    }
    if (Number.isFinite(eventFromUs)) {
      parts.push(`SELECT 1 AS kind, seq FROM events_stage s WHERE EXISTS (SELECT 1 FROM log_events t WHERE t.time_us >= ${eventFromUs} AND t.event_key = s.event_key)`);
    }
    const duplicates = { spans: new Set<number>(), events: new Set<number>() };
    if (parts.length === 0) return duplicates;
    for (const row of (await this.#writer.runAndReadAll(parts.join(' UNION ALL '))).getRowsJS()) {
      (row[0] === 0 ? duplicates.spans : duplicates.events).add(Number(row[1]));
    }
    return duplicates;
  }

  /** Moves the new staged rows into the tables, updates sessions and commits. */
  #applyStagedSql(duplicates: { spans: Set<number>; events: Set<number> }, spanFromUs: number): string {
    const skip = (seqs: Set<number>) => (seqs.size === 0 ? '' : ` WHERE seq NOT IN (${[...seqs].join(', ')})`);
    // A trace's spans can come in several batches: look for its index row an hour back at most
    // (beyond that a duplicate index row can appear, which lookups tolerate with LIMIT 1).
    const traceFromUs = Number.isFinite(spanFromUs) ? spanFromUs - HOUR_MS * 1000 : 0;
    const sessions = this.sessionUpdates === 'per-batch' ? mergeSessionsSql('SELECT * FROM sessions_stage') : 'INSERT INTO session_deltas SELECT * FROM sessions_stage;';
    return `
      INSERT INTO spans SELECT ${SPAN_COLUMN_LIST} FROM spans_stage${skip(duplicates.spans)};
      INSERT INTO log_events SELECT ${EVENT_COLUMN_LIST} FROM events_stage${skip(duplicates.events)};
      INSERT INTO trace_session
        SELECT trace_id, any_value(session_id), min(start_us) FROM spans_stage s
        WHERE session_id IS NOT NULL${duplicates.spans.size ? ` AND seq NOT IN (${[...duplicates.spans].join(', ')})` : ''}
          AND NOT EXISTS (SELECT 1 FROM trace_session t WHERE t.first_us >= ${traceFromUs} AND t.trace_id = s.trace_id)
        GROUP BY trace_id;
      ${sessions}
      DELETE FROM spans_stage; DELETE FROM events_stage; DELETE FROM sessions_stage;
      COMMIT;`;
  }

  async totals(): Promise<StoreTotals> {
    if (this.sessionUpdates === 'rollup') await this.rollup();
    const reader = await this.#writer.runAndReadAll(`
      SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM spans) AS spans,
             (SELECT count(*) FROM log_events) AS events, (SELECT count(*) FROM trace_session) AS traces,
             sum(page_views) AS pageViews, sum(user_actions) AS userActions, sum(errors) AS errors, sum(api_calls) AS apiCalls
      FROM sessions`);
    return normalizeRow(reader.getRowObjectsJS()[0]!) as unknown as StoreTotals;
  }

  async checkpoint(): Promise<void> {
    await this.#writer.run('CHECKPOINT');
  }

  sizeOnDisk(): number {
    return ['', '.wal'].reduce((sum, suffix) => {
      try {
        return sum + statSync(this.#file + suffix).size;
      } catch {
        return sum;
      }
    }, 0);
  }

  async close(): Promise<void> {
    if (this.#staging) for (const app of Object.values(this.#staging)) app.closeSync();
    this.#writer.closeSync();
    this.#instance.closeSync();
  }
}

function stageRecords(staging: Staging, batch: TelemetryBatch): void {
  batch.spans.forEach((span, seq) => {
    staging.spans.appendInteger(seq);
    appendSpan(staging.spans, span);
    staging.spans.endRow();
  });
  batch.events.forEach((event, seq) => {
    staging.events.appendInteger(seq);
    appendEvent(staging.events, event);
    staging.events.endRow();
  });
  staging.spans.flushSync();
  staging.events.flushSync();
}

function minOf<T>(items: readonly T[], value: (item: T) => number): number {
  let min = Infinity;
  for (const item of items) min = Math.min(min, value(item));
  return min;
}

export class DuckDbSessionReader implements SessionReader {
  constructor(private readonly connection: DuckDBConnection) {}

  async listSessions(query: SessionListQuery): Promise<SessionPage> {
    const { sql, params } = sessionListSql(query, DUCKDB_DIALECT);
    const rows = (await this.connection.runAndReadAll(sql, params)).getRowObjectsJS().map(normalizeRow);
    return toSessionPage(rows, query);
  }

  async kpis(query: KpiQuery): Promise<KpiRow[]> {
    const { sql, params } = kpiSql(query, DUCKDB_DIALECT);
    return (await this.connection.runAndReadAll(sql, params)).getRowObjectsJS().map(normalizeRow);
  }

  close(): void {
    this.connection.closeSync();
  }
}
