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
  /** Position after its last item in the stream of every item consumed so far. */
  end: number;
}

/** A caller of consume() waiting for its items, [start, end) of that stream, to be handed downstream. */
interface Waiter {
  start: number;
  end: number;
  error?: unknown;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers incoming batches and sends them on when `send_batch_size` items are waiting or
 * `timeout` has passed since the first of them, split to `send_batch_max_size`. Sends run one at
 * a time, so a slow destination slows the receivers (backpressure) instead of growing memory.
 * A caller's consume() resolves once every batch holding its items was taken downstream (by the
 * exporters' queues), and rejects with the downstream error otherwise: the receiver acknowledges
 * nothing that sits only in this processor's memory.
 */
export class BatchProcessor<S extends Signal> implements Processor<S> {
  readonly mutatesData = false;
  readonly #report: ProcessorReport;
  readonly #logger: Logger;
  #pending: SignalBatch<SignalItems[S]>;
  #pendingItems = 0;
  /** Items consumed, and items taken into outgoing batches, since the start. */
  #appended = 0;
  #taken = 0;
  readonly #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #lastArrival = 0;
  #sending: Promise<void> = Promise.resolve();
  /** Sends handed to the chain and not finished. */
  #inFlight = 0;
  /** A partial batch is due but a send is running: it leaves, with everything that came meanwhile, when that send ends. */
  #flushWhenFree = false;
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
    if (count === 0) return;
    // A new container: other pipelines may hold the same received batch.
    this.#pending.append(batch.shallowCopy());
    this.#pendingItems += count;
    this.#appended += count;
    const handedOn = new Promise<void>((resolve, reject) => this.#waiters.push({ start: this.#appended - count, end: this.#appended, resolve, reject }));
    if (this.#stopped || this.config.send_batch_size === 0 || this.#pendingItems >= this.config.send_batch_size) {
      void this.#flush(this.#stopped || this.config.send_batch_size === 0 ? 0 : this.config.send_batch_size);
    } else {
      this.#timer ??= setTimeout(() => void this.#flush(0), this.config.timeout);
      if (this.config.flush_when_idle > 0) {
        this.#lastArrival = performance.now();
        // One timer re-armed for the remainder, not one per request.
        this.#idleTimer ??= setTimeout(() => this.#onIdle(), this.config.flush_when_idle);
      }
    }
    return handedOn;
  }

  #onIdle(): void {
    this.#idleTimer = undefined;
    if (this.#pendingItems === 0) return;
    const quiet = performance.now() - this.#lastArrival;
    if (quiet >= this.config.flush_when_idle) void this.#flush(0);
    else this.#idleTimer = setTimeout(() => this.#onIdle(), this.config.flush_when_idle - quiet);
  }

  /** Sends full batches while at least `threshold` items wait (everything when 0). */
  #flush(threshold: number): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (threshold === 0 && this.#inFlight > 0 && !this.#stopped) {
      // Group commit: sends run one at a time, so a partial batch taken now would only queue behind
      // the running one. Taken when it ends, it carries what arrived meanwhile: batches grow with
      // the exporters' latency instead of queueing up behind it.
      this.#flushWhenFree = true;
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
      return this.#sending;
    }
    const batches: Counted<S>[] = [];
    const max = this.config.send_batch_max_size || this.config.send_batch_size || Number.MAX_SAFE_INTEGER;
    while (this.#pendingItems > 0 && this.#pendingItems >= threshold) {
      // Taking everything needs no recount: the pending count is exact.
      const takeAll = this.#pendingItems <= max;
      const batch = takeAll ? this.#takeAll() : this.#pending.takeFirst(max);
      const count = takeAll ? this.#pendingItems : batch.itemCount();
      this.#pendingItems -= count;
      this.#taken += count;
      batches.push({ batch, count, end: this.#taken });
    }
    if (this.#pendingItems > 0 && !this.#timer && !this.#stopped) {
      this.#timer = setTimeout(() => void this.#flush(0), this.config.timeout);
    }
    if (this.#pendingItems === 0) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
    if (batches.length === 0) return this.#sending;
    this.#inFlight++;
    this.#sending = this.#sending
      .then(() => this.#send(batches))
      .finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0 && this.#flushWhenFree) {
          this.#flushWhenFree = false;
          if (this.#pendingItems > 0) void this.#flush(0);
        }
      });
    return this.#sending;
  }

  #takeAll(): SignalBatch<SignalItems[S]> {
    const all = this.#pending;
    this.#pending = new SignalBatch<SignalItems[S]>(this.signal);
    return all;
  }

  async #send(batches: Counted<S>[]): Promise<void> {
    for (const { batch, count, end } of batches) {
      try {
        await this.next.consume(batch, {});
        this.#report.outgoing(this.signal, count);
        this.#settle(end, undefined);
      } catch (error) {
        // Every caller with items in this batch gets the error (a refusal becomes 503 + Retry-After).
        this.#logger.warn({ err: error, items: count, signal: this.signal }, 'sending a batch downstream failed');
        this.#settle(end, error);
      }
    }
  }

  /** A batch ending at `end` went downstream (or failed): callers whose items it held learn it. */
  #settle(end: number, error: unknown): void {
    while (this.#waiters.length > 0 && this.#waiters[0]!.start < end) {
      const waiter = this.#waiters[0]!;
      if (error !== undefined) waiter.error ??= error;
      if (waiter.end > end) return; // the rest of its items are in the next batch
      this.#waiters.shift();
      if (waiter.error === undefined) waiter.resolve();
      else waiter.reject(waiter.error);
    }
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    await this.#flush(0);
  }
}
