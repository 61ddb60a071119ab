// The `anomaly` processor in a real collector started from YAML, in both pipelines, evaluating on
// its own timer: backend login spans answering 401 (as the demo's browser sessions would cause)
// arrive at a quiet rate, then surge; the `stitch.anomaly` log record must reach the file exporter
// of the logs pipeline, once, with the numbers that explain it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browserSession } from '../collector/src/store/testing/browser-session.js';
import { TestCollector } from './helpers/collector.js';

let collector: TestCollector;

before(async () => {
  collector = await TestCollector.start([], {
    processors: [
      '  anomaly:',
      '    window: 400ms',
      '    evaluation_interval: 200ms',
      '    min_samples: 2',
      '    min_events: 5',
      '    sustain: 1',
      '  batch:',
      '    timeout: 50ms',
      '',
    ].join('\n'),
    pipelineProcessors: ['anomaly', 'batch'],
  });
});

after(async () => {
  await collector?.shutdown();
});

let sessionNo = 0;
/** `count` browser sessions whose login call the backend answered 401; posts the backend's spans. */
async function failedLogins(count: number): Promise<void> {
  const apiCalls = Array.from({ length: count }, () => ({ url: 'https://shop.example.com/api/login', status: 401 }));
  const session = browserSession({ sessionId: `an-${sessionNo++}`, startMs: Date.now(), apiCalls });
  const response = await fetch(`${collector.endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(session.backendTraces) });
  assert.equal(response.status, 200, await response.text());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isAlert = (log: { eventName: string }) => log.eventName === 'stitch.anomaly';
const isLoginAlert = (log: { eventName: string; attributes: Record<string, unknown> }) => isAlert(log) && log.attributes['stitch.anomaly.signal'] === 'failed_login_rate';
const isErrorAlert = (log: { eventName: string; attributes: Record<string, unknown> }) => isAlert(log) && log.attributes['stitch.anomaly.signal'] === 'session_error_rate';

test('a failed-login surge becomes one stitch.anomaly log record in the logs pipeline’s exporter', async () => {
  // Quiet: one failed login every 300 ms (at most 2 per 400 ms window, under min_events) for 2.4 s.
  for (let i = 0; i < 8; i++) {
    await failedLogins(1);
    await sleep(300);
  }
  assert.deepEqual(collector.logs(isAlert), [], 'nothing while it is quiet');
  // The surge: 60 failed logins within about half a second.
  for (let i = 0; i < 6; i++) {
    await failedLogins(10);
    await sleep(80);
  }
  const [alert] = await collector.waitForLogs(isLoginAlert, { what: 'stitch.anomaly alert' });
  assert.equal(alert!.severityText, 'WARN');
  assert.equal(alert!.attributes['stitch.anomaly.signal'], 'failed_login_rate');
  assert.equal(alert!.attributes['stitch.anomaly.state'], 'firing');
  assert.equal(alert!.attributes['service.name'], 'shop-api');
  assert.equal(alert!.attributes['service.version'], 'unknown', 'the backend sets no service.version');
  assert.ok((alert!.attributes['stitch.anomaly.observed'] as number) >= 5);
  assert.ok((alert!.attributes['stitch.anomaly.baseline'] as number) <= 2);
  assert.equal(alert!.attributes['stitch.anomaly.window'], '0.4s');
  assert.equal(alert!.resource['service.name'], 'stitch-collector');
  assert.match(String(alert!.body), /^failed logins of shop-api unknown is \d+ over 0\.4s/);
  // The surge is still in progress for a few evaluations: still one alert.
  await sleep(500);
  assert.equal(collector.logs(isLoginAlert).filter((log) => log.attributes['stitch.anomaly.state'] === 'firing').length, 1);
  assert.equal(collector.spans((span) => span.attributes['http.route'] === '/api/login').length, 68, 'every span passed through');
});

/** `count` browser sessions of shop-web 3.1.0, the first `errored` of them with an exception, in one request. */
async function sessions(count: number, errored: number): Promise<void> {
  const resourceLogs = Array.from({ length: count }, (_, i) => {
    const error = i < errored ? { type: 'TypeError', message: "Cannot read properties of undefined (reading 'price')", stack: 'TypeError: …\n    at cart.js:42:7' } : undefined;
    const session = browserSession({ sessionId: `er-${sessionNo++}`, startMs: Date.now(), version: '3.1.0', error });
    return (session.logs as { resourceLogs: unknown[] }).resourceLogs[0];
  });
  const response = await fetch(`${collector.endpoint}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceLogs }) });
  assert.equal(response.status, 200, await response.text());
}

test('a session error spike of one version becomes a session_error_rate alert', async () => {
  // Normal: 10 sessions every 200 ms, one in ten with an exception (under min_events per window).
  for (let i = 0; i < 12; i++) {
    await sessions(10, i % 2);
    await sleep(200);
  }
  assert.deepEqual(collector.logs(isErrorAlert), [], 'nothing while it is normal');
  // A broken release: most sessions now hit an exception.
  for (let i = 0; i < 6; i++) {
    await sessions(10, 8);
    await sleep(100);
  }
  const [alert] = await collector.waitForLogs(isErrorAlert, { what: 'session_error_rate alert' });
  assert.equal(alert!.attributes['service.name'], 'shop-web');
  assert.equal(alert!.attributes['service.version'], '3.1.0');
  assert.ok((alert!.attributes['stitch.anomaly.observed'] as number) > 0.3, `observed ${alert!.attributes['stitch.anomaly.observed']}`);
  assert.ok((alert!.attributes['stitch.anomaly.baseline'] as number) < 0.15, `baseline ${alert!.attributes['stitch.anomaly.baseline']}`);
  assert.match(String(alert!.body), /^session error rate of shop-web 3\.1\.0 is \d+\.\d% over 0\.4s \(baseline \d+\.\d%\)$/);
  assert.ok(collector.logs((log) => log.eventName === 'exception').length >= 54, 'the exceptions themselves passed through');
});
