import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { defaultRegistry } from '../default-registry.js';
import { substituteEnv } from './env.js';
import { formatProblems, loadConfigFile, loadConfigText } from './load.js';

const testdata = fileURLToPath(new URL('../../testdata/', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/stitch.mjs', import.meta.url));
const registry = defaultRegistry();

describe('environment substitution', () => {
  test('expands ${env:VAR}, ${env:VAR:-default}, ${VAR} and $$', () => {
    const { value, missing } = substituteEnv(
      { a: '${env:HOST}:${env:PORT:-4318}', b: '${PORT}', c: '$${env:HOST}', d: '${env:GONE}', e: '${env:FLAG}' },
      { HOST: 'example', PORT: '9000', FLAG: 'true' },
    );
    assert.deepEqual(value, { a: 'example:9000', b: 9000, c: '${env:HOST}', d: '', e: true });
    assert.deepEqual(missing, ['GONE']);
  });

  test('a whole-value reference takes its YAML type, an embedded one stays text', () => {
    const { value } = substituteEnv({ size: '${env:SIZE}', label: 'size-${env:SIZE}' }, { SIZE: '1024' });
    assert.deepEqual(value, { size: 1024, label: 'size-1024' });
  });
});

describe('stitch validate on testdata/invalid', () => {
  for (const file of readdirSync(`${testdata}invalid`).filter((f) => f.endsWith('.yaml'))) {
    const path = `${testdata}invalid/${file}`;
    const expected = /^# expect: (.*)$/m.exec(readFileSync(path, 'utf8'))![1]!;
    test(file, () => {
      const result = loadConfigFile(path, registry, {});
      assert.equal(result.ok, false, `${file} should be invalid`);
      const text = formatProblems(result.ok ? [] : result.problems);
      assert.ok(text.includes(expected), `expected "${expected}" in:\n${text}`);
    });
  }
});

describe('valid configs', () => {
  test('the full example resolves with shared receivers/exporters and per-pipeline processors', () => {
    const result = loadConfigFile(`${testdata}valid/full.yaml`, registry, {});
    assert.ok(result.ok, result.ok ? '' : formatProblems(result.problems));
    assert.deepEqual(result.config.pipelines.map((p) => [p.id, p.signal]), [['traces', 'traces'], ['logs', 'logs']]);
    assert.equal(result.config.telemetry.metrics.address, '127.0.0.1:8888');
    assert.deepEqual(result.warnings, []);
  });

  test('an unused component is a warning and does not run', () => {
    const result = loadConfigFile(`${testdata}valid/unused-exporter.yaml`, registry, {});
    assert.ok(result.ok);
    assert.deepEqual(result.warnings.map((w) => w.path), ['exporters.debug']);
    assert.equal([...result.config.components.values()].some((c) => c.id === 'debug'), false);
  });

  test('every problem of a config is reported, not only the first', () => {
    const result = loadConfigText(
      `receivers: { otlp: { protocols: { http: { endpoint: nope } } } }
processors: { batch: { timeout: soon } }
exporters: { otlphttp: { endpoint: x } }
service: { pipelines: { traces: { receivers: [otlp], processors: [batch], exporters: [otlphttp, file] } } }`,
      registry,
      {},
    );
    assert.equal(result.ok, false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    assert.deepEqual(paths.sort(), [
      'exporters.otlphttp.endpoint',
      'processors.batch.timeout',
      'receivers.otlp.protocols.http.endpoint',
      'service.pipelines.traces.exporters[1]',
    ]);
  });

  test('the shipped otel-config.yaml is valid', () => {
    const result = loadConfigFile(fileURLToPath(new URL('../../../otel-config.yaml', import.meta.url)), registry, {});
    assert.ok(result.ok, result.ok ? '' : formatProblems(result.problems));
    assert.deepEqual(result.warnings, []);
  });
});

describe('the stitch CLI', () => {
  test('validate prints the key path and exits 1 on a broken config', () => {
    const run = spawnSync(process.execPath, [cli, 'validate', '--config', `${testdata}invalid/bad-url.yaml`], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /exporters\.otlphttp\/jaeger\.endpoint: expected a URL, got "x"/);
  });

  test('validate exits 0 on a valid config and warns about unused components', () => {
    const run = spawnSync(process.execPath, [cli, 'validate', '-c', `${testdata}valid/unused-exporter.yaml`], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /is valid: traces/);
    assert.match(run.stderr, /warning: exporters\.debug: defined but not used/);
  });

  test('a missing file and a missing --config are clear errors', () => {
    const missing = spawnSync(process.execPath, [cli, 'validate', '--config', '/nonexistent.yaml'], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read \/nonexistent\.yaml: ENOENT/);
    const noFlag = spawnSync(process.execPath, [cli, 'start'], { encoding: 'utf8' });
    assert.equal(noFlag.status, 2);
    assert.match(noFlag.stderr, /--config <file> is required/);
  });

  test('components lists every type', () => {
    const run = spawnSync(process.execPath, [cli, 'components'], { encoding: 'utf8' });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /receivers: otlp/);
    assert.match(run.stdout, /exporters: debug, file, otlphttp/);
  });
});
