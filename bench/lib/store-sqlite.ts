// The session store on SQLite (better-sqlite3): the schema with its migrations, the write path
// (one transaction per batch, idempotent inserts, one upsert per touched session) and the queries.
//
// better-sqlite3 is synchronous: a write blocks the calling thread for its whole duration, so the
// collector writes from one thread and answers queries from a worker thread with its own
// connection (WAL lets readers and the writer run at the same time).
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { eventKeyFloor, MAX_SESSION_MS, type TelemetryBatch } from './session-data.js';
import {
  kpiSql,
  SESSION_COLUMNS,
  SessionDeltas,
  sessionListSql,
  sessionRowValues,
  sessionUpsertAssignments,
  toSessionPage,
  tracesOf,
  type BulkSession,
  type KpiQuery,
  type KpiRow,
  type SessionListQuery,
  type SessionListRow,
  type SessionPage,
  type SessionReader,
  type SessionStoreWriter,
  type SqlDialect,
  type StoreTotals,
  type WriteOutcome,
} from './store-api.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Forward-only; `PRAGMA user_version` holds the version reached. Migration 2 builds every index from
 * the rows already present, so a bulk import can run between 1 and 2 (indexes built by sorting once
 * instead of growing with every row).
 */
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'tables',
    sql: `
      CREATE TABLE sessions (
        session_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        last_activity_ms INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        ended INTEGER NOT NULL,
        page_views INTEGER NOT NULL,
        user_actions INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        api_calls INTEGER NOT NULL,
        user_hash TEXT, user_name TEXT, user_email TEXT,
        service TEXT, environment TEXT, app_version TEXT,
        browser TEXT, browser_version TEXT, os TEXT, os_version TEXT, device_type TEXT,
        screen TEXT, viewport TEXT, connection_type TEXT,
        country TEXT, region TEXT, city TEXT,
        entry_url TEXT, exit_url TEXT,
        lcp_ms REAL, inp_ms REAL, cls REAL, fcp_ms REAL, ttfb_ms REAL
      );
      -- A rowid table: rows are appended in arrival order; the (trace_id, span_id) key is a narrow index.
      CREATE TABLE spans (
        trace_id BLOB NOT NULL,
        span_id BLOB NOT NULL,
        parent_span_id BLOB,
        session_id TEXT,
        service TEXT NOT NULL,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,
        start_us INTEGER NOT NULL,
        duration_us INTEGER NOT NULL,
        status_code INTEGER NOT NULL,
        http_method TEXT,
        http_status INTEGER,
        url TEXT,
        attributes TEXT
      );
      -- Keyed by the time-ordered event key: the idempotency check is the table's own B-tree,
      -- appended to at its end, and the full-text index can be limited to a time range by rowid.
      CREATE TABLE log_events (
        event_key INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        time_us INTEGER NOT NULL,
        name TEXT NOT NULL,
        trace_id BLOB,
        span_id BLOB,
        severity INTEGER,
        text TEXT,
        value REAL,
        attributes TEXT
      );
      CREATE TABLE trace_session (
        trace_id BLOB NOT NULL,
        session_id TEXT NOT NULL,
        first_us INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'keys, list indexes, full-text index',
    sql: `
      CREATE UNIQUE INDEX sessions_by_id ON sessions (session_id);
      -- Time range + newest first, keyset cursor; the trailing columns make the KPI queries and
      -- the duration/errors sorts index-only. They change with every update of the row, which the
      -- write path pays for.
      CREATE INDEX sessions_by_start ON sessions (start_ms, session_id, duration_ms, errors, page_views);
      CREATE INDEX sessions_by_user ON sessions (user_hash, start_ms) WHERE user_hash IS NOT NULL;
      CREATE INDEX sessions_by_email ON sessions (user_email, start_ms) WHERE user_email IS NOT NULL;
      -- One per equality filter of the list, newest first within the value; dimension columns never
      -- change after the session's first record, so these cost one insert per new session.
      CREATE INDEX sessions_by_country ON sessions (country, start_ms);
      CREATE INDEX sessions_by_city ON sessions (city, start_ms);
      CREATE INDEX sessions_by_browser ON sessions (browser, start_ms);
      CREATE INDEX sessions_by_os ON sessions (os, start_ms);
      CREATE INDEX sessions_by_device ON sessions (device_type, start_ms);
      CREATE INDEX sessions_by_environment ON sessions (environment, start_ms);
      CREATE INDEX sessions_by_version ON sessions (app_version, start_ms);
      -- The one index on spans: the idempotency key, also the trace lookup.
      CREATE UNIQUE INDEX spans_by_id ON spans (trace_id, span_id);
      CREATE INDEX log_events_by_session ON log_events (session_id, time_us);
      CREATE UNIQUE INDEX trace_session_by_trace ON trace_session (trace_id);
      CREATE INDEX trace_session_by_session ON trace_session (session_id);
      -- Contentless: the text is in log_events already; the rowids are event keys.
      CREATE VIRTUAL TABLE event_text USING fts5 (text, content = '', contentless_delete = 1);
      INSERT INTO event_text (rowid, text) SELECT event_key, text FROM log_events WHERE text IS NOT NULL;
    `,
  },
];

export const SQLITE_LATEST_VERSION = SQLITE_MIGRATIONS.at(-1)!.version;

export interface SqliteOptions {
  /** Page cache per connection. */
  cacheMiB?: number;
  readonly?: boolean;
  /**
   * Whether a commit that grows the WAL past 1,000 pages checkpoints it there and then (SQLite's
   * default). The collector's writer turns this off and a background thread calls
   * `checkpointPassive()` instead: a checkpoint copies the WAL's pages into the database and fsyncs
   * it, which took as long as the batch itself on this machine.
   */
  autoCheckpoint?: boolean;
  /**
   * With `autoCheckpoint: false`: the writer itself runs a PASSIVE checkpoint after a batch when the
   * last one it ran is this old. A background checkpointer alone never completes while batches keep
   * coming (the writer appends while it copies), and the WAL only starts over after a complete
   * checkpoint (it grew past 4 GiB in a test); this short catch-up, with the background thread
   * having copied most of the WAL already, completes it.
   */
  writerCheckpointEveryMs?: number;
}

const SESSION_COLUMN_LIST = SESSION_COLUMNS.map(([column]) => column).join(', ');
const SPAN_COLUMNS = 'trace_id, span_id, parent_span_id, session_id, service, name, kind, start_us, duration_us, status_code, http_method, http_status, url, attributes';
const EVENT_COLUMNS = 'event_key, session_id, time_us, name, trace_id, span_id, severity, text, value, attributes';
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const INSERT_SPAN = `INSERT INTO spans (${SPAN_COLUMNS}) VALUES (${placeholders(14)})`;
const INSERT_EVENT = `INSERT INTO log_events (${EVENT_COLUMNS}) VALUES (${placeholders(10)})`;
const INSERT_TRACE = 'INSERT INTO trace_session (trace_id, session_id, first_us) VALUES (?, ?, ?)';
const INSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMN_LIST}) VALUES (${placeholders(SESSION_COLUMNS.length)})`;

/** The FTS5 query for a word or phrase typed in the search box. */
const ftsPhrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

export const SQLITE_DIALECT: SqlDialect = {
  // Event keys grow with time, so the rowid range keeps FTS5 to the matches of the time range.
  textFilter: (text, fromMs, toMs) => ({
    sql: 'session_id IN (SELECT e.session_id FROM event_text JOIN log_events e ON e.event_key = event_text.rowid WHERE event_text MATCH ? AND event_text.rowid >= ? AND event_text.rowid < ?)',
    params: [ftsPhrase(text), eventKeyFloor(fromMs * 1000), eventKeyFloor((toMs + MAX_SESSION_MS) * 1000)],
  }),
  intDiv: (a, b) => `(${a} / ${b})`,
};

type SpanValues = [Buffer, Buffer, Buffer | null, string, string, string, number, number, number, number, string | null, number | null, string | null, string];
type EventValues = [bigint, string, number, string, Buffer | null, Buffer | null, number, string | null, number | null, string];

const spanValues = (s: TelemetryBatch['spans'][number]): SpanValues => [
  s.traceId,
  s.spanId,
  s.parentSpanId,
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
];

const eventValues = (e: TelemetryBatch['events'][number]): EventValues => [e.eventKey, e.sessionId, e.timeUs, e.name, e.traceId, e.spanId, e.severity, e.text, e.value, e.attributes];

export class SqliteSessionStore implements SessionStoreWriter, SessionReader {
  readonly engine = 'sqlite';
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #statements = new Map<string, Database.Statement>();
  #writeTransaction: ((batch: TelemetryBatch) => Omit<WriteOutcome, 'blockedMs'>) | undefined;
  readonly #writerCheckpointEveryMs: number;
  #lastWriterCheckpoint = performance.now();

  constructor(file: string, options: SqliteOptions = {}) {
    this.#file = file;
    this.#db = new Database(file, { readonly: options.readonly ?? false });
    // WAL: readers (the query worker) never wait for the writer and the writer never waits for them.
    // synchronous=NORMAL: a commit is durable at the next checkpoint, not fsynced on every batch
    // (a power cut can lose the last batches; the SDKs' retries cover a collector crash anyway).
    if (!options.readonly) this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma(`cache_size = -${(options.cacheMiB ?? 256) * 1024}`);
    this.#db.pragma('temp_store = MEMORY');
    this.#db.pragma('busy_timeout = 5000');
    if (options.autoCheckpoint === false) this.#db.pragma('wal_autocheckpoint = 0');
    this.#writerCheckpointEveryMs = options.autoCheckpoint === false ? (options.writerCheckpointEveryMs ?? Infinity) : Infinity;
  }

  get schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  /** Applies the migrations after the current version, up to `toVersion`, each in its own transaction. */
  migrate(toVersion = SQLITE_LATEST_VERSION): void {
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= this.schemaVersion || migration.version > toVersion) continue;
      this.#db.transaction(() => {
        this.#db.exec(migration.sql);
        this.#db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }

  /**
   * The fastest way in, for a one-off import into a new database: plain INSERTs with prepared
   * statements in large transactions into the tables without indexes (schema version 1), then the
   * remaining migrations build the indexes by sorting. Meanwhile a rollback journal (which stays
   * small: the import only adds pages) instead of the WAL (which would hold a copy of every page
   * until a checkpoint), and no fsync (a crash means starting the import over).
   */
  bulkLoad(sessions: Iterable<BulkSession>, onProgress?: (sessions: number) => void): { loadMs: number; indexMs: number } {
    if (this.schemaVersion !== 1) throw new Error('bulkLoad needs schema version 1 (tables without indexes)');
    const started = performance.now();
    this.#journalMode('delete');
    this.#db.pragma('synchronous = OFF');
    this.#insertBulk(sessions, onProgress);
    const loaded = performance.now();
    this.migrate();
    this.analyze();
    this.#journalMode('wal');
    this.#db.pragma('synchronous = NORMAL');
    return { loadMs: loaded - started, indexMs: performance.now() - loaded };
  }

  #journalMode(mode: 'wal' | 'delete'): void {
    const now = this.#db.pragma(`journal_mode = ${mode}`, { simple: true });
    if (now !== mode) throw new Error(`journal_mode stayed ${String(now)}, not ${mode}`);
  }

  #insertBulk(sessions: Iterable<BulkSession>, onProgress?: (sessions: number) => void): void {
    const insertSession = this.#db.prepare(INSERT_SESSION);
    const insertSpan = this.#db.prepare(INSERT_SPAN);
    const insertEvent = this.#db.prepare(INSERT_EVENT);
    const insertTrace = this.#db.prepare(INSERT_TRACE);
    const insertMany = this.#db.transaction((chunk: BulkSession[]) => {
      for (const session of chunk) {
        insertSession.run(sessionRowValues(session.row));
        for (const span of session.spans) insertSpan.run(spanValues(span));
        for (const event of session.events) insertEvent.run(eventValues(event));
        for (const trace of tracesOf(session.spans)) insertTrace.run(trace.traceId, trace.sessionId, trace.firstUs);
      }
    });
    let chunk: BulkSession[] = [];
    let loaded = 0;
    for (const session of sessions) {
      chunk.push(session);
      if (chunk.length === 5_000) {
        insertMany(chunk);
        loaded += chunk.length;
        chunk = [];
        onProgress?.(loaded);
      }
    }
    insertMany(chunk);
  }

  /** Refreshes the planner's statistics (sampled, so it stays fast on big tables). */
  analyze(): void {
    this.#db.exec('PRAGMA analysis_limit = 1000; ANALYZE;');
  }

  async writeBatch(batch: TelemetryBatch): Promise<WriteOutcome> {
    const started = performance.now();
    this.#writeTransaction ??= this.#db.transaction(this.#makeBatchWriter());
    const outcome = this.#writeTransaction(batch);
    if (performance.now() - this.#lastWriterCheckpoint >= this.#writerCheckpointEveryMs) {
      this.checkpointPassive();
      this.#lastWriterCheckpoint = performance.now();
    }
    return { ...outcome, blockedMs: performance.now() - started };
  }

  /**
   * One transaction per batch. Spans and events go in with ON CONFLICT DO NOTHING on their keys, and
   * only the rows that went in count towards the session rows, so a retried batch changes nothing.
   */
  #makeBatchWriter(): (batch: TelemetryBatch) => Omit<WriteOutcome, 'blockedMs'> {
    const insertSpan = this.#db.prepare(`${INSERT_SPAN} ON CONFLICT (trace_id, span_id) DO NOTHING`);
    const insertEvent = this.#db.prepare(`${INSERT_EVENT} ON CONFLICT (event_key) DO NOTHING`);
    const insertText = this.#db.prepare('INSERT INTO event_text (rowid, text) VALUES (?, ?)');
    const insertTrace = this.#db.prepare(`${INSERT_TRACE} ON CONFLICT (trace_id) DO NOTHING`);
    const upsertSession = this.#db.prepare(`${INSERT_SESSION} ON CONFLICT (session_id) DO UPDATE SET ${sessionUpsertAssignments({ greatest: 'max', least: 'min' })}`);
    return (batch) => {
      const deltas = new SessionDeltas();
      const newSpans = batch.spans.filter((span) => insertSpan.run(spanValues(span)).changes === 1);
      for (const span of newSpans) deltas.addSpan(span);
      for (const trace of tracesOf(newSpans)) insertTrace.run(trace.traceId, trace.sessionId, trace.firstUs);
      let eventsWritten = 0;
      for (const event of batch.events) {
        const result = insertEvent.run(eventValues(event));
        if (result.changes !== 1) continue;
        eventsWritten++;
        if (event.text !== null) insertText.run(event.eventKey, event.text);
        deltas.addEvent(event);
      }
      for (const row of deltas.rows()) upsertSession.run(sessionRowValues(row));
      return { spansWritten: newSpans.length, eventsWritten, sessionsTouched: deltas.size };
    };
  }

  async listSessions(query: SessionListQuery): Promise<SessionPage> {
    const { sql, params } = sessionListSql(query, SQLITE_DIALECT);
    return toSessionPage(this.#statement(sql).all(params) as SessionListRow[], query);
  }

  async kpis(query: KpiQuery): Promise<KpiRow[]> {
    const { sql, params } = kpiSql(query, SQLITE_DIALECT);
    return this.#statement(sql).all(params) as KpiRow[];
  }

  async totals(): Promise<StoreTotals> {
    return this.#db
      .prepare(
        `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM spans) AS spans,
                (SELECT count(*) FROM log_events) AS events, (SELECT count(*) FROM trace_session) AS traces,
                sum(page_views) AS pageViews, sum(user_actions) AS userActions, sum(errors) AS errors, sum(api_calls) AS apiCalls
         FROM sessions`,
      )
      .get() as StoreTotals;
  }

  async checkpoint(): Promise<void> {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Copies what it can of the WAL into the database without waiting for readers or the writer; the
   * writer starts the WAL over once everything in it has been copied. Returns the WAL's size in pages.
   */
  checkpointPassive(): number {
    const [result] = this.#db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    return result?.log ?? 0;
  }

  sizeOnDisk(): number {
    return ['', '-wal', '-shm'].reduce((sum, suffix) => {
      try {
        return sum + statSync(this.#file + suffix).size;
      } catch {
        return sum;
      }
    }, 0);
  }

  /** The plan SQLite picks, for the report. */
  explain(sql: string, params: unknown[]): string {
    return (this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('; ');
  }

  async close(): Promise<void> {
    if (!this.#db.readonly) this.#db.pragma('optimize');
    this.#db.close();
  }

  /** Prepared statements are cached by their SQL: the list query has a few dozen shapes. */
  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
