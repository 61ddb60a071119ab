import { Counter as PromCounter, Gauge as PromGauge, Registry } from 'prom-client';
import type { Counter, Gauge, Labels, SelfTelemetry } from '@stitch/collector-api';
import { registerProcessMetrics } from './process-metrics.js';

export const METRIC_PREFIX = 'stitch_';

/** The collector's self-metrics, kept in one prom-client registry (exposed on /metrics). */
export class SelfMetrics implements SelfTelemetry {
  readonly registry = new Registry();
  readonly #counters = new Map<string, Counter>();
  readonly #gauges = new Map<string, Gauge>();

  constructor() {
    registerProcessMetrics(this.registry, METRIC_PREFIX);
  }

  counter(name: string, help: string, labelNames: readonly string[]): Counter {
    const existing = this.#counters.get(name);
    if (existing) return existing;
    const metric = new PromCounter({
      name: `${METRIC_PREFIX}${name}_total`,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
    });
    const counter: Counter = { add: (value: number, labels?: Labels) => (labels ? metric.inc(labels, value) : metric.inc(value)) };
    this.#counters.set(name, counter);
    return counter;
  }

  gauge(name: string, help: string, labelNames: readonly string[]): Gauge {
    const existing = this.#gauges.get(name);
    if (existing) return existing;
    const metric = new PromGauge({ name: `${METRIC_PREFIX}${name}`, help, labelNames: [...labelNames], registers: [this.registry] });
    const gauge: Gauge = { set: (value: number, labels?: Labels) => (labels ? metric.set(labels, value) : metric.set(value)) };
    this.#gauges.set(name, gauge);
    return gauge;
  }

  /** Current value of a counter or gauge for the given labels (0 when never set): for tests and logs. */
  async value(fullName: string, labels: Labels = {}): Promise<number> {
    const metric = this.registry.getSingleMetric(fullName);
    if (!metric) return 0;
    const { values } = await metric.get();
    const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
    return match?.value ?? 0;
  }
}
