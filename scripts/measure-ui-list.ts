// `node --import tsx scripts/measure-ui-list.ts [sessions] [loads]`: how fast the sessions UI lists
// 50 sessions (issue 7: under 300 ms). A real collector seeded with demo-shop-shaped sessions; each
// load is a cold page in a fresh Chromium context, timed from navigation start to the UI's
// `stitch:sessions-rendered` mark. The API's share is shown apart (its requests' responseEnd in the
// page, and the same requests timed from Node) so a slow figure says where the time goes.
import { cpus, loadavg } from 'node:os';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/web/harness/browser.js';
import { CHECKOUT_STACK, demoSessions, startSeededCollector, UA, waitForJson, type SeedSession } from '../test/ui/seed.js';

const SESSIONS = Number(process.argv[2] ?? 200);
const LOADS = Number(process.argv[3] ?? 9);
const MINUTE = 60_000;

/** Sessions like `npm run demo -- --traffic` leaves: browsing, cart calls, a fifth with a failed checkout. */
function demoShaped(now: number, count: number): SeedSession[] {
  const agents = Object.values(UA);
  const countries = [{ country: 'DE', city: 'Berlin' }, { country: 'US', city: 'Austin' }, { country: 'FR', city: 'Paris' }, { country: 'IN' }];
  return Array.from({ length: count }, (_, i) => ({
    script: {
      sessionId: `ses-demo-${String(i).padStart(4, '0')}`,
      startMs: now - 30 * MINUTE - i * ((23 * 60 * MINUTE) / count),
      userId: `u-${i % 40}`,
      userAgent: agents[i % agents.length],
      version: `1.${i % 3}.0`,
      geo: countries[i % countries.length],
      pages: ['https://shop.example.com/', `https://shop.example.com/product/${i % 12}`, 'https://shop.example.com/cart'],
      clicks: 2 + (i % 3),
      apiCalls: [
        { url: 'https://api.example.com/api/products', status: 200, durationMs: 40 + (i % 50) },
        { url: 'https://api.example.com/api/cart', status: 200, durationMs: 60 },
        ...(i % 5 === 0 ? [{ url: 'https://api.example.com/api/checkout', status: 502, durationMs: 900 }] : []),
      ],
      ...(i % 5 === 0 ? { error: { type: 'PaymentDeclinedError', message: 'card declined by issuer', stack: CHECKOUT_STACK } } : {}),
      vitals: { LCP: 1200 + (i % 7) * 400, CLS: 0.02 * (i % 6) },
      end: true,
    },
  }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (v: number) => `${Math.round(v)} ms`;

const collector = await startSeededCollector();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const now = Date.now();
  const seeded = [...demoSessions(now).slice(0, 3), ...demoShaped(now, SESSIONS - 3)];
  await collector.send(seeded);
  await waitForJson<{ sessions: unknown[] }>(`${collector.uiUrl}/api/sessions?range=24h&limit=500`, (b) => b.sessions.length === seeded.length, 60_000);

  // The API alone, from Node: the two requests the list page makes.
  const api: Record<string, number[]> = { sessions: [], kpis: [] };
  for (let i = 0; i < LOADS; i++) {
    for (const [name, path] of [['sessions', '/api/sessions?range=24h&limit=50'], ['kpis', '/api/kpis?range=24h']] as const) {
      const t0 = performance.now();
      await (await fetch(`${collector.uiUrl}${path}`)).text();
      api[name]!.push(performance.now() - t0);
    }
  }

  type Load = { render: number; rowsInDom: number; longTasks: number; sessionsApi: number; kpisApi: number; script: number };
  // A string, not a function: tsx would wrap the function's inner helpers in a `__name` the page lacks.
  const READ = `(() => {
    const resources = performance.getEntriesByType('resource');
    const end = (part) => resources.find((r) => r.name.includes(part))?.responseEnd ?? NaN;
    return { render: performance.getEntriesByName('stitch:sessions-rendered')[0].startTime, rowsInDom: window.__rowsAt ?? NaN, longTasks: (window.__long ?? []).filter((t) => t.startTime < performance.getEntriesByName('stitch:sessions-rendered')[0].startTime).reduce((sum, t) => sum + t.duration, 0), sessionsApi: end('/api/sessions?'), kpisApi: end('/api/kpis?'), script: end('/assets/index-') };
  })()`;
  const load = async (context: BrowserContext): Promise<Load> => {
    const page = await context.newPage();
    // When preact commits the rows to the DOM (the mark comes after the browser has painted them).
    await page.addInitScript(`new MutationObserver((_, o) => { if (document.querySelector('[data-testid="session-row"]')) { window.__rowsAt = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true }); window.__long = []; new PerformanceObserver((l) => window.__long.push(...l.getEntries())).observe({ type: 'longtask' })`);
    await page.goto(`${collector.uiUrl}/`);
    await page.waitForFunction(() => performance.getEntriesByName('stitch:sessions-rendered').length > 0 && document.querySelectorAll('[data-testid="session-row"]').length === 50);
    const result = await page.evaluate<Load>(READ);
    await page.close();
    return result;
  };
  // Cold: a fresh profile each time (first visit, nothing cached). Warm: one profile, so the hashed
  // assets come from the HTTP cache (`immutable`), as for a person who opened the UI before.
  const cold: Load[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    cold.push(await load(context));
    await context.close();
  }
  const warmContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await load(warmContext);
  const warm: Load[] = [];
  for (let i = 0; i < LOADS; i++) warm.push(await load(warmContext));
  await warmContext.close();

  const [one, five] = loadavg();
  console.log(`${seeded.length} sessions in the store; ${LOADS} cold and ${LOADS} warm loads of / (50 rows); load average ${one!.toFixed(2)} / ${five!.toFixed(2)} on ${cpus().length} CPUs`);
  for (const [name, loads] of [['cold', cold], ['warm', warm]] as const) {
    console.log(`${name}: navigation start → rows rendered (median) ${ms(median(loads.map((l) => l.render)))}  [all: ${loads.map((l) => Math.round(l.render)).join(', ')}]`);
    console.log(`  app script loaded ${ms(median(loads.map((l) => l.script)))}, rows in the DOM ${ms(median(loads.map((l) => l.rowsInDom)))} (main thread in tasks over 50 ms before the mark: ${ms(median(loads.map((l) => l.longTasks)))}), /api/sessions answered ${ms(median(loads.map((l) => l.sessionsApi)))}, /api/kpis answered ${ms(median(loads.map((l) => l.kpisApi)))}`);
  }
  console.log(`API from Node (median): /api/sessions?limit=50 ${ms(median(api.sessions!))}, /api/kpis ${ms(median(api.kpis!))}`);
} finally {
  await browser.close();
  await collector.shutdown();
}
