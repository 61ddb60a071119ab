// One write of the store (the `store` benchmark's fastest DuckDB path): Appenders fill in-memory
// staging tables; one semi-join finds staged records already stored (a retried batch), looking only
// at rows at or after the batch's earliest timestamp (a duplicate has the same timestamp, and the
// time-ordered tables' zone maps prune the rest); only new records become session deltas; one
// transaction moves everything in.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { SESSION_COLUMNS } from './schema.js';
import { SessionDeltas, type SessionRow } from './session-deltas.js';
import type { StoreEvent, StoreRecords, StoreSpan } from './records.js';

export interface WriteOutcome {
  spansWritten: number;
  eventsWritten: number;
  /** Records skipped because an earlier try of the same data stored them. */
  duplicates: number;
  sessionsTouched: number;
}

interface Staging {
  spans: DuckDBAppender;
  events: DuckDBAppender;
  sessions: DuckDBAppender;
}

const SPAN_COLUMNS = 'trace_id, span_id, parent_span_id, session_id, service, name, kind, start_us, duration_us, status_code, http_method, http_status, url, stitched, attributes';
const EVENT_COLUMNS = 'event_key, session_id, time_us, name, trace_id, span_id, severity, text, value, attributes';
/** How far back a trace's index row is looked for before adding another (lookups tolerate a duplicate). */
const TRACE_INDEX_LOOKBACK_US = 3_600_000_000;

const appendText = (app: DuckDBAppender, value: string | null) => (value === null ? app.appendNull() : app.appendVarchar(value));
const appendBlob = (app: DuckDBAppender, value: Buffer | null) => (value === null ? app.appendNull() : app.appendBlob(value));

function appendSpan(app: DuckDBAppender, seq: number, s: StoreSpan): void {
  app.appendInteger(seq);
  app.appendBlob(s.traceId);
  app.appendBlob(s.spanId);
  appendBlob(app, s.parentSpanId);
  app.appendVarchar(s.session.sessionId);
  app.appendVarchar(s.service);
  app.appendVarchar(s.name);
  app.appendTinyInt(s.kind);
  app.appendBigInt(BigInt(s.startUs));
  app.appendBigInt(BigInt(s.durationUs));
  app.appendTinyInt(s.statusCode);
  appendText(app, s.httpMethod);
  if (s.httpStatus === null || !Number.isInteger(s.httpStatus) || s.httpStatus < -32768 || s.httpStatus > 32767) app.appendNull();
  else app.appendSmallInt(s.httpStatus);
  appendText(app, s.url);
  app.appendBoolean(s.stitched);
  app.appendVarchar(s.attributes);
  app.endRow();
}

function appendEvent(app: DuckDBAppender, seq: number, e: StoreEvent): void {
  app.appendInteger(seq);
  app.appendBigInt(e.eventKey);
  app.appendVarchar(e.session.sessionId);
  app.appendBigInt(BigInt(e.timeUs));
  app.appendVarchar(e.name);
  appendBlob(app, e.traceId);
  appendBlob(app, e.spanId);
  app.appendTinyInt(Math.max(0, Math.min(127, e.severity)));
  appendText(app, e.text);
  if (e.value === null) app.appendNull();
  else app.appendDouble(e.value);
  app.appendVarchar(e.attributes);
  app.endRow();
}

const SESSION_TYPES = new Map<string, string>(SESSION_COLUMNS.map(([column, type]) => [column, type.split(' ')[0]!]));

function appendSession(app: DuckDBAppender, row: SessionRow): void {
  for (const [column, , field] of SESSION_COLUMNS) {
    const value = row[field];
    if (value === null) app.appendNull();
    else if (typeof value === 'boolean') app.appendBoolean(value);
    else if (typeof value === 'string') app.appendVarchar(value);
    else {
      const type = SESSION_TYPES.get(column);
      if (type === 'BIGINT') app.appendBigInt(BigInt(Math.trunc(value)));
      else if (type === 'INTEGER') app.appendInteger(Math.trunc(value));
      else app.appendDouble(value);
    }
  }
  app.endRow();
}

function minOf<T>(items: readonly T[], value: (item: T) => number): number {
  let min = Infinity;
  for (const item of items) min = Math.min(min, value(item));
  return min;
}

export class WritePath {
  #staging: Staging | undefined;

  constructor(private readonly connection: DuckDBConnection) {}

  async write(records: StoreRecords): Promise<WriteOutcome> {
    const staging = await this.#stagingTables();
    records.spans.forEach((span, seq) => appendSpan(staging.spans, seq, span));
    records.events.forEach((event, seq) => appendEvent(staging.events, seq, event));
    staging.spans.flushSync();
    staging.events.flushSync();
    const spanFromUs = minOf(records.spans, (s) => s.startUs);
    const eventFromUs = minOf(records.events, (e) => e.timeUs);
    try {
      await this.connection.run('BEGIN TRANSACTION');
      const duplicates = await this.#storedDuplicates(spanFromUs, eventFromUs);
      const deltas = new SessionDeltas();
      let spansWritten = 0;
      let eventsWritten = 0;
      records.spans.forEach((span, i) => {
        if (duplicates.spans.has(i)) return;
        spansWritten++;
        deltas.addSpan(span);
      });
      records.events.forEach((event, i) => {
        if (duplicates.events.has(i)) return;
        eventsWritten++;
        deltas.addEvent(event);
      });
      for (const row of deltas.rows()) appendSession(staging.sessions, row);
      staging.sessions.flushSync();
      await this.connection.run(this.#moveStagedSql(duplicates, spanFromUs));
      return { spansWritten, eventsWritten, duplicates: duplicates.spans.size + duplicates.events.size, sessionsTouched: deltas.size };
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      await this.connection.run('DELETE FROM spans_stage; DELETE FROM events_stage; DELETE FROM sessions_stage;').catch(() => undefined);
      throw error;
    }
  }

  close(): void {
    if (this.#staging) for (const app of Object.values(this.#staging)) app.closeSync();
    this.#staging = undefined;
  }

  async #stagingTables(): Promise<Staging> {
    if (this.#staging) return this.#staging;
    // Temporary tables live in memory, per connection; `seq` is the record's index in the write.
    await this.connection.run(`
      CREATE TEMP TABLE IF NOT EXISTS spans_stage AS SELECT 0::INTEGER AS seq, ${SPAN_COLUMNS} FROM spans LIMIT 0;
      CREATE TEMP TABLE IF NOT EXISTS events_stage AS SELECT 0::INTEGER AS seq, ${EVENT_COLUMNS} FROM log_events LIMIT 0;
      CREATE TEMP TABLE IF NOT EXISTS sessions_stage AS SELECT * FROM session_deltas LIMIT 0;`);
    this.#staging = {
      spans: await this.connection.createAppender('spans_stage', null, 'temp'),
      events: await this.connection.createAppender('events_stage', null, 'temp'),
      sessions: await this.connection.createAppender('sessions_stage', null, 'temp'),
    };
    return this.#staging;
  }

  async #storedDuplicates(spanFromUs: number, eventFromUs: number): Promise<{ spans: Set<number>; events: Set<number> }> {
    const parts: string[] = [];
    if (Number.isFinite(spanFromUs)) {
      parts.push(`SELECT 0 AS kind, seq FROM spans_stage s WHERE EXISTS (SELECT 1 FROM spans t WHERE t.start_us >= ${spanFromUs} AND t.trace_id = s.trace_id AND t.span_id = s.span_id)`);
      // The same span twice within one write counts once.
      parts.push('SELECT 0 AS kind, seq FROM (SELECT seq, row_number() OVER (PARTITION BY trace_id, span_id ORDER BY seq) AS n FROM spans_stage) WHERE n > 1');
    }
    if (Number.isFinite(eventFromUs)) {
      parts.push(`SELECT 1 AS kind, seq FROM events_stage s WHERE EXISTS (SELECT 1 FROM log_events t WHERE t.time_us >= ${eventFromUs} AND t.event_key = s.event_key)`);
      parts.push('SELECT 1 AS kind, seq FROM (SELECT seq, row_number() OVER (PARTITION BY event_key ORDER BY seq) AS n FROM events_stage) WHERE n > 1');
    }
    const duplicates = { spans: new Set<number>(), events: new Set<number>() };
    if (parts.length === 0) return duplicates;
    for (const row of (await this.connection.runAndReadAll(parts.join(' UNION ALL '))).getRowsJS()) {
      (row[0] === 0 ? duplicates.spans : duplicates.events).add(Number(row[1]));
    }
    return duplicates;
  }

  #moveStagedSql(duplicates: { spans: Set<number>; events: Set<number> }, spanFromUs: number): string {
    const except = (seqs: Set<number>) => (seqs.size === 0 ? 'TRUE' : `seq NOT IN (${[...seqs].join(', ')})`);
    const traceFromUs = Number.isFinite(spanFromUs) ? spanFromUs - TRACE_INDEX_LOOKBACK_US : 0;
    return `
      INSERT INTO spans SELECT ${SPAN_COLUMNS} FROM spans_stage WHERE ${except(duplicates.spans)};
      INSERT INTO log_events SELECT ${EVENT_COLUMNS} FROM events_stage WHERE ${except(duplicates.events)};
      INSERT INTO trace_session
        SELECT trace_id, any_value(session_id), min(first_us) FROM (
          SELECT trace_id, session_id, start_us AS first_us FROM spans_stage WHERE ${except(duplicates.spans)}
          UNION ALL
          SELECT trace_id, session_id, time_us FROM events_stage WHERE trace_id IS NOT NULL AND ${except(duplicates.events)}
        ) s
        WHERE NOT EXISTS (SELECT 1 FROM trace_session t WHERE t.first_us >= ${traceFromUs} AND t.trace_id = s.trace_id)
        GROUP BY trace_id;
      INSERT INTO session_deltas SELECT * FROM sessions_stage;
      DELETE FROM spans_stage; DELETE FROM events_stage; DELETE FROM sessions_stage;
      COMMIT;`;
  }
}
