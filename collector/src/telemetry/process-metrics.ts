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
  new Gauge({
    name: `${prefix}process_uptime_seconds`,
    help: 'Seconds since the collector process created its self-metrics',
    registers: [registry],
    collect() {
      this.set((Date.now() - startedAt) / 1000);
    },
  });
}
