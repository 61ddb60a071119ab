import Long from 'long';
import { OtlpTypes } from '../otlp/schema.js';
import type { InstrumentationScope, LogRecord, Metric, Resource, Span, Int64 } from '../otlp/types.js';
import { SpanKind, StatusCode } from '../otlp/types.js';
import { fromAnyValue, type AttributeValue } from './attributes.js';
import { bytesToHex, checkId } from './ids.js';
import { AttributedRecord, LazyRecord, scanFields } from './lazy-record.js';

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

// Tags (field << 3 | wire type 2) of the id fields read without decoding.
const SPAN_ID_TAGS = new Map([
  [(1 << 3) | 2, 0],
  [(2 << 3) | 2, 1],
  [(4 << 3) | 2, 2],
]);

/** One span. Ids are read from the bytes without decoding the rest. */
export class SpanRecord extends AttributedRecord<Span> {
  readonly itemCount = 1;
  #ids: Uint8Array[] = [EMPTY, EMPTY, EMPTY];
  #traceIdHex: string | undefined;

  static fromBytes(bytes: Uint8Array): SpanRecord {
    const record = new SpanRecord(OtlpTypes.Span, { bytes });
    scanFields(bytes, SPAN_ID_TAGS, record.#ids);
    return record;
  }
  static fromValue(value: Span): SpanRecord {
    return new SpanRecord(OtlpTypes.Span, { value });
  }
  clone(): SpanRecord {
    return SpanRecord.fromBytes(this.encode());
  }

  get traceIdBytes(): Uint8Array {
    return this.decodedValue?.traceId ?? this.#ids[0]!;
  }
  get spanIdBytes(): Uint8Array {
    return this.decodedValue?.spanId ?? this.#ids[1]!;
  }
  get parentSpanIdBytes(): Uint8Array {
    return this.decodedValue ? (this.decodedValue.parentSpanId ?? EMPTY) : this.#ids[2]!;
  }
  /** Lowercase hex, as Jaeger and OTLP JSON show it. */
  get traceId(): string {
    if (this.decodedValue) return bytesToHex(this.decodedValue.traceId);
    return (this.#traceIdHex ??= bytesToHex(this.#ids[0]));
  }
  get spanId(): string {
    return bytesToHex(this.spanIdBytes);
  }
  /** Empty for a root span. */
  get parentSpanId(): string {
    return bytesToHex(this.parentSpanIdBytes);
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
    return (
      checkId('traceId', this.traceIdBytes, 16, false) ??
      checkId('spanId', this.spanIdBytes, 8, false) ??
      checkId('parentSpanId', this.parentSpanIdBytes, 8, true)
    );
  }
}

const LOG_ID_TAGS = new Map([
  [(9 << 3) | 2, 0],
  [(10 << 3) | 2, 1],
]);

export class LogRecordView extends AttributedRecord<LogRecord> {
  readonly itemCount = 1;
  #ids: Uint8Array[] = [EMPTY, EMPTY];

  static fromBytes(bytes: Uint8Array): LogRecordView {
    const record = new LogRecordView(OtlpTypes.LogRecord, { bytes });
    scanFields(bytes, LOG_ID_TAGS, record.#ids);
    return record;
  }
  static fromValue(value: LogRecord): LogRecordView {
    return new LogRecordView(OtlpTypes.LogRecord, { value });
  }
  clone(): LogRecordView {
    return LogRecordView.fromBytes(this.encode());
  }

  get traceIdBytes(): Uint8Array {
    return this.decodedValue ? (this.decodedValue.traceId ?? EMPTY) : this.#ids[0]!;
  }
  get spanIdBytes(): Uint8Array {
    return this.decodedValue ? (this.decodedValue.spanId ?? EMPTY) : this.#ids[1]!;
  }
  /** Empty when the record is not tied to a trace. */
  get traceId(): string {
    return bytesToHex(this.traceIdBytes);
  }
  get spanId(): string {
    return bytesToHex(this.spanIdBytes);
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
