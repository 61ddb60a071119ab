import { HttpError } from './http-error.js';

/**
 * The body bytes all requests hold at once, as they are uploaded, decompressed and decoded:
 * past `limit` a request is answered 503 with Retry-After, so many concurrent (or slowly
 * trickled) uploads cannot grow memory without bound. A request is always let through when no
 * other holds any bytes, so one body of the largest allowed size still gets in.
 */
export class InFlightBytes {
  #used = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  lease(): BodyLease {
    return new BodyLease(this);
  }

  /** @internal for BodyLease */
  tryTake(bytes: number, heldByCaller: number): boolean {
    const others = this.#used - heldByCaller;
    if (others > 0 && this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  /** @internal for BodyLease */
  give(bytes: number): void {
    this.#used -= bytes;
  }
}

/** One request's share of the in-flight budget; `release()` when its answer is sent. */
export class BodyLease {
  #held = 0;

  constructor(readonly budget: InFlightBytes) {}

  /** Takes `bytes` more; false (nothing taken) when the budget is spent by other requests. */
  take(bytes: number): boolean {
    if (!this.budget.tryTake(bytes, this.#held)) return false;
    this.#held += bytes;
    return true;
  }

  release(): void {
    this.budget.give(this.#held);
    this.#held = 0;
  }

  busy(): HttpError {
    return new HttpError(
      503,
      `the receiver holds more than max_in_flight_bytes (${this.budget.limit} bytes) of request bodies; retry later`,
      { 'Retry-After': '1' },
      'busy',
    );
  }
}
