import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Registry } from 'prom-client';
import { browserSession, logsBatch, tracesBatch } from '../../store/testing/browser-session.js';
import { testSettings } from '../../testing/settings.js';
import { prometheusExporterConfigSchema } from './config.js';
import { PrometheusExporter } from './prometheus-exporter.js';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

function exporter(config: Record<string, unknown> = {}) {
  const clock = { now: T0 };
  const parsed = prometheusExporterConfigSchema.parse({ endpoint: '127.0.0.1:0', ...config });
  const settings = testSettings('prometheus');
  return { exporter: new PrometheusExporter(settings, parsed, () => clock.now), clock, settings };
}

/** Sum of a sample's values over the series whose labels include `labels` (0 when none). */
async function sample(registry: Registry, metric: string, sampleName: string, labels: Record<string, string | number> = {}): Promise<number> {
  const found = registry.getSingleMetric(metric);
  if (!found) throw new Error(`no metric ${metric}`);
  const { values } = await found.get();
  return values
    .filter((v) => ((v as { metricName?: string }).metricName ?? metric) === sampleName && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === String(want)))
    .reduce((sum, v) => sum + v.value, 0);
}
const value = (r: Registry, metric: string, labels: Record<string, string | number> = {}) => sample(r, metric, metric, labels);
const bucket = (r: Registry, metric: string, le: number | '+Inf', labels: Record<string, string> = {}) => sample(r, metric, `${metric}_bucket`, { ...labels, le });
const count = (r: Registry, metric: string, labels: Record<string, string> = {}) => sample(r, metric, `${metric}_count`, labels);
const sum = (r: Registry, metric: string, labels: Record<string, string> = {}) => sample(r, metric, `${metric}_sum`, labels);

async function send(target: PrometheusExporter, session: ReturnType<typeof browserSession>): Promise<void> {
  await target.consume(tracesBatch(session.traces), {});
  await target.consume(tracesBatch(session.backendTraces), {});
  await target.consume(logsBatch(session.logs), {});
}

describe('prometheus exporter: session metrics', () => {
  it('counts starts, errors, active sessions and observes ended sessions', async () => {
    const { exporter: e, clock } = exporter();
    const r = e.registry;
    // s1: 3 pages, 2 clicks, an error, ended. s2: 1 page, still going. s3: Firefox, mobile, from DE, idle later.
    await send(e, browserSession({ sessionId: 's1', startMs: T0 - 60_000, pages: ['https://shop.example.com/', 'https://shop.example.com/products/42', 'https://shop.example.com/cart'], clicks: 2, error: { type: 'TypeError', message: 'x is undefined', stack: '' }, end: true }));
    await send(e, browserSession({ sessionId: 's2', startMs: T0 - 30_000, geo: { country: 'FR' } }));
    await send(e, browserSession({ sessionId: 's3', startMs: T0 - 10_000, userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', error: { type: 'ChunkLoadError', message: 'chunk', stack: '' } }));

    const chrome = { service_name: 'shop-web', browser_name: 'Google Chrome', device_type: 'desktop', deployment_environment: 'production', service_version: '1.0.0' };
    assert.equal(await value(r, 'stitch_sessions_started_total'), 3);
    assert.equal(await value(r, 'stitch_sessions_started_total', { ...chrome, country: 'FR' }), 1);
    // s3's resource has only the raw User-Agent (no enrich processor ran): its labels say unknown.
    assert.equal(await value(r, 'stitch_sessions_started_total', { browser_name: 'unknown', device_type: 'unknown' }), 1);
    assert.equal(await value(r, 'stitch_sessions_with_errors_total'), 2);
    assert.equal(await value(r, 'stitch_errors_total', { exception_type: 'TypeError' }), 1);
    assert.equal(await value(r, 'stitch_errors_total', { exception_type: 'ChunkLoadError' }), 1);

    // s1 ended with session.end: observed once, with its page views and clicks.
    assert.equal(await count(r, 'stitch_session_duration_seconds'), 1);
    assert.equal(await bucket(r, 'stitch_session_page_views', 3), 1);
    assert.equal(await bucket(r, 'stitch_session_page_views', 2), 0);
    assert.equal(await sum(r, 'stitch_session_user_actions'), 2);
    // s1 ran from its session.start (T0-60s) to its session.end 1 ms after the error: 3 pages × 1 s + 2 clicks × 0.5 s + 0.1 s.
    assert.equal(await sum(r, 'stitch_session_duration_seconds'), 4.101);

    // Only s2 and s3 are live and recent.
    assert.equal(await value(r, 'stitch_sessions_active'), 2);
    // Late records of an ended session do not start it again (its tombstone lasts the inactivity timeout).
    await e.consume(logsBatch(browserSession({ sessionId: 's1', startMs: T0 - 1_000 }).logs), {});
    assert.equal(await value(r, 'stitch_sessions_started_total'), 3);
    clock.now = T0 + 5 * 60_000 - 20_000; // s3 (last activity T0-10s+100ms…) still within 5 min, s2 (T0-29s) not
    assert.equal(await value(r, 'stitch_sessions_active'), 1);
    clock.now = T0 + 16 * 60_000; // both idle past 15 min: ended and observed
    assert.equal(await value(r, 'stitch_sessions_active'), 0);
    assert.equal(await count(r, 'stitch_session_duration_seconds'), 3);
    assert.equal(await bucket(r, 'stitch_session_page_views', 1), 2);

  });

  it('keeps a bounded LRU: an evicted session is ended and observed', async () => {
    const { exporter: e } = exporter({ sessions: { max_tracked: 2 } });
    for (const id of ['a', 'b', 'c']) await e.consume(logsBatch(browserSession({ sessionId: id, startMs: T0 - 1_000 }).logs), {});
    assert.equal(await value(e.registry, 'stitch_sessions_started_total'), 3);
    assert.equal(await count(e.registry, 'stitch_session_duration_seconds'), 1);
    assert.equal(await value(e.registry, 'stitch_sessions_active'), 2);
  });

  it('ignores backend records for sessions and never labels by session id', async () => {
    const { exporter: e } = exporter();
    await send(e, browserSession({ sessionId: 'secret-session-id', startMs: T0 - 1_000, apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200 }] }));
    assert.equal(await value(e.registry, 'stitch_sessions_started_total', { service_name: 'shop-api' }), 0);
    const text = await e.registry.metrics();
    assert.doesNotMatch(text, /secret-session-id/);
  });
});

describe('prometheus exporter: web vitals', () => {
  it('observes vitals in seconds by route template, with threshold buckets', async () => {
    const { exporter: e } = exporter();
    const session = browserSession({ sessionId: 'v1', startMs: T0 - 5_000, pages: ['https://shop.example.com/products/42?ref=mail'], vitals: { LCP: 2400, INP: 350, CLS: 0.3, FCP: 1800, TTFB: 900 } });
    await e.consume(logsBatch(session.logs), {});
    const r = e.registry;
    const at = { route: '/products/:id', browser_name: 'Google Chrome', service_version: '1.0.0' };
    // Vitals without url.full belong to the session's current page.
    assert.equal(await count(r, 'stitch_web_vitals_lcp_seconds', at), 1);
    assert.equal(await bucket(r, 'stitch_web_vitals_lcp_seconds', 2.5, at), 1); // good
    assert.equal(await bucket(r, 'stitch_web_vitals_lcp_seconds', 2, at), 0);
    assert.equal(await bucket(r, 'stitch_web_vitals_inp_seconds', 0.2, at), 0);
    assert.equal(await bucket(r, 'stitch_web_vitals_inp_seconds', 0.5, at), 1); // needs improvement
    assert.equal(await bucket(r, 'stitch_web_vitals_cls', 0.25, at), 0); // poor
    assert.equal(await bucket(r, 'stitch_web_vitals_fcp_seconds', 1.8, at), 1);
    assert.equal(await sum(r, 'stitch_web_vitals_ttfb_seconds', at), 0.9);
  });
});

describe('prometheus exporter: span metrics', () => {
  it('counts calls and durations in the spanmetrics connector shape', async () => {
    const { exporter: e, settings } = exporter();
    const session = browserSession({ sessionId: 'r1', startMs: T0 - 5_000, apiCalls: [{ url: 'https://api.example.com/api/cart', status: 200, durationMs: 40 }, { url: 'https://api.example.com/api/pay', status: 502, durationMs: 300 }] });
    await send(e, session);
    const r = e.registry;
    const server = { service_name: 'shop-api', span_kind: 'SPAN_KIND_SERVER' };
    assert.equal(await value(r, 'traces_span_metrics_calls_total', server), 2);
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { ...server, span_name: 'POST /api/pay', status_code: 'STATUS_CODE_ERROR' }), 1);
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { service_name: 'shop-web', span_kind: 'SPAN_KIND_CLIENT', status_code: 'STATUS_CODE_UNSET' }), 1);
    // Server spans last the call minus 10 ms: 30 ms and 290 ms.
    const cart = { ...server, span_name: 'POST /api/cart' };
    assert.equal(await bucket(r, 'traces_span_metrics_duration_milliseconds', 10, cart), 0);
    assert.equal(await bucket(r, 'traces_span_metrics_duration_milliseconds', 50, cart), 1);
    assert.equal(await sum(r, 'traces_span_metrics_duration_milliseconds', { ...server, span_name: 'POST /api/pay' }), 290);
    assert.equal(await settings.metrics.value('stitch_exporter_sent_spans_total', { exporter: 'prometheus' }), 4);
  });

  it('measures in seconds with duration_unit: s, and can be turned off', async () => {
    const { exporter: seconds } = exporter({ span_metrics: { duration_unit: 's' } });
    await send(seconds, browserSession({ sessionId: 'r2', startMs: T0 - 5_000, apiCalls: [{ url: 'https://api.example.com/x', status: 200, durationMs: 1010 }] }));
    assert.equal(await sum(seconds.registry, 'traces_span_metrics_duration_seconds', { service_name: 'shop-api' }), 1);
    assert.equal(await bucket(seconds.registry, 'traces_span_metrics_duration_seconds', 1, { service_name: 'shop-api' }), 1);
    const { exporter: off } = exporter({ span_metrics: { enabled: false } });
    assert.equal(off.registry.getSingleMetric('traces_span_metrics_calls_total'), undefined);
  });
});

describe('prometheus exporter: failed logins', () => {
  it('counts refused login attempts on the server side and login-failed events, nothing else', async () => {
    const { exporter: e } = exporter();
    const span = (route: string, status: number, kind = 2) => ({
      traceId: 'a'.repeat(32), spanId: Math.random().toString(16).slice(2, 10).padEnd(16, '0'), name: `POST ${route}`, kind,
      startTimeUnixNano: String(BigInt(T0) * 1_000_000n), endTimeUnixNano: String(BigInt(T0 + 5) * 1_000_000n),
      attributes: [{ key: 'http.route', value: { stringValue: route } }, { key: 'http.response.status_code', value: { intValue: String(status) } }],
    });
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'auth-api' } }, { key: 'service.version', value: { stringValue: '2.1.0' } }] };
    await e.consume(tracesBatch({ resourceSpans: [{ resource, scopeSpans: [{ spans: [
      span('/api/login', 401), span('/api/login', 403), span('/oauth/signin', 401),
      span('/api/login', 200), span('/api/cart', 401), span('/api/login', 401, 3),
    ] }] }] }), {});
    await e.consume(logsBatch({ resourceLogs: [{ resource, scopeLogs: [{ logRecords: [
      { timeUnixNano: String(BigInt(T0) * 1_000_000n), eventName: 'auth.login_failed' },
      { timeUnixNano: String(BigInt(T0) * 1_000_000n), eventName: 'auth.login_succeeded' },
    ] }] }] }), {});
    assert.equal(await value(e.registry, 'stitch_failed_logins_total', { service_name: 'auth-api', service_version: '2.1.0' }), 4);
  });
});

describe('prometheus exporter: cardinality guard', () => {
  it('folds values past max_label_values into "other" and counts the folds', async () => {
    const { exporter: e } = exporter({ max_label_values: 2 });
    const calls = ['/a', '/b', '/c', '/d', '/a'].map((path) => ({ url: `https://api.example.com${path}`, status: 200 }));
    await e.consume(tracesBatch(browserSession({ sessionId: 'g1', startMs: T0 - 5_000, apiCalls: calls }).backendTraces), {});
    const r = e.registry;
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { span_name: 'POST /a' }), 2);
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { span_name: 'POST /b' }), 1);
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { span_name: 'other' }), 2);
    assert.equal(await count(r, 'traces_span_metrics_duration_milliseconds', { span_name: 'other' }), 2);
    assert.equal(await value(r, 'stitch_prometheus_label_values_folded_total', { metric: 'traces_span_metrics_calls_total', label: 'span_name' }), 2);
  });

  it('sums active sessions whose labels fold together', async () => {
    const { exporter: e } = exporter({ max_label_values: 1 });
    for (const [id, version] of [['x', '1.0.0'], ['y', '2.0.0'], ['z', '3.0.0']] as const) {
      await e.consume(logsBatch(browserSession({ sessionId: id, startMs: T0 - 1_000, version }).logs), {});
    }
    assert.equal(await value(e.registry, 'stitch_sessions_active', { service_version: 'other' }), 2);
    assert.equal(await value(e.registry, 'stitch_sessions_started_total', { service_version: '1.0.0' }), 1);
  });
});

describe('prometheus exporter: metric expiration', () => {
  it('drops series unused for metric_expiration, making room for new label values', async () => {
    const { exporter: e, clock } = exporter({ max_label_values: 1, metric_expiration: '10m' });
    const r = e.registry;
    await e.consume(logsBatch(browserSession({ sessionId: 'old', startMs: T0 - 1_000, version: '1.0.0' }).logs), {});
    await e.consume(tracesBatch(browserSession({ sessionId: 'old', startMs: T0 - 1_000, apiCalls: [{ url: 'https://api.example.com/a', status: 200 }] }).backendTraces), {});
    clock.now = T0 + 5 * 60_000;
    await e.metrics(); // nothing is stale yet
    assert.equal(await value(r, 'stitch_sessions_started_total', { service_version: '1.0.0' }), 1);
    clock.now = T0 + 11 * 60_000;
    await e.metrics();
    assert.equal(await value(r, 'stitch_sessions_started_total', { service_version: '1.0.0' }), 0);
    assert.equal(await value(r, 'traces_span_metrics_calls_total', { service_name: 'shop-api' }), 0);
    // The label has room again: a new version gets its own series instead of "other".
    await e.consume(logsBatch(browserSession({ sessionId: 'new', startMs: clock.now - 1_000, version: '2.0.0' }).logs), {});
    assert.equal(await value(r, 'stitch_sessions_started_total', { service_version: '2.0.0' }), 1);
    assert.equal(await value(r, 'stitch_prometheus_label_values_folded_total'), 0);
  });
});

describe('prometheus exporter: config and endpoint', () => {
  it('names bad keys', () => {
    const result = prometheusExporterConfigSchema.safeParse({ endpoint: 'nope', namespace: 'a-b', max_label_values: 0, metric_expiration: 'soon', sessions: { max_trackd: 1 }, span_metrics: { duration_unit: 'h' } });
    assert.equal(result.success, false);
    const paths = result.error!.issues.map((i) => i.path.join('.')).sort();
    assert.deepEqual(paths, ['endpoint', 'max_label_values', 'metric_expiration', 'namespace', 'sessions', 'span_metrics.duration_unit']);
  });

  it('serves Prometheus text on GET /metrics and 404 elsewhere', async () => {
    const { exporter: e } = exporter();
    await e.start();
    try {
      await send(e, browserSession({ sessionId: 'h1', startMs: Date.now() - 1_000 }));
      const { port } = e.address();
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await response.text(), /^stitch_sessions_started_total\{.*\} 1$/m);
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
    } finally {
      await e.shutdown();
    }
  });
});
