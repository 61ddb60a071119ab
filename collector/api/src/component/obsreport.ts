import type { Signal } from '../model/batch.js';
import type { Counter, CreateSettings } from './interfaces.js';

// Self-metric names mirror the OpenTelemetry Collector's otelcol_* names, under our own prefix.
const ITEM_SUFFIX: Record<Signal, string> = { traces: 'spans', logs: 'log_records', metrics: 'metric_points' };

function perSignal(
  settings: CreateSettings,
  stem: string,
  help: string,
  labelNames: readonly string[],
): Record<Signal, Counter> {
  const make = (signal: Signal) =>
    settings.telemetry.counter(`${stem}_${ITEM_SUFFIX[signal]}`, `${help} (${ITEM_SUFFIX[signal].replace('_', ' ')})`, labelNames);
  return { traces: make('traces'), logs: make('logs'), metrics: make('metrics') };
}

export interface ReceiverReport {
  /** Items pushed into the pipeline. */
  accepted(signal: Signal, count: number): void;
  /** Items the pipeline refused (e.g. memory pressure) or the receiver rejected as invalid. */
  refused(signal: Signal, count: number): void;
  /** Items lost to an internal error after they were decoded. */
  failed(signal: Signal, count: number): void;
}

export function receiverReport(settings: CreateSettings, transport: string): ReceiverReport {
  const labels = ['receiver', 'transport'] as const;
  const accepted = perSignal(settings, 'receiver_accepted', 'Items successfully pushed into the pipeline', labels);
  const refused = perSignal(settings, 'receiver_refused', 'Items that could not be pushed into the pipeline', labels);
  const failed = perSignal(settings, 'receiver_failed', 'Items lost to an internal receiver error', labels);
  const value = { receiver: settings.id, transport };
  return {
    accepted: (signal, count) => count > 0 && accepted[signal].add(count, value),
    refused: (signal, count) => count > 0 && refused[signal].add(count, value),
    failed: (signal, count) => count > 0 && failed[signal].add(count, value),
  } as ReceiverReport;
}

export interface ExporterReport {
  sent(signal: Signal, count: number): void;
  /** Items given up on after retries, or rejected permanently by the destination. */
  sendFailed(signal: Signal, count: number): void;
  /** Items dropped because the sending queue was full. */
  enqueueFailed(signal: Signal, count: number): void;
}

export function exporterReport(settings: CreateSettings): ExporterReport {
  const labels = ['exporter'] as const;
  const sent = perSignal(settings, 'exporter_sent', 'Items successfully sent to the destination', labels);
  const sendFailed = perSignal(settings, 'exporter_send_failed', 'Items that failed to be sent to the destination', labels);
  const enqueueFailed = perSignal(settings, 'exporter_enqueue_failed', 'Items that failed to be added to the sending queue', labels);
  const value = { exporter: settings.id };
  return {
    sent: (signal, count) => count > 0 && sent[signal].add(count, value),
    sendFailed: (signal, count) => count > 0 && sendFailed[signal].add(count, value),
    enqueueFailed: (signal, count) => count > 0 && enqueueFailed[signal].add(count, value),
  } as ExporterReport;
}

export interface ProcessorReport {
  incoming(signal: Signal, count: number): void;
  outgoing(signal: Signal, count: number): void;
}

export function processorReport(settings: CreateSettings): ProcessorReport {
  const labels = ['processor', 'otel_signal'] as const;
  const incoming = settings.telemetry.counter('processor_incoming_items', 'Items that entered the processor', labels);
  const outgoing = settings.telemetry.counter('processor_outgoing_items', 'Items that left the processor', labels);
  return {
    incoming: (signal, count) => incoming.add(count, { processor: settings.id, otel_signal: signal }),
    outgoing: (signal, count) => outgoing.add(count, { processor: settings.id, otel_signal: signal }),
  };
}
