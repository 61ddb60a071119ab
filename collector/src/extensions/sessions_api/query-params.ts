// Turns the query string of each endpoint into the store's query objects. Pure functions of the
// parameters and the current time, so every rule is unit-tested without HTTP or a store.
import type { KpiGroupBy, KpiInterval, KpiQuery, SessionListQuery, SessionSort, SortOrder } from '../../store/types.js';
import { parseChoice, parseDurationMs, parseInstant, parseInteger, parseText, quoted } from './param-values.js';
import { QueryParameterError } from './query-error.js';

export const RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type RangeName = keyof typeof RANGES;
export const DEFAULT_WINDOW_MS = RANGES['24h'];
export const SORTS = ['start', 'duration', 'errors', 'pageViews', 'user', 'location', 'browser', 'os', 'device'] as const satisfies readonly SessionSort[];
export const ORDERS = ['desc', 'asc'] as const satisfies readonly SortOrder[];
export const INTERVALS = ['hour', 'day'] as const satisfies readonly KpiInterval[];
/** API names of the KPI dimensions → the store's. */
export const GROUP_BY = {
  version: 'appVersion',
  browser: 'browser',
  os: 'os',
  country: 'country',
  device: 'deviceType',
  environment: 'environment',
  service: 'service',
} as const satisfies Record<string, KpiGroupBy>;
export const LIMIT = { min: 1, max: 500, default: 50 } as const;
export const SPAN_LIMIT = { min: 1, max: 100_000 } as const;
export const MAX_Q_LENGTH = 200;
/** Cursors are opaque tokens of the store; this only bounds their size. */
export const MAX_CURSOR_LENGTH = 2048;
/** `errors=N` means "more than N"; above this it is surely a typo. */
export const MAX_ERRORS_ABOVE = 1_000_000;

/** Plain exact-match filters: API parameter → SessionListQuery field. */
const TEXT_FILTERS = {
  user: 'userId',
  email: 'userEmail',
  country: 'country',
  city: 'city',
  browser: 'browser',
  os: 'os',
  device: 'deviceType',
  environment: 'environment',
  version: 'appVersion',
  service: 'service',
} as const satisfies Record<string, keyof SessionListQuery>;

type Filters = Omit<SessionListQuery, 'sort' | 'order' | 'cursor' | 'limit'>;

export const TIME_PARAMETERS = ['from', 'to', 'range'] as const;
export const FILTER_PARAMETERS = [...Object.keys(TEXT_FILTERS), 'errors', 'min_duration', 'max_duration', 'q'] as const;
export const LIST_PARAMETERS: readonly string[] = [...TIME_PARAMETERS, ...FILTER_PARAMETERS, 'sort', 'order', 'cursor', 'limit'];
export const KPI_PARAMETERS: readonly string[] = [...TIME_PARAMETERS, ...FILTER_PARAMETERS, 'group_by', 'groupBy', 'interval'];
export const DETAIL_PARAMETERS: readonly string[] = ['span_limit'];

/** Rejects parameters the endpoint does not know, so a misspelt filter never silently widens a query. */
export function rejectUnknownParameters(params: URLSearchParams, allowed: readonly string[], endpoint: string): void {
  for (const name of new Set(params.keys())) {
    if (allowed.includes(name)) continue;
    const takes = allowed.length === 0 ? 'takes no parameters' : `takes ${allowed.join(', ')}`;
    throw new QueryParameterError(name, `unknown parameter ${quoted(name)}: ${endpoint} ${takes}`);
  }
}

/** The one value of a parameter; a repeated parameter is ambiguous and refused. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new QueryParameterError(name, `${name} is given ${values.length} times; give it once`);
  return values[0];
}

/** [fromMs, toMs): explicit `from`/`to`, or `range` back from now; the last 24 hours by default. */
export function parseTimeRange(params: URLSearchParams, nowMs: number): { fromMs: number; toMs: number } {
  const from = single(params, 'from');
  const to = single(params, 'to');
  const range = single(params, 'range');
  if (range !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw new QueryParameterError('range', `range cannot be combined with ${from !== undefined ? 'from' : 'to'}: give either range or from/to`);
    }
    return { fromMs: nowMs - RANGES[parseChoice('range', range, Object.keys(RANGES) as RangeName[])], toMs: nowMs };
  }
  const toMs = to === undefined ? nowMs : parseInstant('to', to);
  const fromMs = from === undefined ? toMs - DEFAULT_WINDOW_MS : parseInstant('from', from);
  if (fromMs >= toMs) {
    throw new QueryParameterError('from', `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})`);
  }
  return { fromMs, toMs };
}

/** The filters the list and the KPIs share. */
export function parseFilters(params: URLSearchParams, nowMs: number): Filters {
  const filters: Filters = parseTimeRange(params, nowMs);
  for (const [name, field] of Object.entries(TEXT_FILTERS)) {
    const value = single(params, name);
    if (value !== undefined) filters[field] = parseText(name, value);
  }
  const errors = single(params, 'errors');
  if (errors === 'none' || errors === 'any') filters.errors = errors;
  else if (errors !== undefined) {
    const above = /^\d{1,7}$/.test(errors) ? Number(errors) : NaN;
    if (!(above <= MAX_ERRORS_ABOVE)) {
      throw new QueryParameterError(
        'errors',
        `errors must be none, any, or a whole number N from 0 to ${MAX_ERRORS_ABOVE} (sessions with more than N errors), got ${quoted(errors)}`,
      );
    }
    filters.errorsAbove = above;
  }
  const minDuration = single(params, 'min_duration');
  const maxDuration = single(params, 'max_duration');
  if (minDuration !== undefined) filters.minDurationMs = parseDurationMs('min_duration', minDuration);
  if (maxDuration !== undefined) filters.maxDurationMs = parseDurationMs('max_duration', maxDuration);
  if (filters.minDurationMs !== undefined && filters.maxDurationMs !== undefined && filters.minDurationMs > filters.maxDurationMs) {
    throw new QueryParameterError('min_duration', `min_duration (${filters.minDurationMs} ms) is more than max_duration (${filters.maxDurationMs} ms)`);
  }
  const q = single(params, 'q');
  if (q !== undefined) filters.text = parseText('q', q.trim(), MAX_Q_LENGTH);
  return filters;
}

/** GET /api/sessions */
export function parseSessionListQuery(params: URLSearchParams, nowMs: number): SessionListQuery {
  rejectUnknownParameters(params, LIST_PARAMETERS, 'GET /api/sessions');
  const sort = single(params, 'sort');
  const order = single(params, 'order');
  const cursor = single(params, 'cursor');
  const limit = single(params, 'limit');
  const query: SessionListQuery = {
    ...parseFilters(params, nowMs),
    sort: sort === undefined ? 'start' : parseChoice('sort', sort, SORTS),
    order: order === undefined ? 'desc' : parseChoice('order', order, ORDERS),
    limit: limit === undefined ? LIMIT.default : parseInteger('limit', limit, LIMIT.min, LIMIT.max),
  };
  if (cursor !== undefined) query.cursor = parseText('cursor', cursor, MAX_CURSOR_LENGTH);
  return query;
}

/** GET /api/kpis */
export function parseKpiQuery(params: URLSearchParams, nowMs: number): KpiQuery {
  rejectUnknownParameters(params, KPI_PARAMETERS, 'GET /api/kpis');
  const query: KpiQuery = parseFilters(params, nowMs);
  // `groupBy` is accepted as well: the spelling the product's issue and other RUM APIs use.
  if (params.has('group_by') && params.has('groupBy')) throw new QueryParameterError('groupBy', 'give group_by or groupBy, not both');
  const groupBy = single(params, 'group_by') ?? single(params, 'groupBy');
  const interval = single(params, 'interval');
  if (groupBy !== undefined) {
    query.groupBy = GROUP_BY[parseChoice('group_by', groupBy, Object.keys(GROUP_BY) as (keyof typeof GROUP_BY)[])];
  }
  if (interval !== undefined) query.interval = parseChoice('interval', interval, INTERVALS);
  return query;
}

/** GET /api/sessions/:id */
export function parseSessionDetailOptions(params: URLSearchParams): { spanLimit?: number } {
  rejectUnknownParameters(params, DETAIL_PARAMETERS, 'GET /api/sessions/{id}');
  const spanLimit = single(params, 'span_limit');
  return spanLimit === undefined ? {} : { spanLimit: parseInteger('span_limit', spanLimit, SPAN_LIMIT.min, SPAN_LIMIT.max) };
}

/** The characters `@stitch/web` and most session id schemes use; anything else is not a session id. */
const SESSION_ID = /^[A-Za-z0-9._:~-]{1,128}$/;

export function parseSessionId(id: string): string {
  if (!SESSION_ID.test(id)) {
    throw new QueryParameterError('id', `session id must be 1 to 128 characters of A-Z a-z 0-9 . _ : ~ -, got ${quoted(id)}`);
  }
  return id;
}

export const MAX_USER_ID_LENGTH = 256;

/** A user id or e-mail: free text (hashes, e-mails, numbers) but no control characters. */
export function parseUserId(id: string): string {
  // eslint-disable-next-line no-control-regex
  if (id === '' || id.length > MAX_USER_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(id)) {
    throw new QueryParameterError('id', `user id must be 1 to ${MAX_USER_ID_LENGTH} characters without control characters, got ${quoted(id)}`);
  }
  return id;
}
