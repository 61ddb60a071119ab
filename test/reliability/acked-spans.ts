// The official OpenTelemetry exporter, one export call per span, remembering which spans the
// collector acknowledged (the export succeeded: HTTP 200, possibly after the exporter's own retries).
import { ROOT_CONTEXT, trace, TraceFlags, type Tracer } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';

export interface SentSpan {
  spanId: string;
  traceId: string;
  sessionId: string | undefined;
  /** Why the export failed, when it did. */
  error?: string;
  /** When the export call was made and how long its outcome took, in ms. */
  sentAt: number;
  latencyMs?: number;
}

export class AckedSpanSource {
  readonly acked: SentSpan[] = [];
  readonly failed: SentSpan[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #tracer: Tracer;
  readonly #provider: BasicTracerProvider;

  constructor(otlpUrl: string) {
    const exporter = new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces`, timeoutMillis: 5_000, concurrencyLimit: 100_000 });
    const pending = this.#pending;
    const acked = this.acked;
    const failed = this.failed;
    const perSpan: SpanProcessor = {
      onStart() {},
      onEnd(span: ReadableSpan) {
        const sent: SentSpan = {
          spanId: span.spanContext().spanId,
          traceId: span.spanContext().traceId,
          sessionId: span.attributes['session.id'] as string | undefined,
          sentAt: Date.now(),
        };
        const done = new Promise<void>((resolve) =>
          exporter.export([span], (result) => {
            sent.latencyMs = Date.now() - sent.sentAt;
            if (result.code === ExportResultCode.SUCCESS) acked.push(sent);
            else failed.push({ ...sent, error: result.error?.message });
            resolve();
          }),
        );
        pending.add(done);
        void done.then(() => pending.delete(done));
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => exporter.shutdown(),
    };
    this.#provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'reliability' }), spanProcessors: [perSpan] });
    this.#tracer = this.#provider.getTracer('reliability-test');
  }

  /** A browser-like root span naming its session: stored by the session store. */
  sessionSpan(name: string, sessionId: string): void {
    this.#tracer.startSpan(name, { attributes: { 'session.id': sessionId, seq: name } }).end();
  }

  /** A backend span whose (remote) parent is unknown to the collector: session_stitch holds it for `wait`. */
  unnamedChildSpan(name: string, traceId = randomBytes(16).toString('hex')): void {
    const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    this.#tracer.startSpan(name, { attributes: { seq: name } }, parent).end();
  }

  /** Waits for every export call's outcome. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async shutdown(): Promise<void> {
    await this.settle();
    await this.#provider.shutdown();
  }
}
