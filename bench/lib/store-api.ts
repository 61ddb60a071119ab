// What both session-store adapters (store-sqlite.ts, store-duckdb.ts) share: the session row and how
// a batch's records change it, the query API's parameters (GET /api/sessions, GET /api/kpis) and
// the SQL they turn into, which is the same for both engines but for a few dialect details.
import type { EventRecord, SessionContext, SpanRecord, TelemetryBatch } from './session-data.js';
import { SPAN_KIND } from './session-data.js';

// ── Session rows ─────────────────────────────────────────────────────────────────────────────────

/** One row of the `sessions` table, kept current as the session's records arrive. */
export interface SessionRow {
  sessionId: string;
  startMs: number;
  lastActivityMs: number;
  durationMs: number;
  ended: number;
  pageViews: number;
  userActions: number;
  errors: number;
  apiCalls: number;
  userHash: string | null;
  userName: string | null;
  userEmail: string | null;
  service: string | null;
  environment: string | null;
  appVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string | null;
  screen: string | null;
  viewport: string | null;
  connectionType: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  entryUrl: string | null;
  exitUrl: string | null;
  lcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
  fcpMs: number | null;
  ttfbMs: number | null;
}

/** `sessions` columns in table order, with the row field each one holds. */
export const SESSION_COLUMNS = [
  ['session_id', 'sessionId'],
  ['start_ms', 'startMs'],
  ['last_activity_ms', 'lastActivityMs'],
  ['duration_ms', 'durationMs'],
  ['ended', 'ended'],
  ['page_views', 'pageViews'],
  ['user_actions', 'userActions'],
  ['errors', 'errors'],
  ['api_calls', 'apiCalls'],
  ['user_hash', 'userHash'],
  ['user_name', 'userName'],
  ['user_email', 'userEmail'],
  ['service', 'service'],
  ['environment', 'environment'],
  ['app_version', 'appVersion'],
  ['browser', 'browser'],
  ['browser_version', 'browserVersion'],
  ['os', 'os'],
  ['os_version', 'osVersion'],
  ['device_type', 'deviceType'],
  ['screen', 'screen'],
  ['viewport', 'viewport'],
  ['connection_type', 'connectionType'],
  ['country', 'country'],
  ['region', 'region'],
  ['city', 'city'],
  ['entry_url', 'entryUrl'],
  ['exit_url', 'exitUrl'],
  ['lcp_ms', 'lcpMs'],
  ['inp_ms', 'inpMs'],
  ['cls', 'cls'],
  ['fcp_ms', 'fcpMs'],
  ['ttfb_ms', 'ttfbMs'],
] as const satisfies readonly (readonly [string, keyof SessionRow])[];

export type SessionColumn = (typeof SESSION_COLUMNS)[number][0];

/** The row's values in `SESSION_COLUMNS` order, for positional binding. */
export function sessionRowValues(row: SessionRow): (string | number | null)[] {
  return SESSION_COLUMNS.map(([, field]) => row[field]);
}

/** How an incoming delta combines with the stored row; `old`/`add` are SQL expressions of the two values. */
export type MergeRule = 'keep-first' | 'take-new' | 'sum' | 'min' | 'max' | 'entry' | 'exit' | 'key' | 'duration';

export const SESSION_MERGE_RULES: Record<SessionColumn, MergeRule> = {
  session_id: 'key',
  start_ms: 'min',
  last_activity_ms: 'max',
  duration_ms: 'duration',
  ended: 'max',
  page_views: 'sum',
  user_actions: 'sum',
  errors: 'sum',
  api_calls: 'sum',
  // A user who signs in during the session: the later value wins.
  user_hash: 'take-new',
  user_name: 'take-new',
  user_email: 'take-new',
  // The resource and geo of the session's first record describe it.
  service: 'keep-first',
  environment: 'keep-first',
  app_version: 'keep-first',
  browser: 'keep-first',
  browser_version: 'keep-first',
  os: 'keep-first',
  os_version: 'keep-first',
  device_type: 'keep-first',
  screen: 'keep-first',
  viewport: 'keep-first',
  connection_type: 'keep-first',
  country: 'keep-first',
  region: 'keep-first',
  city: 'keep-first',
  entry_url: 'entry',
  exit_url: 'exit',
  // The worst value of the session is what a list shows.
  lcp_ms: 'max',
  inp_ms: 'max',
  cls: 'max',
  fcp_ms: 'max',
  ttfb_ms: 'max',
};

/**
 * The SET list of `INSERT … ON CONFLICT (session_id) DO UPDATE`: how a batch's delta row (`excluded`)
 * folds into the stored row. `greatest`/`least` ignore NULLs in both engines' spelling below.
 */
export function sessionUpsertAssignments(dialect: { greatest: string; least: string }): string {
  const old = (c: string) => `sessions.${c}`;
  const add = (c: string) => `excluded.${c}`;
  const greatest = (a: string, b: string) => `${dialect.greatest}(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
  const least = (a: string, b: string) => `${dialect.least}(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
  const rule = (column: SessionColumn, merge: MergeRule): string | undefined => {
    switch (merge) {
      case 'key':
        return undefined;
      case 'sum':
        return `${old(column)} + ${add(column)}`;
      case 'min':
        return least(old(column), add(column));
      case 'max':
        return greatest(old(column), add(column));
      case 'duration':
        return `${greatest(old('last_activity_ms'), add('last_activity_ms'))} - ${least(old('start_ms'), add('start_ms'))}`;
      case 'keep-first':
        return `coalesce(${old(column)}, ${add(column)})`;
      case 'take-new':
        return `coalesce(${add(column)}, ${old(column)})`;
      case 'entry':
        return `CASE WHEN ${add('start_ms')} < ${old('start_ms')} THEN coalesce(${add(column)}, ${old(column)}) ELSE coalesce(${old(column)}, ${add(column)}) END`;
      case 'exit':
        return `CASE WHEN ${add('last_activity_ms')} >= ${old('last_activity_ms')} THEN coalesce(${add(column)}, ${old(column)}) ELSE coalesce(${old(column)}, ${add(column)}) END`;
    }
  };
  return SESSION_COLUMNS.flatMap(([column]) => {
    const expression = rule(column, SESSION_MERGE_RULES[column]);
    return expression === undefined ? [] : [`${column} = ${expression}`];
  }).join(',\n  ');
}

/**
 * What one batch changes in each session it touches, from the records that were new (a retried
 * record must not count twice, so callers add only records their insert actually stored).
 */
export class SessionDeltas {
  readonly #rows = new Map<string, SessionRow>();
  /** When the entry/exit page views in a delta happened (µs), to keep the first and last. */
  readonly #entryAt = new Map<string, number>();
  readonly #exitAt = new Map<string, number>();

  get size(): number {
    return this.#rows.size;
  }

  rows(): IterableIterator<SessionRow> {
    return this.#rows.values();
  }

  /** Browser spans make the session active; its fetch/XHR spans are its API calls. Backend spans change nothing. */
  addSpan(span: SpanRecord): void {
    if (!span.session) return;
    const row = this.#touch(span.session, span.startUs);
    if (span.kind === SPAN_KIND.CLIENT) row.apiCalls++;
  }

  addEvent(event: EventRecord): void {
    const row = this.#touch(event.session, event.timeUs);
    switch (event.name) {
      case 'browser.page_view':
        row.pageViews++;
        this.#notePage(row, event);
        break;
      case 'browser.user_action':
        row.userActions++;
        break;
      case 'exception':
        row.errors++;
        break;
      case 'browser.web_vital':
        this.#noteVital(row, event);
        break;
      case 'session.end':
        row.ended = 1;
        break;
    }
  }

  #touch(ctx: SessionContext, atUs: number): SessionRow {
    const atMs = Math.floor(atUs / 1000);
    let row = this.#rows.get(ctx.sessionId);
    if (!row) {
      row = newSessionRow(ctx, atMs);
      this.#rows.set(ctx.sessionId, row);
    }
    if (atMs < row.startMs) row.startMs = atMs;
    if (atMs > row.lastActivityMs) row.lastActivityMs = atMs;
    row.durationMs = row.lastActivityMs - row.startMs;
    if (ctx.userHash) {
      row.userHash = ctx.userHash;
      row.userName = ctx.userName ?? row.userName;
      row.userEmail = ctx.userEmail ?? row.userEmail;
    }
    return row;
  }

  #notePage(row: SessionRow, event: EventRecord): void {
    const id = row.sessionId;
    if (event.timeUs < (this.#entryAt.get(id) ?? Infinity)) {
      this.#entryAt.set(id, event.timeUs);
      row.entryUrl = event.text;
    }
    if (event.timeUs >= (this.#exitAt.get(id) ?? -Infinity)) {
      this.#exitAt.set(id, event.timeUs);
      row.exitUrl = event.text;
    }
  }

  #noteVital(row: SessionRow, event: EventRecord): void {
    const value = event.value;
    if (value === null) return;
    const worst = (current: number | null) => (current === null || value > current ? value : current);
    if (event.metric === 'LCP') row.lcpMs = worst(row.lcpMs);
    else if (event.metric === 'INP') row.inpMs = worst(row.inpMs);
    else if (event.metric === 'CLS') row.cls = worst(row.cls);
    else if (event.metric === 'FCP') row.fcpMs = worst(row.fcpMs);
    else if (event.metric === 'TTFB') row.ttfbMs = worst(row.ttfbMs);
  }
}

function newSessionRow(ctx: SessionContext, atMs: number): SessionRow {
  return {
    sessionId: ctx.sessionId,
    startMs: atMs,
    lastActivityMs: atMs,
    durationMs: 0,
    ended: 0,
    pageViews: 0,
    userActions: 0,
    errors: 0,
    apiCalls: 0,
    userHash: ctx.userHash,
    userName: ctx.userName,
    userEmail: ctx.userEmail,
    service: ctx.service,
    environment: ctx.environment,
    appVersion: ctx.appVersion,
    browser: ctx.browser,
    browserVersion: ctx.browserVersion,
    os: ctx.os,
    osVersion: ctx.osVersion,
    deviceType: ctx.deviceType,
    screen: ctx.screen,
    viewport: ctx.viewport,
    connectionType: ctx.connectionType,
    country: ctx.country,
    region: ctx.region,
    city: ctx.city,
    entryUrl: null,
    exitUrl: null,
    lcpMs: null,
    inpMs: null,
    cls: null,
    fcpMs: null,
    ttfbMs: null,
  };
}

/** The distinct traces of a batch's session-carrying spans, for the trace → session index. */
export function tracesOf(spans: readonly SpanRecord[]): { traceId: Buffer; sessionId: string; firstUs: number }[] {
  const byTrace = new Map<string, { traceId: Buffer; sessionId: string; firstUs: number }>();
  for (const span of spans) {
    const key = span.traceId.toString('latin1');
    const seen = byTrace.get(key);
    if (!seen) byTrace.set(key, { traceId: span.traceId, sessionId: span.sessionId, firstUs: span.startUs });
    else if (span.startUs < seen.firstUs) seen.firstUs = span.startUs;
  }
  return [...byTrace.values()];
}

// ── Writing ──────────────────────────────────────────────────────────────────────────────────────

export interface WriteOutcome {
  spansWritten: number;
  eventsWritten: number;
  sessionsTouched: number;
  /** Time the calling thread was busy inside the write (the event loop could not run meanwhile). */
  blockedMs: number;
}

export interface StoreTotals {
  sessions: number;
  spans: number;
  events: number;
  traces: number;
  pageViews: number;
  userActions: number;
  errors: number;
  apiCalls: number;
}

/** The bulk path's source: the data set, one session at a time with its final row. */
export interface BulkSession {
  row: SessionRow;
  spans: SpanRecord[];
  events: EventRecord[];
}

export interface SessionStoreWriter {
  readonly engine: string;
  writeBatch(batch: TelemetryBatch): Promise<WriteOutcome>;
  totals(): Promise<StoreTotals>;
  checkpoint(): Promise<void>;
  sizeOnDisk(): number;
  close(): Promise<void>;
}

// ── Querying: GET /api/sessions and GET /api/kpis ──────────────────────────────────────────────────

export type SessionSort = 'start' | 'duration' | 'errors';

export interface SessionListQuery {
  fromMs: number;
  toMs: number;
  userHash?: string;
  userEmail?: string;
  /** `=0`, `>0`, or more than `errorsAbove`. */
  errors?: '=0' | '>0';
  errorsAbove?: number;
  country?: string;
  city?: string;
  browser?: string;
  os?: string;
  deviceType?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  environment?: string;
  appVersion?: string;
  /** Free text over page URLs, error messages and action targets (a word or phrase). */
  text?: string;
  sort: SessionSort;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
}

export type SessionListRow = Record<string, string | number | null>;

export interface SessionPage {
  rows: SessionListRow[];
  nextCursor: string | null;
}

export type KpiDimension = 'app_version' | 'browser' | 'country' | 'device_type';

export type KpiQuery =
  | { kind: 'totals'; fromMs: number; toMs: number }
  | { kind: 'daily'; fromMs: number; toMs: number }
  | { kind: 'group'; fromMs: number; toMs: number; by: KpiDimension }
  | { kind: 'active-users'; nowMs: number; windowMs: number; maxSessionMs: number };

export type KpiRow = Record<string, string | number | null>;

export interface SessionReader {
  listSessions(query: SessionListQuery): Promise<SessionPage>;
  kpis(query: KpiQuery): Promise<KpiRow[]>;
}

export const PAGE_SIZE = 50;

/** The columns a session list shows. */
const LIST_COLUMNS = [
  'session_id',
  'start_ms',
  'duration_ms',
  'ended',
  'page_views',
  'user_actions',
  'errors',
  'api_calls',
  'user_hash',
  'user_email',
  'app_version',
  'browser',
  'os',
  'device_type',
  'country',
  'city',
  'entry_url',
  'exit_url',
  'lcp_ms',
];

const SORT_COLUMN: Record<SessionSort, string> = { start: 'start_ms', duration: 'duration_ms', errors: 'errors' };

export type SqlParam = string | number | bigint;

/** Where the engines' SQL differs. */
export interface SqlDialect {
  /** A WHERE term restricting `sessions` to those whose events match `text`, and its parameters. */
  textFilter(text: string, fromMs: number, toMs: number): { sql: string; params: SqlParam[] };
  /** Integer division. */
  intDiv(a: string, b: string): string;
}

/** A cursor is the last row's sort value and id: keyset pagination, no OFFSET. */
export function encodeCursor(sortValue: number, sessionId: string): string {
  return Buffer.from(JSON.stringify([sortValue, sessionId])).toString('base64url');
}

export function decodeCursor(cursor: string): [number, string] {
  const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string') throw new Error('bad cursor');
  return [value[0], value[1]];
}

/** The SELECT for one page of GET /api/sessions: newest (or longest, or most errors) first, one extra row to know if there is a next page. */
export function sessionListSql(q: SessionListQuery, dialect: SqlDialect): { sql: string; params: SqlParam[] } {
  const where = ['start_ms >= ?', 'start_ms < ?'];
  const params: SqlParam[] = [q.fromMs, q.toMs];
  const equals = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equals('user_hash', q.userHash);
  equals('user_email', q.userEmail);
  equals('country', q.country);
  equals('city', q.city);
  equals('browser', q.browser);
  equals('os', q.os);
  equals('device_type', q.deviceType);
  equals('environment', q.environment);
  equals('app_version', q.appVersion);
  if (q.errors === '=0') where.push('errors = 0');
  if (q.errors === '>0') where.push('errors > 0');
  if (q.errorsAbove !== undefined) {
    where.push('errors > ?');
    params.push(q.errorsAbove);
  }
  if (q.minDurationMs !== undefined) {
    where.push('duration_ms >= ?');
    params.push(q.minDurationMs);
  }
  if (q.maxDurationMs !== undefined) {
    where.push('duration_ms <= ?');
    params.push(q.maxDurationMs);
  }
  if (q.text !== undefined) {
    const text = dialect.textFilter(q.text, q.fromMs, q.toMs);
    where.push(text.sql);
    params.push(...text.params);
  }
  const sortColumn = SORT_COLUMN[q.sort];
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    where.push(`(${sortColumn}, session_id) < (?, ?)`);
    params.push(value, id);
  }
  const limit = q.limit ?? PAGE_SIZE;
  const sql = `SELECT ${LIST_COLUMNS.join(', ')} FROM sessions WHERE ${where.join(' AND ')} ORDER BY ${sortColumn} DESC, session_id DESC LIMIT ${limit + 1}`;
  return { sql, params };
}

/** Turns the rows of `sessionListSql` into a page and its cursor. */
export function toSessionPage(rows: SessionListRow[], q: SessionListQuery): SessionPage {
  const limit = q.limit ?? PAGE_SIZE;
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[limit - 1]!;
  return { rows: page, nextCursor: encodeCursor(Number(last[SORT_COLUMN[q.sort]]), String(last.session_id)) };
}

/** The five KPIs over a set of sessions (active users is its own query). */
const KPI_SELECT = [
  'count(*) AS sessions',
  'avg(duration_ms) AS avg_duration_ms',
  'avg(CASE WHEN errors > 0 THEN 1.0 ELSE 0.0 END) AS error_rate',
  'avg(page_views) AS pages_per_session',
].join(', ');

export function kpiSql(q: KpiQuery, dialect: SqlDialect): { sql: string; params: number[] } {
  switch (q.kind) {
    case 'totals':
      return { sql: `SELECT ${KPI_SELECT} FROM sessions WHERE start_ms >= ? AND start_ms < ?`, params: [q.fromMs, q.toMs] };
    case 'daily': {
      const day = dialect.intDiv('start_ms', '86400000');
      return { sql: `SELECT ${day} AS day, ${KPI_SELECT} FROM sessions WHERE start_ms >= ? AND start_ms < ? GROUP BY day ORDER BY day`, params: [q.fromMs, q.toMs] };
    }
    case 'group':
      return { sql: `SELECT ${q.by} AS key, ${KPI_SELECT} FROM sessions WHERE start_ms >= ? AND start_ms < ? GROUP BY ${q.by} ORDER BY sessions DESC, key LIMIT 20`, params: [q.fromMs, q.toMs] };
    case 'active-users':
      // Users with activity in the last few minutes; anonymous sessions count as one user each.
      // The start_ms bound (no session is longer than maxSessionMs) lets an index on start_ms help.
      return {
        sql: 'SELECT count(DISTINCT coalesce(user_hash, session_id)) AS active_users FROM sessions WHERE start_ms >= ? AND last_activity_ms >= ? AND last_activity_ms <= ?',
        params: [q.nowMs - q.maxSessionMs, q.nowMs - q.windowMs, q.nowMs],
      };
  }
}

/** Numbers as JS numbers (DuckDB returns BIGINT as bigint), for comparing the engines' answers. */
export function normalizeRow(row: Record<string, unknown>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? Number(value) : (value as string | number | null);
  }
  return out;
}

/** A generated session as the bulk path stores it: its final row, computed from all its records. */
export function toBulkSession(spans: SpanRecord[], events: EventRecord[], nowMs: number, inactivityMs: number): BulkSession {
  const deltas = new SessionDeltas();
  for (const span of spans) deltas.addSpan(span);
  for (const event of events) deltas.addEvent(event);
  const [row] = [...deltas.rows()];
  if (!row || deltas.size !== 1) throw new Error('a generated session must have browser records of one session');
  // What the store's periodic "end idle sessions" sweep would have marked by now.
  if (row.lastActivityMs < nowMs - inactivityMs) row.ended = 1;
  return { row, spans, events };
}
