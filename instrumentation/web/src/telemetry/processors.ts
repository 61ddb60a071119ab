import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { Batcher } from '../transport/batcher.js';

/** Sets each of `attrs` the item does not already have (instrumentations' own values win, e.g. a request's url.full). */
function fill(item: { attributes: Attributes; setAttribute(k: string, v: never): unknown }, attrs: Attributes): void {
  for (const k in attrs) if (item.attributes[k] === undefined && attrs[k] !== undefined) item.setAttribute(k, attrs[k] as never);
}

/** Puts session.id, user, global context and the page's scrubbed url.full on every span at start; batches ended spans. */
export class SessionSpanProcessor implements SpanProcessor {
  constructor(private readonly common: () => Attributes, private readonly batcher: Batcher<ReadableSpan>) {}
  onStart(span: Span, _parent: Context): void {
    fill(span, this.common());
  }
  onEnd(span: ReadableSpan): void {
    this.batcher.add(span);
  }
  async forceFlush(): Promise<void> {
    this.batcher.flush();
  }
  async shutdown(): Promise<void> {
    this.batcher.flush();
  }
}

/**
 * The same for log records. `common(sessionId)` returns undefined when the record's session is
 * not sampled (it is dropped); a record may name its session explicitly (session.end of the old one).
 */
export class SessionLogProcessor implements LogRecordProcessor {
  constructor(private readonly common: (explicitSessionId?: string) => Attributes | undefined, private readonly batcher: Batcher<ReadableLogRecord>) {}
  onEmit(record: SdkLogRecord): void {
    const explicit = record.attributes['session.id'];
    const attrs = this.common(typeof explicit === 'string' ? explicit : undefined);
    if (!attrs) return;
    fill(record as unknown as Parameters<typeof fill>[0], attrs);
    this.batcher.add(record as unknown as ReadableLogRecord);
  }
  async forceFlush(): Promise<void> {
    this.batcher.flush();
  }
  async shutdown(): Promise<void> {
    this.batcher.flush();
  }
}
