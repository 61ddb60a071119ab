import type { RetryOnFailureConfig } from './config.js';

/**
 * The delays between attempts: start at `initial_interval`, grow by `multiplier` up to
 * `max_interval`, each spread by ±`randomization_factor` so many exporters do not retry in step.
 */
export class ExponentialBackoff {
  #current: number;

  constructor(
    private readonly policy: RetryOnFailureConfig,
    private readonly random: () => number = Math.random,
  ) {
    this.#current = policy.initial_interval;
  }

  nextDelay(): number {
    const spread = this.policy.randomization_factor * this.#current;
    const delay = this.#current - spread + this.random() * 2 * spread;
    this.#current = Math.min(this.#current * this.policy.multiplier, this.policy.max_interval);
    return delay;
  }
}
