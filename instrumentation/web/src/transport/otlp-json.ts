import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** OTLP/JSON (proto3 JSON with hex ids, int64 as strings, enums as ints), written by hand to stay small. */
type Json = Record<string, unknown>;

const nanos = (t: HrTime): string => String(BigInt(t[0]) * 1000000000n + BigInt(t[1]));

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function anyValue(v: unknown): Json {
  switch (typeof v) {
    case 'string': return { stringValue: v };
    case 'boolean': return { boolValue: v };
    case 'number': return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
    case 'bigint': return { intValue: String(v) };
    case 'object':
      if (v === null) return {};
      if (v instanceof Uint8Array) return { bytesValue: base64(v) };
      if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
      return { kvlistValue: { values: keyValues(v as Record<string, unknown>) } };
    default: return {};
  }
}

export function keyValues(attrs: Attributes | Record<string, unknown> | undefined): Json[] {
  const out: Json[] = [];
  if (attrs) for (const key in attrs) {
    const value = attrs[key];
    if (value !== undefined) out.push({ key, value: anyValue(value) });
  }
  return out;
}

interface Scoped { resource: { attributes: Attributes }; instrumentationScope: { name: string; version?: string; schemaUrl?: string } }

/** Groups items by resource then scope (object identity first, then scope name@version). */
function group<T extends Scoped>(items: T[], resourcesKey: string, scopesKey: string, itemsKey: string, encode: (item: T) => Json): Json {
  const resources = new Map<object, Map<string, { scope: T['instrumentationScope']; items: Json[] }>>();
  for (const item of items) {
    let scopes = resources.get(item.resource);
    if (!scopes) resources.set(item.resource, (scopes = new Map()));
    const s = item.instrumentationScope;
    const key = `${s.name}@${s.version ?? ''}`;
    let entry = scopes.get(key);
    if (!entry) scopes.set(key, (entry = { scope: s, items: [] }));
    entry.items.push(encode(item));
  }
  const out: Json[] = [];
  for (const [resource, scopes] of resources) {
    out.push({
      resource: { attributes: keyValues((resource as Scoped['resource']).attributes) },
      [scopesKey]: [...scopes.values()].map(({ scope, items: encoded }) => ({
        scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
        [itemsKey]: encoded,
        ...(scope.schemaUrl ? { schemaUrl: scope.schemaUrl } : {}),
      })),
    });
  }
  return { [resourcesKey]: out };
}

const ids = (sc: SpanContext | undefined): Json => (sc ? { traceId: sc.traceId, spanId: sc.spanId } : {});

function encodeSpan(span: ReadableSpan): Json {
  const sc = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    ...ids(sc),
    ...(sc.traceState ? { traceState: sc.traceState.serialize() } : {}),
    ...(parent?.spanId ? { parentSpanId: parent.spanId } : {}),
    flags: sc.traceFlags | (parent ? 0x100 | (parent.isRemote ? 0x200 : 0) : 0x100),
    name: span.name,
    kind: span.kind + 1, // api INTERNAL=0 … ; OTLP UNSPECIFIED=0, INTERNAL=1 …
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: keyValues(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({
      ...ids(l.context),
      ...(l.context.traceState ? { traceState: l.context.traceState.serialize() } : {}),
      attributes: keyValues(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, ...(span.status.message ? { message: span.status.message } : {}) },
  };
}

function encodeLog(log: ReadableLogRecord): Json {
  return {
    timeUnixNano: nanos(log.hrTime),
    observedTimeUnixNano: nanos(log.hrTimeObserved),
    ...(log.severityNumber !== undefined ? { severityNumber: log.severityNumber } : {}),
    ...(log.severityText ? { severityText: log.severityText } : {}),
    ...(log.body !== undefined ? { body: anyValue(log.body) } : {}),
    ...(log.eventName ? { eventName: log.eventName } : {}),
    attributes: keyValues(log.attributes),
    droppedAttributesCount: log.droppedAttributesCount,
    ...(log.spanContext ? { ...ids(log.spanContext), flags: log.spanContext.traceFlags } : {}),
  };
}

/** ExportTraceServiceRequest as a JSON object. */
export const encodeSpans = (spans: ReadableSpan[]): Json => group(spans, 'resourceSpans', 'scopeSpans', 'spans', encodeSpan);

/** ExportLogsServiceRequest as a JSON object. */
export const encodeLogs = (logs: ReadableLogRecord[]): Json => group(logs, 'resourceLogs', 'scopeLogs', 'logRecords', encodeLog);
