// Real browser sessions against the running shop: headless Chromium through playwright-core,
// launched the way this machine requires (Debian's /usr/bin/chromium; see test/web/harness/browser.ts).
// Each session gets a fresh profile directory, so @stitch/web starts a new session in each.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { walkJourney, type JourneyOutcome } from './journey.js';
import { seededRandom } from './prng.js';

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

export interface TrafficOptions {
  frontendUrl: string;
  count: number;
  headless?: boolean;
  /** Same seed, same journeys. Default: a random seed (logged, so a run can be replayed). */
  seed?: number;
  log?: (line: string) => void;
}

export interface SessionReport extends JourneyOutcome {
  index: number;
  sessionId: string | undefined;
  error?: string;
}

export interface TrafficReport {
  seed: number;
  sessions: SessionReport[];
  orders: number;
  declined: number;
  failedLogins: number;
  errors: number;
}

/** Runs one journey in its own browser profile, then closes the tab so the SDK flushes on pagehide. */
async function runSession(index: number, options: TrafficOptions & { seed: number }): Promise<SessionReport> {
  const random = seededRandom(options.seed + index * 7919);
  const dir = await mkdtemp(join(tmpdir(), 'stitch-demo-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: CHROMIUM_ARGS,
  });
  const report: SessionReport = { index, sessionId: undefined, steps: [], login: 'none', checkout: 'none', orders: 0 };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      Object.assign(report, await walkJourney(page, options.frontendUrl, random));
    } catch (error) {
      report.error = (error as Error).message.split('\n')[0];
    }
    report.sessionId = await page.evaluate(() => window.demoShop?.sessionId()).catch(() => undefined);
    // Closing the tab fires pagehide: the SDK sends what it batched with keepalive fetches, which
    // need a moment to leave before the browser itself goes.
    const closed = new Promise((resolve) => page.once('close', resolve));
    await page.close({ runBeforeUnload: true });
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await context.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}

export async function driveSessions(options: TrafficOptions): Promise<TrafficReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const log = options.log ?? (() => undefined);
  const sessions: SessionReport[] = [];
  log(`driving ${options.count} browser session(s) against ${options.frontendUrl} (seed ${seed})`);
  for (let index = 0; index < options.count; index++) {
    const report = await runSession(index, { ...options, seed });
    sessions.push(report);
    const what = report.error ? `error: ${report.error}` : report.steps.join(' → ');
    log(`session ${index + 1}/${options.count} ${report.sessionId ?? '(no session id)'}: ${what}`);
  }
  return {
    seed,
    sessions,
    orders: sessions.reduce((sum, s) => sum + s.orders, 0),
    declined: sessions.filter((s) => s.steps.includes('declined')).length,
    failedLogins: sessions.filter((s) => s.steps.includes('login failed')).length,
    errors: sessions.filter((s) => s.error).length,
  };
}
