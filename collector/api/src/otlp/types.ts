import type Long from 'long';

/**
 * The OTLP data model as protobufjs decodes it (lowerCamelCase fields, 64-bit integers as `Long`,
 * bytes as `Uint8Array`). On write, 64-bit fields also accept numbers and decimal strings.
 * Processors normally use the record classes in `model/`, which convert to plain JS values.
 */
export type Int64 = Long | number | string;

export interface AnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | null;
  arrayValue?: { values: AnyValue[] } | null;
  kvlistValue?: { values: KeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}

export interface KeyValue {
  key: string;
  value?: AnyValue | null;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  entityRefs?: { schemaUrl?: string; type?: string; idKeys?: string[]; descriptionKeys?: string[] }[];
}

export interface InstrumentationScope {
  name: string;
  version?: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

export enum SpanKind {
  UNSPECIFIED = 0,
  INTERNAL = 1,
  SERVER = 2,
  CLIENT = 3,
  PRODUCER = 4,
  CONSUMER = 5,
}

export enum StatusCode {
  UNSET = 0,
  OK = 1,
  ERROR = 2,
}

export interface SpanEvent {
  timeUnixNano: Int64;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

export interface SpanLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface Span {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  flags?: number;
  name: string;
  kind?: SpanKind;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  events: SpanEvent[];
  droppedEventsCount?: number;
  links: SpanLink[];
  droppedLinksCount?: number;
  status?: { code?: StatusCode; message?: string } | null;
}

export interface LogRecord {
  timeUnixNano?: Int64;
  observedTimeUnixNano?: Int64;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue | null;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}

interface DataPointBase {
  attributes: KeyValue[];
  startTimeUnixNano?: Int64;
  timeUnixNano?: Int64;
  flags?: number;
}

/** Metrics are kept as protobufjs decodes them; only the shape processors commonly read is typed. */
export interface Metric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: DataPointBase[] } | null;
  sum?: { dataPoints: DataPointBase[]; aggregationTemporality?: number; isMonotonic?: boolean } | null;
  histogram?: { dataPoints: DataPointBase[]; aggregationTemporality?: number } | null;
  exponentialHistogram?: { dataPoints: DataPointBase[]; aggregationTemporality?: number } | null;
  summary?: { dataPoints: DataPointBase[] } | null;
  metadata?: KeyValue[];
}
