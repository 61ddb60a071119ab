// Sessions in real Chromium, asserted at a real collector: one id across reloads and tabs, a new
// session (with session.previous_id) after inactivity, session.id on every record, user hashing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { describeRecords, ofService, openApp, sessionIdOf, startStack, type Stack } from './harness/index.js';

describe('@stitch/web sessions (Chromium)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it('keeps one session id across a reload and across two tabs of the origin', async () => {
    const service = 'web-session-stable';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const tab1 = await openApp(browser.context, stack.app.url('/'));
    const first = await tab1.evaluate(() => window.Stitch.getSessionId());
    assert.ok(first, 'Stitch.getSessionId() returns the session id after init');

    await tab1.click('#nav-products');
    await tab1.reload();
    await tab1.waitForFunction(() => window.__routes.length > 0);
    assert.equal(await tab1.evaluate(() => window.Stitch.getSessionId()), first, 'same session after a reload');

    const tab2 = await openApp(browser.context, stack.app.url('/cart'));
    assert.equal(await tab2.evaluate(() => window.Stitch.getSessionId()), first, 'a second tab joins the session');
    await tab2.click('#nav-checkout');

    // Page views of both tabs and the reload: all carry the one id.
    const views = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', {
      count: 4,
      what: 'page views (/, /products, reload of /products, /cart, /checkout)',
    });
    const ids = new Set(views.map(sessionIdOf));
    assert.deepEqual([...ids], [first], `every page view carries session.id ${first}:\n${describeRecords(views)}`);
    const starts = stack.collector.logs((l) => ofService(service)(l) && l.eventName === 'session.start');
    assert.equal(starts.length, 1, `exactly one session.start:\n${describeRecords(starts)}`);
    assert.equal(sessionIdOf(starts[0]!), first);
    await browser.close();
  });

  it('starts a new session after 15 minutes of inactivity and records session.previous_id', async () => {
    const service = 'web-session-timeout';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await browser.context.newPage();
    await page.clock.install();
    await openApp(page, stack.app.url('/'));
    const old = await page.evaluate(() => window.Stitch.getSessionId());
    assert.ok(old);
    await page.click('#nav-products');
    await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view' && sessionIdOf(l) === old, {
      count: 2,
      what: 'the first session page views',
    });

    await page.clock.fastForward('16:00'); // 16 minutes without activity
    await page.click('#nav-cart'); // activity: ends the old session, starts a new one
    const renewed = await page.evaluate(() => window.Stitch.getSessionId());
    assert.ok(renewed);
    assert.notEqual(renewed, old, 'a new session id after 16 min of inactivity');

    const [start] = await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'session.start' && sessionIdOf(l) === renewed,
      { what: `session.start of the new session ${renewed}` },
    );
    assert.equal(start!.attributes['session.previous_id'], old, `session.start carries session.previous_id:\n${describeRecords([start!])}`);
    const [view] = await stack.collector.waitForLogs(
      (l) => ofService(service)(l) && l.eventName === 'browser.page_view' && l.attributes['url.path'] === '/cart',
      { what: 'the /cart page view' },
    );
    assert.equal(sessionIdOf(view!), renewed, 'the activity after the timeout belongs to the new session');
    const ended = stack.collector.logs((l) => ofService(service)(l) && l.eventName === 'session.end');
    assert.ok(ended.every((l) => sessionIdOf(l) === old), `session.end (if sent) is the old session's:\n${describeRecords(ended)}`);
    await browser.close();
  });

  it('sends the user id hashed (SHA-256), never raw, and no e-mail by default', async () => {
    const service = 'web-session-user';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.evaluate(() => {
      window.Stitch.setUser({ id: 'u-123', email: 'a@b.c' });
      window.Stitch.setGlobalContextProperty('plan', 'premium');
    });
    const hash = createHash('sha256').update('u-123').digest('hex');
    // The hash is computed asynchronously (SubtleCrypto): act until records carry it.
    let tagged: unknown[] = [];
    for (let i = 0; i < 10 && tagged.length === 0; i++) {
      await page.click(i % 2 ? '#nav-products' : '#nav-cart');
      tagged = await stack.collector
        .waitForRecords((r) => ofService(service)(r) && r.attributes['user.hash'] !== undefined, { timeoutMs: 1000 })
        .catch(() => []);
    }
    const mine = [...stack.collector.spans(ofService(service)), ...stack.collector.logs(ofService(service))];
    const withUser = mine.filter((r) => r.attributes['user.hash'] !== undefined || r.attributes['user.id'] !== undefined);
    assert.ok(withUser.length > 0, `records after setUser carry the hashed user:\n${describeRecords(mine)}`);
    for (const record of withUser) {
      assert.equal(record.attributes['user.hash'], hash, 'user.hash is the SHA-256 of the id');
      assert.equal(record.attributes['user.id'], undefined, 'no raw user.id');
      assert.equal(record.attributes['user.email'], undefined, 'no user.email without the explicit flag');
      assert.equal(record.attributes['stitch.context.plan'], 'premium', 'global context property');
    }
    const lines = stack.collector.rawLines().filter((line) => line.includes(`"${service}"`));
    assert.ok(!lines.some((line) => line.includes('u-123')), 'the raw user id appears nowhere in the output');
    assert.ok(!lines.some((line) => line.includes('a@b.c')), 'the e-mail appears nowhere in the output');
    await browser.close();
  });

  it('puts session.id on every span and log record it sent', () => {
    const services = ['web-session-stable', 'web-session-timeout', 'web-session-user'];
    const records = [...stack.collector.spans(), ...stack.collector.logs()].filter((r) => services.includes(String(r.resource['service.name'])));
    assert.ok(records.length > 10, `enough records to check (${records.length})`);
    const missing = records.filter((r) => !sessionIdOf(r));
    assert.equal(missing.length, 0, `records without session.id:\n${describeRecords(missing)}`);
  });
});
