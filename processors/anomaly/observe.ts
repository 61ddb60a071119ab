import { SpanKind, type AttributeValue, type LogRecordView, type ResourceRecord, type SignalBatch, type SpanRecord } from '@stitch/collector-api';
import type { AnomalyConfig, SpanKindName } from './config.js';
import type { AnomalyEngine, Series } from './engine.js';

const SESSION_ID = 'session.id';
const EXCEPTION = 'exception';
const HTTP_ROUTE = 'http.route';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

const text = (value: AttributeValue | undefined): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
const statusCode = (value: AttributeValue | undefined): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Whether an undecoded record's bytes contain any of `needles` (decoded records: yes, reading is cheap). */
function mentionsAny(record: SpanRecord | LogRecordView, needles: readonly Buffer[]): boolean {
  if (record.isDecoded) return true;
  const bytes = record.encode();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return needles.some((needle) => buffer.indexOf(needle) !== -1);
}

/**
 * Reads a batch into the engine: session activity and exceptions per session, and failed logins,
 * per (service.name, service.version). Records are only read, never changed; those whose bytes
 * mention nothing the rules look for are not even decoded.
 */
export class Observer {
  readonly #route: RegExp;
  readonly #statusCodes: ReadonlySet<number>;
  readonly #spanKinds: ReadonlySet<SpanKind>;
  readonly #logEvents: ReadonlySet<string>;
  readonly #spanNeedles: Buffer[];
  readonly #logNeedles: Buffer[];

  constructor(
    config: AnomalyConfig,
    private readonly engine: AnomalyEngine,
  ) {
    const rules = config.failed_login;
    this.#route = new RegExp(rules.route_pattern, 'i');
    this.#statusCodes = new Set(rules.status_codes);
    this.#spanKinds = new Set(rules.span_kinds.map((kind) => KINDS[kind]));
    this.#logEvents = new Set(rules.log_events);
    const needles = (...keys: string[]) => keys.map((key) => Buffer.from(key, 'utf8'));
    this.#spanNeedles = needles(SESSION_ID, ...(engine.watchesLogins ? [HTTP_ROUTE] : []));
    this.#logNeedles = needles(SESSION_ID, ...(engine.watchesLogins ? rules.log_events : []));
  }

  observe(batch: SignalBatch<SpanRecord | LogRecordView>): void {
    for (const group of batch.resources) {
      let series: Series | undefined | null = null; // null: not looked up yet
      const seriesOf = () => (series === null ? (series = seriesOfResource(this.engine, group.resource)) : series);
      const resourceSession = text(group.resource.attribute(SESSION_ID));
      for (const scope of group.scopes) {
        for (const item of scope.items) {
          try {
            if (batch.signal === 'traces') this.#span(item as SpanRecord, resourceSession, seriesOf);
            else this.#log(item as LogRecordView, resourceSession, seriesOf);
          } catch {
            // An undecodable record is someone else's to report; it only goes unobserved here.
          }
        }
      }
    }
  }

  #span(span: SpanRecord, resourceSession: string | undefined, seriesOf: () => Series | undefined): void {
    if (resourceSession === undefined && !mentionsAny(span, this.#spanNeedles)) return;
    const sessionId = text(span.attribute(SESSION_ID)) ?? resourceSession;
    if (sessionId !== undefined) {
      const series = seriesOf();
      // Backends record exceptions as span events (recordException); they count for the session too.
      if (series) this.engine.session(series, sessionId, span.data.events.some((event) => event.name === EXCEPTION));
    }
    if (this.engine.watchesLogins && this.#isFailedLoginSpan(span)) {
      const series = seriesOf();
      if (series) this.engine.failedLogin(series);
    }
  }

  #isFailedLoginSpan(span: SpanRecord): boolean {
    if (!this.#spanKinds.has(span.kind)) return false;
    const route = text(span.attribute(HTTP_ROUTE));
    if (route === undefined || !this.#route.test(route)) return false;
    // `http.status_code` is the name before the stable HTTP semantic conventions.
    const status = statusCode(span.attribute('http.response.status_code') ?? span.attribute('http.status_code'));
    return status !== undefined && this.#statusCodes.has(status);
  }

  #log(record: LogRecordView, resourceSession: string | undefined, seriesOf: () => Series | undefined): void {
    if (resourceSession === undefined && !mentionsAny(record, this.#logNeedles)) return;
    const name = record.eventName || text(record.attribute('event.name')) || '';
    const sessionId = text(record.attribute(SESSION_ID)) ?? resourceSession;
    if (sessionId !== undefined) {
      const series = seriesOf();
      if (series) this.engine.session(series, sessionId, name === EXCEPTION);
    }
    if (this.engine.watchesLogins && this.#logEvents.has(name)) {
      const series = seriesOf();
      if (series) this.engine.failedLogin(series);
    }
  }
}

function seriesOfResource(engine: AnomalyEngine, resource: ResourceRecord): Series | undefined {
  return engine.series(text(resource.attribute('service.name')) ?? 'unknown_service', text(resource.attribute('service.version')) ?? 'unknown');
}
