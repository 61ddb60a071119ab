// What one write changes in each session it touches, computed only from records that were new (a
// retried record must not count twice), and how such a delta folds into the stored row.
import { SESSION_COLUMNS, type SessionColumn, type SessionField } from './schema.js';
import type { SessionContext, StoreEvent, StoreSpan } from './records.js';

export type SessionRow = { [F in SessionField]: F extends 'sessionId' ? string : F extends 'ended' ? boolean : string | number | null };

/** How a delta combines with the stored row (and several deltas of one session with each other). */
type MergeRule = 'key' | 'min' | 'max' | 'sum' | 'duration' | 'keep-first' | 'take-new' | 'entry' | 'exit' | 'or';

const MERGE_RULES: Record<SessionColumn, MergeRule> = {
  session_id: 'key',
  start_ms: 'min',
  last_activity_ms: 'max',
  duration_ms: 'duration',
  ended: 'or',
  page_views: 'sum',
  user_actions: 'sum',
  errors: 'sum',
  api_calls: 'sum',
  // A user who signs in during the session: the later value wins.
  user_id: 'take-new',
  user_name: 'take-new',
  user_email: 'take-new',
  // The first browser record describes the session.
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
  effective_type: 'keep-first',
  country: 'keep-first',
  region: 'keep-first',
  city: 'keep-first',
  client_address: 'keep-first',
  entry_url: 'entry',
  exit_url: 'exit',
  // The worst value of the session is what a list shows.
  lcp_ms: 'max',
  inp_ms: 'max',
  cls: 'max',
  fcp_ms: 'max',
  ttfb_ms: 'max',
};

const SPAN_KIND_CLIENT = 3;

export class SessionDeltas {
  readonly #rows = new Map<string, SessionRow>();
  readonly #entryAt = new Map<string, number>();
  readonly #exitAt = new Map<string, number>();

  get size(): number {
    return this.#rows.size;
  }

  rows(): IterableIterator<SessionRow> {
    return this.#rows.values();
  }

  /** Browser spans make the session active; its fetch/XHR spans are its API calls. Backend spans change nothing. */
  addSpan(span: StoreSpan): void {
    if (!span.session.fromBrowser) return;
    const row = this.#touch(span.session, span.startUs);
    if (span.kind === SPAN_KIND_CLIENT) (row.apiCalls as number)++;
  }

  addEvent(event: StoreEvent): void {
    if (!event.session.fromBrowser) return;
    const row = this.#touch(event.session, event.timeUs);
    switch (event.name) {
      case 'browser.page_view':
        (row.pageViews as number)++;
        this.#notePage(row, event);
        break;
      case 'browser.user_action':
        (row.userActions as number)++;
        break;
      case 'exception':
        (row.errors as number)++;
        break;
      case 'browser.web_vital':
        this.#noteVital(row, event);
        break;
      case 'session.end':
        row.ended = true;
        break;
    }
  }

  #touch(ctx: SessionContext, atUs: number): SessionRow {
    const atMs = Math.floor(atUs / 1000);
    let row = this.#rows.get(ctx.sessionId);
    if (!row) {
      row = newRow(ctx, atMs);
      this.#rows.set(ctx.sessionId, row);
    }
    if (atMs < (row.startMs as number)) row.startMs = atMs;
    if (atMs > (row.lastActivityMs as number)) row.lastActivityMs = atMs;
    row.durationMs = (row.lastActivityMs as number) - (row.startMs as number);
    if (ctx.userId) row.userId = ctx.userId;
    if (ctx.userName) row.userName = ctx.userName;
    if (ctx.userEmail) row.userEmail = ctx.userEmail;
    return row;
  }

  #notePage(row: SessionRow, event: StoreEvent): void {
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

  #noteVital(row: SessionRow, event: StoreEvent): void {
    const value = event.value;
    if (value === null) return;
    const field = VITAL_FIELDS[event.vital ?? ''];
    if (!field) return;
    const current = row[field] as number | null;
    if (current === null || value > current) (row as Record<string, unknown>)[field] = value;
  }
}

const VITAL_FIELDS: Record<string, SessionField> = { LCP: 'lcpMs', INP: 'inpMs', CLS: 'cls', FCP: 'fcpMs', TTFB: 'ttfbMs' };

function newRow(ctx: SessionContext, atMs: number): SessionRow {
  return {
    sessionId: ctx.sessionId,
    startMs: atMs,
    lastActivityMs: atMs,
    durationMs: 0,
    ended: false,
    pageViews: 0,
    userActions: 0,
    errors: 0,
    apiCalls: 0,
    userId: ctx.userId,
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
    effectiveType: ctx.effectiveType,
    country: ctx.country,
    region: ctx.region,
    city: ctx.city,
    clientAddress: ctx.clientAddress,
    entryUrl: null,
    exitUrl: null,
    lcpMs: null,
    inpMs: null,
    cls: null,
    fcpMs: null,
    ttfbMs: null,
  };
}

/** Folds the many delta rows of one session in `session_deltas` into one (an aggregate per column). */
function deltaAggregate(column: SessionColumn): string {
  const nonNull = `FILTER (WHERE ${column} IS NOT NULL)`;
  switch (MERGE_RULES[column]) {
    case 'key':
      return column;
    case 'sum':
      return `sum(${column})`;
    case 'min':
      return `min(${column})`;
    case 'max':
      return `max(${column})`;
    case 'or':
      return `bool_or(${column})`;
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

/** The SET list folding a session's aggregated delta (`excluded`) into its stored row. */
function mergeAssignments(): string {
  const old = (c: string) => `sessions.${c}`;
  const add = (c: string) => `excluded.${c}`;
  const greatest = (a: string, b: string) => `greatest(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
  const least = (a: string, b: string) => `least(coalesce(${a}, ${b}), coalesce(${b}, ${a}))`;
  return SESSION_COLUMNS.flatMap(([column]) => {
    let expression: string;
    switch (MERGE_RULES[column]) {
      case 'key':
        return [];
      case 'sum':
        expression = `${old(column)} + ${add(column)}`;
        break;
      case 'min':
        expression = least(old(column), add(column));
        break;
      case 'max':
        expression = greatest(old(column), add(column));
        break;
      case 'or':
        expression = `${old(column)} OR ${add(column)}`;
        break;
      case 'duration':
        expression = `${greatest(old('last_activity_ms'), add('last_activity_ms'))} - ${least(old('start_ms'), add('start_ms'))}`;
        break;
      case 'keep-first':
        expression = `coalesce(${old(column)}, ${add(column)})`;
        break;
      case 'take-new':
        expression = `coalesce(${add(column)}, ${old(column)})`;
        break;
      case 'entry':
        expression = `CASE WHEN ${add('start_ms')} < ${old('start_ms')} THEN coalesce(${add(column)}, ${old(column)}) ELSE coalesce(${old(column)}, ${add(column)}) END`;
        break;
      case 'exit':
        expression = `CASE WHEN ${add('last_activity_ms')} >= ${old('last_activity_ms')} THEN coalesce(${add(column)}, ${old(column)}) ELSE coalesce(${old(column)}, ${add(column)}) END`;
        break;
    }
    return [`${column} = ${expression}`];
  }).join(',\n    ');
}

/** Folds every pending delta into `sessions` (a hash join on session_id: no index needed) and empties the deltas. */
export const ROLLUP_SQL = `
  MERGE INTO sessions USING (
    SELECT ${SESSION_COLUMNS.map(([column]) => `${deltaAggregate(column)} AS ${column}`).join(', ')} FROM session_deltas GROUP BY session_id
  ) AS excluded ON (sessions.session_id = excluded.session_id)
  WHEN MATCHED THEN UPDATE SET
    ${mergeAssignments()}
  WHEN NOT MATCHED THEN INSERT;
  DELETE FROM session_deltas;`;
