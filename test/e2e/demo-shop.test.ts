// One trace from click to database: the demo shop as real processes (collector, API under
// `--import @stitch/node/register`, frontend server) driven in real headless Chromium. Every
// assertion reads what the collector's file exporters wrote.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoStack, type DemoStack } from '../../examples/demo-shop/scripts/stack.js';
import { CARDS } from '../../examples/demo-shop/scripts/journey.js';
import { launchBrowser, type TestBrowser } from '../web/harness/browser.js';
import { logsOf, spansOf, type ExportedLog, type ExportedSpan } from '../helpers/otlp.js';

const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

let dataDir: string;
let stack: DemoStack;
const stackOutput: string[] = [];
const sessions: { id: string; browser: TestBrowser; page: Page }[] = [];
let spans: ExportedSpan[] = [];
let logs: ExportedLog[] = [];
/** What the sessions API answered while the stack ran. */
let sessionList: { sessions: Record<string, unknown>[] } | undefined;
let detailA: any;
let rowCurrentAfterMs = 0;

async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

/** Polls the sessions API until `done` holds; returns the last answer. */
async function pollJson(url: string, done: (body: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    const body = response.status === 200 ? await response.json() : undefined;
    if (body !== undefined && done(body)) return body;
    if (Date.now() > deadline) assert.fail(`${url} never satisfied the wait: ${response.status} ${JSON.stringify(body)?.slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readJsonl<T>(file: string, parse: (request: unknown, line: number) => T[]): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line, i) => parse(JSON.parse(line), i));
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
}

async function navigate(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: 15_000 }), page.click(selector)]);
  await ready(page);
}

async function sessionIdOf(page: Page): Promise<string> {
  const id = await page.evaluate(() => (window as unknown as { demoShop?: { sessionId(): string | undefined } }).demoShop?.sessionId());
  assert.ok(id, 'the page exposes its Stitch session id');
  return id;
}

/** Session A: browse, add to cart, check out with the always-declined card (the error), then pay. */
async function shopperWhoHitsAnError(): Promise<string> {
  const browser = await launchBrowser(stack.collectorUrl);
  const page = await browser.context.newPage();
  await page.goto(stack.frontendUrl);
  await ready(page);
  await navigate(page, '[data-testid="product-link"]');
  await page.click('[data-testid="add-to-cart"]');
  await page.waitForSelector('[data-testid="notice"]:not([hidden])');
  await navigate(page, '[data-testid="cart-link"]');
  await navigate(page, '[data-testid="checkout-link"]');
  await page.fill('[data-testid="email"]', 'shopper@example.com');
  await page.fill('[data-testid="card-number"]', CARDS.declined);
  await page.click('[data-testid="checkout-submit"]');
  const banner = await page.waitForSelector('[data-testid="error-banner"]:not([hidden])');
  assert.match((await banner.textContent()) ?? '', /declined/i);
  await page.fill('[data-testid="card-number"]', CARDS.good);
  await page.click('[data-testid="checkout-submit"]');
  await page.waitForSelector('[data-testid="order-result"]:not([hidden])');
  const id = await sessionIdOf(page);
  sessions.push({ id, browser, page });
  return id;
}

/** Session B: another person (a fresh browser profile) who only browses. */
async function browsingShopper(): Promise<string> {
  const browser = await launchBrowser(stack.collectorUrl);
  const page = await browser.context.newPage();
  await page.goto(stack.frontendUrl);
  await ready(page);
  await navigate(page, '[data-testid="product-link"]');
  const id = await sessionIdOf(page);
  sessions.push({ id, browser, page });
  return id;
}

const apiSpans = () => spans.filter((s) => s.resource['service.name'] === 'demo-shop-api');
const webSpans = () => spans.filter((s) => s.resource['service.name'] === 'demo-shop-web');
const isCheckoutFetch = (s: ExportedSpan) => s.kind === CLIENT && /\/api\/checkout$/.test(String(s.attributes['url.full'] ?? ''));

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stitch-e2e-'));
  stack = await startDemoStack({
    ports: 'free',
    dataDir,
    dbFile: ':memory:',
    checkoutFailureRate: 0,
    checkoutSlowRate: 0,
    log: (line) => stackOutput.push(line),
  });
  const a = await shopperWhoHitsAnError();
  const b = await browsingShopper();
  assert.notEqual(a, b, 'a second browser gets a different session id');
  // Closing the pages flushes the browser SDK (pagehide); stopping the API flushes @stitch/node
  // (SIGTERM); stopping the collector drains its pipelines into the files.
  // Closing a page like a user does (unload handlers run) sends its last telemetry at pagehide.
  for (const s of sessions) await s.page.close({ runBeforeUnload: true });
  const closedAt = Date.now();
  await pollJson(`${stack.sessionsApiUrl}/api/sessions/${b}`, (d) => d.session?.pageViews >= 2);
  rowCurrentAfterMs = Date.now() - closedAt;
  // The API's spans leave on its batch schedule; wait for the backend side of every checkout.
  detailA = await pollJson(
    `${stack.sessionsApiUrl}/api/sessions/${a}`,
    (d) => d.traces?.filter((t: { services: string[] }) => t.services.includes('demo-shop-api')).length >= 5 && d.spans.some((sp: { url: string | null }) => /\/api\/checkout$/.test(sp.url ?? '')),
  );
  sessionList = await getJson(`${stack.sessionsApiUrl}/api/sessions?range=1h`);
  for (const s of sessions) await s.browser.close();
  await stack.stop();
  spans = readJsonl(join(stack.telemetryDir, 'traces.jsonl'), spansOf);
  logs = readJsonl(join(stack.telemetryDir, 'logs.jsonl'), logsOf);
});

after(async () => {
  for (const s of sessions) await s.browser.close().catch(() => {});
  await stack?.stop().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the browser fetch span is the parent of the express server span, and the DB spans are under it', () => {
  const [sessionA] = sessions;
  const fetches = webSpans().filter((s) => isCheckoutFetch(s) && s.attributes['session.id'] === sessionA!.id);
  assert.equal(fetches.length, 2, `two checkout fetches (declined, then paid); got ${fetches.length}\n${stackOutput.slice(-20).join('\n')}`);
  for (const fetchSpan of fetches) {
    const server = apiSpans().find((s) => s.kind === SERVER && s.traceId === fetchSpan.traceId);
    assert.ok(server, `a server span in the fetch's trace ${fetchSpan.traceId}`);
    assert.equal(server.parentSpanId, fetchSpan.spanId, 'parent span id = the fetch span id');
    assert.equal(server.attributes['http.route'], '/api/checkout');
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const underServer = (s: ExportedSpan): boolean => {
      for (let p = byId.get(s.parentSpanId); p; p = byId.get(p.parentSpanId)) if (p.spanId === server.spanId) return true;
      return false;
    };
    const dbSpans = apiSpans().filter((s) => s.traceId === fetchSpan.traceId && s.scope === '@opentelemetry/instrumentation-knex');
    assert.ok(dbSpans.length >= 1, 'the checkout made DB queries');
    for (const db of dbSpans) {
      assert.ok(underServer(db), `${db.name} is a descendant of the server span`);
      assert.equal(db.kind, CLIENT);
      assert.ok(db.attributes['db.system.name'] ?? db.attributes['db.system'], `${db.name} names its database system`);
    }
  }
});

test('every span of those traces, browser and backend, carries the same session.id', () => {
  const [sessionA] = sessions;
  const traceIds = new Set(webSpans().filter(isCheckoutFetch).filter((s) => s.attributes['session.id'] === sessionA!.id).map((s) => s.traceId));
  const traceSpans = spans.filter((s) => traceIds.has(s.traceId));
  const services = new Set(traceSpans.map((s) => s.resource['service.name']));
  assert.deepEqual([...services].sort(), ['demo-shop-api', 'demo-shop-web']);
  for (const span of traceSpans) assert.equal(span.attributes['session.id'], sessionA!.id, `${span.resource['service.name']} ${span.name}`);
  // Every backend request this shopper made (products, cart, checkout) is stamped too.
  const stampedApiTraces = new Set(apiSpans().filter((s) => s.attributes['session.id'] === sessionA!.id).map((s) => s.traceId));
  assert.ok(stampedApiTraces.size >= 5, `list, product, add, cart, checkout… got ${stampedApiTraces.size} traces`);
  const declineLog = logs.find((l) => l.resource['service.name'] === 'demo-shop-api' && /payment declined/.test(String(l.body)));
  assert.ok(declineLog, 'the API logged the decline');
  assert.equal(declineLog.attributes['session.id'], sessionA!.id, 'the backend log carries the session id');
  assert.ok(traceIds.has(declineLog.traceId), 'and belongs to the checkout trace');
});

test('a second session gets a different id, and no span or trace is shared between sessions', () => {
  const [a, b] = sessions;
  const ofA = spans.filter((s) => s.attributes['session.id'] === a!.id);
  const ofB = spans.filter((s) => s.attributes['session.id'] === b!.id);
  assert.ok(ofB.some((s) => s.resource['service.name'] === 'demo-shop-api'), 'session B reached the backend too');
  const spanIdsA = new Set(ofA.map((s) => s.spanId));
  assert.ok(!ofB.some((s) => spanIdsA.has(s.spanId)), 'no span in both sessions');
  const tracesA = new Set(ofA.map((s) => s.traceId));
  assert.ok(!ofB.some((s) => tracesA.has(s.traceId)), 'no trace in both sessions');
  for (const traceId of new Set(ofB.map((s) => s.traceId))) {
    for (const span of spans.filter((s) => s.traceId === traceId)) assert.equal(span.attributes['session.id'], b!.id, span.name);
  }
});

test('the failed checkout is an error on both sides of the trace', () => {
  const [sessionA] = sessions;
  const fetches = webSpans().filter((s) => isCheckoutFetch(s) && s.attributes['session.id'] === sessionA!.id);
  const failed = fetches.find((s) => s.attributes['http.response.status_code'] === 502);
  assert.ok(failed, 'the declined checkout fetch');
  assert.equal(failed.status.code, STATUS_ERROR, 'browser side: fetch span status ERROR');
  assert.equal(failed.attributes['error.type'], '502');
  const server = apiSpans().find((s) => s.kind === SERVER && s.traceId === failed.traceId)!;
  assert.equal(server.status.code, STATUS_ERROR, 'backend side: server span status ERROR');
  assert.equal(server.attributes['http.response.status_code'], 502);
  const paid = fetches.find((s) => Number(s.attributes['http.response.status_code']) < 300);
  assert.ok(paid, 'the paid checkout fetch');
  assert.notEqual(paid.status.code, STATUS_ERROR);
  assert.notEqual(apiSpans().find((s) => s.kind === SERVER && s.traceId === paid.traceId)?.status.code, STATUS_ERROR);
});

test('the sessions API lists both sessions, current within 2 s of their last telemetry', (t) => {
  const [a, b] = sessions;
  t.diagnostic(`session row current ${rowCurrentAfterMs} ms after the pages closed`);
  const ids = sessionList!.sessions.map((s) => s.sessionId);
  assert.ok(ids.includes(a!.id) && ids.includes(b!.id), `both sessions listed: ${ids.join(', ')}`);
  assert.ok(rowCurrentAfterMs <= 2_000, `session B's row showed its last page view ${rowCurrentAfterMs} ms after the browser closed`);
  const rowA = sessionList!.sessions.find((s) => s.sessionId === a!.id)!;
  assert.ok(Number(rowA.pageViews) >= 4, `home, product, cart, checkout: ${rowA.pageViews}`);
  assert.ok(Number(rowA.apiCalls) >= 5, `API calls ${rowA.apiCalls}`);
  assert.equal(rowA.service, 'demo-shop-web');
  assert.ok(rowA.browser, 'browser name from the user agent');
  assert.equal(rowA.entryUrl, `${stack.frontendUrl}/`);
});

test('the detail of a session holds every trace it caused, browser and backend, with Jaeger links', () => {
  const [a] = sessions;
  assert.equal(detailA.session.sessionId, a!.id);
  const checkoutFetches = webSpans().filter((s) => isCheckoutFetch(s) && s.attributes['session.id'] === a!.id);
  for (const fetchSpan of checkoutFetches) {
    const trace = detailA.traces.find((t: { traceId: string }) => t.traceId === fetchSpan.traceId);
    assert.ok(trace, `checkout trace ${fetchSpan.traceId} is listed`);
    assert.deepEqual(trace.services, ['demo-shop-api', 'demo-shop-web']);
    assert.equal(trace.jaegerUrl, `http://127.0.0.1:16686/trace/${fetchSpan.traceId}`);
    const stored = detailA.spans.filter((s: { traceId: string }) => s.traceId === fetchSpan.traceId);
    assert.ok(stored.some((s: { attributes: Record<string, unknown> }) => 'db.statement' in s.attributes || 'db.query.text' in s.attributes || 'db.system' in s.attributes || 'db.system.name' in s.attributes), 'the DB spans are stored with the session');
  }
  const declined = detailA.traces.find((t: { traceId: string; errorCount: number }) => checkoutFetches.some((f) => f.traceId === t.traceId) && t.errorCount > 0);
  assert.ok(declined, 'the declined checkout trace has error spans');
  assert.match(detailA.jaeger.allTracesUrl, /^http:\/\/127\.0\.0\.1:16686\/search\?traceID=/);
  const names = detailA.events.map((e: { name: string }) => e.name);
  assert.ok(names.includes('browser.page_view') && names.includes('browser.user_action'), names.join(', '));
  const times = detailA.events.map((e: { timeMs: number }) => e.timeMs);
  assert.deepEqual(times, [...times].sort((x: number, y: number) => x - y), 'timeline in time order');
});
