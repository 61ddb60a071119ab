import Long from 'long';
import { OtlpTypes } from '../otlp/schema.js';
import type { InstrumentationScope, LogRecord, Metric, Resource, Span, Int64 } from '../otlp/types.js';
import { SpanKind, StatusCode } from '../otlp/types.js';
import { fromAnyValue, type AttributeValue } from './attributes.js';
import { bytesToHex, checkId, checkIdRange } from './ids.js';
import { scanFieldRanges } from './field-scan.js';
import { AttributedRecord, LazyRecord } from './lazy-record.js';

const EMPTY = new Uint8Array(0);

export function int64ToBigInt(value: Int64 | null | undefined): bigint {
  if (value == null) return 0n;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

export function bigIntToLong(value: bigint): Long {
  return Long.fromString(value.toString(), true);
}

export class ResourceRecord extends AttributedRecord<Resource> {
  static fromBytes(bytes: Uint8Array): ResourceRecord {
    return new ResourceRecord(OtlpTypes.Resource, { bytes });
  }
  static fromValue(value: Resource): ResourceRecord {
    return new ResourceRecord(OtlpTypes.Resource, { value });
  }
  static empty(): ResourceRecord {
    return ResourceRecord.fromBytes(EMPTY);
  }
  clone(): ResourceRecord {
    return ResourceRecord.fromBytes(this.encode());
  }
  get serviceName(): string {
    const name = this.attribute('service.name');
    return typeof name === 'string' ? name : 'unknown_service';
  }
}

export class ScopeRecord extends AttributedRecord<InstrumentationScope> {
  static fromBytes(bytes: Uint8Array): ScopeRecord {
    return new ScopeRecord(OtlpTypes.InstrumentationScope, { bytes });
  }
  static fromValue(value: InstrumentationScope): ScopeRecord {
    return new ScopeRecord(OtlpTypes.InstrumentationScope, { value });
  }
  static empty(): ScopeRecord {
    return ScopeRecord.fromBytes(EMPTY);
  }
  clone(): ScopeRecord {
    return ScopeRecord.fromBytes(this.encode());
  }
  get name(): string {
    return this.data.name ?? '';
  }
  get version(): string {
    return this.data.version ?? '';
  }
}

/**
 * Where a record's id fields sit in its original bytes, read once on arrival without decoding or
 * allocating per field: ids are what the receiver validates and stitching reads for every item.
 */
class IdRanges {
  // Up to three [start, end) pairs as plain number fields: one small object per record.
  readonly #s0: number;
  readonly #e0: number;
  readonly #s1: number;
  readonly #e1: number;
  readonly #s2: number;
  readonly #e2: number;
  constructor(
    readonly source: Uint8Array,
    fields: readonly number[],
  ) {
    scanFieldRanges(source, fields, scratch);
    this.#s0 = scratch[0]!;
    this.#e0 = scratch[1]!;
    this.#s1 = scratch[2]!;
    this.#e1 = scratch[3]!;
    this.#s2 = scratch[4]!;
    this.#e2 = scratch[5]!;
  }
  #start(index: number): number {
    return index === 0 ? this.#s0 : index === 1 ? this.#s1 : this.#s2;
  }
  #end(index: number): number {
    return index === 0 ? this.#e0 : index === 1 ? this.#e1 : this.#e2;
  }
  bytes(index: number): Uint8Array {
    const start = this.#start(index);
    return start < 0 ? EMPTY : this.source.subarray(start, this.#end(index));
  }
  hex(index: number): string {
    const start = this.#start(index);
    if (start < 0) return '';
    const s = this.source;
    return Buffer.from(s.buffer, s.byteOffset + start, this.#end(index) - start).toString('hex');
  }
  check(index: number, field: string, size: 16 | 8, optional: boolean): string | undefined {
    return checkIdRange(field, this.source, this.#start(index), this.#end(index), size, optional);
  }
}
// Scan results land here first (the scan is synchronous, so one buffer serves every record).
const scratch = new Int32Array(6);

const SPAN_ID_FIELDS = [1, 2, 4]; // trace_id, span_id, parent_span_id

/** One span. Ids are read from the bytes without decoding the rest. */
export class SpanRecord extends AttributedRecord<Span> {
  readonly itemCount = 1;
  #ids: IdRanges | undefined;
  #traceIdHex: string | undefined;

  static fromBytes(bytes: Uint8Array): SpanRecord {
    const record = new SpanRecord(OtlpTypes.Span, { bytes });
    record.#ids = new IdRanges(bytes, SPAN_ID_FIELDS);
    return record;
  }
  static fromValue(value: Span): SpanRecord {
    return new SpanRecord(OtlpTypes.Span, { value });
  }
  clone(): SpanRecord {
    return SpanRecord.fromBytes(this.encode());
  }

  /** The original ranges while the decoded value has not taken over. */
  get #raw(): IdRanges | undefined {
    return this.decodedValue ? undefined : this.#ids;
  }
  get traceIdBytes(): Uint8Array {
    return this.#raw?.bytes(0) ?? this.data.traceId ?? EMPTY;
  }
  get spanIdBytes(): Uint8Array {
    return this.#raw?.bytes(1) ?? this.data.spanId ?? EMPTY;
  }
  get parentSpanIdBytes(): Uint8Array {
    return this.#raw?.bytes(2) ?? this.data.parentSpanId ?? EMPTY;
  }
  /** Lowercase hex, as Jaeger and OTLP JSON show it. */
  get traceId(): string {
    const raw = this.#raw;
    if (!raw) return bytesToHex(this.data.traceId);
    return (this.#traceIdHex ??= raw.hex(0));
  }
  get spanId(): string {
    return this.#raw?.hex(1) ?? bytesToHex(this.data.spanId);
  }
  /** Empty for a root span. */
  get parentSpanId(): string {
    return this.#raw?.hex(2) ?? bytesToHex(this.data.parentSpanId);
  }
  get name(): string {
    return this.data.name ?? '';
  }
  get kind(): SpanKind {
    return this.data.kind ?? SpanKind.UNSPECIFIED;
  }
  get startTimeUnixNano(): bigint {
    return int64ToBigInt(this.data.startTimeUnixNano);
  }
  get endTimeUnixNano(): bigint {
    return int64ToBigInt(this.data.endTimeUnixNano);
  }
  get status(): { code: StatusCode; message: string } {
    return { code: this.data.status?.code ?? StatusCode.UNSET, message: this.data.status?.message ?? '' };
  }

  /** Why OTLP forbids this span, or undefined when it is valid. */
  validate(): string | undefined {
    const raw = this.#raw;
    if (raw) {
      return raw.check(0, 'traceId', 16, false) ?? raw.check(1, 'spanId', 8, false) ?? raw.check(2, 'parentSpanId', 8, true);
    }
    return (
      checkId('traceId', this.traceIdBytes, 16, false) ??
      checkId('spanId', this.spanIdBytes, 8, false) ??
      checkId('parentSpanId', this.parentSpanIdBytes, 8, true)
    );
  }
}

const LOG_ID_FIELDS = [9, 10]; // trace_id, span_id

export class LogRecordView extends AttributedRecord<LogRecord> {
  readonly itemCount = 1;
  #ids: IdRanges | undefined;

  static fromBytes(bytes: Uint8Array): LogRecordView {
    const record = new LogRecordView(OtlpTypes.LogRecord, { bytes });
    record.#ids = new IdRanges(bytes, LOG_ID_FIELDS);
    return record;
  }
  static fromValue(value: LogRecord): LogRecordView {
    return new LogRecordView(OtlpTypes.LogRecord, { value });
  }
  clone(): LogRecordView {
    return LogRecordView.fromBytes(this.encode());
  }

  get #raw(): IdRanges | undefined {
    return this.decodedValue ? undefined : this.#ids;
  }
  get traceIdBytes(): Uint8Array {
    return this.#raw?.bytes(0) ?? this.data.traceId ?? EMPTY;
  }
  get spanIdBytes(): Uint8Array {
    return this.#raw?.bytes(1) ?? this.data.spanId ?? EMPTY;
  }
  /** Empty when the record is not tied to a trace. */
  get traceId(): string {
    return this.#raw?.hex(0) ?? bytesToHex(this.data.traceId);
  }
  get spanId(): string {
    return this.#raw?.hex(1) ?? bytesToHex(this.data.spanId);
  }
  get eventName(): string {
    return this.data.eventName ?? '';
  }
  get severityNumber(): number {
    return this.data.severityNumber ?? 0;
  }
  get severityText(): string {
    return this.data.severityText ?? '';
  }
  get body(): AttributeValue {
    return fromAnyValue(this.data.body);
  }
  get timeUnixNano(): bigint {
    return int64ToBigInt(this.data.timeUnixNano);
  }
  get observedTimeUnixNano(): bigint {
    return int64ToBigInt(this.data.observedTimeUnixNano);
  }

  validate(): string | undefined {
    const raw = this.#raw;
    if (raw) return raw.check(0, 'traceId', 16, true) ?? raw.check(1, 'spanId', 8, true);
    return checkId('traceId', this.traceIdBytes, 16, true) ?? checkId('spanId', this.spanIdBytes, 8, true);
  }
}

/** One metric; its item count is its number of data points, as the collector counts them. */
export class MetricRecord extends LazyRecord<Metric> {
  static fromBytes(bytes: Uint8Array): MetricRecord {
    return new MetricRecord(OtlpTypes.Metric, { bytes });
  }
  static fromValue(value: Metric): MetricRecord {
    return new MetricRecord(OtlpTypes.Metric, { value });
  }
  clone(): MetricRecord {
    return MetricRecord.fromBytes(this.encode());
  }
  get name(): string {
    return this.data.name ?? '';
  }
  get itemCount(): number {
    const m = this.data;
    const points = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
    return points?.dataPoints?.length ?? 0;
  }
  validate(): string | undefined {
    return this.data.name ? undefined : 'metric name is missing';
  }
}
