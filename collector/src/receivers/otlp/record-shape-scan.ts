import type { OtlpLimitsConfig } from './limits-config.js';

/**
 * Where attribute lists, values and data points sit in one OTLP message type, by field number
 * (opentelemetry-proto). Only what the limits need is listed; other fields are skipped.
 */
export interface MessageShape {
  /** The repeated KeyValue field holding this message's attributes (0: none). */
  readonly attributes: number;
  /** An AnyValue field outside any attribute list, a log record's body (0: none). */
  readonly body: number;
  /** The repeated field whose entries are metric data points (0: none). */
  readonly points: number;
  /** Nested messages to walk, indexed by field number (OTLP's are all below 16). */
  readonly children: readonly (MessageShape | undefined)[];
  /**
   * The wire type each field of the schema must arrive with, by field number. protobufjs reads a
   * known field by its schema type whatever the tag says, so a wrong wire type would make it
   * misread the rest: such a record is malformed here, before it reaches an exporter.
   */
  readonly wireTypes: readonly (number | undefined)[];
}

// Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
const V = 0;
const F64 = 1;
const LEN = 2;
const F32 = 5;

function shape(
  fields: { attributes?: number; body?: number; points?: number; wireTypes?: Record<number, number> },
  children: [number, MessageShape][] = [],
): MessageShape {
  const byField: (MessageShape | undefined)[] = [];
  for (const [field, child] of children) byField[field] = child;
  const wireTypes: (number | undefined)[] = [];
  for (const [field, wireType] of Object.entries(fields.wireTypes ?? {})) wireTypes[Number(field)] = wireType;
  return { attributes: fields.attributes ?? 0, body: fields.body ?? 0, points: fields.points ?? 0, children: byField, wireTypes };
}

// Field numbers and types from opentelemetry-proto (trace.proto, logs.proto, common.proto, resource.proto, metrics.proto).
const EXEMPLAR = shape({ attributes: 7 });
const NUMBER_POINT = shape({ attributes: 7 }, [[5, EXEMPLAR]]);
const HISTOGRAM_POINT = shape({ attributes: 9 }, [[8, EXEMPLAR]]);
const EXPONENTIAL_POINT = shape({ attributes: 1 }, [[11, EXEMPLAR]]);
const SUMMARY_POINT = shape({ attributes: 7 });
const points = (point: MessageShape) => shape({ points: 1 }, [[1, point]]);

export const SHAPES = {
  resource: shape({ attributes: 1, wireTypes: { 1: LEN, 2: V, 3: LEN } }),
  scope: shape({ attributes: 3, wireTypes: { 1: LEN, 2: LEN, 3: LEN, 4: V } }),
  span: shape(
    {
      attributes: 9,
      wireTypes: { 1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: LEN, 6: V, 7: F64, 8: F64, 9: LEN, 10: V, 11: LEN, 12: V, 13: LEN, 14: V, 15: LEN, 16: F32 },
    },
    [
      [11, shape({ attributes: 3, wireTypes: { 1: F64, 2: LEN, 3: LEN, 4: V } })], // events
      [13, shape({ attributes: 4, wireTypes: { 1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: V, 6: F32 } })], // links
      [15, shape({ wireTypes: { 2: LEN, 3: V } })], // status
    ],
  ),
  logRecord: shape({ attributes: 6, body: 5, wireTypes: { 1: F64, 2: V, 3: LEN, 5: LEN, 6: LEN, 7: V, 8: F32, 9: LEN, 10: LEN, 11: F64, 12: LEN } }),
  metric: shape({ attributes: 12, wireTypes: { 1: LEN, 2: LEN, 3: LEN, 5: LEN, 7: LEN, 9: LEN, 10: LEN, 11: LEN, 12: LEN } }, [
    [5, points(NUMBER_POINT)], // gauge
    [7, points(NUMBER_POINT)], // sum
    [9, points(HISTOGRAM_POINT)],
    [10, points(EXPONENTIAL_POINT)],
    [11, points(SUMMARY_POINT)],
  ]),
} as const;

/** What one scan found. Over-count and over-length can be truncated; the rest cannot. */
export interface ShapeFindings {
  /** Why the bytes are not protobuf of the expected shape, when they are not. */
  malformed: string | undefined;
  tooDeep: boolean;
  arrayTooLong: boolean;
  /** Some attribute list has more entries than `max_attributes`. */
  tooManyAttributes: boolean;
  /** Some attribute string/bytes value has more UTF-8 bytes than `max_attribute_value_length` (so maybe more characters). */
  valueMaybeTooLong: boolean;
  /** Metric data points seen. */
  points: number;
}

// AnyValue fields (common.proto): string 1, array 5, kvlist 6, bytes 7; ArrayValue/KeyValueList
// hold their entries in field 1; KeyValue's value is field 2.
const ANY_STRING = 1;
const ANY_ARRAY = 5;
const ANY_KVLIST = 6;
const ANY_BYTES = 7;
const LIST_ENTRIES = 1;
const KEY_VALUE_VALUE = 2;
const LENGTH_DELIMITED = 2;
/** AnyValue: string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7. */
const ANY_VALUE_WIRE_TYPES: readonly (number | undefined)[] = [undefined, LEN, V, V, F64, LEN, LEN, LEN];

class Malformed extends Error {}

// The scan is synchronous and never re-entered, so its cursor and limits live at module level:
// plain variables keep this loop (run once per received record) as cheap as the decoder's own.
let bytes: Uint8Array = new Uint8Array(0);
let pos = 0;
let found: ShapeFindings;
let maxAttributes = 0;
let maxValueLength = 0;
let maxArrayLength = 0;
let maxDepth = 0;

function varint(end: number): number {
  if (pos >= end) throw new Malformed('truncated varint');
  const first = bytes[pos++]!;
  if (first < 0x80) return first;
  let value = first & 0x7f;
  let scale = 128;
  for (let i = 1; i < 10; i++) {
    if (pos >= end) throw new Malformed('truncated varint');
    const byte = bytes[pos++]!;
    // Only tags and lengths are read as numbers; past 2^53 they are nonsense anyway.
    if (scale < 2 ** 53) value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return value;
  }
  throw new Malformed('varint longer than 10 bytes');
}

/** Reads a length prefix; returns the field's end and leaves `pos` at its start. */
function lengthEnd(end: number): number {
  const length = pos < end && bytes[pos]! < 0x80 ? bytes[pos++]! : varint(end);
  const fieldEnd = pos + length;
  if (fieldEnd > end) throw new Malformed(`field length ${length} runs past the end of its message`);
  return fieldEnd;
}

function skip(wireType: number, end: number): void {
  switch (wireType) {
    case 0:
      varint(end);
      return;
    case 1:
      pos += 8;
      break;
    case 2:
      pos = lengthEnd(end);
      return;
    case 5:
      pos += 4;
      break;
    default:
      throw new Malformed(`invalid wire type ${wireType}`);
  }
  if (pos > end) throw new Malformed('a fixed-size field runs past the end of its message');
}

function tag(end: number): number {
  // Nearly every OTLP tag is one byte (field numbers below 16).
  if (pos < end) {
    const first = bytes[pos]!;
    if (first < 0x80 && first >= 8) {
      pos++;
      return first;
    }
  }
  const value = varint(end);
  if (value < 8 || value > 0xffffffff) throw new Malformed(`invalid field tag ${value}`);
  return value;
}

function message(end: number, messageShape: MessageShape): void {
  let attributes = 0;
  while (pos < end) {
    const fieldTag = tag(end);
    const field = fieldTag > 0x7fffffff ? -1 : fieldTag >>> 3;
    const wireType = fieldTag & 7;
    const child = field < messageShape.children.length ? messageShape.children[field] : undefined;
    const expected = field < messageShape.wireTypes.length ? messageShape.wireTypes[field] : undefined;
    if (expected !== undefined && expected !== wireType) throw new Malformed(`field ${field} has wire type ${wireType}, expected ${expected}`);
    if (field !== messageShape.attributes && field !== messageShape.body && child === undefined) {
      skip(wireType, end);
      continue;
    }
    if (wireType !== LENGTH_DELIMITED) throw new Malformed(`field ${field} has wire type ${wireType}, expected a length-delimited message`);
    const fieldEnd = lengthEnd(end);
    if (field === messageShape.attributes) {
      attributes++;
      keyValue(fieldEnd, 0, true);
    } else if (field === messageShape.body) {
      anyValue(fieldEnd, 0, false);
    } else {
      if (field === messageShape.points) found.points++;
      message(fieldEnd, child!);
    }
    pos = fieldEnd;
  }
  if (attributes > maxAttributes) found.tooManyAttributes = true;
}

function keyValue(end: number, depth: number, attribute: boolean): void {
  while (pos < end) {
    const fieldTag = tag(end);
    const field = fieldTag >>> 3;
    if (field <= KEY_VALUE_VALUE && (fieldTag & 7) !== LENGTH_DELIMITED) throw new Malformed(`a KeyValue field ${field} has wire type ${fieldTag & 7}, expected 2`);
    if (field !== KEY_VALUE_VALUE) {
      skip(fieldTag & 7, end);
      continue;
    }
    const valueEnd = lengthEnd(end);
    anyValue(valueEnd, depth, attribute);
    pos = valueEnd;
  }
}

/** `attribute`: the value belongs to an attribute (length-limited), not to a log body. */
function anyValue(end: number, depth: number, attribute: boolean): void {
  while (pos < end) {
    const fieldTag = tag(end);
    const field = fieldTag >>> 3;
    const expected = field < ANY_VALUE_WIRE_TYPES.length ? ANY_VALUE_WIRE_TYPES[field] : undefined;
    if (expected !== undefined && expected !== (fieldTag & 7)) throw new Malformed(`an AnyValue field ${field} has wire type ${fieldTag & 7}, expected ${expected}`);
    if (expected !== LENGTH_DELIMITED) {
      skip(fieldTag & 7, end);
      continue;
    }
    const valueEnd = lengthEnd(end);
    if (field === ANY_STRING || field === ANY_BYTES) {
      if (attribute && valueEnd - pos > maxValueLength) found.valueMaybeTooLong = true;
    } else if (depth + 1 > maxDepth) {
      found.tooDeep = true;
    } else {
      list(valueEnd, depth + 1, attribute, field === ANY_KVLIST);
    }
    pos = valueEnd;
  }
}

function list(end: number, depth: number, attribute: boolean, keyValues: boolean): void {
  let entries = 0;
  while (pos < end) {
    const fieldTag = tag(end);
    if (fieldTag >>> 3 !== LIST_ENTRIES) {
      skip(fieldTag & 7, end);
      continue;
    }
    if ((fieldTag & 7) !== LENGTH_DELIMITED) throw new Malformed(`an array or kvlist entry has wire type ${fieldTag & 7}, expected 2`);
    const entryEnd = lengthEnd(end);
    entries++;
    if (keyValues) keyValue(entryEnd, depth, attribute);
    else anyValue(entryEnd, depth, attribute);
    pos = entryEnd;
  }
  if (entries > maxArrayLength) found.arrayTooLong = true;
}

/**
 * Walks a record's protobuf bytes without decoding or allocating, to learn whether it is within
 * the receiver's limits. Records within them (nearly all) are then forwarded untouched; only the
 * rare record over a limit is decoded. Recursion stops at `max_value_depth`, so a hostile
 * nesting cannot exhaust the stack here either.
 */
export class RecordShapeScanner {
  readonly #limits: OtlpLimitsConfig;
  // Reused for every scan: read it before the next one.
  readonly #findings: ShapeFindings = { malformed: undefined, tooDeep: false, arrayTooLong: false, tooManyAttributes: false, valueMaybeTooLong: false, points: 0 };

  constructor(limits: OtlpLimitsConfig) {
    this.#limits = limits;
  }

  /** Scans `record`; the findings object returned is reused by the next call. */
  scan(record: Uint8Array, messageShape: MessageShape): ShapeFindings {
    const findings = this.#findings;
    findings.malformed = undefined;
    findings.tooDeep = findings.arrayTooLong = findings.tooManyAttributes = findings.valueMaybeTooLong = false;
    findings.points = 0;
    found = findings;
    bytes = record;
    pos = 0;
    maxAttributes = this.#limits.max_attributes;
    maxValueLength = this.#limits.max_attribute_value_length;
    maxArrayLength = this.#limits.max_array_length;
    maxDepth = this.#limits.max_value_depth;
    try {
      message(record.length, messageShape);
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
      findings.malformed = error.message;
    } finally {
      bytes = EMPTY;
    }
    return findings;
  }
}

const EMPTY = new Uint8Array(0);
