import type { Gauge, Counter, Logger, SelfTelemetry } from '@stitch/collector-api';
import type { MemoryLimits } from './config.js';
import type { MemoryProbe } from './memory-probe.js';

const MIB = 1024 * 1024;
/**
 * Above the soft limit only, a forced GC at most this often: a full GC stops the event loop (~25 ms
 * on 80 MiB of heap), but while data is refused most of the resident memory is garbage that V8
 * would otherwise keep until its own heuristics run (seconds, or never while little is allocated).
 */
const SOFT_GC_MIN_INTERVAL_MS = 1_000;

const mib = (bytes: number) => Math.round(bytes / MIB);

export interface MemoryWatchOptions {
  id: string;
  limits: MemoryLimits;
  intervalMs: number;
  probe: MemoryProbe;
  logger: Logger;
  telemetry: SelfTelemetry;
  now?: () => number;
}

/**
 * Samples the process's memory every `check_interval` and keeps one verdict, `refusing`, that
 * every pipeline using the same `memory_limiter` reads without a system call. Runs while at least
 * one of them is started.
 */
export class MemoryWatch {
  readonly limits: MemoryLimits;
  readonly #o: MemoryWatchOptions;
  readonly #now: () => number;
  readonly #usage: Gauge;
  readonly #refusingGauge: Gauge;
  readonly #gcRuns: Counter;
  #refusing = false;
  #lastUsage = 0;
  #lastGc = -Infinity;
  #users = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryWatchOptions) {
    this.#o = options;
    this.limits = options.limits;
    this.#now = options.now ?? Date.now;
    const labels = ['processor'] as const;
    this.#usage = options.telemetry.gauge('memory_limiter_usage_bytes', 'Resident memory of the collector at the last memory_limiter check, in bytes', labels);
    this.#refusingGauge = options.telemetry.gauge('memory_limiter_refusing', '1 while memory_limiter refuses data (memory above its soft limit), else 0', labels);
    this.#gcRuns = options.telemetry.counter('memory_limiter_gc_runs', 'Garbage collections forced by memory_limiter', labels);
    const limit = options.telemetry.gauge('memory_limiter_limit_bytes', 'memory_limiter thresholds in bytes of resident memory (limit="soft" starts refusals, "hard" also forces GC)', ['processor', 'limit']);
    limit.set(this.limits.softBytes, { processor: options.id, limit: 'soft' });
    limit.set(this.limits.hardBytes, { processor: options.id, limit: 'hard' });
  }

  /** True while new data must be refused: memory was above the soft limit at the last check. */
  get refusing(): boolean {
    return this.#refusing;
  }

  /** Resident bytes at the last check. */
  get usageBytes(): number {
    return this.#lastUsage;
  }

  /** Clients should come back after the next check, when the verdict can change. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.#o.intervalMs / 1000));
  }

  /** A pipeline starts using the watch; the first one starts the sampling. */
  acquire(): void {
    if (this.#users++ > 0) return;
    this.check();
    if (this.#refusing) {
      this.#o.logger.warn(
        { usage_mib: mib(this.#lastUsage), soft_limit_mib: mib(this.limits.softBytes) },
        'memory_limiter: the collector already uses more than the soft limit at start and will refuse all data; raise limit_mib',
      );
    }
    this.#timer = setInterval(() => this.check(), this.#o.intervalMs);
    // Sampling alone must not keep a process alive.
    this.#timer.unref();
  }

  /** A pipeline stops; the last one stops the sampling. */
  release(): void {
    if (this.#users === 0 || --this.#users > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#refusing = false;
  }

  /** One sample: forces a GC when needed, then decides whether to refuse until the next one. */
  check(): void {
    const { softBytes, hardBytes } = this.limits;
    let usage = this.#o.probe.rssBytes();
    const before = usage;
    const now = this.#now();
    // Above the hard limit every check collects; between the limits at most once a second. The
    // pages a collection frees mostly leave RSS a moment later (background sweeping), so the
    // reading right after it often still shows them: the next check sees the difference.
    const collect = usage >= hardBytes || (usage >= softBytes && now - this.#lastGc >= SOFT_GC_MIN_INTERVAL_MS);
    if (collect && this.#o.probe.collectGarbage()) {
      this.#lastGc = now;
      this.#gcRuns.add(1, { processor: this.#o.id });
      usage = this.#o.probe.rssBytes();
      this.#o.logger.debug({ before_mib: mib(before), after_mib: mib(usage), soft_limit_mib: mib(softBytes), hard_limit_mib: mib(hardBytes) }, 'memory_limiter forced a garbage collection');
    }
    const refusing = usage >= softBytes;
    if (refusing !== this.#refusing) {
      const fields = { usage_mib: mib(usage), soft_limit_mib: mib(softBytes), hard_limit_mib: mib(hardBytes) };
      if (refusing) this.#o.logger.warn(fields, 'memory above the soft limit: refusing data until it is below (clients get 503 with Retry-After)');
      else this.#o.logger.info(fields, 'memory back below the soft limit: accepting data again');
    }
    this.#refusing = refusing;
    this.#lastUsage = usage;
    this.#usage.set(usage, { processor: this.#o.id });
    this.#refusingGauge.set(refusing ? 1 : 0, { processor: this.#o.id });
  }
}
