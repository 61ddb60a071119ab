// Turns OTLP batches into the store's rows: spans and log events that belong to a session, and the
// browser context (service, user agent, screen, geo…) each session row is described by.
import type { AttributeValue, LogRecordView, ResourceRecord, SignalBatch, SpanRecord } from '@stitch/collector-api';
import type { SessionSummary } from './types.js';

/** What a browser resource (and the record's user attributes) say about its session: the session row's descriptive fields. */
export type SessionContext = Pick<
  SessionSummary,
  | 'sessionId' | 'userId' | 'userName' | 'userEmail' | 'service' | 'environment' | 'appVersion'
  | 'browser' | 'browserVersion' | 'os' | 'osVersion' | 'deviceType' | 'screen' | 'viewport'
  | 'connectionType' | 'effectiveType' | 'country' | 'region' | 'city'
> & {
  /** Telemetry made in the browser describes and updates the session; backend records only attach to it. */
  fromBrowser: boolean;
  /** Stored only with `store_client_address` (not part of the API's summary). */
  clientAddress: string | null;
};

export interface StoreSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | null;
  service: string;
  name: string;
  kind: number;
  /** µs since the epoch: exact in a JS number, where ns would need bigint. */
  startUs: number;
  durationUs: number;
  statusCode: number;
  httpMethod: string | null;
  httpStatus: number | null;
  url: string | null;
  stitched: boolean;
  attributes: string;
  session: SessionContext;
}

export interface StoreEvent {
  /** Log records have no id: see `eventKey`. */
  eventKey: bigint;
  timeUs: number;
  name: string;
  traceId: Buffer | null;
  spanId: Buffer | null;
  severity: number;
  /** What free-text search and the list show: page URL, action target, error message, log body. */
  text: string | null;
  /** A web vital's value. */
  value: number | null;
  vital: string | null;
  attributes: string;
  session: SessionContext;
}

export interface StoreRecords {
  spans: StoreSpan[];
  events: StoreEvent[];
}

export interface RecordOptions {
  /** Keep the resource's `client.address` on the session row (off: the IP is not stored). */
  storeClientAddress: boolean;
  /** Fills browser/OS/device from `user_agent.original` when the resource lacks them. */
  parseUserAgent?: (ua: string) => { browser?: string; browserVersion?: string; os?: string; osVersion?: string; deviceType?: string };
}

const SESSION_ID = 'session.id';

const text = (value: AttributeValue | undefined): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
};
const num = (value: AttributeValue | undefined): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
};
const first = (...values: (string | null)[]): string | null => values.find((v) => v !== null) ?? null;

function isBrowserResource(resource: ResourceRecord): boolean {
  return resource.attribute('telemetry.sdk.language') === 'webjs' || resource.attribute('user_agent.original') !== undefined;
}

/** The resource's part of a session context, computed once per resource group. */
type ResourceContext = Omit<SessionContext, 'sessionId' | 'userId' | 'userName' | 'userEmail'>;

function resourceContext(resource: ResourceRecord, options: RecordOptions): ResourceContext {
  const a = (key: string) => text(resource.attribute(key));
  const fromBrowser = isBrowserResource(resource);
  const ua = a('user_agent.original');
  const parsed = fromBrowser && ua && options.parseUserAgent && (!a('user_agent.name') || !a('user_agent.os.name') && !a('os.name')) ? options.parseUserAgent(ua) : {};
  return {
    fromBrowser,
    service: a('service.name'),
    environment: first(a('deployment.environment.name'), a('deployment.environment')),
    appVersion: a('service.version'),
    browser: first(a('user_agent.name'), parsed.browser ?? null),
    browserVersion: first(a('user_agent.version'), parsed.browserVersion ?? null),
    os: first(a('user_agent.os.name'), a('os.name'), parsed.os ?? null),
    osVersion: first(a('user_agent.os.version'), a('os.version'), parsed.osVersion ?? null),
    deviceType: first(a('stitch.device.type'), parsed.deviceType ?? null),
    screen: a('stitch.screen.size'),
    viewport: a('stitch.viewport.size'),
    connectionType: a('network.connection.type'),
    effectiveType: a('stitch.network.effective_type'),
    country: a('geo.country.iso_code'),
    region: a('geo.region.iso_code'),
    city: a('geo.locality.name'),
    clientAddress: options.storeClientAddress ? a('client.address') : null,
  };
}

function sessionContext(base: ResourceContext, attributes: Record<string, AttributeValue>, sessionId: string): SessionContext {
  return {
    ...base,
    sessionId,
    // A hashed id is what the web SDK sends by default; `user.id` only when the app opted out of hashing.
    userId: first(text(attributes['user.hash']), text(attributes['user.id']), text(attributes['enduser.id'])),
    userName: first(text(attributes['user.name']), text(attributes['user.full_name'])),
    userEmail: text(attributes['user.email']),
  };
}

/** Session ids the query API accepts (the Node SDK's rule): anything else is not stored. */
const VALID_SESSION_ID = /^[A-Za-z0-9._:~-]{1,128}$/;

const idBuffer = (bytes: Uint8Array): Buffer | null => (bytes.length === 0 ? null : Buffer.from(bytes));
const toUs = (ns: bigint): number => Number(ns / 1000n);

/** Attributes kept in the JSON column: what the columns already hold is left out. */
const SPAN_COLUMN_ATTRIBUTES = new Set([SESSION_ID, 'stitch.stitched', 'http.request.method', 'http.method', 'http.response.status_code', 'http.status_code', 'url.full', 'http.url']);

function spanRow(span: SpanRecord, context: SessionContext, service: string): StoreSpan {
  const attributes = span.attributes;
  const start = span.startTimeUnixNano;
  const end = span.endTimeUnixNano;
  const rest: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) if (!SPAN_COLUMN_ATTRIBUTES.has(key)) rest[key] = value;
  const status = span.status;
  if (status.message) rest['otel.status_description'] = status.message;
  return {
    traceId: Buffer.from(span.traceIdBytes),
    spanId: Buffer.from(span.spanIdBytes),
    parentSpanId: idBuffer(span.parentSpanIdBytes),
    service,
    name: span.name,
    kind: span.kind,
    startUs: toUs(start),
    durationUs: end > start ? toUs(end - start) : 0,
    statusCode: status.code,
    httpMethod: first(text(attributes['http.request.method']), text(attributes['http.method'])),
    httpStatus: num(attributes['http.response.status_code']) ?? num(attributes['http.status_code']),
    url: first(text(attributes['url.full']), text(attributes['http.url'])),
    stitched: attributes['stitch.stitched'] === true,
    attributes: toJson(rest),
    session: context,
  };
}

/** What search and the timeline show for an event. */
function eventText(name: string, attributes: Record<string, AttributeValue>, body: AttributeValue): string | null {
  switch (name) {
    case 'browser.page_view':
      return first(text(attributes['url.full']), text(attributes['url.path']));
    case 'browser.user_action':
      return first(text(attributes['stitch.action.target']), text(attributes['stitch.action.type']));
    case 'exception':
      return first(
        [text(attributes['exception.type']), text(attributes['exception.message'])].filter(Boolean).join(': ') || null,
        text(body),
      );
    case 'session.end':
      return text(attributes['stitch.session.end_reason']);
    case 'browser.resource_timing': // the URL, so a search for a slow script or endpoint finds the session
      return text(attributes['url.full']);
    default:
      return typeof body === 'string' ? body.slice(0, 4096) : text(attributes['url.full']);
  }
}

function eventRow(log: LogRecordView, context: SessionContext): StoreEvent {
  const attributes = log.attributes;
  const name = log.eventName || text(attributes['event.name']) || 'log';
  const timeNs = log.timeUnixNano || log.observedTimeUnixNano;
  const body = log.body;
  const rest: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) if (key !== SESSION_ID) rest[key] = value;
  if (body !== null && body !== undefined && body !== '') rest['log.body'] = body;
  const vital = name === 'browser.web_vital' ? text(attributes['stitch.web_vital.name']) : null;
  const searchText = eventText(name, attributes, body);
  const timeUs = toUs(timeNs);
  const json = toJson(rest);
  return {
    eventKey: eventKey(context.sessionId, timeNs, name, json, log.spanId),
    timeUs,
    name,
    traceId: idBuffer(log.traceIdBytes),
    spanId: idBuffer(log.spanIdBytes),
    severity: log.severityNumber,
    text: searchText,
    value: vital ? num(attributes['stitch.web_vital.value']) : null,
    vital,
    attributes: json,
    session: context,
  };
}

/**
 * A log event's idempotency key (log records have no id of their own): the time in ms × 2^21 plus
 * 21 bits of a hash of what the event is. A retried record gets the same key; keys grow with time,
 * so the write path's duplicate check only looks at recent rows. Two events of one session in the
 * same millisecond with the same name and attributes are one event; different ones collide with
 * probability 2^-21.
 */
export function eventKey(sessionId: string, timeNs: bigint, name: string, attributesJson: string, spanId: string): bigint {
  let hash = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      hash ^= s.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0xff;
  };
  mix(sessionId);
  mix(String(timeNs % 1_000_000n));
  mix(name);
  mix(attributesJson);
  mix(spanId);
  return (timeNs / 1_000_000n) * 2_097_152n + BigInt((hash >>> 0) & 0x1fffff);
}

function toJson(value: Record<string, AttributeValue>): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/** The batch's records that carry a valid `session.id`; the rest are not the session store's business. */
export function storeRecords(batch: SignalBatch, options: RecordOptions): StoreRecords {
  const out: StoreRecords = { spans: [], events: [] };
  for (const group of batch.resources) {
    let base: ResourceContext | undefined;
    const resourceSession = text(group.resource.attribute(SESSION_ID));
    for (const scope of group.scopes) {
      for (const item of scope.items) {
        if (batch.signal === 'metrics') continue;
        const record = item as SpanRecord | LogRecordView;
        const sessionId = text(record.attribute(SESSION_ID)) ?? resourceSession;
        if (!sessionId || !VALID_SESSION_ID.test(sessionId)) continue;
        base ??= resourceContext(group.resource, options);
        const context = sessionContext(base, record.attributes, sessionId);
        if (batch.signal === 'traces') out.spans.push(spanRow(record as SpanRecord, context, base.service ?? 'unknown_service'));
        else out.events.push(eventRow(record as LogRecordView, context));
      }
    }
  }
  return out;
}
