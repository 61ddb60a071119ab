import {
  processorReport,
  type ConsumeContext,
  type Consumer,
  type CreateSettings,
  type LogRecordView,
  type Logs,
  type Processor,
  type ProcessorReport,
  type SignalBatch,
  type SpanRecord,
} from '@stitch/collector-api';
import type { AnomalyConfig } from './config.js';
import type { AnomalyEvent } from './engine.js';
import { acquireHub, AnomalyHub, releaseHub, type AlertSink, type HubOptions } from './hub.js';

type AnomalySignal = 'traces' | 'logs';
type Item = SpanRecord | LogRecordView;

export type AnomalyOptions = HubOptions;

/**
 * Watches session error rate and failed logins per service version and raises an alert on a
 * sudden rise. Every record passes through unchanged; alerts are new log records sent down the
 * logs pipeline (never added to a batch it was given, so it does not mutate data), plus an optional
 * Alertmanager webhook. The traces and logs instances of one id share one detector.
 */
export class AnomalyProcessor<S extends AnomalySignal> implements Processor<S> {
  readonly mutatesData = false;
  readonly #hub: AnomalyHub;
  readonly #report: ProcessorReport;
  readonly #sink: AlertSink | undefined;
  #stopped = false;

  constructor(
    private readonly settings: CreateSettings,
    config: AnomalyConfig,
    private readonly signal: S,
    private readonly next: Consumer<S>,
    options: AnomalyOptions = {},
  ) {
    this.#report = processorReport(settings);
    this.#hub = acquireHub(settings.id, () => new AnomalyHub(settings, config, options));
    if (signal === 'logs') {
      const sink: AlertSink = {
        emit: async (batch: Logs) => {
          if (this.#stopped) return;
          const count = batch.itemCount();
          this.#report.outgoing('logs', count);
          await (this.next as Consumer<'logs'>).consume(batch, {});
        },
      };
      this.#sink = sink;
      this.#hub.addSink(sink);
    }
  }

  async consume(batch: SignalBatch<Item>, context: ConsumeContext): Promise<void> {
    const count = batch.itemCount();
    this.#report.incoming(this.signal, count);
    try {
      this.#hub.observer.observe(batch);
    } catch (error) {
      // Watching must never cost data: the batch goes on whatever happened here.
      this.settings.logger.debug({ err: error }, 'anomaly: batch not observed');
    }
    this.#report.outgoing(this.signal, count);
    await this.next.consume(batch as SignalBatch<never>, context);
  }

  /** Runs one evaluation now (what the timer does every `evaluation_interval`); for tests. */
  evaluate(): Promise<AnomalyEvent[]> {
    return this.#hub.evaluate();
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#sink) this.#hub.removeSink(this.#sink);
    await releaseHub(this.settings.id);
  }
}
