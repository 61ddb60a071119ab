import type { Logger } from '@stitch/collector-api';
import { formatProblems, loadConfigText } from '../config/load.js';
import { defaultRegistry } from '../default-registry.js';
import { Collector } from '../service/collector.js';
import { silentLogger } from '../telemetry/logger.js';

/** A (not yet started) collector from YAML with every shipped component; `${env:…}` read from `env`. Throws the config problems. */
export function collectorFromYaml(yaml: string, options: { env?: Record<string, string>; logger?: Logger } = {}): Collector {
  const result = loadConfigText(yaml, defaultRegistry(), options.env ?? {});
  if (!result.ok) throw new Error(`test collector config: ${formatProblems(result.problems)}`);
  return new Collector(result.config, options.logger ?? silentLogger());
}

/** `http://127.0.0.1:<port>` of a running collector's otlp receiver (configured on port 0). */
export function otlpBaseUrl(collector: Collector, id = 'otlp'): string {
  return `http://127.0.0.1:${collector.component<{ address(): { port: number } }>('receiver', id)!.address().port}`;
}

/** `http://127.0.0.1:<port>` of a running collector's sessions_api extension. */
export function sessionsApiBaseUrl(collector: Collector, id = 'sessions_api'): string {
  return `http://127.0.0.1:${collector.component<{ port?: number }>('extension', id)!.port}`;
}
