import {
  PermanentError,
  RefusedError,
  type ConsumeContext,
  type Consumer,
  type Logger,
  type Signal,
  type SignalBatch,
  type SignalItems,
} from '@stitch/collector-api';

export interface FanoutTarget<S extends Signal> {
  id: string;
  consumer: Consumer<S>;
  /** The target changes what it receives, so it needs a copy nobody else reads. */
  mutates: boolean;
}

/**
 * Hands one batch to several consumers (pipelines after a receiver, exporters after a pipeline).
 * Each target runs whatever the others do; a failing one is logged and reported in the combined
 * error without stopping the rest. Read-only targets share the batch; changing ones get copies.
 */
export class FanoutConsumer<S extends Signal> implements Consumer<S> {
  readonly #targets: FanoutTarget<S>[];
  readonly #ownerForMutation: number;

  constructor(
    targets: FanoutTarget<S>[],
    private readonly logger: Logger,
  ) {
    this.#targets = targets;
    // With no read-only target, the last changing one may take the original instead of a copy.
    const readOnly = targets.some((target) => !target.mutates);
    this.#ownerForMutation = readOnly ? -1 : targets.length - 1;
  }

  get mutates(): boolean {
    return this.#targets.some((target) => target.mutates);
  }

  async consume(batch: SignalBatch<SignalItems[S]>, context: ConsumeContext): Promise<void> {
    if (this.#targets.length === 1) return this.#targets[0]!.consumer.consume(batch, context);
    const copies = this.#targets.map((target, index) =>
      target.mutates && index !== this.#ownerForMutation ? batch.clone() : batch,
    );
    const results = await Promise.allSettled(this.#targets.map((target, i) => target.consumer.consume(copies[i]!, context)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ id: this.#targets[i]!.id, error: result.reason as unknown }] : [],
    );
    if (failures.length === 0) return;
    for (const failure of failures) {
      this.logger.warn({ target: failure.id, err: failure.error }, 'a consumer failed; the others still got the data');
    }
    const message = failures.map((f) => `${f.id}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    if (failures.every((f) => f.error instanceof PermanentError)) throw new PermanentError(message);
    // A refusal (a full queue, memory pressure) keeps its Retry-After through the fan-out.
    const refusals = failures.map((f) => f.error).filter((e): e is RefusedError => e instanceof Error && e.name === 'RefusedError');
    if (refusals.length > 0) {
      const waits = refusals.map((e) => e.retryAfterSeconds).filter((s): s is number => s !== undefined);
      throw new RefusedError(message, waits.length > 0 ? Math.max(...waits) : undefined);
    }
    throw new Error(message);
  }
}
