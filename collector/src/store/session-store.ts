// The embedded session store on DuckDB: one writer connection fed through a queue (no write-write
// conflicts), one reader connection for the query API (DuckDB runs both on its own threads, so a
// query never blocks ingestion), and the periodic upkeep: session deltas folded into rows,
// idle sessions ended, old data deleted.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Logger, SignalBatch } from '@stitch/collector-api';
import { insertAudit, selectAudit } from './audit-log.js';
import { listSessions, kpis, sessionDetail } from './queries.js';
import { storeRecords, type RecordOptions, type StoreRecords } from './records.js';
import { migrate } from './schema.js';
import { ROLLUP_SQL } from './session-deltas.js';
import type {
  AuditEntry,
  AuditPage,
  AuditQuery,
  DeleteCounts,
  KpiQuery,
  KpiResult,
  SessionDetail,
  SessionListQuery,
  SessionPage,
  SessionStoreReader,
  UserExport,
} from './types.js';
import { exportUser } from './user-export.js';
import { WritePath, type WriteOutcome } from './write-path.js';

export interface SessionStoreOptions {
  /** The DuckDB file; `:memory:` for a throwaway store. */
  path: string;
  /** Sessions, spans and events older than this are deleted (default 30 days). */
  retentionMs?: number;
  /** A session with no activity for this long is marked ended (default 15 min). */
  inactivityMs?: number;
  /** How often written data is folded into the session rows the API reads (default 500 ms). */
  refreshIntervalMs?: number;
  /** DuckDB's memory limit (default 512 MiB): its buffer pool lives in the collector's process. */
  memoryLimitMib?: number;
  /** DuckDB worker threads (default: DuckDB's, one per core). */
  threads?: number;
  storeClientAddress?: boolean;
  parseUserAgent?: RecordOptions['parseUserAgent'];
  logger?: Logger;
  /** The clock, for tests. */
  now?: () => number;
}

export interface StoreStats {
  spansWritten: number;
  eventsWritten: number;
  duplicatesSkipped: number;
  writes: number;
  failedWrites: number;
  sessionsEnded: number;
  retentionDeleted: number;
}

const DAY_MS = 86_400_000;
const RETENTION_EVERY_MS = 3_600_000;
const VALID_TRACE_ID = /^[0-9a-f]{32}$/;

export class SessionStore implements SessionStoreReader {
  readonly path: string;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDBConnection;
  readonly #writePath: WritePath;
  readonly #options: Required<Pick<SessionStoreOptions, 'retentionMs' | 'inactivityMs' | 'refreshIntervalMs'>> & SessionStoreOptions;
  readonly #now: () => number;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Every write and upkeep step runs after the one before it. */
  #queue: Promise<unknown> = Promise.resolve();
  #deltasPending = false;
  #closed = false;
  readonly stats: StoreStats = { spansWritten: 0, eventsWritten: 0, duplicatesSkipped: 0, writes: 0, failedWrites: 0, sessionsEnded: 0, retentionDeleted: 0 };

  private constructor(instance: DuckDBInstance, writer: DuckDBConnection, options: SessionStoreOptions) {
    this.path = options.path;
    this.#instance = instance;
    this.#writer = writer;
    this.#writePath = new WritePath(writer);
    this.#options = { retentionMs: 30 * DAY_MS, inactivityMs: 15 * 60_000, refreshIntervalMs: 500, ...options };
    this.#now = options.now ?? Date.now;
  }

  static async open(options: SessionStoreOptions): Promise<SessionStore> {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const config: Record<string, string> = { memory_limit: `${options.memoryLimitMib ?? 512}MB` };
    if (options.threads) config.threads = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path, config);
    } catch (error) {
      throw new Error(`cannot open the session store ${options.path}: ${(error as Error).message}`, { cause: error });
    }
    const writer = await instance.connect();
    const { from, to } = await migrate(writer, options.path);
    if (from !== to) options.logger?.info({ path: options.path, from, to }, 'session store schema migrated');
    const store = new SessionStore(instance, writer, options);
    store.#startUpkeep();
    return store;
  }

  /** Stores the batch's session records; idempotent on (trace id, span id) and on each log event's key. */
  async write(batch: SignalBatch): Promise<WriteOutcome> {
    const records = storeRecords(batch, { storeClientAddress: this.#options.storeClientAddress ?? false, parseUserAgent: this.#options.parseUserAgent });
    return this.writeRecords(records);
  }

  writeRecords(records: StoreRecords): Promise<WriteOutcome> {
    if (records.spans.length === 0 && records.events.length === 0) {
      return Promise.resolve({ spansWritten: 0, eventsWritten: 0, duplicates: 0, sessionsTouched: 0 });
    }
    return this.#serial(async () => {
      try {
        const outcome = await this.#writePath.write(records);
        this.stats.writes++;
        this.stats.spansWritten += outcome.spansWritten;
        this.stats.eventsWritten += outcome.eventsWritten;
        this.stats.duplicatesSkipped += outcome.duplicates;
        if (outcome.sessionsTouched > 0) this.#deltasPending = true;
        return outcome;
      } catch (error) {
        this.stats.failedWrites++;
        throw error;
      }
    });
  }

  /** Folds pending writes into the session rows now (the API sees them at once). */
  flush(): Promise<void> {
    return this.#serial(() => this.#rollup());
  }

  listSessions(query: SessionListQuery): Promise<SessionPage> {
    return this.#read((c) => listSessions(c, query));
  }

  getSession(sessionId: string, options: { spanLimit?: number } = {}): Promise<SessionDetail | undefined> {
    return this.#read((c) => sessionDetail(c, sessionId, options.spanLimit ?? 2_000));
  }

  kpis(query: KpiQuery): Promise<KpiResult> {
    return this.#read((c) => kpis(c, query, this.#now()));
  }

  /** The sessions of the given trace ids, from the persisted trace → session index. */
  async lookupTraceSessions(traceIds: readonly string[]): Promise<Map<string, string>> {
    const valid = [...new Set(traceIds.map((id) => id.toLowerCase()).filter((id) => VALID_TRACE_ID.test(id)))];
    const found = new Map<string, string>();
    if (valid.length === 0) return found;
    const list = valid.map((id) => `from_hex('${id}')`).join(', ');
    const rows = await this.#read(async (c) => (await c.runAndReadAll(`SELECT lower(hex(trace_id)) AS t, any_value(session_id) AS s FROM trace_session WHERE trace_id IN (${list}) GROUP BY t`)).getRowObjectsJS());
    for (const row of rows) found.set(String(row.t), String(row.s));
    return found;
  }

  /** Data-subject erasure: the session(s), their spans, events and index entries. */
  deleteSessions(target: { sessionId: string } | { userId: string }): Promise<DeleteCounts> {
    return this.#serial(async () => {
      await this.#rollup();
      const w = this.#writer;
      await w.run('BEGIN TRANSACTION');
      try {
        await w.run('CREATE OR REPLACE TEMP TABLE erase_ids (session_id VARCHAR)');
        if ('sessionId' in target) await w.run('INSERT INTO erase_ids VALUES (?)', [target.sessionId]);
        else await w.run('INSERT INTO erase_ids SELECT session_id FROM sessions WHERE user_id = ? OR user_email = ?', [target.userId, target.userId]);
        const erase = async (table: string) => (await w.run(`DELETE FROM ${table} WHERE session_id IN (SELECT session_id FROM erase_ids)`)).rowsChanged;
        const counts: DeleteCounts = {
          sessions: await erase('sessions'),
          spans: await erase('spans'),
          events: await erase('log_events'),
          traceIndexEntries: await erase('trace_session'),
        };
        await erase('session_deltas');
        await w.run('DROP TABLE erase_ids; COMMIT');
        this.#options.logger?.info({ counts, by: 'sessionId' in target ? 'session' : 'user' }, 'session data erased');
        return counts;
      } catch (error) {
        await w.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Data-subject access: all sessions of the user (by id or e-mail) with their events and spans. */
  exportUser(userId: string): Promise<UserExport> {
    // Rolled up first so a session written a moment ago is in the export.
    return this.#serial(() => this.#rollup()).then(() => this.#read((c) => exportUser(c, userId, this.#now())));
  }

  /** Appends to the audit log through the write queue (one writer; no conflicts with ingestion). */
  appendAudit(entry: AuditEntry): Promise<void> {
    return this.#serial(() => insertAudit(this.#writer, entry));
  }

  listAudit(query: AuditQuery): Promise<AuditPage> {
    return this.#read((c) => selectAudit(c, query));
  }

  /** Marks sessions idle for longer than the inactivity timeout as ended; returns how many. */
  endIdleSessions(): Promise<number> {
    return this.#serial(async () => {
      await this.#rollup();
      const cutoff = this.#now() - this.#options.inactivityMs;
      const changed = (await this.#writer.run('UPDATE sessions SET ended = true WHERE NOT ended AND last_activity_ms < ?', [cutoff])).rowsChanged;
      this.stats.sessionsEnded += changed;
      return changed;
    });
  }

  /** Deletes what is older than the retention period; returns the rows deleted per table. */
  applyRetention(): Promise<Record<string, number>> {
    return this.#serial(async () => {
      await this.#rollup();
      const cutoffMs = this.#now() - this.#options.retentionMs;
      const w = this.#writer;
      const deleted: Record<string, number> = {};
      await w.run('BEGIN TRANSACTION');
      try {
        deleted.sessions = (await w.run('DELETE FROM sessions WHERE last_activity_ms < ?', [cutoffMs])).rowsChanged;
        deleted.spans = (await w.run('DELETE FROM spans WHERE start_us < ?', [cutoffMs * 1000])).rowsChanged;
        deleted.events = (await w.run('DELETE FROM log_events WHERE time_us < ?', [cutoffMs * 1000])).rowsChanged;
        deleted.traceIndexEntries = (await w.run('DELETE FROM trace_session WHERE first_us < ?', [cutoffMs * 1000])).rowsChanged;
        await w.run('COMMIT');
      } catch (error) {
        await w.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      this.stats.retentionDeleted += total;
      if (total > 0) this.#options.logger?.info({ deleted, olderThan: new Date(cutoffMs).toISOString() }, 'session store retention applied');
      return deleted;
    });
  }

  /** Row counts, for tests and logs. */
  async counts(): Promise<{ sessions: number; spans: number; events: number; traceIndexEntries: number }> {
    const rows = await this.#read(async (c) =>
      (
        await c.runAndReadAll(
        'SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM log_events) AS events, (SELECT count(*) FROM trace_session) AS trace_index_entries',
        )
      ).getRowObjectsJS(),
    );
    const row = rows[0]!;
    return { sessions: Number(row.sessions), spans: Number(row.spans), events: Number(row.events), traceIndexEntries: Number(row.trace_index_entries) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#queue.catch(() => undefined);
    await this.#rollup().catch((error) => this.#options.logger?.error({ err: error }, 'session store: last refresh failed'));
    await this.#writer.run('CHECKPOINT').catch(() => undefined);
    this.#writePath.close();
    this.#writer.closeSync();
    this.#instance.closeSync();
  }

  /**
   * A read on a connection of its own, closed after: reads run in parallel on DuckDB's threads, and
   * no connection outlives its query (a long-lived reader was seen answering from an old snapshot).
   */
  async #read<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('the session store is closed');
    const connection = await this.#instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the session store is closed'));
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #rollup(): Promise<void> {
    if (!this.#deltasPending) return;
    this.#deltasPending = false;
    try {
      await this.#writer.run(`BEGIN TRANSACTION; ${ROLLUP_SQL} COMMIT;`);
    } catch (error) {
      this.#deltasPending = true;
      await this.#writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  #startUpkeep(): void {
    const every = (ms: number, what: string, work: () => Promise<unknown>) => {
      const timer = setInterval(() => {
        if (this.#closed) return;
        work().catch((error: unknown) => this.#options.logger?.error({ err: error, task: what }, 'session store upkeep failed'));
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(this.#options.refreshIntervalMs, 'refresh', () => (this.#deltasPending ? this.flush() : Promise.resolve()));
    every(Math.min(30_000, Math.max(1_000, this.#options.inactivityMs / 4)), 'end idle sessions', () => this.endIdleSessions());
    every(RETENTION_EVERY_MS, 'retention', () => this.applyRetention());
    void this.applyRetention().catch((error: unknown) => this.#options.logger?.error({ err: error, task: 'retention' }, 'session store upkeep failed'));
  }
}

export const openSessionStore = (options: SessionStoreOptions): Promise<SessionStore> => SessionStore.open(options);
