// `npm run screenshots:ui`: regenerates the screenshots of docs/sessions-ui.md (docs/images/) from a
// real collector seeded with the UI tests' demo sessions, in headless Chromium; and the sign-in page
// from a second collector whose API needs tokens.
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/web/harness/browser.js';
import { demoSessions, startSeededCollector, waitForJson } from '../test/ui/seed.js';

const OUT = new URL('../docs/images/', import.meta.url).pathname;
const MINUTE = 60_000;

const collector = await startSeededCollector();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const now = Date.now();
  // One session still going, so "Active users now" is not zero on the picture.
  const live = {
    script: {
      sessionId: 'ses-eva-live',
      startMs: now - 2 * MINUTE,
      userId: 'u-eva',
      userEmail: 'eva@example.co.uk',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      version: '1.5.0',
      geo: { country: 'GB', city: 'London' },
      pages: ['https://shop.example.com/', 'https://shop.example.com/product/7'],
      clicks: 1,
      apiCalls: [{ url: 'https://api.example.com/api/products/7', status: 200, durationMs: 60 }],
      vitals: { LCP: 2100 },
    },
  };
  await collector.send([...demoSessions(now), live]);
  await waitForJson<{ sessions: unknown[] }>(`${collector.uiUrl}/api/sessions`, (b) => b.sessions.length === 4);
  await waitForJson<{ traces: unknown[] }>(`${collector.uiUrl}/api/sessions/ses-ana-checkout`, (b) => b.traces.length === 3);
  mkdirSync(OUT, { recursive: true });
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US' });
  const shoot = async (path: string, width: number, file: string, prepare?: (page: Page) => Promise<void>) => {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    await page.goto(`${collector.uiUrl}${path}`);
    await page.waitForSelector('[data-testid="session-row"], [data-testid="session-detail"]');
    await prepare?.(page);
    // Phones: the first screen, as a person sees it; wide: the whole page.
    await page.screenshot({ path: `${OUT}${file}`, fullPage: width >= 500 });
    console.log(`wrote docs/images/${file}`);
    await page.close();
  };
  const openStack = (page: Page) => page.click('[data-testid="error-details"] summary');
  await shoot('/', 1280, 'sessions-list.png');
  await shoot('/', 390, 'sessions-list-phone.png');
  await shoot('/sessions/ses-ana-checkout', 1280, 'session-detail.png', openStack);
  // On a phone, the timeline is what a person scrolls to: picture it, stack trace unfolded.
  await shoot('/sessions/ses-ana-checkout', 390, 'session-detail-phone.png', async (page) => {
    await openStack(page);
    await page.evaluate(() => document.getElementById('h-timeline')?.scrollIntoView());
  });

  // The sign-in page a person meets when the API needs tokens (a second collector with `auth`).
  const guarded = await startSeededCollector({ tokens: [{ token: 'screenshot-token-0000', role: 'viewer', name: 'support' }] });
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 600 });
    await page.goto(`${guarded.uiUrl}/`);
    await page.waitForSelector('[data-testid="sign-in"]');
    await page.fill('#token', 'not-the-token');
    await page.press('#token', 'Enter');
    await page.waitForSelector('#token-error');
    await page.screenshot({ path: `${OUT}sign-in.png` });
    console.log('wrote docs/images/sign-in.png');
    await page.close();
  } finally {
    await guarded.shutdown();
  }
} finally {
  await browser.close();
  await collector.shutdown();
}
