// What the session store answers: the contract between the store (collector/src/store/), the
// `sessionstore` exporter that writes it and the `sessions_api` extension that reads it.

/** One session as the list and the detail show it (JSON field names of the query API). */
export interface SessionSummary {
  sessionId: string;
  /** ms since the epoch. */
  startMs: number;
  /** The same instant in ISO 8601 (UTC, `Z` offset): what people and spreadsheets read. */
  start: string;
  lastActivityMs: number;
  durationMs: number;
  /** Ended by `session.end`, or by the collector after the inactivity timeout. */
  ended: boolean;
  pageViews: number;
  userActions: number;
  errors: number;
  apiCalls: number;
  /** `user.hash` (or `user.id`) as the app sent it; name and e-mail only when the app sent them. */
  userId: string | null;
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
  effectiveType: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  entryUrl: string | null;
  exitUrl: string | null;
  /** The session's worst Web Vitals (ms; CLS unitless). */
  lcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
  fcpMs: number | null;
  ttfbMs: number | null;
}

/**
 * `user` orders by what an analyst sees (e-mail, else name, else id); `userId` by the id alone,
 * which the API uses for viewers so the order cannot reveal e-mails they may not see.
 */
export type SessionSort = 'start' | 'duration' | 'errors' | 'pageViews' | 'user' | 'userId' | 'location' | 'browser' | 'os' | 'device';
export type SortOrder = 'desc' | 'asc';

/** GET /api/sessions: every filter optional but the time range. */
export interface SessionListQuery {
  /** Sessions that started in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** A user by id (`user.hash`/`user.id`) or by e-mail: either matches. */
  userId?: string;
  /** Only the e-mail. */
  userEmail?: string;
  /** Sessions with no error, at least one, or more than `errorsAbove`. */
  errors?: 'none' | 'any';
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
  service?: string;
  /** Free text over page URLs, action targets, error messages and event attribute values (case-insensitive substring). */
  text?: string;
  sort: SessionSort;
  order: SortOrder;
  /** From the previous page's `nextCursor` (keyset pagination). */
  cursor?: string;
  /** 1–500, default 50. */
  limit: number;
}

export interface SessionPage {
  sessions: SessionSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A log event of the session's timeline: page view, user action, exception, web vital, session start/end… */
export interface TimelineEvent {
  timeMs: number;
  name: string;
  traceId: string | null;
  spanId: string | null;
  severity: number;
  /** Page URL, action target or error message. */
  text: string | null;
  /** A web vital's value. */
  value: number | null;
  attributes: Record<string, unknown>;
}

/** A span of the session, browser or backend. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  /** OTLP SpanKind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  durationMs: number;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  httpMethod: string | null;
  httpStatus: number | null;
  url: string | null;
  /** Stamped by the `session_stitch` processor (the backend did not know the session). */
  stitched: boolean;
  attributes: Record<string, unknown>;
}

export interface TraceSummary {
  traceId: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** Name of the trace's earliest span. */
  rootName: string;
}

export interface SessionDetail {
  session: SessionSummary;
  /** In time order. */
  events: TimelineEvent[];
  /** In time order; at most `spanLimit` (the rest are counted in `spansOmitted`). */
  spans: StoredSpan[];
  spansOmitted: number;
  /** Every trace of the session, frontend and backend, in time order. */
  traces: TraceSummary[];
}

export type KpiGroupBy = 'appVersion' | 'browser' | 'os' | 'country' | 'deviceType' | 'environment' | 'service';
export type KpiInterval = 'hour' | 'day';

/** GET /api/kpis: the same filters as the list (cursor, sort and limit aside). */
export type KpiQuery = Omit<SessionListQuery, 'sort' | 'order' | 'cursor' | 'limit'> & {
  /** Split totals by a dimension (top 20 values). */
  groupBy?: KpiGroupBy;
  /** Series bucket; default: hour up to 2 days, else day. */
  interval?: KpiInterval;
};

export interface KpiFigures {
  sessions: number;
  avgDurationMs: number | null;
  /** Share of sessions with at least one error, 0–1. */
  errorRate: number | null;
  pagesPerSession: number | null;
  errors: number;
}

export interface KpiResult {
  fromMs: number;
  toMs: number;
  totals: KpiFigures;
  /** Distinct users (anonymous sessions count as one each) active in the last 5 minutes. */
  activeUsersNow: number;
  interval: KpiInterval;
  /** One bucket per interval that has sessions, in time order. */
  series: (KpiFigures & { bucketStartMs: number })[];
  /** Present when groupBy was given. */
  groups?: (KpiFigures & { key: string | null })[];
}

export interface DeleteCounts {
  sessions: number;
  spans: number;
  events: number;
  traceIndexEntries: number;
}

/** What the query API audits. */
export type AuditAction = 'session.list' | 'session.view' | 'kpi.view' | 'user.export' | 'session.delete' | 'user.delete' | 'audit.view';

/** One row of the append-only audit log: who did what, from where, with what outcome. */
export interface AuditEntry {
  timeMs: number;
  /** The token holder's configured name (never the token); `anonymous` without auth. */
  actor: string;
  role: string;
  action: AuditAction;
  /** The session id or user id acted on (an e-mail is kept only as its hash); null for lists. */
  target: string | null;
  /** The query parameters as given, `email` values and e-mail-like values redacted. */
  parameters: Record<string, string | string[]>;
  clientAddress: string | null;
  userAgent: string | null;
  /** The HTTP status answered. */
  status: number;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  /** `timeMs` in ISO 8601. */
  time: string;
}

export interface AuditQuery {
  fromMs: number;
  toMs: number;
  actor?: string;
  action?: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  entries: AuditRecord[];
  nextCursor: string | null;
}

/** Everything stored of one user (data-subject access request). */
export interface UserExport {
  userId: string;
  exportedAt: string;
  sessions: { session: SessionSummary; events: TimelineEvent[]; spans: StoredSpan[] }[];
}

/** What the query API needs from the store. */
export interface SessionStoreReader {
  listSessions(query: SessionListQuery): Promise<SessionPage>;
  /** undefined when no session has this id. */
  getSession(sessionId: string, options?: { spanLimit?: number }): Promise<SessionDetail | undefined>;
  kpis(query: KpiQuery): Promise<KpiResult>;
  /** Data-subject erasure: everything of one session, or of every session of one user (by user id or e-mail). */
  deleteSessions(target: { sessionId: string } | { userId: string }): Promise<DeleteCounts>;
  /** Every session of a user (by user id or e-mail) with all its events and spans. */
  exportUser(userId: string): Promise<UserExport>;
  /** Queued behind writes; the caller need not wait (the API does not). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<AuditPage>;
}

/** A bad query value (bad cursor…): the API answers 400 with this message. */
export class StoreQueryError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreQueryError';
  }
}
