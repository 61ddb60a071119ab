// Headless Chromium through playwright-core, launched the way this machine requires: Debian's
// /usr/bin/chromium (never `npx playwright install`), a fresh profile directory per context.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** One persistent context = one browser profile: its pages are tabs sharing localStorage. */
  context: BrowserContext;
  /** Requests the pages made to `watchPrefix` (the collector), in order. */
  sent: Request[];
  close(): Promise<void>;
}

/** A fresh browser (new profile dir); `watchPrefix` is the collector endpoint whose requests are recorded. */
export async function launchBrowser(watchPrefix: string): Promise<TestBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'stitch-web-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const sent: Request[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(watchPrefix)) sent.push(request);
  });
  return {
    context,
    sent,
    async close() {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens `url` in a new tab of `context` (or `page`) and waits until the test app has rendered. */
export async function openApp(target: BrowserContext | Page, url: string): Promise<Page> {
  const page = 'newPage' in target ? await target.newPage() : target;
  await page.goto(url);
  await waitForApp(page);
  return page;
}

export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => Array.isArray(window.__routes) && window.__routes.length > 0, undefined, { timeout: 10_000 });
}

/** Collects uncaught page errors and console errors, for failure messages. */
export function watchConsole(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') into.push(`console.${message.type()}: ${message.text()}`);
  });
}
