// Docs move with the code: every component type and every config key it accepts must appear in
// docs/configuration.md and in the component's own README.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { defaultRegistry } from '../collector/src/default-registry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const configurationDoc = readFileSync(`${root}docs/configuration.md`, 'utf8');

// The smallest valid config of each type, so that parsing fills in every default key.
const MINIMAL: Record<string, unknown> = {
  otlphttp: { endpoint: 'http://127.0.0.1:4318' },
  file: { path: './data/x.jsonl' },
};

function keyPaths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const isMap = key === 'headers';
    return [path, ...(isMap ? [] : keyPaths(child, path))];
  });
}

function readmeOf(type: string, kind: string): string {
  const folder =
    kind === 'processor'
      ? `${root}processors/${type.replace(/_/g, '-')}/` // folders are kebab-case: session_stitch → session-stitch
      : `${root}collector/src/${kind}s/${type}/`;
  return readFileSync(`${folder}README.md`, 'utf8');
}

for (const factory of defaultRegistry().all()) {
  test(`${factory.kind} ${factory.type}: every key is documented`, () => {
    const config = factory.configSchema.parse(MINIMAL[factory.type] ?? {});
    const readme = readmeOf(factory.type, factory.kind);
    assert.ok(configurationDoc.includes(`### \`${factory.type}\``), `docs/configuration.md has no section for ${factory.type}`);
    for (const path of keyPaths(config)) {
      const leaf = path.split('.').at(-1)!;
      assert.ok(configurationDoc.includes(leaf), `docs/configuration.md does not mention ${factory.type}.${path}`);
      assert.ok(readme.includes(leaf), `${factory.type}'s README does not mention ${path}`);
    }
  });
}

test('otel-config.yaml uses only documented component types', () => {
  const config = parseYaml(readFileSync(`${root}otel-config.yaml`, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const section of ['receivers', 'processors', 'exporters', 'extensions']) {
    for (const id of Object.keys(config[section] ?? {})) {
      assert.ok(configurationDoc.includes(`### \`${id.split('/')[0]}\``), `${section}.${id} is not documented`);
    }
  }
});

test('docker/compose.yaml is valid YAML naming the collector, Jaeger and Prometheus', () => {
  const compose = parseYaml(readFileSync(`${root}docker/compose.yaml`, 'utf8')) as { services: Record<string, unknown> };
  assert.deepEqual(Object.keys(compose.services).sort(), ['collector', 'jaeger', 'prometheus']);
  assert.ok(readdirSync(`${root}docker`).includes('Dockerfile'));
});

test('docker/jaeger/config.yaml points Jaeger’s Monitor tab at the Prometheus that scrapes Stitch', () => {
  const jaeger = parseYaml(readFileSync(`${root}docker/jaeger/config.yaml`, 'utf8')) as any;
  const metricsBackend = jaeger.extensions.jaeger_query.storage.metrics;
  const prometheus = jaeger.extensions.jaeger_storage.metric_backends[metricsBackend].prometheus;
  assert.equal(prometheus.endpoint, 'http://prometheus:9090');
  assert.equal(prometheus.normalize_calls, true, 'Stitch writes traces_span_metrics_calls_total');
  assert.equal(prometheus.normalize_duration, true, 'Stitch writes traces_span_metrics_duration_milliseconds');
  const compose = parseYaml(readFileSync(`${root}docker/compose.yaml`, 'utf8')) as any;
  assert.ok(compose.services.jaeger.volumes.some((v: string) => v.startsWith('./jaeger/config.yaml:')), 'compose mounts it');
});
