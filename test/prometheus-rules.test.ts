// docker/prometheus/ as Prometheus itself reads it: the scrape config and alert rules pass
// `promtool check`, the rules' unit tests (alerts.test.yml) pass, and every alert has a runbook.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ensureDebianPackage } from './helpers/debian-package.js';

const PROMTOOL = '/usr/bin/promtool';
const dir = fileURLToPath(new URL('../docker/prometheus/', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

// promtool comes with Debian's prometheus package; skip (saying why) only if it cannot be installed.
const missing = ensureDebianPackage(PROMTOOL, 'prometheus');

function promtool(...args: string[]): string {
  const result = spawnSync(PROMTOOL, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `promtool ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}

interface Rule {
  alert?: string;
  record?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const groups = (parseYaml(readFileSync(`${dir}alerts.yml`, 'utf8')) as { groups: { rules: Rule[] }[] }).groups;
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);

describe('docker/prometheus', () => {
  it('prometheus.yml and alerts.yml pass promtool check', { skip: missing }, () => {
    assert.match(promtool('check', 'config', 'prometheus.yml'), /SUCCESS/);
    assert.match(promtool('check', 'rules', 'alerts.yml'), new RegExp(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`));
  });

  it('every alert fires on its synthetic series and stays quiet on a normal one (promtool test rules)', { skip: missing }, () => {
    assert.match(promtool('test', 'rules', 'alerts.test.yml'), /SUCCESS/);
    const tested = new Set([...readFileSync(`${dir}alerts.test.yml`, 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    for (const alert of alerts) assert.ok(tested.has(alert.alert), `${alert.alert} has no unit test in alerts.test.yml`);
  });

  it('every alert has for:, a severity, a summary and a runbook section in docs/alerts.md', () => {
    const runbooks = readFileSync(`${root}docs/alerts.md`, 'utf8');
    assert.ok(alerts.length >= 7);
    for (const alert of alerts) {
      assert.ok(alert.for, `${alert.alert}: no for:`);
      assert.match(alert.labels?.severity ?? '', /^(critical|warning|info)$/, `${alert.alert}: severity`);
      assert.ok(alert.annotations?.summary, `${alert.alert}: no summary`);
      const anchor = alert.alert!.toLowerCase();
      assert.equal(alert.annotations?.runbook_url, `docs/alerts.md#${anchor}`, `${alert.alert}: runbook_url`);
      assert.ok(runbooks.includes(`## ${alert.alert}\n`), `docs/alerts.md has no section "## ${alert.alert}"`);
    }
  });
});
