import {
  RefusedError,
  type ConsumeContext,
  type Consumer,
  type Counter,
  type CreateSettings,
  type Processor,
  type Signal,
  type SignalBatch,
  type SignalItems,
} from '@stitch/collector-api';
import type { MemoryWatch } from './memory-watch.js';

const MIB = 1024 * 1024;

/**
 * Refuses data while the process's memory is above the soft limit, so the receiver answers 503
 * with `Retry-After` and the data stays with the client until there is room. Put it first in every
 * pipeline: whatever runs before it has already spent the memory. Costs one boolean read per batch.
 */
export class MemoryLimiterProcessor<S extends Signal> implements Processor<S> {
  readonly mutatesData = false;
  readonly #refused: Counter;
  readonly #labels: { processor: string; otel_signal: S };

  constructor(
    settings: CreateSettings,
    private readonly watch: MemoryWatch,
    signal: S,
    private readonly next: Consumer<S>,
  ) {
    this.#refused = settings.telemetry.counter('processor_refused_items', 'Items a processor refused (the receiver answered the client with a retryable error)', ['processor', 'otel_signal']);
    this.#labels = { processor: settings.id, otel_signal: signal };
  }

  start(): void {
    this.watch.acquire();
  }

  shutdown(): void {
    this.watch.release();
  }

  consume(batch: SignalBatch<SignalItems[S]>, context: ConsumeContext): Promise<void> {
    if (!this.watch.refusing) return this.next.consume(batch, context);
    this.#refused.add(batch.itemCount(), this.#labels);
    const { softBytes } = this.watch.limits;
    return Promise.reject(
      new RefusedError(
        `memory_limiter: memory usage ${Math.round(this.watch.usageBytes / MIB)} MiB is above the soft limit ${Math.round(softBytes / MIB)} MiB, retry later`,
        this.watch.retryAfterSeconds,
      ),
    );
  }
}
