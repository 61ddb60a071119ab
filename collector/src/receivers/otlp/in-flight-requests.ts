import type { ServerResponse } from 'node:http';

/** Counts requests still being answered, so shutdown can wait for them (up to a bound). */
export class InFlightRequests {
  #count = 0;
  #onDrained: (() => void) | undefined;

  get count(): number {
    return this.#count;
  }

  track(response: ServerResponse): void {
    this.#count++;
    // 'close' fires once per response, whether it finished or the client went away.
    response.once('close', () => {
      if (--this.#count === 0) this.#onDrained?.();
    });
  }

  /** Resolves true when no request is in flight, false when `timeoutMs` passed first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#onDrained = undefined;
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.#onDrained = () => {
        clearTimeout(timer);
        this.#onDrained = undefined;
        resolve(true);
      };
    });
  }
}
