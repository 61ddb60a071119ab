// The SQL behind the query API: sessions list (filters, sort, keyset pages), KPIs, session detail.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { SESSION_COLUMNS } from './schema.js';
import {
  StoreQueryError,
  type KpiFigures,
  type KpiGroupBy,
  type KpiInterval,
  type KpiQuery,
  type KpiResult,
  type SessionDetail,
  type SessionListQuery,
  type SessionPage,
  type SessionSort,
  type SessionSummary,
  type StoredSpan,
  type TimelineEvent,
  type TraceSummary,
} from './types.js';

type Row = Record<string, unknown>;
type Filters = Omit<SessionListQuery, 'sort' | 'order' | 'cursor' | 'limit'>;

/** A session lasts at most this long (the web SDK's maximum is 4 h): bounds scans of a session's records. */
const MAX_SESSION_US = 4 * 3_600_000_000;
/** Records of a session may carry timestamps a little before its start (clock skew, offline replay). */
const SKEW_US = 3_600_000_000;
const ACTIVE_WINDOW_MS = 5 * 60_000;

const SUMMARY_COLUMNS = SESSION_COLUMNS.filter(([column]) => column !== 'client_address');

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : typeof value === 'bigint' ? Number(value) : Number(value));

export function toSummary(row: Row): SessionSummary {
  const out: Record<string, unknown> = {};
  for (const [column, type, field] of SUMMARY_COLUMNS) {
    const value = row[column];
    if (type.startsWith('VARCHAR')) out[field] = value ?? null;
    else if (type.startsWith('BOOLEAN')) out[field] = value === true;
    else out[field] = toNumber(value);
  }
  out.start = new Date(out.startMs as number).toISOString();
  return out as unknown as SessionSummary;
}

const TEXT_SORTS: ReadonlySet<SessionSort> = new Set(['user', 'userId', 'location', 'browser', 'os', 'device']);

// Text sorts never meet NULL (coalesce to ''), so keyset paging compares plain values.
const SORT_EXPRESSION: Record<SessionSort, string> = {
  start: 'start_ms',
  duration: 'duration_ms',
  errors: 'errors',
  pageViews: 'page_views',
  user: "coalesce(user_email, user_name, user_id, '')",
  userId: "coalesce(user_id, '')",
  location: "coalesce(country, '') || ' ' || coalesce(city, '')",
  browser: "coalesce(browser, '')",
  os: "coalesce(os, '')",
  device: "coalesce(device_type, '')",
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereClause(q: Filters): { where: string[]; params: DuckDBValue[] } {
  const where = ['start_ms >= ?', 'start_ms < ?'];
  const params: DuckDBValue[] = [q.fromMs, q.toMs];
  const equals = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  if (q.userId !== undefined) {
    // A user is named by id or by e-mail.
    where.push('(user_id = ? OR user_email = ?)');
    params.push(q.userId, q.userId);
  }
  equals('user_email', q.userEmail);
  equals('country', q.country);
  equals('city', q.city);
  equals('browser', q.browser);
  equals('os', q.os);
  equals('device_type', q.deviceType);
  equals('environment', q.environment);
  equals('app_version', q.appVersion);
  equals('service', q.service);
  if (q.errors === 'none') where.push('errors = 0');
  if (q.errors === 'any') where.push('errors > 0');
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
  if (q.text !== undefined && q.text !== '') {
    // No text index: a scan of the range's events (zone maps prune by time), measured in bench/.
    // `text` holds page URLs, action targets and error messages; `attributes` every other value.
    const pattern = `%${escapeLike(q.text)}%`;
    where.push("session_id IN (SELECT session_id FROM log_events WHERE time_us >= ? AND time_us < ? AND (text ILIKE ? ESCAPE '\\' OR attributes ILIKE ? ESCAPE '\\'))");
    params.push((q.fromMs * 1000) - SKEW_US, q.toMs * 1000 + MAX_SESSION_US, pattern, pattern);
  }
  return { where, params };
}

export function encodeCursor(sortValue: number | string, sessionId: string): string {
  return Buffer.from(JSON.stringify([sortValue, sessionId])).toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'number' | 'string' = 'number'): [number | string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === kind && typeof value[1] === 'string') return [value[0] as number | string, value[1]];
  } catch {
    // reported below
  }
  throw new StoreQueryError('cursor', 'cursor is not one this API returned: pass nextCursor from the previous page unchanged');
}

export async function listSessions(connection: DuckDBConnection, q: SessionListQuery): Promise<SessionPage> {
  const { where, params } = whereClause(q);
  const sortExpression = SORT_EXPRESSION[q.sort];
  const direction = q.order === 'asc' ? 'ASC' : 'DESC';
  const textSort = TEXT_SORTS.has(q.sort);
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor, textSort ? 'string' : 'number');
    where.push(`(${sortExpression}, session_id) ${q.order === 'asc' ? '>' : '<'} (?, ?)`);
    params.push(value, id);
  }
  const columns = SUMMARY_COLUMNS.map(([column]) => column).join(', ');
  const sql = `SELECT ${columns}, ${sortExpression} AS sort_value FROM sessions WHERE ${where.join(' AND ')} ORDER BY sort_value ${direction}, session_id ${direction} LIMIT ${q.limit + 1}`;
  const rows = (await connection.runAndReadAll(sql, params)).getRowObjectsJS();
  const sessions = rows.slice(0, q.limit).map(toSummary);
  const lastRow = rows[q.limit - 1];
  if (rows.length <= q.limit || !lastRow) return { sessions, nextCursor: null };
  const sortValue = textSort ? String(lastRow.sort_value) : (toNumber(lastRow.sort_value) ?? 0);
  return { sessions, nextCursor: encodeCursor(sortValue, String(lastRow.session_id)) };
}

const KPI_SELECT = `count(*) AS sessions, avg(duration_ms) AS avg_duration_ms, avg(CASE WHEN errors > 0 THEN 1.0 ELSE 0.0 END) AS error_rate,
  avg(page_views) AS pages_per_session, coalesce(sum(errors), 0) AS errors`;

function figures(row: Row | undefined): KpiFigures {
  return {
    sessions: toNumber(row?.sessions) ?? 0,
    avgDurationMs: toNumber(row?.avg_duration_ms),
    errorRate: toNumber(row?.error_rate),
    pagesPerSession: toNumber(row?.pages_per_session),
    errors: toNumber(row?.errors) ?? 0,
  };
}

const GROUP_COLUMN: Record<KpiGroupBy, string> = {
  appVersion: 'app_version',
  browser: 'browser',
  os: 'os',
  country: 'country',
  deviceType: 'device_type',
  environment: 'environment',
  service: 'service',
};

export async function kpis(connection: DuckDBConnection, q: KpiQuery, nowMs: number): Promise<KpiResult> {
  const { where, params } = whereClause(q);
  const filter = where.join(' AND ');
  const interval: KpiInterval = q.interval ?? (q.toMs - q.fromMs <= 2 * 86_400_000 ? 'hour' : 'day');
  const bucketMs = interval === 'hour' ? 3_600_000 : 86_400_000;
  const read = async (sql: string, values: DuckDBValue[]) => (await connection.runAndReadAll(sql, values)).getRowObjectsJS();
  const [totals, series, active, groups] = await Promise.all([
    read(`SELECT ${KPI_SELECT} FROM sessions WHERE ${filter}`, params),
    read(`SELECT (start_ms // ${bucketMs}) * ${bucketMs} AS bucket, ${KPI_SELECT} FROM sessions WHERE ${filter} GROUP BY bucket ORDER BY bucket`, params),
    // Users active in the last minutes, whatever the range; anonymous sessions count one each.
    read(
      'SELECT count(DISTINCT coalesce(user_id, session_id)) AS n FROM sessions WHERE start_ms >= ? AND last_activity_ms >= ? AND NOT ended',
      [nowMs - MAX_SESSION_US / 1000, nowMs - ACTIVE_WINDOW_MS],
    ),
    q.groupBy
      ? read(`SELECT ${GROUP_COLUMN[q.groupBy]} AS key, ${KPI_SELECT} FROM sessions WHERE ${filter} GROUP BY key ORDER BY sessions DESC, key NULLS LAST LIMIT 20`, params)
      : Promise.resolve(undefined),
  ]);
  return {
    fromMs: q.fromMs,
    toMs: q.toMs,
    totals: figures(totals[0]),
    activeUsersNow: toNumber(active[0]?.n) ?? 0,
    interval,
    series: series.map((row) => ({ bucketStartMs: toNumber(row.bucket)!, ...figures(row) })),
    ...(groups ? { groups: groups.map((row) => ({ key: (row.key as string | null) ?? null, ...figures(row) })) } : {}),
  };
}

/** Runs the reads one after another (a DuckDB connection serves one statement at a time in a transaction). */
async function inOrder<T>(reads: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const read of reads) out.push(await read());
  return out;
}

const parseJson = (text: unknown): Record<string, unknown> => {
  try {
    return typeof text === 'string' ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const hexOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export async function sessionDetail(connection: DuckDBConnection, sessionId: string, spanLimit: number): Promise<SessionDetail | undefined> {
  const columns = SUMMARY_COLUMNS.map(([column]) => column).join(', ');
  const rows = (await connection.runAndReadAll(`SELECT ${columns} FROM sessions WHERE session_id = ?`, [sessionId])).getRowObjectsJS();
  if (rows.length === 0) return undefined;
  const session = toSummary(rows[0]!);
  // Bounds on time let the zone maps skip everything but the session's stretch of the tables.
  const fromUs = session.startMs * 1000 - SKEW_US;
  const toUs = session.lastActivityMs * 1000 + SKEW_US;
  const range = [sessionId, fromUs, toUs];
  const read = async (sql: string) => (await connection.runAndReadAll(sql, range)).getRowObjectsJS();
  // One snapshot for the four reads: a write landing between them would make spans and traces disagree.
  await connection.run('BEGIN TRANSACTION');
  const [events, spans, spanCount, traces] = (await inOrder([
    () => read(`SELECT time_us, name, lower(hex(trace_id)) AS trace_id, lower(hex(span_id)) AS span_id, severity, text, value, attributes
          FROM log_events WHERE session_id = ? AND time_us BETWEEN ? AND ? ORDER BY time_us, name = 'session.start' DESC, name = 'session.end', event_key`),
    () => read(`SELECT lower(hex(trace_id)) AS trace_id, lower(hex(span_id)) AS span_id, lower(hex(parent_span_id)) AS parent_span_id, service, name, kind,
                 start_us, duration_us, status_code, http_method, http_status, url, stitched, attributes
          FROM spans WHERE session_id = ? AND start_us BETWEEN ? AND ? ORDER BY start_us, span_id LIMIT ${spanLimit}`),
    () => read('SELECT count(*) AS n FROM spans WHERE session_id = ? AND start_us BETWEEN ? AND ?'),
    () => read(`SELECT lower(hex(trace_id)) AS trace_id, min(start_us) AS start_us, max(start_us + duration_us) AS end_us, count(*) AS spans,
                 count(*) FILTER (WHERE status_code = 2) AS error_spans, list(DISTINCT service ORDER BY service) AS services, arg_min(name, start_us) AS root_name
          FROM spans WHERE session_id = ? AND start_us BETWEEN ? AND ? GROUP BY trace_id ORDER BY start_us, trace_id`),
  ]).finally(() => connection.run('COMMIT').catch(() => undefined))) as [Row[], Row[], Row[], Row[]];
  const timeline: TimelineEvent[] = events.map((e) => ({
    timeMs: toNumber(e.time_us)! / 1000,
    name: String(e.name),
    traceId: hexOrNull(e.trace_id),
    spanId: hexOrNull(e.span_id),
    severity: toNumber(e.severity) ?? 0,
    text: (e.text as string | null) ?? null,
    value: toNumber(e.value),
    attributes: parseJson(e.attributes),
  }));
  const storedSpans: StoredSpan[] = spans.map((s) => ({
    traceId: String(s.trace_id),
    spanId: String(s.span_id),
    parentSpanId: hexOrNull(s.parent_span_id),
    service: String(s.service),
    name: String(s.name),
    kind: toNumber(s.kind) ?? 0,
    startMs: toNumber(s.start_us)! / 1000,
    durationMs: toNumber(s.duration_us)! / 1000,
    statusCode: toNumber(s.status_code) ?? 0,
    httpMethod: (s.http_method as string | null) ?? null,
    httpStatus: toNumber(s.http_status),
    url: (s.url as string | null) ?? null,
    stitched: s.stitched === true,
    attributes: parseJson(s.attributes),
  }));
  const traceSummaries: TraceSummary[] = traces.map((t) => ({
    traceId: String(t.trace_id),
    startMs: toNumber(t.start_us)! / 1000,
    durationMs: (toNumber(t.end_us)! - toNumber(t.start_us)!) / 1000,
    spanCount: toNumber(t.spans) ?? 0,
    errorCount: toNumber(t.error_spans) ?? 0,
    services: (t.services as string[] | null) ?? [],
    rootName: String(t.root_name ?? ''),
  }));
  const total = toNumber(spanCount[0]?.n) ?? 0;
  return { session, events: timeline, spans: storedSpans, spansOmitted: Math.max(0, total - storedSpans.length), traces: traceSummaries };
}
