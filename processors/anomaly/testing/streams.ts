// Synthetic traffic for the detector tests: a seeded random source (so a failure replays exactly)
// and an engine driven one evaluation interval at a time.
import { anomalyConfigSchema, type AnomalyConfig } from '../config.js';
import { AnomalyEngine, type AnomalyEvent } from '../engine.js';

/** mulberry32: small, fast, good enough for noise; the same seed gives the same stream. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Poisson draw (Knuth; fine for the small means used here). */
export function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > limit);
  return k - 1;
}

/** What one evaluation interval holds for one service version. */
export interface Interval {
  sessions?: number;
  /** Probability that a session has an exception. */
  errorRate?: number;
  failedLogins?: number;
}

export interface Run {
  engine: AnomalyEngine;
  config: AnomalyConfig;
  /** Events with the interval index (0-based) at whose end they were raised. */
  events: (AnomalyEvent & { interval: number })[];
  /** Runs `count` intervals; `shape(i)` is the traffic of interval i (i counts from the run's start). */
  run(count: number, shape: (i: number) => Interval): void;
  clock: { ms: number };
}

export function simulate(config: object = {}, seed = 1): Run {
  const parsed = anomalyConfigSchema.parse(config);
  const clock = { ms: Date.UTC(2026, 0, 1) };
  const engine = new AnomalyEngine(parsed, () => clock.ms);
  const random = seeded(seed);
  const events: Run['events'] = [];
  let interval = 0;
  let sessionNo = 0;
  return {
    engine,
    config: parsed,
    events,
    clock,
    run(count, shape) {
      for (let i = 0; i < count; i++, interval++) {
        const traffic = shape(interval);
        const series = engine.series('shop-web', '1.4.0')!;
        for (let s = 0; s < (traffic.sessions ?? 0); s++) {
          const id = `s-${sessionNo++}`;
          engine.session(series, id, false);
          if (random() < (traffic.errorRate ?? 0)) engine.session(series, id, true);
        }
        if (traffic.failedLogins) engine.failedLogin(series, traffic.failedLogins);
        clock.ms += parsed.evaluation_interval;
        for (const event of engine.evaluate()) events.push({ ...event, interval });
      }
    },
  };
}
