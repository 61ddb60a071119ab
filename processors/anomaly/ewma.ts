/**
 * Exponentially weighted mean and variance (West/Finch incremental form): the baseline follows
 * slow drift, forgets old traffic at a rate set by `alpha`, and needs O(1) memory per series.
 */
export class Ewma {
  #mean = 0;
  #variance = 0;
  #count = 0;

  constructor(private readonly alpha: number) {}

  /** Samples folded in so far. */
  get count(): number {
    return this.#count;
  }
  get mean(): number {
    return this.#mean;
  }
  get stddev(): number {
    return Math.sqrt(this.#variance);
  }

  add(value: number): void {
    if (this.#count++ === 0) {
      // The first sample is the best guess of the mean; variance builds up from the next ones.
      this.#mean = value;
      return;
    }
    const diff = value - this.#mean;
    const increment = this.alpha * diff;
    this.#mean += increment;
    this.#variance = (1 - this.alpha) * (this.#variance + diff * increment);
  }
}
