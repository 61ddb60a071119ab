import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Collector } from '../../service/collector.js';
import { browserSession } from '../../store/testing/browser-session.js';
import { collectorFromYaml, otlpBaseUrl } from '../../testing/yaml-collector.js';
import type { SessionStoreExporter } from './sessionstore-exporter.js';

const dir = mkdtempSync(join(tmpdir(), 'stitch-sessionstore-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function collectorFor(path: string, wait = '300ms'): Collector {
  const yaml = `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  session_stitch: { wait: ${wait}, index_store: sessionstore }
exporters:
  sessionstore: { path: ${JSON.stringify(path)}, refresh_interval: 100ms }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
    logs: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
`;
  return collectorFromYaml(yaml);
}

async function post(collector: Collector, signal: 'traces' | 'logs', body: unknown): Promise<void> {
  const response = await fetch(`${otlpBaseUrl(collector)}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

const storeOf = (collector: Collector) => collector.component<SessionStoreExporter>('exporter', 'sessionstore')!.sessionStore!;

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)?.slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sessionstore exporter', () => {
  it('makes a session queryable within the refresh interval, with backend spans stitched', async () => {
    const collector = collectorFor(join(dir, 'live.duckdb'));
    await collector.start();
    try {
      const session = browserSession({ sessionId: 'live-1', startMs: Date.now() - 5_000, pages: ['https://shop.example.com/'], apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200 }] });
      // Backends usually report before browsers (browsers batch): the stitch processor holds them.
      await post(collector, 'traces', session.backendTraces);
      await post(collector, 'traces', session.traces);
      await post(collector, 'logs', session.logs);
      const store = storeOf(collector);
      const detail = await eventually(
        'session with its backend span',
        () => store.getSession('live-1'),
        // Spans are visible once written; the row once the next refresh folds them in.
        (d) => d !== undefined && d.spans.length === 2 && d.session.pageViews === 1,
      );
      assert.equal(detail!.session.pageViews, 1);
      const server = detail!.spans.find((s) => s.service === 'shop-api');
      assert.equal(server?.stitched, true);
    } finally {
      await collector.shutdown();
    }
  });

  it('stitches late backend spans after a restart through the persisted trace index', async () => {
    const path = join(dir, 'restart.duckdb');
    const session = browserSession({ sessionId: 'before-restart', startMs: Date.now() - 60_000, apiCalls: [{ url: 'https://api.example.com/api/pay', status: 502 }] });
    const first = collectorFor(path);
    await first.start();
    await post(first, 'traces', session.traces);
    await post(first, 'logs', session.logs);
    await eventually('browser span stored', async () => (await storeOf(first).getSession('before-restart'))?.spans.length ?? 0, (n) => n === 1);
    await first.shutdown();

    const second = collectorFor(path);
    await second.start();
    try {
      // The new process has an empty in-memory index: the span waits 300 ms, then the store names its session.
      await post(second, 'traces', session.backendTraces);
      const detail = await eventually('late backend span stitched', () => storeOf(second).getSession('before-restart'), (d) => (d?.spans.length ?? 0) === 2);
      const server = detail!.spans.find((s) => s.service === 'shop-api')!;
      assert.equal(server.stitched, true);
      assert.equal(server.traceId, session.traceIds[0]);
      assert.deepEqual(detail!.traces[0]!.services, ['shop-api', 'shop-web']);
    } finally {
      await second.shutdown();
    }
  });

  it('names the bad key when index_store points at nothing', async () => {
    const yaml = `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  session_stitch: { index_store: sessionstore/missing }
exporters:
  sessionstore: { path: ${JSON.stringify(join(dir, 'bad.duckdb'))} }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [session_stitch], exporters: [sessionstore] }
`;
    const collector = collectorFromYaml(yaml);
    await assert.rejects(collector.start(), /processors\.session_stitch\.index_store: no exporter "sessionstore\/missing"/);
  });
});
