import type { KeyValue, LogRecordView, ResourceRecord, Span, SpanRecord } from '@stitch/collector-api';
import type { Redactor } from './redactor.js';
import { Tally } from './tally.js';

export const SUMMARY_COUNT = 'stitch.redaction.count';
export const SUMMARY_KEYS = 'stitch.redaction.keys';

/**
 * Each function reads one record, works out its redacted fields, and writes them back only when
 * something changed (an untouched record keeps its bytes). Returns the record's tally, or
 * undefined when nothing was redacted.
 */

export function redactSpan(span: SpanRecord, redactor: Redactor, summary: boolean): Tally | undefined {
  const data = span.data;
  const tally = new Tally();
  const name = redactor.text(data.name ?? '', 'name', tally);
  const attributes = redactor.attributes(data.attributes ?? [], tally);
  let events: Span['events'] | undefined;
  (data.events ?? []).forEach((event, i) => {
    // Exception messages and stack traces arrive as `exception.*` attributes of span events.
    const eventName = redactor.text(event.name ?? '', 'event.name', tally);
    const eventAttributes = redactor.attributes(event.attributes ?? [], tally);
    if (eventName === event.name && eventAttributes === event.attributes) return;
    (events ??= [...data.events])[i] = { ...event, name: eventName, attributes: [...eventAttributes] };
  });
  let links: Span['links'] | undefined;
  (data.links ?? []).forEach((link, i) => {
    const linkAttributes = redactor.attributes(link.attributes ?? [], tally);
    if (linkAttributes !== link.attributes) (links ??= [...data.links])[i] = { ...link, attributes: [...linkAttributes] };
  });
  const statusMessage = data.status?.message ? redactor.text(data.status.message, 'status.message', tally) : undefined;
  if (tally.count === 0) return undefined;
  span.update((d) => {
    d.name = name;
    d.attributes = withSummary(attributes, tally, summary);
    if (events) d.events = events;
    if (links) d.links = links;
    if (statusMessage !== undefined && statusMessage !== d.status?.message) d.status = { ...d.status, message: statusMessage };
  });
  return tally;
}

export function redactLog(log: LogRecordView, redactor: Redactor, summary: boolean): Tally | undefined {
  const data = log.data;
  const tally = new Tally();
  // String and structured bodies alike; an exception logged as a record has `exception.*` attributes.
  const body = data.body ? redactor.value(data.body, 'body', tally) : data.body;
  const attributes = redactor.attributes(data.attributes ?? [], tally);
  if (tally.count === 0) return undefined;
  log.update((d) => {
    d.body = body;
    d.attributes = withSummary(attributes, tally, summary);
  });
  return tally;
}

export function redactResource(resource: ResourceRecord, redactor: Redactor, summary: boolean): Tally | undefined {
  const tally = new Tally();
  const attributes = redactor.attributes(resource.data.attributes ?? [], tally);
  if (tally.count === 0) return undefined;
  resource.update((d) => {
    d.attributes = withSummary(attributes, tally, summary);
  });
  return tally;
}

/** The redacted list plus, with `summary`, how many things were redacted and under which keys. */
function withSummary(attributes: readonly KeyValue[], tally: Tally, summary: boolean): KeyValue[] {
  if (!summary) return [...attributes];
  return [
    ...attributes.filter((kv) => kv.key !== SUMMARY_COUNT && kv.key !== SUMMARY_KEYS),
    { key: SUMMARY_COUNT, value: { intValue: tally.count } },
    { key: SUMMARY_KEYS, value: { arrayValue: { values: [...tally.keys].map((key) => ({ stringValue: key })) } } },
  ];
}
