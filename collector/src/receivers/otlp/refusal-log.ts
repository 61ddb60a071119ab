import type { Logger } from '@stitch/collector-api';

const INTERVAL_MS = 10_000;

/**
 * Logs the pipeline's refusals (503s) at most once per 10 s, with how many came since the last
 * line. Under backpressure every request is refused: a line each would flood the logs exactly
 * when someone reads them, and the refusals are counted in the self-metrics anyway.
 */
export class RefusalLog {
  #lastAt = -Infinity;
  #suppressed = 0;
  #suppressedItems = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  note(signal: string, items: number, error: unknown): void {
    const at = this.now();
    if (at - this.#lastAt < INTERVAL_MS) {
      this.#suppressed++;
      this.#suppressedItems += items;
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    // A refusal is expected backpressure, not a fault: its message says all; a stack says nothing more.
    const refusal = error instanceof Error && error.name === 'RefusedError';
    this.logger.warn(
      {
        signal,
        items,
        ...(refusal ? { reason } : { err: error }),
        ...(this.#suppressed > 0 ? { refusals_since_last_line: this.#suppressed, items_refused_since_last_line: this.#suppressedItems } : {}),
      },
      'pipeline refused data from otlp receiver',
    );
    this.#lastAt = at;
    this.#suppressed = 0;
    this.#suppressedItems = 0;
  }
}
