import type { Signal, SignalItems } from '../model/batch.js';
import { LogRecordView, MetricRecord, SpanRecord } from '../model/records.js';
import { OtlpTypes, type ProtoType } from './schema.js';

/** What differs between traces, logs and metrics on the wire; field numbers are the same for all. */
export interface SignalCodec<S extends Signal = Signal> {
  signal: S;
  /** Human name of the items, for messages: "spans", "log records", "data points". */
  itemNoun: string;
  requestType: ProtoType;
  responseType: ProtoType;
  /** The message type of one item: Span, LogRecord or Metric. */
  itemType: ProtoType;
  /** lowerCamelCase JSON names: resourceSpans / scopeSpans / spans / rejectedSpans. */
  json: { resources: string; scopes: string; items: string; rejected: string };
  fromBytes(bytes: Uint8Array): SignalItems[S];
  fromValue(value: object): SignalItems[S];
}

export const SIGNAL_CODECS: { [S in Signal]: SignalCodec<S> } = {
  traces: {
    signal: 'traces',
    itemNoun: 'spans',
    requestType: OtlpTypes.ExportTraceServiceRequest,
    responseType: OtlpTypes.ExportTraceServiceResponse,
    itemType: OtlpTypes.Span,
    json: { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans', rejected: 'rejectedSpans' },
    fromBytes: SpanRecord.fromBytes,
    fromValue: (value) => SpanRecord.fromValue(value as never),
  },
  logs: {
    signal: 'logs',
    itemNoun: 'log records',
    requestType: OtlpTypes.ExportLogsServiceRequest,
    responseType: OtlpTypes.ExportLogsServiceResponse,
    itemType: OtlpTypes.LogRecord,
    json: { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords', rejected: 'rejectedLogRecords' },
    fromBytes: LogRecordView.fromBytes,
    fromValue: (value) => LogRecordView.fromValue(value as never),
  },
  metrics: {
    signal: 'metrics',
    itemNoun: 'data points',
    requestType: OtlpTypes.ExportMetricsServiceRequest,
    responseType: OtlpTypes.ExportMetricsServiceResponse,
    itemType: OtlpTypes.Metric,
    json: { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics', rejected: 'rejectedDataPoints' },
    fromBytes: MetricRecord.fromBytes,
    fromValue: (value) => MetricRecord.fromValue(value as never),
  },
};
