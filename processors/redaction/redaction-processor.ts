import {
  processorReport,
  type ConsumeContext,
  type Consumer,
  type Counter,
  type CreateSettings,
  type LogRecordView,
  type Logger,
  type Processor,
  type ProcessorReport,
  type SignalBatch,
  type SpanRecord,
} from '@stitch/collector-api';
import type { RedactionConfig } from './config.js';
import { Prefilter } from './prefilter.js';
import { redactLog, redactResource, redactSpan } from './records.js';
import { Redactor } from './redactor.js';
import type { Tally } from './tally.js';

type RedactionSignal = 'traces' | 'logs';
type Item = SpanRecord | LogRecordView;

/**
 * Removes personal data and secrets from spans, span events and links, log records and resources
 * before anything downstream stores or forwards them: key rules (allowed, blocked, hashed), URL
 * query scrubbing and detectors for e-mails, cards, IBANs, phones, tokens and IPs. Records that
 * cannot contain any of it (judged from their bytes) are not decoded.
 */
export class RedactionProcessor<S extends RedactionSignal> implements Processor<S> {
  readonly mutatesData = true;
  readonly #report: ProcessorReport;
  readonly #redactions: Counter;
  readonly #logger: Logger;
  readonly #redactor: Redactor;
  readonly #prefilter: Prefilter;

  constructor(
    private readonly settings: CreateSettings,
    private readonly config: RedactionConfig,
    private readonly signal: S,
    private readonly next: Consumer<S>,
  ) {
    this.#report = processorReport(settings);
    this.#logger = settings.logger;
    this.#redactor = new Redactor(config);
    this.#prefilter = new Prefilter(config);
    this.#redactions = settings.telemetry.counter(
      'processor_redaction_redactions',
      'Values redacted, by detector or rule (blocked_key, allowed_keys, hash, url_query, url_userinfo, or a detector name)',
      ['processor', 'otel_signal', 'detector'],
    );
  }

  async consume(batch: SignalBatch<Item>, context: ConsumeContext): Promise<void> {
    const count = batch.itemCount();
    this.#report.incoming(this.signal, count);
    const totals = new Map<string, number>();
    const add = (tally: Tally | undefined) => {
      if (tally) for (const [finding, n] of tally.byFinding) totals.set(finding, (totals.get(finding) ?? 0) + n);
    };
    const summary = this.config.summary;
    for (const group of batch.resources) {
      add(this.#guard(group.resource, () => redactResource(group.resource, this.#redactor, summary)));
      for (const scope of group.scopes) {
        for (const item of scope.items) {
          add(this.#guard(item, () => (this.signal === 'traces' ? redactSpan(item as SpanRecord, this.#redactor, summary) : redactLog(item as LogRecordView, this.#redactor, summary))));
        }
      }
    }
    for (const [detector, n] of totals) this.#redactions.add(n, { processor: this.settings.id, otel_signal: this.signal, detector });
    this.#report.outgoing(this.signal, count);
    await this.next.consume(batch as SignalBatch<never>, context);
  }

  /** Skips records that cannot hold anything to redact; one whose bytes do not decode goes on as received. */
  #guard(record: Parameters<Prefilter['mayNeedRedaction']>[0], redact: () => Tally | undefined): Tally | undefined {
    if (!this.#prefilter.mayNeedRedaction(record)) return undefined;
    try {
      return redact();
    } catch (error) {
      // The exporter that must decode it reports and skips it; OTLP peers get it as received.
      this.#logger.debug({ err: error }, 'redaction: record left as received (it does not decode)');
      return undefined;
    }
  }
}
