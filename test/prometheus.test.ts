// A real Prometheus scrapes a real collector: sessions driven through the OTLP receiver must show
// up in Prometheus's query API as session, Web Vitals, RED and self metrics with exact values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Collector, defaultRegistry, formatProblems, loadConfigText, silentLogger } from '@stitch/collector';
import { browserSession } from '../collector/src/store/testing/browser-session.js';
import { ensureDebianPackage } from './helpers/debian-package.js';
import { PROMETHEUS, PrometheusServer } from './helpers/prometheus-server.js';

const YAML = `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: { timeout: 200ms }
exporters:
  prometheus: { endpoint: 127.0.0.1:0, namespace: stitch }
service:
  telemetry: { metrics: { address: 127.0.0.1:0 } }
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [prometheus] }
    logs: { receivers: [otlp], processors: [batch], exporters: [prometheus] }
`;

const missing = ensureDebianPackage(PROMETHEUS, 'prometheus');
const docker = fileURLToPath(new URL('../docker/', import.meta.url));

describe('prometheus exporter scraped by a real Prometheus', { skip: missing }, () => {
  let collector: Collector;
  let prometheus: PrometheusServer;
  let otlp: string;

  before(async () => {
    const loaded = loadConfigText(YAML, defaultRegistry(), {});
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    collector = new Collector(loaded.config, silentLogger());
    await collector.start();
    otlp = `http://127.0.0.1:${collector.component<{ address(): { port: number } }>('receiver', 'otlp')!.address().port}`;
    const exporterPort = collector.component<{ address(): { port: number } }>('exporter', 'prometheus')!.address().port;
    // The shipped alert rules are loaded too: Prometheus itself must accept and evaluate them.
    prometheus = await PrometheusServer.start({ stitch: [`127.0.0.1:${exporterPort}`], 'stitch-collector': [`127.0.0.1:${collector.metricsPort}`] }, [`${docker}prometheus/alerts.yml`]);
  });

  after(async () => {
    await prometheus?.stop();
    await collector?.shutdown();
  });

  const post = async (signal: 'traces' | 'logs', body: unknown) => {
    const response = await fetch(`${otlp}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.text());
  };

  it('holds the expected session, vitals, RED and self metrics', async () => {
    const start = Date.now() - 60_000;
    const sessions = [
      // Ended, with an error, two API calls (one failing) and a good LCP on a product page.
      browserSession({ sessionId: 'p1', startMs: start, pages: ['https://shop.example.com/products/7'], clicks: 3, error: { type: 'TypeError', message: 'boom', stack: '' }, apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200, durationMs: 30 }, { url: 'https://api.example.com/api/pay', status: 502, durationMs: 700 }], vitals: { LCP: 1900, CLS: 0.02 }, end: true }),
      // Live, from France, a poor LCP on another product page (same route template).
      browserSession({ sessionId: 'p2', startMs: start + 10_000, pages: ['https://shop.example.com/products/8?utm=x'], geo: { country: 'FR' }, vitals: { LCP: 4500, INP: 120 } }),
      // Live, version 2.0.0, good FCP and TTFB on the home page.
      browserSession({ sessionId: 'p3', startMs: start + 20_000, version: '2.0.0', apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200, durationMs: 30 }], vitals: { FCP: 1200, TTFB: 300 } }),
    ];
    let logRecords = 0;
    for (const s of sessions) {
      await post('traces', s.traces);
      await post('traces', s.backendTraces);
      await post('logs', s.logs);
      logRecords += (s.logs as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] }).resourceLogs[0]!.scopeLogs[0]!.logRecords.length;
    }

    const expect = async (promql: string, want: number) => assert.equal(await prometheus.eventually(promql, want), want, promql);
    // Both targets are up.
    await expect('sum(up{job="stitch"})', 1);
    await expect('sum(up{job="stitch-collector"})', 1);
    // Sessions.
    await expect('sum(stitch_sessions_started_total)', 3);
    await expect('sum(stitch_sessions_started_total{country="FR"})', 1);
    await expect('sum(stitch_sessions_active)', 2);
    await expect('sum(stitch_sessions_active{service_version="2.0.0"})', 1);
    await expect('sum(stitch_sessions_with_errors_total)', 1);
    await expect('sum(stitch_errors_total{exception_type="TypeError"})', 1);
    await expect('sum(stitch_session_duration_seconds_count)', 1);
    await expect('sum(stitch_session_user_actions_sum)', 3);
    await expect('sum(stitch_session_page_views_bucket{le="1"})', 1);
    // Web Vitals by route template: one good and one poor LCP on /products/:id.
    await expect('sum(stitch_web_vitals_lcp_seconds_count{route="/products/:id"})', 2);
    await expect('sum(stitch_web_vitals_lcp_seconds_bucket{route="/products/:id",le="2.5"})', 1);
    await expect('sum(stitch_web_vitals_lcp_seconds_bucket{route="/products/:id",le="4"})', 1);
    await expect('sum(stitch_web_vitals_inp_seconds_bucket{le="0.2"})', 1);
    await expect('sum(stitch_web_vitals_cls_bucket{le="0.1"})', 1);
    await expect('sum(stitch_web_vitals_fcp_seconds_bucket{route="/",le="1.5"})', 1);
    await expect('sum(stitch_web_vitals_ttfb_seconds_sum{service_version="2.0.0"})', 0.3);
    // RED metrics as the spanmetrics connector names them, without the namespace.
    await expect('sum(traces_span_metrics_calls_total{service_name="shop-api",span_kind="SPAN_KIND_SERVER"})', 3);
    await expect('sum(traces_span_metrics_calls_total{service_name="shop-api",status_code="STATUS_CODE_ERROR"})', 1);
    await expect('sum(traces_span_metrics_calls_total{service_name="shop-web",span_kind="SPAN_KIND_CLIENT"})', 3);
    await expect('sum(traces_span_metrics_duration_milliseconds_bucket{service_name="shop-api",span_name="POST /api/cart",le="50"})', 2);
    await expect('sum(traces_span_metrics_duration_milliseconds_sum{service_name="shop-api",span_name="POST /api/pay"})', 690);
    // The collector's self-metrics on its own endpoint.
    await expect('sum(stitch_receiver_accepted_spans_total{job="stitch-collector"})', 6);
    await expect('sum(stitch_receiver_accepted_log_records_total)', logRecords);
    await expect('sum(stitch_exporter_sent_log_records_total{exporter="prometheus"})', logRecords);
    const memory = await prometheus.query('stitch_process_memory_rss_bytes{job="stitch-collector"}');
    assert.ok((memory[0]?.value ?? 0) > 10 * 2 ** 20, `collector RSS ${memory[0]?.value}`);
    // No session id anywhere in what Prometheus stored.
    const series = await prometheus.query('{job="stitch"}');
    assert.ok(series.length > 0);
    assert.ok(!JSON.stringify(series).match(/"p[123]"/), 'a session id reached a label');
  });

  it('evaluates the shipped alert rules without errors', async () => {
    const data = await prometheus.api<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>('/api/v1/rules');
    const rules = data.groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 11, `${rules.length} rules loaded`);
    // Rules are evaluated every second: wait for one evaluation of each, then none may be unhealthy.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const after = (await prometheus.api<typeof data>('/api/v1/rules')).groups.flatMap((g) => g.rules);
    assert.deepEqual(after.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`), []);
    // The recording rule the dashboard and StitchCollectorRefusingData use sees the receiver.
    assert.equal(await prometheus.eventually('count(stitch_receiver:incoming_items:rate5m{receiver="otlp"})', 1), 1);
  });

  it('answers every query of the Grafana dashboard', async () => {
    const dashboard = JSON.parse(readFileSync(`${docker}grafana/stitch-dashboard.json`, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    assert.ok(queries.length > 20);
    const empty: string[] = [];
    for (const { panel, expr } of queries) {
      // Grafana's variables as "All" and a 5-minute range.
      const promql = expr.replace(/\$__rate_interval|\$__range/g, '5m').replace(/\$\w+/g, '.*');
      const result = await prometheus.query(promql);
      if (result.length === 0) empty.push(`${panel}: ${promql}`);
    }
    // Only panels about what the driven sessions did not produce may be empty (no dropped data, no folds).
    const allowedEmpty = /Refused and lost|Sending queue fill|folded|Slowest|queue/i;
    assert.deepEqual(empty.filter((line) => !allowedEmpty.test(line)), []);
  });
});
