import {
  processorReport,
  SignalBatch,
  type ConsumeContext,
  type Consumer,
  type CreateSettings,
  type Logger,
  type Processor,
  type ProcessorReport,
  type Signal,
  type SignalItems,
} from '@stitch/collector-api';
import type { BatchConfig } from './config.js';

interface Counted<S extends Signal> {
  batch: SignalBatch<SignalItems[S]>;
  count: number;
}

/**
 * Gathers incoming batches and sends them on when `send_batch_size` items are waiting or
 * `timeout` has passed since the first of them, split to `send_batch_max_size`. Sends run one at
 * a time, so a slow destination slows the receivers (backpressure) instead of growing memory.
 */
export class BatchProcessor<S extends Signal> implements Processor<S> {
  readonly mutatesData = false;
  readonly #report: ProcessorReport;
  readonly #logger: Logger;
  #pending: SignalBatch<SignalItems[S]>;
  #pendingItems = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    settings: CreateSettings,
    private readonly config: BatchConfig,
    private readonly signal: S,
    private readonly next: Consumer<S>,
  ) {
    this.#report = processorReport(settings);
    this.#logger = settings.logger;
    this.#pending = new SignalBatch<SignalItems[S]>(signal);
  }

  async consume(batch: SignalBatch<SignalItems[S]>, _context: ConsumeContext): Promise<void> {
    const count = batch.itemCount();
    this.#report.incoming(this.signal, count);
    // A new container: other pipelines may hold the same received batch.
    this.#pending.append(batch.shallowCopy());
    this.#pendingItems += count;
    if (this.#stopped || this.config.send_batch_size === 0 || this.#pendingItems >= this.config.send_batch_size) {
      await this.#flush(this.#stopped || this.config.send_batch_size === 0 ? 0 : this.config.send_batch_size);
    } else {
      this.#timer ??= setTimeout(() => void this.#flush(0), this.config.timeout);
    }
  }

  /** Sends full batches while at least `threshold` items wait (everything when 0). */
  #flush(threshold: number): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches: Counted<S>[] = [];
    const max = this.config.send_batch_max_size || this.config.send_batch_size || Number.MAX_SAFE_INTEGER;
    while (this.#pendingItems > 0 && this.#pendingItems >= threshold) {
      // Taking everything needs no recount: the pending count is exact.
      const takeAll = this.#pendingItems <= max;
      const batch = takeAll ? this.#takeAll() : this.#pending.takeFirst(max);
      const count = takeAll ? this.#pendingItems : batch.itemCount();
      this.#pendingItems -= count;
      batches.push({ batch, count });
    }
    if (this.#pendingItems > 0 && !this.#timer && !this.#stopped) {
      this.#timer = setTimeout(() => void this.#flush(0), this.config.timeout);
    }
    const previous = this.#sending;
    this.#sending = previous.then(() => this.#send(batches));
    return this.#sending;
  }

  #takeAll(): SignalBatch<SignalItems[S]> {
    const all = this.#pending;
    this.#pending = new SignalBatch<SignalItems[S]>(this.signal);
    return all;
  }

  async #send(batches: Counted<S>[]): Promise<void> {
    for (const { batch, count } of batches) {
      try {
        await this.next.consume(batch, {});
        this.#report.outgoing(this.signal, count);
      } catch (error) {
        // The items came from many requests, already answered: log, count, go on.
        this.#logger.warn({ err: error, items: count, signal: this.signal }, 'sending a batch downstream failed');
      }
    }
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    await this.#flush(0);
  }
}
