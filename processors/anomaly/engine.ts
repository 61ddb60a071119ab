import type { AnomalyConfig, SignalName } from './config.js';
import { SignalDetector, type DetectorRules, type Judgement, type Sample } from './detector.js';
import { CountWindow, SessionWindow } from './windows.js';

/** An incident beginning (`firing`) or ending (`resolved`) for one signal of one service version. */
export interface AnomalyEvent {
  state: 'firing' | 'resolved';
  signal: SignalName;
  service: string;
  version: string;
  judgement: Judgement;
  /** When the incident began (ms since the epoch). */
  startsAtMs: number;
  /** When it resolved (resolved events only). */
  endsAtMs?: number;
  windowMs: number;
}

/** One (service.name, service.version): its failed-login window and a detector per signal. */
export class Series {
  readonly key: string;
  readonly failedLogins: CountWindow;
  readonly detectors = new Map<SignalName, SignalDetector>();
  readonly startedAt = new Map<SignalName, number>();
  lastActiveTick: number;

  constructor(
    readonly service: string,
    readonly version: string,
    windowTicks: number,
    tick: number,
  ) {
    this.key = `${service}\u0000${version}`;
    this.failedLogins = new CountWindow(windowTicks);
    this.lastActiveTick = tick;
  }
}

export type OverflowKind = 'series' | 'sessions';

/**
 * Counts sessions, errored sessions and failed logins per series on sliding windows and judges them
 * every evaluation. It knows no clock of its own: `evaluate()` is one tick (the caller's timer, or a
 * test), `now()` only stamps incidents.
 */
export class AnomalyEngine {
  readonly #series = new Map<string, Series>();
  readonly #sessions: SessionWindow<Series>;
  readonly #rules: DetectorRules;
  readonly #windowTicks: number;
  readonly #idleTicks: number;
  readonly #watch: { errors: boolean; logins: boolean };
  #tick = 0;

  constructor(
    private readonly config: AnomalyConfig,
    private readonly now: () => number,
    private readonly onOverflow: (kind: OverflowKind) => void = () => {},
  ) {
    // The window slides by whole evaluation intervals.
    this.#windowTicks = Math.max(1, Math.round(config.window / config.evaluation_interval));
    const rearmMs = config.rearm_after ?? 2 * config.window;
    this.#rules = {
      alpha: config.ewma_alpha,
      zThreshold: config.z_threshold,
      rateOfChange: config.rate_of_change,
      minSamples: config.min_samples,
      minEvents: config.min_events,
      rearmEvaluations: Math.max(1, Math.ceil(rearmMs / config.evaluation_interval)),
      sustain: config.sustain,
    };
    // A series silent this long (and not firing) is forgotten: old versions do not pile up.
    this.#idleTicks = Math.max(10 * this.#windowTicks, this.#rules.rearmEvaluations + this.#windowTicks);
    this.#sessions = new SessionWindow<Series>(this.#windowTicks, config.max_sessions, () => onOverflow('sessions'));
    this.#watch = { errors: config.signals.includes('session_error_rate'), logins: config.signals.includes('failed_login_rate') };
  }

  get seriesCount(): number {
    return this.#series.size;
  }
  get watchesErrors(): boolean {
    return this.#watch.errors;
  }
  get watchesLogins(): boolean {
    return this.#watch.logins;
  }

  /** The series of a service version, created on first sight; undefined past `max_series`. */
  series(service: string, version: string): Series | undefined {
    const key = `${service}\u0000${version}`;
    let series = this.#series.get(key);
    if (!series) {
      if (this.#series.size >= this.config.max_series) {
        this.onOverflow('series');
        return undefined;
      }
      series = new Series(service, version, this.#windowTicks, this.#tick);
      for (const signal of this.config.signals) series.detectors.set(signal, new SignalDetector(this.#rules));
      this.#series.set(key, series);
    }
    series.lastActiveTick = this.#tick;
    return series;
  }

  /** A record of session `sessionId` under `series`; `errored` when it is an exception. */
  session(series: Series, sessionId: string, errored: boolean): void {
    if (this.#watch.errors) this.#sessions.touch(series, series.key, sessionId, errored, this.#tick);
  }

  failedLogin(series: Series, count = 1): void {
    if (this.#watch.logins) series.failedLogins.add(count);
  }

  /** Judges every series' current window, then slides the windows by one interval. */
  evaluate(): AnomalyEvent[] {
    const tick = this.#tick++;
    const nowMs = this.now();
    const events: AnomalyEvent[] = [];
    // Every evaluation judges; one in `windowTicks` also feeds the baseline (see SignalDetector.evaluate).
    const learnable = tick % this.#windowTicks === this.#windowTicks - 1;
    const sessionCounts = this.#watch.errors ? this.#sessions.count(tick) : new Map<Series, { sessions: number; errored: number }>();
    for (const series of this.#series.values()) {
      const logins = series.failedLogins.roll();
      const sessions = sessionCounts.get(series) ?? { sessions: 0, errored: 0 };
      for (const [signal, detector] of series.detectors) {
        const sample = signal === 'session_error_rate' ? errorRateSample(sessions, this.#rules.minEvents) : failedLoginSample(logins);
        const { transition } = detector.evaluate(sample, learnable);
        if (!transition) continue;
        const event: AnomalyEvent = {
          state: transition.kind === 'fired' ? 'firing' : 'resolved',
          signal,
          service: series.service,
          version: series.version,
          judgement: transition.judgement,
          startsAtMs: transition.kind === 'fired' ? nowMs : (series.startedAt.get(signal) ?? nowMs),
          windowMs: this.config.window,
        };
        if (transition.kind === 'fired') series.startedAt.set(signal, nowMs);
        else {
          event.endsAtMs = nowMs;
          series.startedAt.delete(signal);
        }
        events.push(event);
      }
      if (logins > 0 || sessions.sessions > 0) series.lastActiveTick = tick;
      const firing = [...series.detectors.values()].some((detector) => detector.firing);
      if (!firing && tick - series.lastActiveTick > this.#idleTicks) this.#series.delete(series.key);
    }
    return events;
  }
}

function errorRateSample(counts: { sessions: number; errored: number }, minEvents: number): Sample {
  const n = counts.sessions;
  return {
    observed: n > 0 ? counts.errored / n : 0,
    events: counts.errored,
    // A rate over a handful of sessions swings wildly; such windows neither alert nor teach the baseline.
    usable: n >= minEvents,
    // Binomial spread of a rate over n sessions, at the rate midway between baseline and observed
    // (at least one session in n): like a count's, a rate's spread grows with it.
    noiseFloor: (mean) => {
      if (n === 0) return 0;
      const p = Math.min(1, Math.max((mean + counts.errored / n) / 2, 1 / n));
      return Math.sqrt((p * (1 - p)) / n);
    },
  };
}

function failedLoginSample(count: number): Sample {
  // Poisson spread of a count, taken midway between baseline and observed: a count's spread grows
  // with it, and judging a rise by the baseline's spread alone pages on the heavy upper tail of
  // small counts. The z-score is then the variance-stabilised 2(√x − √μ). At least 1, so a
  // baseline of zero failed logins is not infinitely strict.
  const midway = (mean: number) => (Math.sqrt(count) + Math.sqrt(Math.max(mean, 0))) / 2;
  return { observed: count, events: count, usable: true, noiseFloor: (mean) => Math.max(1, midway(mean)) };
}
