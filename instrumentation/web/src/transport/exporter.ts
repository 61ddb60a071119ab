import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogs, encodeSpans } from './otlp-json.js';
import type { Signal } from './offline.js';
import type { Sender } from './sender.js';

/** Encodes `items`, halving the batch until each body is at most `limit` bytes (one item may exceed it). */
export function encodeChunks<T>(items: T[], encode: (items: T[]) => object, limit: number): string[] {
  const body = JSON.stringify(encode(items));
  if (items.length <= 1 || body.length * 3 <= limit || new Blob([body]).size <= limit) return [body];
  const half = Math.ceil(items.length / 2);
  return [...encodeChunks(items.slice(0, half), encode, limit), ...encodeChunks(items.slice(half), encode, limit)];
}

/**
 * An OTLP/JSON exporter over the Sender: the SDK `SpanExporter` / `LogRecordExporter` interface,
 * plus `exportUnload` for page hide (bodies ≤ 60 KB, keepalive).
 */
class OtlpJsonExporter<T> {
  constructor(
    private readonly signal: Signal,
    private readonly encode: (items: T[]) => object,
    private readonly sender: Sender,
    private readonly maxRequestBytes: number,
  ) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    try {
      for (const body of encodeChunks(items, this.encode, this.maxRequestBytes)) this.sender.send(this.signal, body);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  exportUnload(items: T[]): void {
    this.sender.unload(encodeChunks(items, this.encode, 60000).map((b) => ({ s: this.signal, b })));
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export class OtlpJsonSpanExporter extends OtlpJsonExporter<ReadableSpan> implements SpanExporter {
  constructor(sender: Sender, maxRequestBytes = 512 * 1024) {
    super('traces', encodeSpans, sender, maxRequestBytes);
  }
}

export class OtlpJsonLogExporter extends OtlpJsonExporter<ReadableLogRecord> implements LogRecordExporter {
  constructor(sender: Sender, maxRequestBytes = 512 * 1024) {
    super('logs', encodeLogs, sender, maxRequestBytes);
  }
}
