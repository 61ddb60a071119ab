// @stitch/web with an ingest key, in real Chromium against a real collector that takes data only
// with its browser key, from the app's origin: with `ingestKey` the data arrives (x-stitch-key on
// every request, the key in the URL only for sendBeacon); without it every post is refused 401 and
// nothing arrives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ofService, openApp, sleep, startStack, type Stack } from './harness/index.js';

const BROWSER_KEY = 'web-7d3a91c2e5f04b68';

describe('@stitch/web ingest key (Chromium)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ browserKey: BROWSER_KEY });
  });
  after(async () => {
    await stack?.stop();
  });

  it('sends x-stitch-key with ingestKey, and the collector takes the data', async () => {
    const service = 'web-ingest-key';
    stack.configure({ serviceName: service, ingestKey: BROWSER_KEY });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/products'));
    await page.click('#add-mug');
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.user_action', { what: 'the click, sent with the key' });
    const posts = browser.sent.filter((r) => r.method() === 'POST');
    assert.ok(posts.length > 0);
    for (const post of posts) {
      assert.equal(post.headers()['x-stitch-key'], BROWSER_KEY, post.url());
      assert.ok(!post.url().includes('stitch_key='), 'the key stays out of fetch URLs');
    }
    await browser.close();
  });

  it('without the key, the collector refuses every post with 401 and keeps nothing', async () => {
    const service = 'web-no-ingest-key';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const statuses: number[] = [];
    browser.context.on('response', (response) => {
      if (response.url().startsWith(stack.collector.endpoint) && response.request().method() === 'POST') statuses.push(response.status());
    });
    const page = await openApp(browser.context, stack.app.url('/products'));
    await page.click('#add-mug');
    await sleep(1500);
    assert.ok(statuses.length > 0, 'the SDK tried to send');
    assert.deepEqual([...new Set(statuses)], [401]);
    assert.equal(stack.collector.logs(ofService(service)).length + stack.collector.spans(ofService(service)).length, 0);
    await browser.close();
  });
});
