// The PII corpus (test/fixtures/pii/) through the product's default pipeline: the real CLI runs the
// repository's otel-config.yaml as `npm start` does (only ports and the data directory moved by its
// ${env:…} variables), with a real OTLP/HTTP peer standing in for Jaeger. Afterwards not one planted
// value may appear in the session store (every row of every table), the file exporters' output,
// what reached the Jaeger peer, the Prometheus scrape, the self-metrics, or the collector's own logs
// (at debug level) — and the legitimate values beside them must be intact.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startRecordingServer, type RecordingServer } from '../../collector/src/exporters/testing/recording-server.js';
import { dumpDuckDb } from '../helpers/duckdb-dump.js';
import { freePort, waitForStatus } from '../helpers/ports.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(root, 'test/fixtures/pii', name), 'utf8')) as unknown;
const planted = fixture('planted.json') as Record<string, string[]>;
const legitimate = fixture('legitimate.json') as { store_and_files: string[]; files: string[] };
const SESSION = 'pii-ses-0001';

/** The fixtures' times are offsets from the start of the session: moved to now, so retention and the list's default range keep them. */
function shiftTimes(value: unknown, startNs: bigint): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, startNs));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, /UnixNano$/.test(key) && typeof v === 'string' ? String(startNs + BigInt(v)) : shiftTimes(v, startNs)]),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'stitch-pii-'));
let collector: ChildProcess;
let jaeger: RecordingServer;
let logs = '';
let ports: Record<'otlp' | 'api' | 'prometheus' | 'metrics' | 'health', number>;
const outputs: Record<string, string> = {};

before(async () => {
  jaeger = await startRecordingServer();
  ports = { otlp: await freePort(), api: await freePort(), prometheus: await freePort(), metrics: await freePort(), health: await freePort() };
  collector = spawn(process.execPath, [join(root, 'collector/bin/stitch.mjs'), 'start', '--config', join(root, 'otel-config.yaml')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      STITCH_OTLP_ENDPOINT: `127.0.0.1:${ports.otlp}`,
      STITCH_SESSIONS_API_ENDPOINT: `127.0.0.1:${ports.api}`,
      STITCH_PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.prometheus}`,
      STITCH_METRICS_ENDPOINT: `127.0.0.1:${ports.metrics}`,
      STITCH_HEALTH_ENDPOINT: `127.0.0.1:${ports.health}`,
      STITCH_JAEGER_OTLP_ENDPOINT: jaeger.url,
      STITCH_DATA_DIR: dir,
      STITCH_LOG_LEVEL: 'debug',
    },
  });
  collector.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  collector.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  await waitForStatus(`http://127.0.0.1:${ports.health}/`, 200, 30_000);

  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  for (const [path, file] of [['/v1/traces', 'traces.json'], ['/v1/logs', 'logs.json']] as const) {
    for (const request of fixture(file) as unknown[]) {
      const response = await fetch(`http://127.0.0.1:${ports.otlp}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(shiftTimes(request, start)),
      });
      assert.equal(response.status, 200, `${file}: ${await response.text()}`);
    }
  }

  // Everything has landed once the session shows all its spans (the backend one stitched) and events.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reply = await fetch(`http://127.0.0.1:${ports.api}/api/sessions/${SESSION}`);
    const body = reply.status === 200 ? ((await reply.json()) as { spans: unknown[]; events: unknown[] }) : undefined;
    if (body && body.spans.length >= 6 && body.events.length >= 5 && jaeger.requests.length > 0) break;
    if (Date.now() > deadline) throw new Error(`the corpus never fully reached the store: ${reply.status} ${JSON.stringify(body)?.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  outputs['sessions API (detail)'] = await (await fetch(`http://127.0.0.1:${ports.api}/api/sessions/${SESSION}`)).text();
  outputs['sessions API (list)'] = await (await fetch(`http://127.0.0.1:${ports.api}/api/sessions?range=24h`)).text();
  outputs['prometheus exporter /metrics'] = await (await fetch(`http://127.0.0.1:${ports.prometheus}/metrics`)).text();
  outputs['self-metrics /metrics'] = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();

  // A clean stop writes every buffer out and releases the store's file.
  collector.kill('SIGTERM');
  const [code] = (await once(collector, 'exit')) as [number | null];
  assert.equal(code, 0, `the collector stopped cleanly\n${logs.slice(-2000)}`);

  for (const file of ['traces.jsonl', 'logs.jsonl']) outputs[`file exporter ${file}`] = readFileSync(join(dir, file), 'utf8');
  // Protobuf strings are their UTF-8 bytes: a planted value sent to Jaeger shows in the decompressed body.
  outputs['Jaeger (OTLP peer)'] = jaeger.requests.map((r) => r.body.toString('latin1')).join('\n');
  for (const [table, rows] of Object.entries(await dumpDuckDb(join(dir, 'sessions.duckdb')))) outputs[`store table ${table}`] = rows;
  outputs['collector logs'] = logs;
});

after(async () => {
  if (collector && collector.exitCode === null) collector.kill('SIGKILL');
  await jaeger?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the PII corpus through the default pipeline (otel-config.yaml)', () => {
  it('reached every output: store tables, files, Jaeger, metrics, logs', () => {
    for (const name of ['store table spans', 'store table log_events', 'store table sessions', 'file exporter traces.jsonl', 'file exporter logs.jsonl', 'Jaeger (OTLP peer)']) {
      assert.ok(outputs[name]?.includes(SESSION), `${name} holds the session`);
    }
    assert.ok(outputs['store table spans']!.includes('checkout-api'), 'the backend span was stored (stitched to the session)');
  });

  for (const [kind, values] of Object.entries(planted)) {
    it(`lets no planted ${kind} through to any output`, () => {
      const leaks: string[] = [];
      for (const value of values) {
        // JSON outputs escape some characters: look for the value as written and as JSON would write it.
        const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
        for (const [output, text] of Object.entries(outputs)) {
          for (const form of forms) if (text.includes(form)) leaks.push(`${JSON.stringify(value)} in ${output}: …${text.slice(Math.max(0, text.indexOf(form) - 120), text.indexOf(form) + form.length + 40)}…`);
        }
      }
      assert.deepEqual(leaks, []);
    });
  }

  it('keeps the legitimate values beside them, in the store and the files (the store keeps fewer fields)', () => {
    const missing: string[] = [];
    const stored = Object.entries(outputs).filter(([name]) => name.startsWith('store table')).map(([, rows]) => rows).join('\n');
    const files = outputs['file exporter traces.jsonl']! + outputs['file exporter logs.jsonl']!;
    const expect = (value: string, place: string, text: string) => {
      if (![value, JSON.stringify(value).slice(1, -1)].some((form) => text.includes(form))) missing.push(`${value} (${place})`);
    };
    for (const value of legitimate.store_and_files) {
      expect(value, 'store', stored);
      expect(value, 'files', files);
    }
    for (const value of legitimate.files) expect(value, 'files', files);
    assert.deepEqual(missing, []);
  });

  it('says what it redacted, by key and count, never by value', () => {
    assert.match(outputs['file exporter traces.jsonl']!, /stitch\.redaction\.count/);
    assert.match(outputs['self-metrics /metrics']!, /stitch_processor_redaction_redactions_total\{[^}]*detector="credit_card"[^}]*\} [1-9]/);
  });
});
