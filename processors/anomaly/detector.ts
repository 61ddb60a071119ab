import { Ewma } from './ewma.js';

/** The thresholds every signal's detector shares (from the config). */
export interface DetectorRules {
  alpha: number;
  zThreshold: number;
  /** 0 turns the rule off. */
  rateOfChange: number;
  minSamples: number;
  minEvents: number;
  /** Consecutive normal evaluations after which an incident resolves and the detector re-arms. */
  rearmEvaluations: number;
  /** Consecutive anomalous evaluations needed to fire. */
  sustain: number;
}

/** One evaluation window of one signal of one series. */
export interface Sample {
  /** The value judged: a ratio (error rate) or a count (failed logins) over the window. */
  observed: number;
  /** What the signal counts in the window (errored sessions, failed logins): `min_events` applies to it. */
  events: number;
  /** Whether the window says anything about the baseline (an error rate over too few sessions does not). */
  usable: boolean;
  /**
   * The spread pure sampling noise gives this window (binomial or Poisson). A baseline that happened
   * to be flat would otherwise make any small wobble an infinite z-score.
   */
  noiseFloor(mean: number): number;
}

export interface Judgement {
  observed: number;
  baseline: number;
  /** Standard deviations above the baseline (Infinity when the spread is 0 and observed is above). */
  zScore: number;
  /** Observed ÷ baseline (Infinity when the baseline is 0). */
  ratio: number;
  events: number;
  anomalous: boolean;
}

export type Transition = { kind: 'fired' | 'resolved'; judgement: Judgement };

/**
 * EWMA baseline, z-score and rate-of-change rules, and the incident state machine: `sustain`
 * anomalous windows in a row fire, further ones belong to the same incident, and only
 * `rearmEvaluations` normal windows in a row resolve it — so one incident is one alert, however it flaps.
 */
export class SignalDetector {
  readonly #baseline: Ewma;
  /** The last learnable window, learned when the next one is taken. */
  readonly #waiting: { observed: number; learnable: boolean }[] = [];
  #inIncident = false;
  #normalStreak = 0;
  #anomalousStreak = 0;

  constructor(private readonly rules: DetectorRules) {
    this.#baseline = new Ewma(rules.alpha);
  }

  get firing(): boolean {
    return this.#inIncident;
  }
  get samples(): number {
    return this.#baseline.count;
  }

  judge(sample: Sample): Judgement {
    const baseline = this.#baseline.mean;
    const spread = Math.max(this.#baseline.stddev, sample.noiseFloor(baseline));
    const excess = sample.observed - baseline;
    const zScore = spread > 0 ? excess / spread : excess > 0 ? Infinity : 0;
    const ratio = baseline > 0 ? sample.observed / baseline : sample.observed > 0 ? Infinity : 1;
    const judgement: Judgement = { observed: sample.observed, baseline, zScore, ratio, events: sample.events, anomalous: false };
    // Only rises matter: fewer errors or failed logins than usual is good news.
    const eligible = sample.usable && this.#baseline.count >= this.rules.minSamples && sample.events >= this.rules.minEvents && excess > 0;
    if (!eligible) return judgement;
    // Both rules must agree: the z-score says the rise is beyond the signal's usual noise, the ratio
    // that it is big enough to matter. Either alone pages on noise — a flat baseline makes small
    // wobbles significant, and a low baseline makes doubling a matter of two or three events.
    const unusual = zScore >= this.rules.zThreshold;
    const large = this.rules.rateOfChange === 0 || ratio >= this.rules.rateOfChange;
    return { ...judgement, anomalous: unusual && large };
  }

  /**
   * Judges the window and says whether an incident began or ended. `learnable` marks the windows
   * the baseline learns from: one per window length (windows that do not overlap, so its samples
   * are independent and its variance is that of a whole window), each learned only when the next
   * one is taken — the baseline never holds data the window being judged also holds. Otherwise the
   * first part of a rise, not yet anomalous, would be learned and the rise hide in its own baseline.
   */
  evaluate(sample: Sample, learnable = true): { judgement: Judgement; transition?: Transition } {
    const judgement = this.judge(sample);
    if (learnable) this.#learn(sample, judgement);
    else if (judgement.anomalous) this.#forgetWaiting();
    if (judgement.anomalous) {
      this.#normalStreak = 0;
      if (this.#inIncident || ++this.#anomalousStreak < this.rules.sustain) return { judgement };
      this.#inIncident = true;
      this.#anomalousStreak = 0;
      return { judgement, transition: { kind: 'fired', judgement } };
    }
    this.#anomalousStreak = 0;
    if (!this.#inIncident) return { judgement };
    // A window without enough data counts as normal: an incident cannot be kept up by silence.
    if (++this.#normalStreak < this.rules.rearmEvaluations) return { judgement };
    this.#inIncident = false;
    this.#normalStreak = 0;
    return { judgement, transition: { kind: 'resolved', judgement } };
  }

  #learn(sample: Sample, judgement: Judgement): void {
    // Anomalous windows, and every window of an open incident, stay out of the baseline: learning
    // them would make the incident look normal.
    if (this.#inIncident || judgement.anomalous) this.#forgetWaiting();
    this.#waiting.push({ observed: sample.observed, learnable: sample.usable && !judgement.anomalous && !this.#inIncident });
    while (this.#waiting.length > 1) {
      const oldest = this.#waiting.shift()!;
      if (oldest.learnable) this.#baseline.add(oldest.observed);
    }
  }

  /** The window waiting to be learned may hold the start of this anomaly: it is not learned. */
  #forgetWaiting(): void {
    for (const waiting of this.#waiting) waiting.learnable = false;
  }
}
