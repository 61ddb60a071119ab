// The webhook against a real HTTP server on 127.0.0.1 (a free port): what Alertmanager would get.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AnomalyProcessor } from './anomaly-processor.js';
import { anomalyConfigSchema } from './config.js';
import { apiSpans, recordingSettings } from './testing/fixtures.js';
import type { AlertmanagerAlert } from './webhook.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: AlertmanagerAlert[];
}

let server: Server;
let base: string;
const received: Received[] = [];
/** How the server answers the next request (default 200). */
let answer: (res: ServerResponse) => void = (res) => res.end();

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertmanagerAlert[] });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const FAST = { window: '30s', evaluation_interval: '15s', min_samples: 3, min_events: 5, sustain: 1 };

/** A traces-pipeline instance fed a quiet login route, then a surge; returns it and its clock. */
async function surge(id: string, webhook: object) {
  const settings = recordingSettings(id);
  let now = Date.UTC(2026, 5, 1, 8);
  const processor = new AnomalyProcessor(settings, anomalyConfigSchema.parse({ ...FAST, webhook }), 'traces', { consume: async () => {} } as never, { timer: false, now: () => now });
  const feed = async (failed: number) => {
    await processor.consume(apiSpans(failed, '/api/login', 401) as never, {});
    now += 15_000;
  };
  const tick = async (failed: number) => {
    await feed(failed);
    return processor.evaluate();
  };
  for (let i = 0; i < 10; i++) await tick(i % 2);
  await tick(0);
  return { settings, processor, tick, feed };
}

test('an incident is posted once as Alertmanager JSON, and its end with endsAt', async () => {
  received.length = 0;
  const run = await surge('anomaly/hook', { url: `${base}/api/v2/alerts`, headers: { authorization: 'Bearer t0ken' }, generator_url: 'http://127.0.0.1:8686/sessions', resend_interval: 0 });
  const [fired] = await run.tick(30);
  await run.tick(30);
  await run.tick(30);
  for (let i = 0; i < 6; i++) await run.tick(0);
  await run.processor.shutdown(); // waits for the posts under way
  assert.equal(received.length, 2, 'one post when it fires, one when it resolves');
  const [first, last] = received;
  assert.equal(first!.path, '/api/v2/alerts');
  assert.equal(first!.headers['content-type'], 'application/json');
  assert.equal(first!.headers.authorization, 'Bearer t0ken');
  assert.equal(first!.body.length, 1);
  const alert = first!.body[0]!;
  assert.deepEqual(alert.labels, { alertname: 'StitchFailedLoginRateAnomaly', service: 'shop-api', version: '7.1.0', severity: 'warning', signal: 'failed_login_rate' });
  assert.match(alert.annotations.summary!, /^failed logins of shop-api 7\.1\.0 is 30 over 30s \(baseline \d+(\.\d)?\)$/);
  assert.match(alert.annotations.description!, /observed 30, EWMA baseline .*z-score .*× the baseline, 30 events/);
  assert.equal(alert.startsAt, new Date(fired!.startsAtMs).toISOString());
  assert.equal(alert.endsAt, undefined, 'firing: no end yet');
  assert.equal(alert.generatorURL, 'http://127.0.0.1:8686/sessions');
  const resolved = last!.body[0]!;
  assert.deepEqual(resolved.labels, alert.labels, 'the same labels: Alertmanager matches it to the firing alert');
  assert.equal(resolved.startsAt, alert.startsAt);
  assert.ok(resolved.endsAt && Date.parse(resolved.endsAt) > Date.parse(resolved.startsAt));
  assert.equal(run.settings.counts.get('processor_anomaly_webhook_posts{outcome=sent,processor=anomaly/hook}'), 2);
});

test('a firing incident is posted again every resend_interval, so Alertmanager keeps it open', async () => {
  received.length = 0;
  const run = await surge('anomaly/resend', { url: `${base}/api/v2/alerts`, resend_interval: '30s' });
  for (let i = 0; i < 5; i++) await run.tick(30); // 0 s, 15 s, 30 s, 45 s, 60 s after the start
  await run.processor.shutdown();
  assert.equal(received.length, 3, 'at the start, 30 s and 60 s');
  assert.equal(new Set(received.map((r) => r.body[0]!.startsAt)).size, 1, 'always the same incident');
});

test('failures and timeouts are counted and logged, never thrown, and never hold the pipeline', async () => {
  received.length = 0;
  answer = (res) => {
    res.statusCode = 500;
    res.end('boom');
  };
  const failing = await surge('anomaly/500', { url: `${base}/api/v2/alerts`, resend_interval: 0 });
  assert.equal((await failing.tick(30)).length, 1);
  await failing.processor.shutdown();
  assert.equal(failing.settings.counts.get('processor_anomaly_webhook_posts{outcome=failed,processor=anomaly/500}'), 1);
  assert.ok(failing.settings.warnings.includes('anomaly: webhook post failed'));

  answer = () => {}; // never answers
  const slow = await surge('anomaly/slow', { url: `${base}/api/v2/alerts`, timeout: '200ms', resend_interval: 0 });
  await slow.feed(30);
  const started = Date.now();
  assert.equal((await slow.processor.evaluate()).length, 1);
  assert.ok(Date.now() - started < 150, 'the evaluation does not wait for the webhook');
  await slow.processor.shutdown();
  assert.equal(slow.settings.counts.get('processor_anomaly_webhook_posts{outcome=failed,processor=anomaly/slow}'), 1, 'abandoned at the timeout');
  answer = (res) => res.end();

  // Nothing listening at all.
  const closed = await surge('anomaly/refused', { url: 'http://127.0.0.1:9/api/v2/alerts', resend_interval: 0 });
  await closed.tick(30);
  await closed.processor.shutdown();
  assert.equal(closed.settings.counts.get('processor_anomaly_webhook_posts{outcome=failed,processor=anomaly/refused}'), 1);
});
