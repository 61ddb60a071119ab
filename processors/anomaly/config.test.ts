import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '@stitch/collector-api';
import { anomalyConfigSchema } from './config.js';

const problems = (value: unknown) => {
  const result = validateConfig(anomalyConfigSchema, value, 'processors.anomaly');
  assert.equal(result.ok, false, 'expected the config to be refused');
  return (result as { problems: { path: string; message: string }[] }).problems;
};

test('an empty config means every default', () => {
  assert.deepEqual(anomalyConfigSchema.parse({}), {
    signals: ['session_error_rate', 'failed_login_rate'],
    window: 60_000,
    evaluation_interval: 15_000,
    ewma_alpha: 0.3,
    z_threshold: 3,
    min_samples: 10,
    rate_of_change: 2,
    sustain: 3,
    min_events: 10,
    severity: 'warning',
    failed_login: { route_pattern: 'login|signin|auth', status_codes: [401, 403], span_kinds: ['server'], log_events: ['auth.login_failed', 'user.login_failed'] },
    max_series: 1_000,
    max_sessions: 100_000,
    webhook: { timeout: 5_000, resend_interval: 60_000, headers: {} },
  });
  assert.equal(anomalyConfigSchema.parse({ rearm_after: '3m' }).rearm_after, 180_000);
});

test('bad values are named with their full path', () => {
  assert.equal(problems({ window: '10s', evaluation_interval: '15s' })[0]!.path, 'processors.anomaly.window');
  assert.equal(problems({ ewma_alpha: 0 })[0]!.path, 'processors.anomaly.ewma_alpha');
  assert.equal(problems({ ewma_alpha: 1.5 })[0]!.path, 'processors.anomaly.ewma_alpha');
  assert.equal(problems({ signals: ['latency'] })[0]!.path, 'processors.anomaly.signals.0');
  assert.equal(problems({ failed_login: { route_pattern: '(' } })[0]!.path, 'processors.anomaly.failed_login.route_pattern');
  assert.equal(problems({ failed_login: { status_codes: [999] } })[0]!.path, 'processors.anomaly.failed_login.status_codes.0');
  assert.equal(problems({ webhook: { url: 'alertmanager:9093' } })[0]!.path, 'processors.anomaly.webhook.url');
  assert.deepEqual(problems({ webhook: { timeout: 'soon' } })[0], { path: 'processors.anomaly.webhook.timeout', message: 'expected a duration such as "200ms", "5s" or "1m", got "soon"' });
  assert.deepEqual(problems({ zthreshold: 3 })[0], { path: 'processors.anomaly.zthreshold', message: 'unknown key' });
});
