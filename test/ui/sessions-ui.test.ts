// The sessions UI in real headless Chromium over a real collector: seeded over OTLP/HTTP, read
// through the sessions API the UI calls. Screenshots of list and detail at 1280 and 390 px go to
// test/artifacts/ (git-ignored) for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../web/harness/browser.js';
import { ANA_RESOURCES, bulkSessions, CHECKOUT_STACK, demoSessions, JAEGER_UI, startSeededCollector, waitForJson, type SeededCollector } from './seed.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
// A zone with a half-hour offset and no summer time: the start column must show `+05:30`.
const TIME_ZONE = 'Asia/Kolkata';

let collector: SeededCollector;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

before(async () => {
  collector = await startSeededCollector();
  const now = Date.now();
  await collector.send([...demoSessions(now), ...bulkSessions(now, 55)]);
  await waitForJson<{ sessions: unknown[] }>(`${collector.uiUrl}/api/sessions?range=7d&limit=100`, (b) => b.sessions.length === 59);
  await waitForJson<{ traces: unknown[]; session: { pageViews: number } }>(`${collector.uiUrl}/api/sessions/ses-ana-checkout`, (b) => b.traces.length === 3 && b.session.pageViews === 4);
  await waitForJson<{ session: { errors: number } }>(`${collector.uiUrl}/api/sessions/ses-chloe-long`, (b) => b.session.errors === 2);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  context = await browser.newContext({ timezoneId: TIME_ZONE, locale: 'en-US', viewport: { width: 1280, height: 900 } });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await collector?.shutdown();
  assert.deepEqual(problems, [], 'no page errors, CSP violations or unexpected console errors');
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  page.on('pageerror', (error) => problems.push(`${path}: pageerror ${error.message}`));
  page.on('console', (message) => {
    // The error-message tests make the API answer 400/404 on purpose; Chromium logs those loads.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[04]/.test(message.text())) problems.push(`${path}: ${message.text()}`);
  });
  await page.goto(`${collector.uiUrl}${path}`);
  await settled(page);
  return page;
}

/** Waits until the page for the current URL has finished loading: the list rows answer this URL's query, or the detail is shown. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    if (location.pathname.startsWith('/sessions/')) return document.querySelector('[data-testid="session-detail"], main [role="alert"]') !== null;
    const list = document.querySelector('[data-testid="sessions-section"]');
    return list !== null && list.getAttribute('data-loaded-for') === location.search && list.getAttribute('aria-busy') === 'false' && document.querySelector('.loading') === null;
  });
}

const rowIds = (page: Page) => page.$$eval('[data-testid="session-row"]', (rows) => rows.map((r) => r.getAttribute('data-session-id')));
const cells = (page: Page, id: string, cell: string) => page.textContent(`[data-session-id="${id}"] [data-testid="cell-${cell}"]`).then((t) => t?.trim());

describe('sessions list', () => {
  it('shows the last 24 hours newest first, with KPI tiles and formatted rows', async () => {
    const page = await open('/');
    assert.deepEqual(await rowIds(page), ['ses-ana-checkout', 'ses-ben-mobile', 'ses-chloe-long']);
    assert.equal((await page.textContent('[data-testid="kpi-sessions"] dd'))?.trim(), '3');
    assert.equal((await page.textContent('[data-testid="kpi-error-rate"] dd'))?.trim(), '66.7 %');
    assert.match((await page.textContent('[data-testid="kpi-avg-duration"] dd')) ?? '', /^\d+\.\d\d min$/);
    assert.match((await page.textContent('[data-testid="kpi-active-users"] dd')) ?? '', /^\d+$/);
    const start = await page.textContent('[data-session-id="ses-ana-checkout"] [data-testid="session-link"]');
    assert.match(start ?? '', /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}:\d{2} \+05:30$/);
    assert.equal(await cells(page, 'ses-ana-checkout', 'user'), 'ana@example.com');
    assert.equal(await cells(page, 'ses-ben-mobile', 'user'), 'u-ben', 'without an e-mail, the user id');
    assert.equal(await cells(page, 'ses-ana-checkout', 'duration'), '5.02 min');
    assert.equal(await cells(page, 'ses-chloe-long', 'duration'), '12.02 min');
    assert.equal(await cells(page, 'ses-ben-mobile', 'duration'), '1.8 sec');
    assert.equal(await cells(page, 'ses-chloe-long', 'errors'), '2');
    assert.equal(await cells(page, 'ses-ana-checkout', 'where'), 'Germany - Berlin · Chrome · macOS');
    assert.equal(await cells(page, 'ses-ben-mobile', 'where'), 'United States - Austin · Mobile Safari · iOS');
    assert.equal(await cells(page, 'ses-ben-mobile', 'device'), 'mobile');
    assert.equal(await page.getAttribute('.geo-credit a', 'href'), 'https://db-ip.com');
    await page.screenshot({ path: join(ARTIFACTS, 'sessions-list-1280.png'), fullPage: true });
    await page.close();
  });

  it('draws sessions and error rate over time, and splits them by version on demand', async () => {
    const page = await open('/');
    const bars = (chart: string) => page.$$eval(`[data-testid="${chart}"] rect`, (rects) => rects.map((r) => ({ height: Number(r.getAttribute('height')), title: r.querySelector('title')?.textContent ?? '' })));
    const sessionBars = await bars('chart-sessions');
    assert.ok(sessionBars.length >= 24 && sessionBars.length <= 26, `one bar per hour of the 24 hours, got ${sessionBars.length}`);
    const counted = sessionBars.reduce((sum, b) => sum + Number(/: (\d+)$/.exec(b.title)?.[1] ?? 0), 0);
    assert.equal(counted, 3, 'the bars add up to the 3 sessions');
    assert.ok(sessionBars.filter((b) => b.height > 0).length >= 1);
    const errorBars = await bars('chart-error-rate');
    assert.ok(errorBars.some((b) => /\d+\.\d %$/.test(b.title) && b.height > 0), 'an hour with errors has a visible error-rate bar');
    await page.click('[data-testid="split-by-version"]');
    await page.waitForSelector('[data-testid="version-split"]');
    const versions = await page.$$eval('[data-testid="version-split"] tbody tr', (rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent?.trim())));
    assert.deepEqual(versions, [
      ['1.5.0', '2', '50.0 %'],
      ['1.4.0', '1', '100.0 %'],
    ]);
    const stacked = await page.$$eval('[data-testid="chart-by-version"] rect[data-version]', (rects) => rects.map((r) => [r.getAttribute('data-version'), Number(/, (\d+) sessions$/.exec(r.querySelector('title')?.textContent ?? '')?.[1])] as const));
    const perVersion: Record<string, number> = {};
    for (const [version, n] of stacked) perVersion[version!] = (perVersion[version!] ?? 0) + n;
    assert.deepEqual(perVersion, { '1.5.0': 2, '1.4.0': 1 }, 'stacked bars count each version\'s sessions');
    assert.deepEqual(await page.$$eval('[data-testid="chart-by-version"] .legend li', (lis) => lis.map((li) => li.textContent)), ['1.5.0', '1.4.0']);
    await page.screenshot({ path: join(ARTIFACTS, 'sessions-list-by-version-1280.png'), fullPage: true });
    await page.close();
  });

  it('filters through the form, puts them in the URL, and a reload shows the same view', async () => {
    const page = await open('/');
    await page.selectOption('select[name="errors"]', 'any');
    await page.click('[data-testid="apply-filters"]');
    await page.waitForURL(/errors=any/);
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-ana-checkout', 'ses-chloe-long']);
    await page.selectOption('select[name="errors"]', 'more');
    await page.fill('input[name="errorsAbove"]', '1');
    await page.fill('input[name="version"]', '1.5.0');
    await page.fill('input[name="country"]', 'France');
    await page.press('input[name="version"]', 'Enter');
    await page.waitForURL(/errors=1/);
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-chloe-long']);
    assert.match(page.url(), /[?&]version=1\.5\.0/);
    assert.match(page.url(), /[?&]country=FR/, 'a country typed by name is looked up as its ISO code');
    await page.reload();
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-chloe-long'], 'the reloaded URL shows the same rows');
    assert.equal(await page.inputValue('select[name="errors"]'), 'more');
    assert.equal(await page.inputValue('input[name="errorsAbove"]'), '1');
    assert.equal(await page.inputValue('input[name="version"]'), '1.5.0');
    assert.equal(await page.inputValue('input[name="country"]'), 'FR');
    await page.click('[data-testid="range-7d"]');
    await page.waitForURL(/range=7d/);
    await settled(page);
    assert.match(page.url(), /errors=1/, 'a range preset keeps the other filters');
    await page.click('[data-testid="clear-filters"]');
    await page.waitForURL((url) => !url.search.includes('errors'));
    await settled(page);
    assert.equal((await rowIds(page)).length, 50, 'cleared: every session of the 7 days, first page');
    await page.goBack();
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-chloe-long'], 'back restores the filtered view');
    await page.close();
  });

  it('suggests the values seen in the range for country, browser, OS, version and environment', async () => {
    const page = await open('/');
    await page.focus('input[name="country"]');
    await page.waitForFunction(() => document.querySelectorAll('#suggest-version option').length === 2 && document.querySelectorAll('#suggest-country option').length === 3);
    const options = (list: string) => page.$$eval(`#suggest-${list} option`, (os) => os.map((o) => `${(o as HTMLOptionElement).value}=${o.textContent}`).sort());
    assert.deepEqual(await options('country'), ['DE=Germany', 'FR=France', 'US=United States']);
    assert.deepEqual(await options('browser'), ['Chrome=Chrome', 'Firefox=Firefox', 'Mobile Safari=Mobile Safari']);
    assert.deepEqual(await options('version'), ['1.4.0=1.4.0', '1.5.0=1.5.0']);
    assert.equal(await page.getAttribute('input[name="os"]', 'list'), 'suggest-os');
    await page.close();
  });

  it('each filter selects the right sessions', async () => {
    const cases: [string, string[]][] = [
      ['?errors=none', ['ses-ben-mobile']],
      ['?duration=short', ['ses-ben-mobile']],
      ['?duration=medium', ['ses-ana-checkout']],
      ['?duration=long', ['ses-chloe-long']],
      ['?min_duration=10s&max_duration=6m', ['ses-ana-checkout']],
      ['?country=US', ['ses-ben-mobile']],
      ['?city=Paris', ['ses-chloe-long']],
      ['?browser=Firefox', ['ses-chloe-long']],
      ['?os=iOS', ['ses-ben-mobile']],
      ['?device=mobile', ['ses-ben-mobile']],
      ['?user=ana%40example.com', ['ses-ana-checkout']],
      ['?user=u-chloe', ['ses-chloe-long']],
      ['?q=lamp', ['ses-chloe-long']],
      ['?q=declined', ['ses-ana-checkout']],
      ['?range=1h&version=1.5.0', ['ses-ben-mobile', 'ses-chloe-long']],
      ['?range=15m', ['ses-ana-checkout']],
      ['?range=7d&environment=staging', ['ses-dev-tablet']],
      ['?range=7d&device=tablet', ['ses-dev-tablet']],
    ];
    const page = await open('/');
    for (const [search, expected] of cases) {
      await page.goto(`${collector.uiUrl}/${search}`);
      await settled(page);
      assert.deepEqual(await rowIds(page), expected, search);
    }
    await page.goto(`${collector.uiUrl}/?range=7d&environment=staging`);
    await settled(page);
    assert.equal(await cells(page, 'ses-dev-tablet', 'where'), 'India - Unknown · Chrome · Android');
    await page.close();
  });

  it('sorts by a column header, and pages with "Load more"', async () => {
    const page = await open('/');
    await page.click('[data-testid="sort-duration"]');
    await page.waitForURL(/sort=duration/);
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-chloe-long', 'ses-ana-checkout', 'ses-ben-mobile']);
    assert.equal(await page.getAttribute('[data-testid="sort-duration"] >> xpath=..', 'aria-sort'), 'descending');
    await page.click('[data-testid="sort-duration"]');
    await page.waitForURL(/order=asc/);
    await settled(page);
    assert.deepEqual(await rowIds(page), ['ses-ben-mobile', 'ses-ana-checkout', 'ses-chloe-long']);
    // Text columns start A to Z: users by the label shown (e-mail, else id).
    await page.click('[data-testid="sort-user"]');
    await page.waitForURL(/sort=user/);
    await settled(page);
    const users = await page.$$eval('[data-testid="cell-user"]', (cells) => cells.map((c) => c.textContent?.trim() ?? ''));
    assert.deepEqual(users, ['ana@example.com', 'chloe@example.org', 'u-ben']);
    assert.equal(await page.getAttribute('[data-testid="sort-user"] >> xpath=..', 'aria-sort'), 'ascending');
    await page.click('[data-testid="sort-location"]');
    await page.waitForURL(/sort=location/);
    await settled(page);
    assert.equal(await page.getAttribute('[data-testid="sort-location"] >> xpath=..', 'aria-sort'), 'ascending');

    // The bar: 50 sessions listed in under 300 ms (navigation start to the UI's User Timing mark after the rows render).
    await page.goto(`${collector.uiUrl}/?range=7d&environment=loadtest`);
    await settled(page);
    assert.equal((await rowIds(page)).length, 50);
    const loadMs = await page.evaluate(() => performance.getEntriesByName('stitch:sessions-rendered')[0]!.startTime);
    console.log(`# 50 sessions listed ${Math.round(loadMs)} ms after navigation start`);
    assert.ok(loadMs < 1500, `listing 50 sessions took ${Math.round(loadMs)} ms (target 300 ms; bound 1500 ms against slow CI machines)`);
    await page.click('[data-testid="load-more"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-row"]').length === 55);
    const ids = await rowIds(page);
    assert.equal(new Set(ids).size, 55, 'no row twice');
    assert.deepEqual(ids.slice(0, 2), ['ses-bulk-000', 'ses-bulk-001']);
    assert.match((await page.textContent('[data-testid="row-count"]')) ?? '', /55 sessions shown, all loaded/);
    assert.equal(await page.$('[data-testid="load-more"]'), null);
    await page.close();
  });

  it('empty states say what to do; API errors are shown as messages', async () => {
    const page = await open('/?from=2020-01-01T00%3A00%3A00.000Z&to=2020-01-02T00%3A00%3A00.000Z');
    const empty = (await page.textContent('[data-testid="empty-state"]')) ?? '';
    assert.match(empty, /No sessions in this time range yet/);
    assert.match(empty, /import \{ Stitch \} from '@stitch\/web'/);
    assert.equal(await page.inputValue('input[name="from"]'), '2020-01-01T05:30', 'custom range shown in local time');
    await page.goto(`${collector.uiUrl}/?country=ZZ`);
    await settled(page);
    assert.match((await page.textContent('[data-testid="empty-state"]')) ?? '', /No session matches these filters/);
    await page.goto(`${collector.uiUrl}/?duration=custom&min_duration=soon`);
    await settled(page);
    const alert = (await page.textContent('[data-testid="sessions-section"] [role="alert"]')) ?? '';
    assert.match(alert, /Could not load data\..*min_duration/);
    await page.goto(`${collector.uiUrl}/sessions/no-such-session`);
    await settled(page);
    assert.equal((await page.textContent('main h1'))?.trim(), 'Session not found');
    assert.match((await page.textContent('[role="alert"]')) ?? '', /no session with id "no-such-session"/);
    await page.close();
  });

  it('is usable with the keyboard and labels every control', async () => {
    const page = await open('/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    const unlabelled = await page.$$eval('input, select', (controls) => controls.filter((c) => (c as HTMLInputElement).labels?.length === 0).map((c) => c.outerHTML));
    assert.deepEqual(unlabelled, []);
    // Focus is visible: the focused control draws an outline.
    await page.focus('[data-testid="range-1h"]');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none');
    await page.focus('[data-session-id="ses-ana-checkout"] [data-testid="session-link"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sessions\/ses-ana-checkout$/);
    await settled(page);
    await page.focus('[data-testid="error-details"] summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('[data-testid="error-details"]', (d) => (d as HTMLDetailsElement).open), true, 'Enter opens the stack trace');
    await page.close();
  });

  it('fits a 390 px wide phone screen without sideways scrolling', async () => {
    const page = await open('/', 390);
    assert.deepEqual(await rowIds(page), ['ses-ana-checkout', 'ses-ben-mobile', 'ses-chloe-long']);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no horizontal overflow');
    assert.equal(await page.isVisible('input[name="user"]'), false, 'on a phone the filter fields fold behind a button');
    await page.screenshot({ path: join(ARTIFACTS, 'sessions-list-390.png'), fullPage: true });
    await page.click('.filters-toggle');
    assert.equal(await page.isVisible('input[name="user"]'), true);
    assert.equal(await page.getAttribute('.filters-toggle', 'aria-expanded'), 'true');
    await page.close();
  });
});

describe('session detail', () => {
  it('opens from the list and shows overview, user, device and location', async () => {
    const page = await open('/');
    await page.click('[data-session-id="ses-ana-checkout"] [data-testid="session-link"]');
    await page.waitForURL(/\/sessions\/ses-ana-checkout$/);
    await settled(page);
    assert.equal(await page.textContent('[data-testid="session-id"]'), 'ses-ana-checkout');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: collector.uiUrl });
    await page.click('[data-testid="copy-session-id"]');
    await page.waitForSelector('text=Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'ses-ana-checkout');
    assert.equal((await page.textContent('[data-testid="overview-duration"] dd'))?.trim(), '5.02 min');
    assert.equal((await page.textContent('[data-testid="overview-page-views"] dd'))?.trim(), '4');
    assert.equal((await page.textContent('[data-testid="overview-actions"] dd'))?.trim(), '2');
    assert.equal((await page.textContent('[data-testid="overview-errors"] dd'))?.trim(), '1');
    const text = (await page.textContent('[data-testid="session-detail"]')) ?? '';
    for (const expected of ['ana@example.com', 'Chrome 131.0.0.0', 'macOS 10.15.7', 'desktop', '1512x982', '1280x800', 'wifi', 'Germany (DE)', 'Berlin', '1.4.0', 'production']) {
      assert.ok(text.includes(expected), `detail shows ${expected}`);
    }
    assert.equal(await page.getAttribute('.geo-credit a', 'href'), 'https://db-ip.com');
    await page.click('[data-testid="back-to-list"]');
    await page.waitForURL((url) => url.pathname === '/');
    await page.close();
  });

  it('shows the timeline in time order: page views, resources with phase bars, actions, API calls with bars, the error with its stack trace, rated vitals', async () => {
    const page = await open('/sessions/ses-ana-checkout');
    const items = await page.$$eval('[data-testid="timeline-item"]', (rows) => rows.map((r) => ({ type: r.getAttribute('data-type'), at: Date.parse(r.querySelector('time')!.getAttribute('datetime')!), text: r.textContent ?? '' })));
    assert.deepEqual(
      items.map((i) => i.type),
      ['session.start', 'browser.page_view', 'browser.page_view', 'browser.page_view', ...ANA_RESOURCES.map(() => 'browser.resource_timing'), 'browser.user_action', 'browser.user_action', 'api-call', 'api-call', 'exception', 'browser.web_vital', 'browser.web_vital', 'browser.web_vital', 'browser.page_view', 'api-call'],
    );
    for (let i = 1; i < items.length; i++) assert.ok(items[i]!.at >= items[i - 1]!.at, `item ${i} is not before item ${i - 1}`);
    const calls = items.filter((i) => i.type === 'api-call');
    assert.match(calls[1]!.text, /POST.*https:\/\/api\.example\.com\/api\/checkout.*502.*900 ms/);
    assert.equal(await page.$$eval('[data-type="api-call"] .bar', (bars) => bars.length), 3);
    // Resource rows in order, each a bar stacked from its phases; the CDN image (no Timing-Allow-Origin) has one plain segment.
    const resources = await page.$$eval('[data-testid="resource-row"]', (rows) =>
      rows.map((r) => ({
        text: r.textContent ?? '',
        segments: Array.from(r.querySelectorAll('.res-bar [data-phase]')).map((p) => ({ phase: p.getAttribute('data-phase'), width: p.getBoundingClientRect().width })),
        legend: r.querySelector('[data-testid="resource-phases"]')?.textContent ?? '',
      })),
    );
    assert.equal(resources.length, ANA_RESOURCES.length);
    resources.forEach((row, i) => assert.ok(row.text.includes(ANA_RESOURCES[i]!.url), `row ${i} is ${ANA_RESOURCES[i]!.url}: ${row.text}`));
    assert.match(resources[0]!.text, /script.*checkout\.js.*180 ms.*47\.1 KB/);
    assert.deepEqual(resources[0]!.segments.map((s) => s.phase), ['dns', 'connect', 'tls', 'request', 'response', 'other']);
    assert.ok(resources[0]!.segments.every((s) => s.width > 0), `every phase is drawn: ${JSON.stringify(resources[0]!.segments)}`);
    const width = (phase: string) => resources[0]!.segments.find((s) => s.phase === phase)!.width;
    assert.ok(width('request') > width('response') && width('response') > width('dns'), 'segments are as wide as their phase');
    assert.equal(resources[0]!.legend, 'DNS 12 msconnect 20 msTLS 26 msrequest 70 msresponse 40 ms');
    assert.deepEqual(resources[1]!.segments.map((s) => s.phase), ['request', 'response', 'other'], 'a warm connection: no DNS/connect/TLS');
    assert.deepEqual(resources[2]!.segments.map((s) => s.phase), ['total']);
    assert.match(resources[2]!.legend, /no Timing-Allow-Origin/);
    assert.equal(await page.isVisible('[data-testid="stack-trace"]'), false, 'the stack trace starts folded');
    await page.click('[data-testid="error-details"] summary');
    assert.equal(await page.textContent('[data-testid="stack-trace"]'), CHECKOUT_STACK);
    // The three vitals share one timestamp, so their order among themselves is the store's.
    const ratings = await page.$$eval('[data-type="browser.web_vital"]', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.deepEqual(ratings.map((r) => r.replace(/^.*?Web Vital/, '')).sort(), ['CLS 0.310 poor', 'INP 350 ms needs improvement', 'LCP 1,800 ms good']);
    assert.deepEqual(await page.$$eval('[data-testid="vital-rating"]', (els) => els.map((e) => getComputedStyle(e).backgroundColor).length), 3);
    await page.screenshot({ path: join(ARTIFACTS, 'session-detail-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no horizontal overflow at 390 px');
    await page.screenshot({ path: join(ARTIFACTS, 'session-detail-390.png'), fullPage: true });
    await page.close();
  });

  it('lists every trace with a Jaeger link carrying its trace id, and links all of them', async () => {
    const page = await open('/sessions/ses-ana-checkout');
    const expected = collector.traceIds.get('ses-ana-checkout')!;
    assert.equal(expected.length, 3);
    const rows = await page.$$eval('[data-testid="trace-row"]', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-trace-id'), href: tr.querySelector('[data-testid="jaeger-trace"]')?.getAttribute('href'), text: tr.textContent ?? '' })),
    );
    assert.deepEqual(rows.map((r) => r.id), expected, 'every trace, in time order');
    for (const row of rows) {
      assert.equal(row.href, `${JAEGER_UI}/trace/${row.id}`);
      assert.match(row.text, /shop-api, shop-web/);
    }
    assert.match(rows[1]!.text, /2 errors/, 'the failed checkout trace is marked');
    assert.match(rows[0]!.text, /OK/);
    const all = new URL((await page.getAttribute('[data-testid="jaeger-all"]', 'href'))!);
    assert.equal(`${all.origin}${all.pathname}`, `${JAEGER_UI}/search`);
    assert.deepEqual(all.searchParams.getAll('traceID'), expected);
    const search = new URL((await page.getAttribute('[data-testid="jaeger-search"]', 'href'))!);
    assert.equal(search.searchParams.get('tags'), JSON.stringify({ 'session.id': 'ses-ana-checkout' }));
    await page.close();
  });
});
