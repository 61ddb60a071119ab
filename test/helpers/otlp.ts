// Reading what reached the collector: the file exporter writes one OTLP JSON export request per
// line; these helpers flatten them into spans and log records with plain attribute objects.

/** An OTLP JSON AnyValue turned into a plain JS value (int64 strings become numbers). */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
}

export function anyValue(value: JsonAnyValue | undefined): Value {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue !== undefined) return attributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

export function attributes(list: JsonKeyValue[] | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const { key, value } of list ?? []) out[key] = anyValue(value);
  return out;
}

export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: number;
  endTimeUnixNano: number;
  attributes: Record<string, Value>;
  events: { name: string; attributes: Record<string, Value> }[];
  status: { code?: number; message?: string };
  resource: Record<string, Value>;
  scope: string;
  /** Which line of the capture file it came from (0-based), i.e. which export request. */
  line: number;
}

export interface ExportedLog {
  eventName: string;
  severityText: string;
  severityNumber: number;
  body: Value;
  attributes: Record<string, Value>;
  traceId: string;
  spanId: string;
  timeUnixNano: number;
  resource: Record<string, Value>;
  scope: string;
  line: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- OTLP JSON is read loosely on purpose */
export function spansOf(request: any, line: number): ExportedSpan[] {
  const out: ExportedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        out.push({
          traceId: span.traceId ?? '',
          spanId: span.spanId ?? '',
          parentSpanId: span.parentSpanId ?? '',
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: Number(span.startTimeUnixNano ?? 0),
          endTimeUnixNano: Number(span.endTimeUnixNano ?? 0),
          attributes: attributes(span.attributes),
          events: (span.events ?? []).map((e: any) => ({ name: e.name ?? '', attributes: attributes(e.attributes) })),
          status: span.status ?? {},
          resource,
          scope: ss.scope?.name ?? '',
          line,
        });
      }
    }
  }
  return out;
}

export function logsOf(request: any, line: number): ExportedLog[] {
  const out: ExportedLog[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributes(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const record of sl.logRecords ?? []) {
        const attrs = attributes(record.attributes);
        out.push({
          // OTLP 1.5+ has a top-level eventName; older emitters put `event.name` in the attributes.
          eventName: record.eventName || (typeof attrs['event.name'] === 'string' ? attrs['event.name'] : ''),
          severityText: record.severityText ?? '',
          severityNumber: record.severityNumber ?? 0,
          body: anyValue(record.body),
          attributes: attrs,
          traceId: record.traceId ?? '',
          spanId: record.spanId ?? '',
          timeUnixNano: Number(record.timeUnixNano ?? record.observedTimeUnixNano ?? 0),
          resource,
          scope: sl.scope?.name ?? '',
          line,
        });
      }
    }
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** `session.id` of a span or log record (record attribute; resource as a fallback reported separately). */
export function sessionIdOf(record: { attributes: Record<string, Value> }): string | undefined {
  const id = record.attributes['session.id'];
  return typeof id === 'string' ? id : undefined;
}

/** Every string in a record: attributes, events, body, resource: for "this value appears nowhere" checks. */
export function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

/** A short description for assertion messages. */
export function describeRecords(records: (ExportedSpan | ExportedLog)[], max = 40): string {
  const lines = records.slice(0, max).map((r) => {
    const name = 'name' in r ? `span ${r.name}` : `log ${r.eventName || JSON.stringify(r.body).slice(0, 60)}`;
    return `  ${name} ${JSON.stringify(r.attributes).slice(0, 300)}`;
  });
  if (records.length > max) lines.push(`  … ${records.length - max} more`);
  return lines.join('\n') || '  (none)';
}
