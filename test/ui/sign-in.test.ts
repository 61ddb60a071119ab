// The sessions UI when the API needs a token (extensions.sessions_api.auth), in real headless
// Chromium over a real collector: the sign-in page appears instead of data, a wrong token is refused
// with a message, a viewer sees sessions without e-mails, an analyst with them, and signing out
// (or a token that stops working) brings the sign-in page back. Security headers are checked on the
// page the browser actually loaded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../web/harness/browser.js';
import { demoSessions, startSeededCollector, waitForJson, type SeededCollector } from './seed.js';

const VIEWER = 'viewer-token-8d1f0c2e7b';
const ANALYST = 'analyst-token-51a9e3c4d0';

let collector: SeededCollector;
let browser: Browser;
const problems: string[] = [];

before(async () => {
  collector = await startSeededCollector({
    tokens: [
      { token: VIEWER, role: 'viewer', name: 'support' },
      { token: ANALYST, role: 'analyst', name: 'growth' },
    ],
  });
  await collector.send(demoSessions(Date.now()));
  await waitForJson<{ sessions: unknown[] }>(`${collector.uiUrl}/api/sessions?range=24h`, (b) => b.sessions.length === 3, 15_000, ANALYST);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await collector?.shutdown();
  assert.deepEqual(problems, [], 'no page errors, CSP violations or unexpected console errors');
});

async function freshPage(path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${path}: pageerror ${error.message}`));
  page.on('console', (message) => {
    // 401s are the point of this file; Chromium logs every failed load.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(`${path}: ${message.text()}`);
  });
  await page.goto(`${collector.uiUrl}${path}`);
  return page;
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
}

const listReady = (page: Page) =>
  page.waitForFunction(() => {
    const list = document.querySelector('[data-testid="sessions-section"]');
    return list?.getAttribute('aria-busy') === 'false' && document.querySelectorAll('[data-testid="session-row"]').length > 0;
  });

describe('sessions UI with API tokens', () => {
  it('shows the sign-in page, not data or a blank page, and serves it with strict security headers', async () => {
    const page = await freshPage();
    const response = await page.request.get(`${collector.uiUrl}/`);
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, 'scripts from the origin only');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers()['x-content-type-options'], 'nosniff');
    assert.equal(response.headers()['referrer-policy'], 'same-origin');
    await page.waitForSelector('[data-testid="sign-in"]');
    assert.equal(await page.title(), 'Sign in · Stitch');
    assert.equal(await page.getAttribute('#token', 'type'), 'password');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'token', 'the token field has focus');
    assert.equal(await page.textContent('label[for="token"]'), 'Access token');
    assert.equal(await page.$('[data-testid="session-row"]'), null);
    await page.context().close();
  });

  it('refuses a wrong token with a message and keeps the user on the page', async () => {
    const page = await freshPage();
    await page.waitForSelector('[data-testid="sign-in"]');
    await signIn(page, 'not-a-token');
    const alert = await page.waitForSelector('#token-error');
    assert.match((await alert.textContent()) ?? '', /not valid/);
    assert.equal(await page.getAttribute('#token', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('stitch.token')), null, 'a refused token is not kept');
    await page.context().close();
  });

  it('lets a viewer in: sessions without e-mails, the holder shown in the header, kept across reloads of the tab', async () => {
    const page = await freshPage('/?range=24h');
    await page.waitForSelector('[data-testid="sign-in"]');
    await signIn(page, VIEWER);
    await listReady(page);
    assert.equal(await page.$$eval('[data-testid="session-row"]', (rows) => rows.length), 3);
    assert.equal((await page.textContent('[data-session-id="ses-ana-checkout"] [data-testid="cell-user"]'))?.trim(), 'u-ana', 'a viewer sees the user id, never the e-mail');
    assert.ok(!(await page.content()).includes('ana@example.com'));
    assert.match((await page.textContent('[data-testid="signed-in-as"]')) ?? '', /support \(viewer\)/);
    assert.equal(new URL(page.url()).search, '?range=24h', 'the filtered URL survives signing in');

    await page.reload();
    await listReady(page);
    assert.equal(await page.$('[data-testid="sign-in"]'), null, 'no second sign-in in the same tab');
    await page.click('[data-session-id="ses-ana-checkout"] [data-testid="session-link"]');
    await page.waitForSelector('[data-testid="session-detail"]');
    await page.context().close();
  });

  it('shows an analyst the e-mail, and signing out returns to the sign-in page and forgets the token', async () => {
    const page = await freshPage();
    await page.waitForSelector('[data-testid="sign-in"]');
    await signIn(page, ANALYST);
    await listReady(page);
    assert.equal((await page.textContent('[data-session-id="ses-ana-checkout"] [data-testid="cell-user"]'))?.trim(), 'ana@example.com');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="sign-in"]');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('stitch.token')), null);
    await page.reload();
    await page.waitForSelector('[data-testid="sign-in"]');
    await page.context().close();
  });

  it('asks to sign in again when a kept token stops being accepted', async () => {
    const page = await freshPage();
    await page.waitForSelector('[data-testid="sign-in"]');
    await page.evaluate(() => sessionStorage.setItem('stitch.token', 'revoked-token'));
    await page.reload();
    await page.waitForSelector('[data-testid="sign-in"]');
    assert.match((await page.textContent('[data-testid="sign-in"]')) ?? '', /not accepted any more/);
    await page.context().close();
  });
});
