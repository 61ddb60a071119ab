// Resource timing in real Chromium, asserted at a real collector: the app's script and its fetches
// arrive as `browser.resource_timing` events with DNS/connect/TLS/request/response phases, URLs
// scrubbed, the exporter's own requests left out, and only the duration where the server sends no
// Timing-Allow-Origin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeRecords, ofService, openApp, sessionIdOf, startStack, type ExportedLog, type Stack } from './harness/index.js';

const PHASES = ['dns_ms', 'connect_ms', 'tls_ms', 'request_ms', 'response_ms'].map((p) => `stitch.resource.${p}`);

describe('@stitch/web resource timing (Chromium)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it('reports scripts and fetches with their phases and scrubbed URLs, never the exporter', async () => {
    const service = 'web-resources';
    stack.configure({ serviceName: service, instrumentations: { 'resource-timing': { minDurationMs: 0 } } });
    const started = Date.now();
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    for (const button of ['#fetch-allowed', '#fetch-other']) {
      await page.click(button);
      await page.evaluate(() => window.__lastCall);
    }
    const isResource = (l: ExportedLog) => ofService(service)(l) && l.eventName === 'browser.resource_timing';
    await stack.collector.waitForLogs((l) => isResource(l) && String(l.attributes['url.full']).includes('/public/ping'), { what: 'the /public/ping fetch' });
    const events = stack.collector.logs(isResource);
    const byUrl = (part: string) => events.find((e) => String(e.attributes['url.full']).includes(part));

    const script = byUrl('/app.js');
    assert.ok(script, `the app bundle (loaded before init, seen through buffered: true):\n${describeRecords(events)}`);
    assert.equal(script.attributes['stitch.resource.initiator_type'], 'script');
    const offers = byUrl('/api/offers');
    assert.ok(offers, describeRecords(events));
    assert.equal(offers.attributes['stitch.resource.initiator_type'], 'fetch');
    assert.ok(!String(offers.attributes['url.full']).includes('SECRET-COUPON'), `query value scrubbed: ${offers.attributes['url.full']}`);
    assert.match(String(offers.attributes['url.full']), /coupon=REDACTED/);
    for (const e of [script, offers]) {
      for (const phase of [...PHASES, 'stitch.resource.duration_ms', 'stitch.resource.transfer_size']) {
        assert.equal(typeof e.attributes[phase], 'number', `${phase} on ${e.attributes['url.full']}: ${describeRecords([e])}`);
        assert.ok(Number(e.attributes[phase]) >= 0);
      }
      const sum = PHASES.reduce((s, p) => s + Number(e.attributes[p]), 0);
      assert.ok(sum <= Number(e.attributes['stitch.resource.duration_ms']) + 0.5, `phases fit in the duration: ${describeRecords([e])}`);
      assert.ok(Number(e.attributes['stitch.resource.transfer_size']) > 0, 'fetched over the network');
      assert.ok(sessionIdOf(e));
    }
    // Each event is dated at its resource's start: the script before the first fetch, before the second.
    const ping = byUrl('/public/ping')!;
    assert.ok(script.timeUnixNano < offers.timeUnixNano && offers.timeUnixNano < ping.timeUnixNano, describeRecords([script, offers, ping]));
    assert.ok(script.timeUnixNano >= started * 1e6 - 5e9, 'dated in this test run');

    // No Timing-Allow-Origin on /public/*: the browser hides the phases, so only the duration is sent.
    assert.equal(typeof ping.attributes['stitch.resource.duration_ms'], 'number');
    assert.ok(PHASES.every((p) => !(p in ping.attributes)), describeRecords([ping]));
    assert.ok(!events.some((e) => String(e.attributes['url.full']).startsWith(stack.collector.endpoint)), 'no events for the exporter');
    await browser.close();
  });

  it('sends nothing with the instrumentation turned off', async () => {
    const service = 'web-resources-off';
    stack.configure({ serviceName: service, instrumentations: { 'resource-timing': false } });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#fetch-allowed');
    await page.evaluate(() => window.__lastCall);
    await stack.collector.waitForSpans((s) => ofService(service)(s) && s.kind === 3, { what: 'the fetch span (the page exported)' });
    await page.evaluate(() => window.Stitch.flush());
    await page.waitForTimeout(300);
    assert.equal(stack.collector.logs((l) => ofService(service)(l) && l.eventName === 'browser.resource_timing').length, 0);
    await browser.close();
  });
});
