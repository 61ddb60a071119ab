import type { Signal } from '@stitch/collector-api';
import type { OtlpHttpExporterConfig } from './config.js';

const SIGNAL_PATH: Record<Signal, string> = { traces: 'v1/traces', logs: 'v1/logs', metrics: 'v1/metrics' };

/** The URL each signal is posted to: its own `<signal>_endpoint`, else `endpoint` + `/v1/<signal>`. */
export function signalUrls(config: OtlpHttpExporterConfig): Record<Signal, URL | undefined> {
  const urlFor = (signal: Signal, override: string | undefined): URL | undefined => {
    if (override) return new URL(override);
    if (!config.endpoint) return undefined;
    // Keep a base path such as /otlp: resolve against the base with exactly one trailing slash.
    const base = config.endpoint.endsWith('/') ? config.endpoint : `${config.endpoint}/`;
    return new URL(SIGNAL_PATH[signal], base);
  };
  return {
    traces: urlFor('traces', config.traces_endpoint),
    logs: urlFor('logs', config.logs_endpoint),
    metrics: urlFor('metrics', config.metrics_endpoint),
  };
}
