import type { LogRecordView, MetricRecord, Signal, SpanRecord, TelemetryItem } from '@stitch/collector-api';

const MAX_BODY_CHARS = 200;

/** The few fields a person scanning a terminal wants for one span, log record or metric. */
export function summarizeItem(signal: Signal, item: TelemetryItem): Record<string, unknown> {
  if (signal === 'traces') {
    const span = item as SpanRecord;
    const durationNs = span.endTimeUnixNano - span.startTimeUnixNano;
    return { name: span.name, trace_id: span.traceId, span_id: span.spanId, duration_ms: Number(durationNs) / 1e6 };
  }
  if (signal === 'logs') {
    const log = item as LogRecordView;
    const body = log.body;
    const text = typeof body === 'string' ? body : JSON.stringify(body, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return {
      severity: log.severityText || log.severityNumber,
      body: text && text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text,
      ...(log.eventName ? { event_name: log.eventName } : {}),
      ...(log.traceId ? { trace_id: log.traceId } : {}),
    };
  }
  const metric = item as MetricRecord;
  return { name: metric.name, points: metric.itemCount };
}
