// Consent and transport in real Chromium, asserted at a real collector and on the wire: nothing
// before consent, nothing after denial, delivery on pagehide, and offline batches delivered later.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { describeRecords, ofService, openApp, sleep, startStack, type Stack } from './harness/index.js';

/** What the page keeps in storage (the app itself stores nothing). */
async function storedState(page: Page): Promise<{ local: string[]; session: string[]; cookies: string; idb: string[] }> {
  return page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    cookies: document.cookie,
    idb: (await indexedDB.databases()).map((d) => d.name ?? ''),
  }));
}

describe('@stitch/web consent and transport (Chromium)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it("sends nothing while consent is 'pending', then everything buffered once granted", async () => {
    const service = 'web-consent-pending';
    stack.configure({ serviceName: service, consent: 'pending' });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#nav-products');
    await page.click('#add-mug');
    await page.click('#throw-error');
    await sleep(1500); // several batch delays
    assert.equal(browser.sent.length, 0, `no request to the collector before consent: ${browser.sent.map((r) => r.url()).join(', ')}`);
    assert.equal(stack.collector.logs(ofService(service)).length + stack.collector.spans(ofService(service)).length, 0);
    assert.deepEqual((await storedState(page)).local, [], 'nothing stored before consent');

    await page.evaluate(() => window.Stitch.setConsent('granted'));
    const views = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', {
      count: 2,
      what: 'the page views buffered before consent',
    });
    assert.deepEqual(views.map((v) => v.attributes['url.path']).sort(), ['/', '/products']);
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.user_action', { what: 'the click buffered before consent' });
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'exception', { what: 'the error buffered before consent' });
    await browser.close();
  });

  it("sends and stores nothing after 'denied'", async () => {
    const service = 'web-consent-denied';
    stack.configure({ serviceName: service, consent: 'pending' });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#nav-products');
    await page.evaluate(() => window.Stitch.setConsent('denied'));
    await page.click('#nav-cart');
    await page.click('#fetch-allowed');
    await page.evaluate(() => window.__lastCall);
    await page.click('#nav-about-full'); // full page load: pagehide flush, then a new page
    await page.waitForURL('**/about');
    await page.waitForFunction(() => window.__routes.length > 0);
    await page.click('#nav-home');
    await sleep(1500);
    assert.deepEqual(await storedState(page), { local: [], session: [], cookies: '', idb: [] }, 'nothing stored');

    // A page initialised with consent 'denied' from the start: same.
    stack.configure({ serviceName: service, consent: 'denied' });
    const second = await openApp(browser.context, stack.app.url('/checkout'));
    await second.click('#pay');
    await second.reload();
    await second.waitForFunction(() => window.__routes.length > 0);
    await sleep(1500);
    assert.deepEqual(await storedState(second), { local: [], session: [], cookies: '', idb: [] }, 'nothing stored');
    assert.equal(browser.sent.length, 0, `no request to the collector after denial: ${browser.sent.map((r) => r.url()).join(', ')}`);
    assert.equal(stack.collector.logs(ofService(service)).length + stack.collector.spans(ofService(service)).length, 0);
    await browser.close();
  });

  it('delivers what was batched when the page is hidden: navigation away and closing the tab', async () => {
    const service = 'web-pagehide';
    // A batch delay far beyond the test: only the pagehide / visibilitychange flush can deliver.
    stack.configure({ serviceName: service, batchDelayMs: 600_000 });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/products'));
    await page.click('#add-mug');
    await page.goto('about:blank'); // navigate away right after the action
    await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'browser.user_action' && String(l.attributes['stitch.action.target']).includes('add'),
      { what: 'the click, sent on pagehide (navigation away)' },
    );

    const tab = await openApp(browser.context, stack.app.url('/products'));
    await tab.click('#add-socks');
    await tab.close({ runBeforeUnload: true }); // close right after the action
    await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'browser.user_action' && String(l.attributes['stitch.action.target']).includes('socks'),
      { what: 'the click, sent on pagehide (tab closed)' },
    ).catch(async (error: Error) => {
      const actions = stack.collector.logs((l) => ofService(service)(l) && l.eventName === 'browser.user_action');
      throw new Error(`${error.message}\n${describeRecords(actions)}`);
    });
    await browser.close();
  });

  it('backs off on 503 with Retry-After (memory pressure at the collector) and delivers the refused batch afterwards', async () => {
    const service = 'web-retry-after';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const posts: { at: number; url: string }[] = [];
    let refused: { at: number; url: string } | undefined;
    // The collector's answer under memory pressure: 503, Retry-After, and the CORS headers it sends.
    await browser.context.route(`${stack.collector.endpoint}/v1/**`, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const post = { at: Date.now(), url: request.url() };
      posts.push(post);
      if (refused) return route.continue();
      refused = post;
      return route.fulfill({
        status: 503,
        headers: {
          'access-control-allow-origin': request.headers()['origin'] ?? '*',
          'access-control-expose-headers': 'Retry-After',
          'retry-after': '2',
          'content-type': 'text/plain',
        },
        body: 'memory_limiter: memory usage 400 MiB is above the soft limit 384 MiB, retry later',
      });
    });
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#nav-products');
    for (let waited = 0; !refused && waited < 10_000; waited += 100) await sleep(100);
    assert.ok(refused, 'the SDK posted within 10 s');
    const signal = refused.url.endsWith('/v1/logs') ? 'logs' : 'traces';
    const arrived = signal === 'logs'
      ? stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', { count: 2, what: 'the page views, the first batch refused once' })
      : stack.collector.waitForSpans((s) => ofService(service)(s) && s.name === 'documentLoad', { what: 'the documentLoad span, its batch refused once' });
    await arrived;
    // Every send waits out the pause, not only the refused batch's retry. (A request of the other
    // signal may have left before the 503 came back; 100 ms of slack at each end for timers.)
    const since = (p: { at: number }) => p.at - refused!.at;
    assert.deepEqual(posts.filter((p) => since(p) > 100 && since(p) < 1_900).map(since), [], 'nothing sent during Retry-After (ms after the 503)');
    assert.ok(posts.some((p) => since(p) >= 1_900 && p.url === refused!.url), 'the refused signal was sent again after the pause');
    await browser.close();
  });

  it('delivers batches made offline after reconnecting', async () => {
    const service = 'web-offline';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', { what: 'the first page view (online)' });

    await browser.context.setOffline(true);
    await page.click('#nav-cart');
    await page.click('#nav-checkout');
    await sleep(1500);
    const early = stack.collector.logs((l) => ofService(service)(l) && l.eventName === 'browser.page_view' && l.attributes['url.path'] !== '/');
    assert.equal(early.length, 0, 'nothing arrives while offline');

    await browser.context.setOffline(false);
    const views = await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'browser.page_view' && ['/cart', '/checkout'].includes(String(l.attributes['url.path'])),
      { count: 2, timeoutMs: 15_000, what: 'the page views made offline' },
    );
    assert.equal(views.length, 2, describeRecords(views));
    await browser.close();
  });

  it('keeps offline batches across the page going away and sends them on the next page load', async () => {
    const service = 'web-offline-reload';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', { what: 'the first page view (online)' });

    await browser.context.setOffline(true);
    await page.click('#nav-products');
    await page.click('#add-socks');
    await sleep(2000); // the SDK tries, fails, and keeps the batch
    // The page goes away while still offline: navigating to about:blank runs its pagehide handler
    // and commits only once the app's document is unloaded. (Closing the tab instead races: the
    // dying page can still get the `online` event of setOffline(false) below, and the SDK then
    // takes the outbox out of localStorage and sends it with fetches that die with the page.)
    await page.goto('about:blank');
    await sleep(300);
    assert.equal(
      stack.collector.logs((l) => ofService(service)(l) && l.attributes['url.path'] === '/products').length,
      0,
      'nothing from the offline page arrived yet',
    );
    await browser.context.setOffline(false);
    await openApp(page, stack.app.url('/cart')); // next page load
    const delivered = await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'browser.user_action' && String(l.attributes['stitch.action.target']).includes('socks'),
      { timeoutMs: 15_000, what: 'the click made offline, delivered by the next page load' },
    );
    assert.equal(delivered.length, 1, 'delivered once');
    await browser.close();
  });
});
