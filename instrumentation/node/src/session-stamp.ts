import { diag, metrics, propagation, type Baggage, type Context, type Counter } from '@opentelemetry/api';
import type { ReadWriteLogRecord, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { checkSessionId, SESSION_ID_KEY, type SessionIdVerdict } from './session-id.js';

/** Counts of what the stamper did since start; also exported as an OpenTelemetry counter when a MeterProvider is set. */
export interface SessionStampStats {
  /** Spans that received `session.id` from baggage. */
  stampedSpans: number;
  /** Log records that received `session.id` from baggage. */
  stampedLogs: number;
  /** Requests whose baggage `session.id` was refused, by reason. */
  rejected: Record<'too_long' | 'bad_charset' | 'empty', number>;
}

/**
 * Decides once per baggage object (one per incoming request: baggage is immutable) whether its
 * `session.id` may be trusted, so every span of a request costs one WeakMap lookup and a refused
 * value is counted once per request, not once per child span.
 */
export class SessionStamper {
  readonly stats: SessionStampStats = { stampedSpans: 0, stampedLogs: 0, rejected: { too_long: 0, bad_charset: 0, empty: 0 } };
  readonly #verdicts = new WeakMap<Baggage, string | null>();
  #rejectedCounter: Counter | undefined;
  #warned = false;

  /** The validated session id carried by `ctx`'s baggage, or undefined. */
  sessionIdFor(ctx: Context | undefined): string | undefined {
    if (!ctx) return undefined;
    const baggage = propagation.getBaggage(ctx);
    if (!baggage) return undefined;
    const cached = this.#verdicts.get(baggage);
    if (cached !== undefined) return cached ?? undefined;
    const raw = baggage.getEntry(SESSION_ID_KEY)?.value;
    const verdict: SessionIdVerdict | undefined = raw === undefined ? undefined : checkSessionId(raw);
    const sessionId = verdict?.ok ? verdict.sessionId : null;
    if (verdict && !verdict.ok) this.#reject(verdict.reason);
    this.#verdicts.set(baggage, sessionId);
    return sessionId ?? undefined;
  }

  #reject(reason: keyof SessionStampStats['rejected']): void {
    this.stats.rejected[reason]++;
    this.#rejectedCounter ??= metrics
      .getMeter('@stitch/node')
      .createCounter('stitch.session_id.rejected', { description: 'Incoming baggage session.id values refused (too long or bad characters)' });
    this.#rejectedCounter.add(1, { reason });
    if (!this.#warned) {
      this.#warned = true; // the value itself is never logged: it is untrusted input
      diag.warn(`@stitch/node: ignored an invalid session.id in incoming baggage (${reason}); further ones are only counted`);
    }
  }
}

/** Sets `session.id` from the request's baggage on every span started in its context. */
export class SessionBaggageSpanProcessor implements SpanProcessor {
  constructor(private readonly stamper: SessionStamper) {}

  onStart(span: Span, parentContext: Context): void {
    if (span.attributes[SESSION_ID_KEY] !== undefined) return; // an explicit value wins
    const sessionId = this.stamper.sessionIdFor(parentContext);
    if (sessionId === undefined) return;
    span.setAttribute(SESSION_ID_KEY, sessionId);
    this.stamper.stats.stampedSpans++;
  }

  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Sets `session.id` from the active baggage on every log record emitted while serving a request. */
export class SessionBaggageLogProcessor implements LogRecordProcessor {
  constructor(private readonly stamper: SessionStamper) {}

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    if (logRecord.attributes[SESSION_ID_KEY] !== undefined) return;
    const sessionId = this.stamper.sessionIdFor(context);
    if (sessionId === undefined) return;
    logRecord.setAttribute(SESSION_ID_KEY, sessionId);
    this.stamper.stats.stampedLogs++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
