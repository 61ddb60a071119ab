import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtobufRequest, encodeProtobufRequest, type ConsumeContext, type LogRecordView, type SignalBatch } from '@stitch/collector-api';
import { AnomalyProcessor } from './anomaly-processor.js';
import { anomalyConfigSchema } from './config.js';
import { AnomalyEngine } from './engine.js';
import { Observer } from './observe.js';
import { anomalyProcessorFactory } from './factory.js';
import { apiSpans, authLogs, recordingSettings, sessionLogs } from './testing/fixtures.js';

/** A downstream consumer that keeps what it gets. */
function sink() {
  const received: { batch: SignalBatch; context: ConsumeContext }[] = [];
  return { received, consume: async (batch: SignalBatch, context: ConsumeContext) => void received.push({ batch, context }) };
}

const alertsIn = (received: { batch: SignalBatch }[]) =>
  received.flatMap(({ batch }) => (batch.items() as LogRecordView[]).filter((record) => record.eventName === 'stitch.anomaly'));

// Small windows so a test needs few evaluations: window = 2 evaluations, baseline after 3 windows.
const FAST = { window: '30s', evaluation_interval: '15s', min_samples: 3, min_events: 5, sustain: 1 };

test('every record passes unchanged, undecoded when the rules need nothing from it, and mutatesData is false', async () => {
  const settings = recordingSettings('anomaly/pass');
  const next = sink();
  const processor = new AnomalyProcessor(settings, anomalyConfigSchema.parse({}), 'traces', next as never, { timer: false });
  assert.equal(processor.mutatesData, false);
  // A backend span with neither session.id nor http.route, as the protobuf receiver hands it on.
  const json = apiSpans(1, '/health', 200);
  json.items()[0]!.removeAttribute('http.route');
  const batch = decodeProtobufRequest('traces', encodeProtobufRequest(json));
  const context = { metadata: { 'x-tenant': 'a' } };
  await processor.consume(batch as never, context);
  assert.equal(next.received.length, 1);
  assert.equal(next.received[0]!.batch, batch, 'the very batch goes on');
  assert.equal(next.received[0]!.context, context);
  assert.equal(batch.items()[0]!.isDecoded, false, 'never decoded');
  assert.equal(settings.counts.get('processor_incoming_items{otel_signal=traces,processor=anomaly/pass}'), 1);
  assert.equal(settings.counts.get('processor_outgoing_items{otel_signal=traces,processor=anomaly/pass}'), 1);
  await processor.shutdown();
});

test('a session error spike in the logs pipeline becomes one stitch.anomaly log record, then a resolved one', async () => {
  const settings = recordingSettings('anomaly/errors');
  const next = sink();
  let now = Date.UTC(2026, 5, 1, 12);
  const processor = new AnomalyProcessor(settings, anomalyConfigSchema.parse(FAST), 'logs', next as never, { timer: false, now: () => now });
  let sessionNo = 0;
  const interval = async (sessions: number, errored: number) => {
    await processor.consume(sessionLogs(sessionNo, sessions, errored) as never, {});
    sessionNo += sessions;
    now += 15_000;
    return processor.evaluate();
  };
  for (let i = 0; i < 12; i++) assert.deepEqual(await interval(40, i % 3 === 0 ? 2 : 1), [], `normal interval ${i}`);
  const fired = await interval(40, 16);
  assert.equal(fired.length, 1);
  for (let i = 0; i < 3; i++) assert.deepEqual(await interval(40, 16), [], 'the same incident: no new alert');

  const alerts = alertsIn(next.received);
  assert.equal(alerts.length, 1, 'one record for the incident');
  const alert = alerts[0]!;
  assert.equal(alert.severityText, 'WARN');
  assert.equal(alert.severityNumber, 13);
  const a = alert.attributes;
  assert.equal(a['stitch.anomaly.signal'], 'session_error_rate');
  assert.equal(a['stitch.anomaly.state'], 'firing');
  assert.equal(a['service.name'], 'shop-web');
  assert.equal(a['service.version'], '2.0.0');
  assert.equal(a['stitch.anomaly.window'], '30s');
  assert.ok((a['stitch.anomaly.observed'] as number) > 0.2, `observed ${a['stitch.anomaly.observed']}`);
  assert.ok((a['stitch.anomaly.baseline'] as number) < 0.06, `baseline ${a['stitch.anomaly.baseline']}`);
  assert.ok((a['stitch.anomaly.z_score'] as number) >= 3);
  assert.match(String(alert.body), /session error rate of shop-web 2\.0\.0 is \d+\.\d% over 30s \(baseline \d\.\d%\)/);
  assert.equal(alert.timeUnixNano, BigInt(fired[0]!.startsAtMs) * 1_000_000n);

  // Back to normal: resolved after rearm_after (2 windows = 4 evaluations) of normal windows.
  const events = [];
  for (let i = 0; i < 8; i++) events.push(...(await interval(40, 1)));
  assert.deepEqual(events.map((e) => e.state), ['resolved']);
  const resolved = alertsIn(next.received).at(-1)!;
  assert.equal(resolved.attributes['stitch.anomaly.state'], 'resolved');
  assert.equal(resolved.severityText, 'INFO');
  assert.equal(settings.counts.get('processor_anomaly_alerts{processor=anomaly/errors,signal=session_error_rate,state=firing}'), 1);
  assert.equal(settings.counts.get('processor_anomaly_alerts{processor=anomaly/errors,signal=session_error_rate,state=resolved}'), 1);
  assert.equal(settings.gauges.get('processor_anomaly_series{processor=anomaly/errors}'), 1);
  assert.ok(settings.warnings.some((w) => w.startsWith('anomaly: session error rate of shop-web 2.0.0')), 'the collector log says it too');
  await processor.shutdown();
});

test('failed logins seen by the traces instance are alerted by the logs instance of the same id', async () => {
  const settings = recordingSettings('anomaly/logins');
  const config = anomalyConfigSchema.parse(FAST);
  const tracesNext = sink();
  const logsNext = sink();
  const traces = anomalyProcessorFactory.create(settings, config, 'traces', tracesNext as never) as AnomalyProcessor<'traces'>;
  const logs = anomalyProcessorFactory.create(settings, config, 'logs', logsNext as never) as AnomalyProcessor<'logs'>;
  for (let i = 0; i < 10; i++) {
    await traces.consume(apiSpans(i % 2, '/api/login', 401) as never, {});
    assert.deepEqual(await logs.evaluate(), []);
  }
  await traces.consume(apiSpans(20, '/api/login', 401) as never, {});
  const [event] = await traces.evaluate(); // either instance runs the shared evaluation
  assert.equal(event?.signal, 'failed_login_rate');
  assert.equal(event?.service, 'shop-api');
  assert.equal(event?.version, '7.1.0');
  assert.equal(alertsIn(logsNext.received).length, 1, 'the alert goes down the logs pipeline');
  assert.equal(alertsIn(tracesNext.received).length, 0, 'never into the traces pipeline');
  await traces.shutdown();
  await logs.shutdown();
});

test('what counts as a failed login: server spans of login routes answering 401/403, and the configured log events', () => {
  const config = anomalyConfigSchema.parse({ ...FAST, min_samples: 1 });
  const engine = new AnomalyEngine(config, Date.now);
  const observer = new Observer(config, engine);
  // One batch, one roll of the window (then a second roll empties the two-bucket window again).
  const countOf = (batch: SignalBatch) => {
    observer.observe(batch as never);
    const total = engine.series('shop-api', '7.1.0')!.failedLogins.roll();
    engine.series('shop-api', '7.1.0')!.failedLogins.roll();
    return total;
  };
  assert.equal(countOf(apiSpans(3, '/api/login', 401)), 3);
  assert.equal(countOf(apiSpans(2, '/v1/Auth/token', 403)), 2, 'the route pattern is case-insensitive');
  assert.equal(countOf(apiSpans(2, '/users/signin', 401)), 2);
  assert.equal(countOf(apiSpans(2, '/api/login', 200)), 0, 'a successful login');
  assert.equal(countOf(apiSpans(2, '/api/cart', 401)), 0, 'not a login route');
  assert.equal(countOf(apiSpans(2, '/api/login', 401, 3)), 0, 'client spans: the server span counts the attempt');
  assert.equal(countOf(authLogs(4, 'auth.login_failed')), 4);
  assert.equal(countOf(authLogs(1, 'user.login_failed', true)), 1, 'event.name as an attribute');
  assert.equal(countOf(authLogs(3, 'auth.login_succeeded')), 0);
  const custom = anomalyConfigSchema.parse({ failed_login: { route_pattern: '^/session$', status_codes: [400], log_events: [] } });
  const customEngine = new AnomalyEngine(custom, Date.now);
  const customObserver = new Observer(custom, customEngine);
  customObserver.observe(apiSpans(2, '/session', 400) as never);
  customObserver.observe(apiSpans(2, '/api/login', 401) as never);
  customObserver.observe(authLogs(2, 'auth.login_failed') as never);
  assert.equal(customEngine.series('shop-api', '7.1.0')!.failedLogins.roll(), 2);
});

test('each (service.name, service.version) is its own series; an unwatched signal counts nothing', () => {
  const config = anomalyConfigSchema.parse({ ...FAST, signals: ['session_error_rate'] });
  const engine = new AnomalyEngine(config, Date.now);
  const observer = new Observer(config, engine);
  observer.observe(sessionLogs(0, 10, 3) as never);
  observer.observe(sessionLogs(100, 5, 0, '2.1.0') as never);
  observer.observe(authLogs(5, 'auth.login_failed') as never);
  assert.equal(engine.seriesCount, 2, 'shop-web 2.0.0 and 2.1.0; the auth log is not even read');
  assert.equal(engine.series('shop-web', '2.0.0')!.failedLogins.roll(), 0);
});
