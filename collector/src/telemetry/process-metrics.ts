import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The collector process's CPU, memory and uptime, read at scrape time, as the OpenTelemetry
 * Collector's `otelcol_process_*` metrics report them: enough to alert on a collector that runs
 * hot or grows, without prom-client's dozens of Node.js runtime series.
 */
export function registerProcessMetrics(registry: Registry, prefix: string): void {
  const startedAt = Date.now();
  new Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'User and system CPU time used by the collector process, in seconds',
    registers: [registry],
    collect() {
      const { user, system } = process.cpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
  new Gauge({
    name: `${prefix}process_memory_rss_bytes`,
    help: 'Resident set size of the collector process, in bytes',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: `${prefix}process_runtime_heap_used_bytes`,
    help: 'V8 heap in use by the collector process, in bytes',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  registerEventLoopDelay(registry, prefix);
  new Gauge({
    name: `${prefix}process_uptime_seconds`,
    help: 'Seconds since the collector process created its self-metrics',
    registers: [registry],
    collect() {
      this.set((Date.now() - startedAt) / 1000);
    },
  });
}

/**
 * How late the event loop ran timers since the previous scrape (p99 and max): what a request waits
 * behind synchronous work. perf_hooks' histogram of a 20 ms libuv timer, reset at each scrape.
 */
function registerEventLoopDelay(registry: Registry, prefix: string): void {
  const resolutionMs = 20;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // Samples are whole timer intervals (an idle loop reads ~20 ms): report the lateness beyond
  // the interval. A histogram with no sample yet reports 9.2e18 for max: say 0.
  const read = (valueNs: number) => (histogram.count > 0 ? Math.max(0, valueNs / 1e9 - resolutionMs / 1000) : 0);
  let p99 = 0;
  new Gauge({
    name: `${prefix}process_event_loop_delay_p99_seconds`,
    help: 'Event loop delay, 99th percentile since the previous scrape, in seconds',
    registers: [registry],
    collect() {
      // Both gauges read one window: the max gauge resets it, and is collected after this one.
      p99 = read(histogram.percentile(99));
      this.set(p99);
    },
  });
  new Gauge({
    name: `${prefix}process_event_loop_delay_max_seconds`,
    help: 'Event loop delay, maximum since the previous scrape, in seconds',
    registers: [registry],
    collect() {
      this.set(Math.max(p99, read(histogram.max)));
      histogram.reset();
    },
  });
}
