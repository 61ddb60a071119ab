import type { AnyValue, KeyValue } from '@stitch/collector-api';
import type { OtlpLimitsConfig } from './limits-config.js';

/** What a truncation changed: attributes dropped over the count limit, values cut to the length limit. */
export interface TruncationTally {
  droppedAttributes: number;
  truncatedValues: number;
}

export const emptyTally = (): TruncationTally => ({ droppedAttributes: 0, truncatedValues: 0 });

/** The first `limit` characters (code points, so a surrogate pair is never split). */
function firstCharacters(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let units = 0;
  for (let characters = 0; characters < limit && units < text.length; characters++) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, units);
}

/**
 * Cuts string values to `max_attribute_value_length` characters and bytes values to as many
 * bytes. The OpenTelemetry attribute-limits rule names strings and arrays of strings; nested
 * kvlist values are cut too, so no path around the limit is left. With `apply` false it only counts.
 */
function truncateValue(value: AnyValue | null | undefined, limits: OtlpLimitsConfig, tally: TruncationTally, apply: boolean): void {
  if (!value) return;
  const limit = limits.max_attribute_value_length;
  if (typeof value.stringValue === 'string' && value.stringValue.length > limit) {
    const cut = firstCharacters(value.stringValue, limit);
    if (cut.length < value.stringValue.length) {
      tally.truncatedValues++;
      if (apply) value.stringValue = cut;
    }
  } else if (value.bytesValue && value.bytesValue.length > limit) {
    tally.truncatedValues++;
    if (apply) value.bytesValue = value.bytesValue.subarray(0, limit);
  } else if (value.arrayValue?.values) {
    for (const element of value.arrayValue.values) truncateValue(element, limits, tally, apply);
  } else if (value.kvlistValue?.values) {
    for (const entry of value.kvlistValue.values) truncateValue(entry.value, limits, tally, apply);
  }
}

/**
 * Applies the OpenTelemetry attribute limits to one attribute list: entries past
 * `max_attributes` are dropped (the first ones kept, as an SDK keeps the first set), long values
 * cut. Returns the list to keep and how many were dropped.
 */
export function truncateAttributes(
  attributes: KeyValue[] | undefined,
  limits: OtlpLimitsConfig,
  tally: TruncationTally,
  apply = true,
): { attributes: KeyValue[]; dropped: number } {
  const list = attributes ?? [];
  const dropped = Math.max(0, list.length - limits.max_attributes);
  const kept = dropped > 0 ? list.slice(0, limits.max_attributes) : list;
  tally.droppedAttributes += dropped;
  for (const entry of kept) truncateValue(entry.value, limits, tally, apply);
  return { attributes: kept, dropped };
}

/** Something holding attributes and the OTLP count of those dropped: a span, event, link, log record, resource, scope. */
interface Attributed {
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

/** Truncates `holder` in place and adds what it dropped to its dropped_attributes_count. */
export function truncateAttributed(holder: Attributed, limits: OtlpLimitsConfig, tally: TruncationTally): void {
  const { attributes, dropped } = truncateAttributes(holder.attributes, limits, tally);
  if (dropped === 0) return;
  holder.attributes = attributes;
  holder.droppedAttributesCount = (holder.droppedAttributesCount ?? 0) + dropped;
}
