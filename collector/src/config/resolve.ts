import {
  validateConfig,
  type AnyFactory,
  type ComponentKind,
  type ConfigProblem,
  type Signal,
  SIGNALS,
} from '@stitch/collector-api';
import type { Registry } from '../registry.js';

const SECTIONS = { receivers: 'receiver', processors: 'processor', exporters: 'exporter', extensions: 'extension' } as const;
type Section = keyof typeof SECTIONS;
const TOP_LEVEL = new Set(['receivers', 'processors', 'exporters', 'connectors', 'extensions', 'service']);
const ID = /^[A-Za-z][A-Za-z0-9_]*(\/[^\s/]+)?$/;

export interface ComponentConfig {
  id: string;
  kind: ComponentKind;
  factory: AnyFactory;
  config: unknown;
}

export interface PipelineConfig {
  id: string;
  signal: Signal;
  receivers: string[];
  processors: string[];
  exporters: string[];
}

export interface TelemetryConfig {
  logs: { level: 'debug' | 'info' | 'warn' | 'error' };
  /** Where the self-metrics are served as Prometheus text (`/metrics`); none when unset. */
  metrics: { address?: string };
}

export interface ResolvedConfig {
  components: Map<string, ComponentConfig>;
  pipelines: PipelineConfig[];
  extensions: string[];
  telemetry: TelemetryConfig;
}

export type ResolveResult =
  | { ok: true; config: ResolvedConfig; warnings: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(id: string): string {
  return id.split('/')[0]!;
}

const componentKey = (section: Section, id: string) => `${section}:${id}`;

/**
 * Checks a parsed config the way the OpenTelemetry Collector does — every component type known,
 * every key valid, every pipeline reference defined — and collects every problem with its key path.
 */
export function resolveConfig(raw: unknown, registry: Registry): ResolveResult {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const components = new Map<string, ComponentConfig>();
  if (!isMap(raw)) {
    return { ok: false, problems: [{ path: '(root)', message: 'expected a YAML mapping with receivers, exporters and service' }], warnings };
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.has(key)) problems.push({ path: key, message: `unknown top-level key (expected one of ${[...TOP_LEVEL].join(', ')})` });
  }

  for (const section of Object.keys(SECTIONS) as Section[]) {
    const entries = raw[section];
    if (entries === undefined || entries === null) continue;
    if (!isMap(entries)) {
      problems.push({ path: section, message: 'expected a mapping of component ids to their settings' });
      continue;
    }
    const kind = SECTIONS[section];
    for (const [id, value] of Object.entries(entries)) {
      const path = `${section}.${id}`;
      if (!ID.test(id)) {
        problems.push({ path, message: 'a component id is type or type/name, e.g. otlphttp/jaeger' });
        continue;
      }
      const factory = registry.get(kind, typeOf(id));
      if (!factory) {
        problems.push({ path, message: `unknown ${kind} type "${typeOf(id)}" (known: ${registry.types(kind).join(', ') || 'none'})` });
        continue;
      }
      const result = validateConfig(factory.configSchema, value, path);
      if (result.ok) components.set(componentKey(section, id), { id, kind, factory, config: result.config });
      else problems.push(...result.problems);
    }
  }
  if (isMap(raw.connectors) && Object.keys(raw.connectors).length > 0) {
    for (const id of Object.keys(raw.connectors)) {
      problems.push({ path: `connectors.${id}`, message: `unknown connector type "${typeOf(id)}" (known: none)` });
    }
  }

  const { pipelines, extensions, telemetry } = resolveService(raw.service, raw, components, problems);

  const used = new Set<string>();
  for (const pipeline of pipelines) {
    for (const id of pipeline.receivers) used.add(componentKey('receivers', id));
    for (const id of pipeline.processors) used.add(componentKey('processors', id));
    for (const id of pipeline.exporters) used.add(componentKey('exporters', id));
  }
  for (const id of extensions) used.add(componentKey('extensions', id));
  for (const section of Object.keys(SECTIONS) as Section[]) {
    const entries = raw[section];
    if (!isMap(entries)) continue;
    for (const id of Object.keys(entries)) {
      if (!used.has(componentKey(section, id))) {
        warnings.push({ path: `${section}.${id}`, message: 'defined but not used by the service, so it will not run' });
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems, warnings };
  const running = new Map([...components].filter(([key]) => used.has(key)));
  return { ok: true, config: { components: running, pipelines, extensions, telemetry }, warnings };
}

function stringList(value: unknown, path: string, problems: ConfigProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    problems.push({ path, message: `expected a list of component ids, got ${JSON.stringify(value)}` });
    return [];
  }
  return value as string[];
}

function resolveService(
  service: unknown,
  raw: Record<string, unknown>,
  components: Map<string, ComponentConfig>,
  problems: ConfigProblem[],
): { pipelines: PipelineConfig[]; extensions: string[]; telemetry: TelemetryConfig } {
  const telemetry: TelemetryConfig = { logs: { level: 'info' }, metrics: {} };
  const empty = { pipelines: [], extensions: [], telemetry };
  if (!isMap(service)) {
    problems.push({ path: 'service', message: 'missing: the service section names the pipelines to run' });
    return empty;
  }
  for (const key of Object.keys(service)) {
    if (!['extensions', 'pipelines', 'telemetry'].includes(key)) problems.push({ path: `service.${key}`, message: 'unknown key' });
  }

  const defined = (section: Section, id: string) =>
    isMap(raw[section]) && Object.prototype.hasOwnProperty.call(raw[section], id);
  const extensions = stringList(service.extensions, 'service.extensions', problems);
  extensions.forEach((id, index) => {
    if (!defined('extensions', id)) problems.push({ path: `service.extensions[${index}]`, message: `extension "${id}" is not defined under extensions` });
  });

  resolveTelemetry(service.telemetry, telemetry, problems);

  const pipelines: PipelineConfig[] = [];
  if (!isMap(service.pipelines) || Object.keys(service.pipelines).length === 0) {
    problems.push({ path: 'service.pipelines', message: 'at least one pipeline (traces, logs or metrics) is required' });
    return { pipelines, extensions, telemetry };
  }
  for (const [pipelineId, value] of Object.entries(service.pipelines)) {
    const path = `service.pipelines.${pipelineId}`;
    const signal = typeOf(pipelineId) as Signal;
    if (!SIGNALS.includes(signal)) {
      problems.push({ path, message: `pipeline type must be traces, logs or metrics, got "${typeOf(pipelineId)}"` });
      continue;
    }
    if (!isMap(value)) {
      problems.push({ path, message: 'expected a mapping with receivers, processors and exporters' });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (!['receivers', 'processors', 'exporters'].includes(key)) problems.push({ path: `${path}.${key}`, message: 'unknown key' });
    }
    const pipeline: PipelineConfig = {
      id: pipelineId,
      signal,
      receivers: stringList(value.receivers, `${path}.receivers`, problems),
      processors: stringList(value.processors, `${path}.processors`, problems),
      exporters: stringList(value.exporters, `${path}.exporters`, problems),
    };
    if (pipeline.receivers.length === 0) problems.push({ path: `${path}.receivers`, message: 'a pipeline needs at least one receiver' });
    if (pipeline.exporters.length === 0) problems.push({ path: `${path}.exporters`, message: 'a pipeline needs at least one exporter' });
    for (const section of ['receivers', 'processors', 'exporters'] as const) {
      const seen = new Set<string>();
      pipeline[section].forEach((id, index) => {
        const refPath = `${path}.${section}[${index}]`;
        const kind = SECTIONS[section];
        if (seen.has(id)) problems.push({ path: refPath, message: `${kind} "${id}" is listed twice` });
        seen.add(id);
        if (!defined(section, id)) {
          problems.push({ path: refPath, message: `${kind} "${id}" is not defined under ${section}` });
          return;
        }
        const component = components.get(componentKey(section, id));
        if (component && 'signals' in component.factory && !component.factory.signals.includes(signal)) {
          problems.push({ path: refPath, message: `${kind} "${id}" does not support ${signal}` });
        }
      });
    }
    pipelines.push(pipeline);
  }
  return { pipelines, extensions, telemetry };
}

function resolveTelemetry(value: unknown, telemetry: TelemetryConfig, problems: ConfigProblem[]): void {
  if (value === undefined || value === null) return;
  if (!isMap(value)) {
    problems.push({ path: 'service.telemetry', message: 'expected a mapping with logs and metrics' });
    return;
  }
  for (const key of Object.keys(value)) {
    if (key !== 'logs' && key !== 'metrics') problems.push({ path: `service.telemetry.${key}`, message: 'unknown key' });
  }
  if (isMap(value.logs)) {
    const level = value.logs.level;
    if (level !== undefined) {
      if (typeof level === 'string' && ['debug', 'info', 'warn', 'error'].includes(level.toLowerCase())) {
        telemetry.logs.level = level.toLowerCase() as TelemetryConfig['logs']['level'];
      } else problems.push({ path: 'service.telemetry.logs.level', message: `expected debug, info, warn or error, got ${JSON.stringify(level)}` });
    }
    for (const key of Object.keys(value.logs)) {
      if (key !== 'level') problems.push({ path: `service.telemetry.logs.${key}`, message: 'unknown key' });
    }
  }
  if (isMap(value.metrics)) {
    const address = value.metrics.address;
    if (address !== undefined && address !== null) {
      if (typeof address === 'string' && /^[^\s]*:\d{1,5}$/.test(address)) telemetry.metrics.address = address;
      else problems.push({ path: 'service.telemetry.metrics.address', message: `expected host:port such as "127.0.0.1:8888", got ${JSON.stringify(address)}` });
    }
    for (const key of Object.keys(value.metrics)) {
      if (key !== 'address') problems.push({ path: `service.telemetry.metrics.${key}`, message: 'unknown key' });
    }
  }
}
