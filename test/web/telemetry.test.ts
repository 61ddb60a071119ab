// What the SDK observes, driven in real Chromium and asserted at a real collector: page views per
// route change, user actions, fetch/XHR spans and propagation headers, errors, Web Vitals, and
// that no input value ever leaves the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeRecords, ofService, openApp, sessionIdOf, startStack, watchConsole, type Stack } from './harness/index.js';

const SECRETS = ['4111 1111 1111 1111', '4111111111111111', 'hunter2', 'jane.doe@example.org', 'deliver to the back door'];
const SERVICES = ['web-page-views', 'web-actions', 'web-network', 'web-errors', 'web-vitals'];

describe('@stitch/web auto-instrumentation (Chromium)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it('reports a page view for the initial load and for each pushState and popstate route change', async () => {
    const service = 'web-page-views';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#nav-products'); // pushState
    await page.click('#nav-cart'); // pushState
    await page.goBack(); // popstate → /products
    await page.waitForFunction(() => window.__routes.at(-1) === '/products');

    const views = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.page_view', {
      count: 4,
      what: 'page views for /, /products, /cart, back to /products',
    });
    views.sort((a, b) => a.timeUnixNano - b.timeUnixNano);
    assert.deepEqual(
      views.map((v) => v.attributes['url.path']),
      ['/', '/products', '/cart', '/products'],
      describeRecords(views),
    );
    assert.equal(views[0]!.attributes['stitch.page_view.type'], 'initial');
    assert.ok(views.slice(1).every((v) => v.attributes['stitch.page_view.type'] === 'route_change'), describeRecords(views));
    assert.ok(views.every((v) => String(v.attributes['url.full']).startsWith(stack.app.origin)), 'url.full is the page URL');
    await browser.close();
  });

  it('reports clicks and form submits with a target description, never the values typed', async () => {
    const service = 'web-actions';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/products'));
    await page.click('#add-mug');
    await page.click('#nav-checkout');
    await page.fill('#card', '4111 1111 1111 1111');
    await page.fill('#password', 'hunter2');
    await page.fill('#email', 'jane.doe@example.org');
    await page.fill('#notes', 'deliver to the back door');
    await page.click('#pay');
    await page.waitForSelector('#thanks:not([hidden])');

    const actions = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.user_action', {
      count: 3,
      what: 'user actions (click add-to-cart, click Pay now, submit)',
    });
    const describe = (type: string) => actions.filter((a) => a.attributes['stitch.action.type'] === type).map((a) => String(a.attributes['stitch.action.target']));
    const clicks = describe('click');
    const submits = describe('submit');
    assert.ok(clicks.some((t) => t.includes('add-to-cart') || t.includes('add-mug')), `click on the add-to-cart button: ${JSON.stringify(clicks)}`);
    assert.ok(clicks.some((t) => t.includes('pay') || t.includes('Pay')), `click on the Pay button: ${JSON.stringify(clicks)}`);
    assert.ok(submits.some((t) => t.includes('form')), `form submit: ${JSON.stringify(submits)}`);
    assert.ok(actions.every((a) => typeof a.attributes['url.path'] === 'string'));
    // Action spans (when on) carry the same description.
    const spans = stack.collector.spans((s) => ofService(service)(s) && (s.name === 'click' || s.name === 'submit'));
    assert.ok(spans.every((s) => typeof s.attributes['stitch.action.target'] === 'string'), describeRecords(spans));

    const lines = stack.collector.rawLines().filter((line) => line.includes(`"${service}"`));
    for (const secret of SECRETS) assert.ok(!lines.some((line) => line.includes(secret)), `"${secret}" (typed into an input) appears nowhere in the output`);
    await browser.close();
  });

  it('traces fetch and XHR; traceparent and baggage session.id go to propagateTo URLs only', async () => {
    const service = 'web-network';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    const sessionId = await page.evaluate(() => window.Stitch.getSessionId());
    assert.ok(sessionId);
    const before = stack.backend.requests.length;
    for (const button of ['#fetch-allowed', '#fetch-other', '#fetch-fail', '#xhr-allowed']) {
      await page.click(button);
      await page.evaluate(() => window.__lastCall);
    }
    const requests = stack.backend.requests.slice(before);

    // At the backend: headers on /api/* only.
    const allowed = requests.filter((r) => r.path.startsWith('/api/'));
    assert.equal(allowed.length, 3, 'fetch /api/offers, fetch /api/broken, XHR /api/offers');
    for (const request of allowed) {
      assert.match(String(request.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/, `traceparent on ${request.path}`);
      assert.ok(String(request.headers.baggage).split(',').map((p) => p.trim()).includes(`session.id=${sessionId}`), `baggage on ${request.path}: ${request.headers.baggage}`);
    }
    const other = requests.filter((r) => r.path.startsWith('/public/'));
    assert.equal(other.length, 1);
    assert.equal(other[0]!.headers.traceparent, undefined, 'no traceparent to a URL outside propagateTo');
    assert.equal(other[0]!.headers.baggage, undefined, 'no baggage to a URL outside propagateTo');

    // At the collector: CLIENT spans whose trace ids are the ones the backend saw.
    const spans = await stack.collector.waitForSpans((s) => ofService(service)(s) && s.kind === 3, { count: 4, what: 'four CLIENT spans' });
    const traceIdOf = (traceparent: unknown) => String(traceparent).split('-')[1];
    for (const request of allowed) {
      const span = spans.find((s) => s.traceId === traceIdOf(request.headers.traceparent));
      assert.ok(span, `an exported span has the trace id of the traceparent sent to ${request.path}:\n${describeRecords(spans)}`);
      assert.equal(span.spanId, String(request.headers.traceparent).split('-')[2], 'the traceparent parent id is the fetch span');
      assert.equal(sessionIdOf(span), sessionId);
      assert.match(String(span.attributes['url.full']), new RegExp(`${request.path.replace(/\//g, '\\/')}`));
    }
    const offers = spans.find((s) => String(s.attributes['url.full']).includes('/api/offers') && s.attributes['http.response.status_code'] === 200);
    assert.ok(offers, describeRecords(spans));
    assert.equal(offers.attributes['http.request.method'], 'GET');
    assert.ok(!String(offers.attributes['url.full']).includes('SECRET-COUPON'), `query value scrubbed: ${offers.attributes['url.full']}`);
    const broken = spans.find((s) => String(s.attributes['url.full']).includes('/api/broken'));
    assert.equal(broken?.attributes['http.response.status_code'], 500, describeRecords(spans));
    assert.equal(broken?.status.code, 2, 'a 500 marks the span as error');
    const ping = spans.find((s) => String(s.attributes['url.full']).includes('/public/ping'));
    assert.ok(ping, 'a request outside propagateTo is still traced');
    // The SDK's own exports are never traced.
    assert.ok(!spans.some((s) => String(s.attributes['url.full']).startsWith(stack.collector.endpoint)), 'no spans for the exporter');
    await browser.close();
  });

  it('reports thrown errors and unhandled rejections with type, message and stack', async () => {
    const service = 'web-errors';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const page = await openApp(browser.context, stack.app.url('/'));
    await page.click('#throw-error');
    await page.click('#reject-promise');
    const errors = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'exception', { count: 2, what: 'two exceptions' });
    const thrown = errors.find((e) => String(e.attributes['exception.message']).includes('thrown from a click handler'));
    const rejected = errors.find((e) => String(e.attributes['exception.message']).includes('rejected and never handled'));
    assert.ok(thrown && rejected, describeRecords(errors));
    assert.equal(thrown.attributes['exception.type'], 'TypeError');
    assert.equal(rejected.attributes['exception.type'], 'RangeError');
    for (const error of [thrown, rejected]) {
      assert.match(String(error.attributes['exception.stacktrace']), /app\.js:\d+/, 'the stack points into the app bundle');
      assert.ok(error.severityNumber >= 17, `severity ERROR (${error.severityText})`);
      assert.ok(sessionIdOf(error));
    }
    await browser.close();
  });

  it('reports Web Vitals (TTFB, FCP, LCP) with their rating after an interaction and page hide', async () => {
    const service = 'web-vitals';
    stack.configure({ serviceName: service });
    const browser = await stack.browser();
    const console: string[] = [];
    const page = await openApp(browser.context, stack.app.url('/'));
    watchConsole(page, console);
    await page.waitForTimeout(300);
    await page.click('h1'); // input finalises LCP
    await page.click('#nav-about-full'); // full navigation: the old page is hidden
    await page.waitForURL('**/about');
    const vitals = await stack.collector.waitForLogs((l) => ofService(service)(l) && l.eventName === 'browser.web_vital', {
      count: 3,
      what: 'Web Vitals',
    });
    const names = new Set(vitals.map((v) => v.attributes['stitch.web_vital.name']));
    for (const name of ['TTFB', 'FCP', 'LCP']) {
      assert.ok(names.has(name), `${name} reported (got ${[...names].join(', ')}):\n${describeRecords(vitals)}\n${console.join('\n')}`);
    }
    for (const vital of vitals) {
      assert.equal(typeof vital.attributes['stitch.web_vital.value'], 'number');
      assert.ok(['good', 'needs-improvement', 'poor'].includes(String(vital.attributes['stitch.web_vital.rating'])), describeRecords([vital]));
    }
    await browser.close();
  });

  it('sent no input value, and session.id on every span and log record, across all the tests above', () => {
    const lines = stack.collector.rawLines();
    assert.ok(lines.length > 0);
    for (const secret of SECRETS) assert.ok(!lines.some((line) => line.includes(secret)), `"${secret}" appears nowhere`);
    const records = [...stack.collector.spans(), ...stack.collector.logs()].filter((r) => SERVICES.includes(String(r.resource['service.name'])));
    const missing = records.filter((r) => !sessionIdOf(r));
    assert.equal(missing.length, 0, `records without session.id:\n${describeRecords(missing)}`);
    // Page-load instrumentation: a documentLoad span per full page load.
    assert.ok(stack.collector.spans((s) => s.name === 'documentLoad').length > 0, 'documentLoad spans');
  });
});
