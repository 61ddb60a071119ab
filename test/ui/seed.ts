// A real collector for the sessions UI tests and the docs screenshots: otlp receiver → enrich
// (User-Agent parsing) → session_stitch → sessionstore (DuckDB in a temp dir), and the sessions_api
// extension serving the UI. Seeded over OTLP/HTTP with sessions shaped like @stitch/web's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorFromYaml, otlpBaseUrl } from '@stitch/collector';
import { browserSession, type ResourceScript, type SessionScript } from '../../collector/src/store/testing/browser-session.js';

export const JAEGER_UI = 'http://127.0.0.1:16686';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const UA = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  androidTablet: 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

export const CHECKOUT_STACK = [
  'PaymentDeclinedError: card declined by issuer',
  '    at submitPayment (https://shop.example.com/assets/checkout.js:41:13)',
  '    at async HTMLFormElement.onSubmit (https://shop.example.com/assets/checkout.js:88:5)',
].join('\n');

/** The checkout page's resources: a script and a stylesheet with their phases, an image from a CDN without Timing-Allow-Origin. */
export const ANA_RESOURCES: ResourceScript[] = [
  { url: 'https://shop.example.com/assets/checkout.js', initiatorType: 'script', durationMs: 180, transferSize: 48213, phases: { dns: 12, connect: 20, tls: 26, request: 70, response: 40 } },
  { url: 'https://shop.example.com/assets/checkout.css', initiatorType: 'link', durationMs: 45, transferSize: 6120, phases: { dns: 0, connect: 0, tls: 0, request: 30, response: 12 } },
  { url: 'https://cdn.example.com/img/hero.webp?sig=REDACTED', initiatorType: 'img', durationMs: 240 },
];

/** One session as several exports: `parts[0]` opens it; later parts continue it (no session.start). */
export interface SeedSession {
  script: SessionScript;
  more?: Omit<SessionScript, 'sessionId'>[];
}

/** The sessions of the UI tests and screenshots, relative to `now`. */
export function demoSessions(now: number): SeedSession[] {
  return [
    {
      script: {
        sessionId: 'ses-ana-checkout',
        startMs: now - 12 * MINUTE,
        userId: 'u-ana',
        userEmail: 'ana@example.com',
        userAgent: UA.chromeMac,
        version: '1.4.0',
        geo: { country: 'DE', region: 'DE-BE', city: 'Berlin' },
        pages: ['https://shop.example.com/', 'https://shop.example.com/product/42', 'https://shop.example.com/checkout'],
        resources: ANA_RESOURCES,
        clicks: 2,
        apiCalls: [
          { url: 'https://api.example.com/api/cart', status: 200, durationMs: 120 },
          { url: 'https://api.example.com/api/checkout', status: 502, durationMs: 900 },
        ],
        error: { type: 'PaymentDeclinedError', message: 'card declined by issuer', stack: CHECKOUT_STACK },
        vitals: { LCP: 1800, INP: 350, CLS: 0.31 },
      },
      more: [{ startMs: now - 7 * MINUTE, pages: ['https://shop.example.com/order/1001'], apiCalls: [{ url: 'https://api.example.com/api/checkout', status: 200, durationMs: 300 }] }],
    },
    {
      script: {
        sessionId: 'ses-ben-mobile',
        startMs: now - 25 * MINUTE,
        userId: 'u-ben',
        userAgent: UA.iphone,
        version: '1.5.0',
        geo: { country: 'US', region: 'US-TX', city: 'Austin' },
        pages: ['https://shop.example.com/products'],
        clicks: 1,
        apiCalls: [{ url: 'https://api.example.com/api/products', status: 200, durationMs: 80 }],
        vitals: { LCP: 4600 },
      },
    },
    {
      script: {
        sessionId: 'ses-chloe-long',
        startMs: now - 50 * MINUTE,
        userId: 'u-chloe',
        userEmail: 'chloe@example.org',
        userAgent: UA.firefoxWindows,
        version: '1.5.0',
        geo: { country: 'FR', city: 'Paris' },
        pages: ['https://shop.example.com/', 'https://shop.example.com/search?q=lamp'],
        error: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'price')", stack: "TypeError: Cannot read properties of undefined (reading 'price')\n    at renderCart (https://shop.example.com/assets/cart.js:12:20)" },
      },
      // Back after a coffee: the same session twelve minutes later, with a second error.
      more: [
        {
          startMs: now - 38 * MINUTE,
          pages: ['https://shop.example.com/cart'],
          error: { type: 'NetworkError', message: 'Failed to fetch', stack: 'NetworkError: Failed to fetch\n    at loadCart (https://shop.example.com/assets/cart.js:30:9)' },
        },
      ],
    },
    {
      script: {
        sessionId: 'ses-dev-tablet',
        startMs: now - 3 * DAY,
        userId: 'u-dev',
        userAgent: UA.androidTablet,
        environment: 'staging',
        version: '1.6.0-rc.1',
        geo: { country: 'IN' },
        pages: ['https://staging.shop.example.com/'],
      },
    },
  ];
}

/** Many short anonymous sessions two days ago in their own environment: enough for a second page. */
export function bulkSessions(now: number, count: number): SeedSession[] {
  return Array.from({ length: count }, (_, i) => ({
    script: { sessionId: `ses-bulk-${String(i).padStart(3, '0')}`, startMs: now - 2 * DAY - i * MINUTE, environment: 'loadtest', pages: ['https://shop.example.com/'] },
  }));
}

const withoutSessionStart = (logs: Record<string, unknown>) => {
  const copy = structuredClone(logs) as { resourceLogs: { scopeLogs: { logRecords: { eventName: string }[] }[] }[] };
  for (const resource of copy.resourceLogs) for (const scope of resource.scopeLogs) scope.logRecords = scope.logRecords.filter((r) => r.eventName !== 'session.start');
  return copy;
};

export interface SeededCollector {
  /** http://127.0.0.1:<port> of the sessions API and UI. */
  uiUrl: string;
  otlpUrl: string;
  /** Trace ids per session id, in the order they were sent. */
  traceIds: Map<string, string[]>;
  send(sessions: SeedSession[]): Promise<void>;
  shutdown(): Promise<void>;
}

export interface SeedOptions {
  endpoint?: string;
  /** Bearer tokens for the sessions API (its `auth.tokens`); none: open, loopback only. */
  tokens?: { token: string; role: 'viewer' | 'analyst' | 'admin'; name: string }[];
}

export async function startSeededCollector(options: SeedOptions = {}): Promise<SeededCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-ui-'));
  const yaml = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  enrich:
    user_agent: true
    geo: false
  session_stitch:
    wait: 5s
exporters:
  sessionstore:
    path: ${JSON.stringify(join(dir, 'sessions.duckdb'))}
    refresh_interval: 100ms
extensions:
  sessions_api:
    endpoint: ${options.endpoint ?? '127.0.0.1:0'}
    store: sessionstore
    jaeger_ui_url: ${JAEGER_UI}${options.tokens ? `\n    auth:\n      tokens: ${JSON.stringify(options.tokens)}` : ''}
service:
  extensions: [sessions_api]
  pipelines:
    traces: { receivers: [otlp], processors: [enrich, session_stitch], exporters: [sessionstore] }
    logs: { receivers: [otlp], processors: [enrich, session_stitch], exporters: [sessionstore] }
`;
  const collector = collectorFromYaml(yaml);
  await collector.start();
  const uiPort = collector.component<{ port?: number }>('extension', 'sessions_api')?.port;
  const otlpUrl = otlpBaseUrl(collector);
  const traceIds = new Map<string, string[]>();

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${otlpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };

  return {
    uiUrl: `http://127.0.0.1:${uiPort}`,
    otlpUrl,
    traceIds,
    async send(sessions) {
      for (const { script, more = [] } of sessions) {
        const parts = [script, ...more.map((part) => ({ ...script, ...part, sessionId: script.sessionId, pages: part.pages ?? [], clicks: part.clicks, apiCalls: part.apiCalls, resources: part.resources, error: part.error, vitals: part.vitals }))];
        for (const [index, part] of parts.entries()) {
          const telemetry = browserSession(part);
          await post('/v1/traces', telemetry.traces);
          await post('/v1/logs', index === 0 ? telemetry.logs : withoutSessionStart(telemetry.logs));
          await post('/v1/traces', telemetry.backendTraces);
          traceIds.set(script.sessionId, [...(traceIds.get(script.sessionId) ?? []), ...telemetry.traceIds]);
        }
      }
    },
    async shutdown() {
      await collector.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `url` (JSON) until `done` holds: the store folds writes into session rows every refresh_interval. */
export async function waitForJson<T>(url: string, done: (body: T) => boolean, timeoutMs = 15_000, token?: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    last = response.status === 200 ? await response.json() : `${response.status} ${await response.text()}`;
    if (response.status === 200 && done(last as T)) return last as T;
    if (Date.now() > deadline) throw new Error(`${url} never satisfied the wait; last answer: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
