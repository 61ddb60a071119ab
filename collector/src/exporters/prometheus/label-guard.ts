import { Counter, type Registry } from 'prom-client';

/** The value a label takes once it has had its fill of distinct values. */
export const OTHER = 'other';

/** A prom-client metric's series can be dropped by its labels. */
export interface SeriesOwner {
  remove(labels: Record<string, string>): void;
}

export interface LabelGuardOptions {
  /** Distinct values per label per metric. */
  limit: number;
  /** Series and label values unused this long are forgotten; 0 keeps them forever. */
  expirationMs: number;
  now: () => number;
}

/**
 * Keeps each label of each metric to at most `limit` distinct values, and forgets series (and so
 * label values) nobody updated for a while. A series per route, version or span name is what users
 * want until a bot crawls a million URLs; past the limit new values become `other` and the fold is
 * counted, so an operator sees that a label needs a better template. Expiry lets new values (the
 * next release's version) in again once old ones stop being used, as the OpenTelemetry
 * Collector's Prometheus exporter drops series after `metric_expiration`.
 */
export class LabelGuard {
  readonly #options: LabelGuardOptions;
  /** `metric\0label` → value → last use (ms). */
  readonly #values = new Map<string, Map<string, number>>();
  /** `metric\0labels` → the series to drop when it expires. */
  readonly #series = new Map<string, { owners: SeriesOwner[]; labels: Record<string, string>; lastMs: number }>();
  readonly #folded: Counter<'metric' | 'label'>;

  constructor(options: LabelGuardOptions, registry: Registry, prefix: string) {
    this.#options = options;
    this.#folded = new Counter({
      name: `${prefix}prometheus_label_values_folded_total`,
      help: 'Label values replaced by "other" because the label of that metric reached max_label_values',
      labelNames: ['metric', 'label'],
      registers: [registry],
    });
  }

  /**
   * The labels to record: each value kept if already known or if there is room, else `other`.
   * `owners` are the metrics that will record this series, so it can expire.
   */
  admit<L extends string>(metric: string, labels: Record<L, string>, ...owners: SeriesOwner[]): Record<L, string> {
    const now = this.#options.now();
    const out = { ...labels };
    for (const label of Object.keys(labels) as L[]) {
      const value = labels[label];
      if (value === OTHER) continue;
      const key = `${metric}\u0000${label}`;
      let values = this.#values.get(key);
      if (!values) this.#values.set(key, (values = new Map()));
      if (values.has(value) || values.size < this.#options.limit) {
        values.set(value, now);
        continue;
      }
      out[label] = OTHER;
      this.#folded.inc({ metric, label });
    }
    if (owners.length > 0 && this.#options.expirationMs > 0) {
      const seriesKey = `${metric}\u0000${Object.values<string>(out).join('\u0000')}`;
      const series = this.#series.get(seriesKey);
      if (series) series.lastMs = now;
      else this.#series.set(seriesKey, { owners, labels: out, lastMs: now });
    }
    return out;
  }

  /** Drops series and label values unused for the expiration time (run before each scrape). */
  expire(): void {
    if (this.#options.expirationMs <= 0) return;
    const cutoff = this.#options.now() - this.#options.expirationMs;
    for (const [key, series] of this.#series) {
      if (series.lastMs >= cutoff) continue;
      for (const owner of series.owners) owner.remove(series.labels);
      this.#series.delete(key);
    }
    // A value in use by any live series was touched with it, so it is never dropped before them.
    for (const values of this.#values.values()) {
      for (const [value, lastMs] of values) if (lastMs < cutoff) values.delete(value);
    }
  }
}
