// docker/grafana/stitch-dashboard.json is valid, importable JSON whose panels query only metrics that
// docs/metrics.md documents (or recording rules of docker/prometheus/alerts.yml). test/prometheus.test.ts
// runs every query against a real Prometheus.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string; refId: string }[];
}

test('the Grafana dashboard queries only documented metrics', () => {
  const dashboard = JSON.parse(readFileSync(`${root}docker/grafana/stitch-dashboard.json`, 'utf8')) as { uid: string; title: string; panels: Panel[]; templating: { list: { name: string }[] } };
  const metricsDoc = readFileSync(`${root}docs/metrics.md`, 'utf8');
  const rules = readFileSync(`${root}docker/prometheus/alerts.yml`, 'utf8');
  assert.equal(dashboard.uid, 'stitch-sessions');
  const ids = dashboard.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  const variables = new Set(['__rate_interval', '__range', ...dashboard.templating.list.map((v) => v.name)]);
  for (const panel of dashboard.panels) {
    assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title} fits the 24-column grid`);
    for (const target of panel.targets ?? []) {
      for (const [, name] of target.expr.matchAll(/\$(\w+)/g)) assert.ok(variables.has(name!), `${panel.title}: unknown variable $${name}`);
      for (const [metric] of target.expr.matchAll(/\b(?:stitch_[a-z0-9_:]+|traces_span_metrics_[a-z_]+)/g)) {
        if (metric.includes(':')) {
          assert.ok(rules.includes(`record: ${metric}`), `${panel.title}: ${metric} is not a recording rule in alerts.yml`);
          continue;
        }
        const base = metric.replace(/_(bucket|sum|count)$/, '');
        // docs/metrics.md writes per-signal counters once: stitch_receiver_accepted_<signal items>_total.
        const perSignal = metric.replace(/_(spans|log_records|metric_points)_total$/, '_<signal items>_total');
        const documented = [base, metric, perSignal].some((name) => metricsDoc.includes(`\`${name}\``));
        assert.ok(documented, `${panel.title}: ${metric} is not in docs/metrics.md`);
      }
    }
  }
});
