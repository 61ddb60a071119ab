import { SpanKind, StatusCode, type ResourceRecord, type SpanRecord } from '@stitch/collector-api';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { LabelGuard } from './label-guard.js';

// The OpenTelemetry Collector spanmetrics connector's names, label names and default buckets, as
// its Prometheus exporter writes them: Jaeger's Monitor tab and existing RED dashboards query these.
const CALLS = 'traces_span_metrics_calls_total';
const DURATION_BUCKETS_MS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000];
const LABELS = ['service_name', 'span_name', 'span_kind', 'status_code'] as const;
type SpanLabel = (typeof LABELS)[number];

const KIND: Record<number, string> = {
  [SpanKind.UNSPECIFIED]: 'SPAN_KIND_UNSPECIFIED',
  [SpanKind.INTERNAL]: 'SPAN_KIND_INTERNAL',
  [SpanKind.SERVER]: 'SPAN_KIND_SERVER',
  [SpanKind.CLIENT]: 'SPAN_KIND_CLIENT',
  [SpanKind.PRODUCER]: 'SPAN_KIND_PRODUCER',
  [SpanKind.CONSUMER]: 'SPAN_KIND_CONSUMER',
};
const STATUS: Record<number, string> = {
  [StatusCode.UNSET]: 'STATUS_CODE_UNSET',
  [StatusCode.OK]: 'STATUS_CODE_OK',
  [StatusCode.ERROR]: 'STATUS_CODE_ERROR',
};

/** Request, error and duration metrics per service, span name, kind and status. */
export class SpanMetrics {
  readonly #guard: LabelGuard;
  readonly #calls: Counter<SpanLabel>;
  readonly #duration: Histogram<SpanLabel>;
  /** Nanoseconds per unit of the duration histogram. */
  readonly #nsPerUnit: number;

  constructor(registry: Registry, guard: LabelGuard, unit: 'ms' | 's') {
    this.#guard = guard;
    this.#nsPerUnit = unit === 'ms' ? 1e6 : 1e9;
    const durationName = `traces_span_metrics_duration_${unit === 'ms' ? 'milliseconds' : 'seconds'}`;
    const labelNames = [...LABELS];
    this.#calls = new Counter({ name: CALLS, help: 'Spans seen, by service, span name, kind and status (spanmetrics connector shape)', labelNames, registers: [registry] });
    this.#duration = new Histogram({
      name: durationName,
      help: `Span duration in ${unit === 'ms' ? 'milliseconds' : 'seconds'} (spanmetrics connector shape and default buckets)`,
      labelNames,
      buckets: unit === 'ms' ? DURATION_BUCKETS_MS : DURATION_BUCKETS_MS.map((b) => b / 1000),
      registers: [registry],
    });
  }

  span(span: SpanRecord, resource: ResourceRecord): void {
    const raw: Record<SpanLabel, string> = {
      service_name: resource.serviceName,
      span_name: span.name,
      span_kind: KIND[span.kind] ?? KIND[SpanKind.UNSPECIFIED]!,
      status_code: STATUS[span.status.code] ?? STATUS[StatusCode.UNSET]!,
    };
    const start = span.startTimeUnixNano;
    const end = span.endTimeUnixNano;
    const duration = end > start ? Number(end - start) / this.#nsPerUnit : 0;
    // One admission for both: calls and duration always share their series.
    const labels = this.#guard.admit(CALLS, raw, this.#calls, this.#duration);
    this.#calls.inc(labels);
    this.#duration.observe(labels, duration);
  }
}
