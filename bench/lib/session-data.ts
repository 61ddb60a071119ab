// Synthetic telemetry of a web shop's user sessions for the `store` benchmark: what the browser SDK
// (@stitch/web) and a backend instrumented with @stitch/node send, after the collector has parsed
// it. Deterministic (seeded PRNG, no Math.random, no clock), so both engines get the same rows and
// the same query results.
//
// Shape of a session (means): 1.7 page views, 1.4 user actions, 4.2 API calls, 10 % of sessions
// with errors (2 errors each then); ~20 spans (a page load is `documentLoad` + `documentFetch`, a
// click one span, an API call the browser's client span + the backend's server span + 1.6 database
// spans) and ~5 log events (`session.start`, `browser.page_view`, `browser.user_action`,
// `browser.web_vital`, `exception`). Durations are log-normal and grow with activity; browsers,
// OS, devices and countries are skewed like a European/US shop's traffic.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** "Now" for the generated data set: the bulk-loaded sessions lie in the 30 days before it. */
export const DATASET_END_MS = Date.UTC(2026, 10, 1);
export const DATASET_DAYS = 30;
/** A session with no activity for this long has ended (the SDK's inactivity timeout). */
export const SESSION_INACTIVITY_MS = 30 * MINUTE_MS;
/** The SDK's maximum session length: a session's activity never lies further than this from its start. */
export const MAX_SESSION_MS = 4 * HOUR_MS;

/** OpenTelemetry span kinds (the OTLP enum values). */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
/** OTLP status codes. */
export const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/** What the collector knows about a browser session from the resource, the user attributes and the client IP. */
export interface SessionContext {
  sessionId: string;
  /** `user.hash`; name and e-mail only when the app sent them. */
  userHash: string | null;
  userName: string | null;
  userEmail: string | null;
  service: string;
  environment: string;
  appVersion: string;
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  deviceType: string;
  screen: string;
  viewport: string;
  /** Network Information API `effectiveType`; Safari does not have it. */
  connectionType: string | null;
  country: string;
  region: string;
  city: string;
}

export interface SpanRecord {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | null;
  sessionId: string;
  service: string;
  name: string;
  kind: number;
  /** Microseconds since the epoch: exact in a JS number (nanoseconds would need BigInt). */
  startUs: number;
  durationUs: number;
  statusCode: number;
  httpMethod: string | null;
  httpStatus: number | null;
  url: string | null;
  /** The remaining attributes, as JSON. */
  attributes: string;
  /** The browser session's context for spans made in the browser; null for backend spans. */
  session: SessionContext | null;
}

export interface EventRecord {
  /**
   * Idempotency key, computed by the collector (log records have no id of their own): the time in
   * ms × 2^21 plus 21 bits of a hash of session, time, name and text (fits a signed 64-bit integer
   * until the year 2109). A retried record gets the same key; keys grow with time, so a B-tree keyed
   * by them is appended to at its end, and a key range is a time range. Two different events of the
   * same millisecond collide with probability 2^-21 (the second one would be taken for a retry).
   */
  eventKey: bigint;
  sessionId: string;
  timeUs: number;
  name: string;
  traceId: Buffer | null;
  spanId: Buffer | null;
  severity: number;
  /** What free-text search looks at: the page URL, the action target or the error message. */
  text: string | null;
  /** A web vital's value. */
  value: number | null;
  /** Which web vital, for `browser.web_vital`. */
  metric: VitalName | null;
  attributes: string;
  session: SessionContext;
}

export interface GeneratedSession {
  context: SessionContext;
  spans: SpanRecord[];
  events: EventRecord[];
}

export interface TelemetryBatch {
  spans: SpanRecord[];
  events: EventRecord[];
}

// ── PRNG and sampling ──────────────────────────────────────────────────────────────────────────

/** sfc32: small, fast, good enough for synthetic data, and identical on every run for a seed. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  normal(): number {
    // Box–Muller; 1 - next() keeps log away from 0.
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Failures before the first success; the mean is `mean`. */
  geometric(mean: number): number {
    if (mean <= 0) return 0;
    return Math.floor(Math.log(1 - this.next()) / Math.log(mean / (mean + 1)));
  }

  bytes(n: number): Buffer {
    const buf = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) buf.writeUInt32LE(this.uint32(), i);
    return buf;
  }
}

/** Picks from weighted entries in O(log n). */
export class Weighted<T> {
  readonly #values: T[];
  readonly #cumulative: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.#values = entries.map(([value]) => value);
    let total = 0;
    this.#cumulative = entries.map(([, weight]) => (total += weight));
    this.#cumulative = this.#cumulative.map((c) => c / total);
  }

  pick(rng: Rng): T {
    const u = rng.next();
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.#values[lo]!;
  }
}

/** 53 bits of FNV-1a-style hashing (two 32-bit lanes), so it fits a JS number and a SQL BIGINT. */
export function hash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0x297a2d39);
  return (h1 >>> 11) * 4294967296 + (h2 >>> 0);
}

const EVENT_KEY_HASH_BITS = 21;

export function eventKeyOf(sessionId: string, timeUs: number, name: string, text: string | null): bigint {
  return eventKeyFloor(timeUs) + BigInt(hash53(`${sessionId}|${timeUs}|${name}|${text ?? ''}`) % 2 ** EVENT_KEY_HASH_BITS);
}

/** The smallest event key at time `timeUs`: key ranges for time ranges. */
export function eventKeyFloor(timeUs: number): bigint {
  return BigInt(Math.floor(timeUs / 1000)) << BigInt(EVENT_KEY_HASH_BITS);
}

// ── Dimensions ────────────────────────────────────────────────────────────────────────────────

interface Place {
  country: string;
  region: string;
  city: string;
}

const cities = (country: string, list: [string, string, number][]): [Place, number][] =>
  list.map(([region, city, weight]) => [{ country, region, city }, weight]);

/** Countries weighted like a shop selling mostly in the US and Europe, with a long tail. */
const PLACES = new Weighted<Place>([
  ...cities('US', [['California', 'San Francisco', 6], ['California', 'Los Angeles', 5], ['New York', 'New York City', 7], ['Texas', 'Austin', 3], ['Texas', 'Houston', 3], ['Washington', 'Seattle', 3], ['Illinois', 'Chicago', 3]]),
  ...cities('DE', [['Berlin', 'Berlin', 3.5], ['Bavaria', 'Munich', 2.5], ['Hamburg', 'Hamburg', 1.5], ['Hesse', 'Frankfurt', 1.5]]),
  ...cities('GB', [['England', 'London', 5], ['England', 'Manchester', 1.5], ['Scotland', 'Edinburgh', 1]]),
  ...cities('IN', [['Maharashtra', 'Mumbai', 2.5], ['Karnataka', 'Bengaluru', 2.5], ['Delhi', 'New Delhi', 2]]),
  ...cities('FR', [['Île-de-France', 'Paris', 4], ['Auvergne-Rhône-Alpes', 'Lyon', 1.2], ['Occitanie', 'Toulouse', 0.8]]),
  ...cities('BR', [['São Paulo', 'São Paulo', 3], ['Rio de Janeiro', 'Rio de Janeiro', 2]]),
  ...cities('CA', [['Ontario', 'Toronto', 2], ['Quebec', 'Montreal', 1], ['British Columbia', 'Vancouver', 1]]),
  ...cities('JP', [['Tokyo', 'Tokyo', 3], ['Osaka', 'Osaka', 1]]),
  ...cities('NL', [['North Holland', 'Amsterdam', 2], ['South Holland', 'Rotterdam', 1]]),
  ...cities('ES', [['Madrid', 'Madrid', 1.5], ['Catalonia', 'Barcelona', 1.5]]),
  ...cities('IT', [['Lombardy', 'Milan', 1.5], ['Lazio', 'Rome', 1.5]]),
  ...cities('AU', [['New South Wales', 'Sydney', 1.8], ['Victoria', 'Melbourne', 1.2]]),
  ...cities('PL', [['Masovia', 'Warsaw', 1.2], ['Lesser Poland', 'Kraków', 0.8]]),
  ...cities('SE', [['Stockholm', 'Stockholm', 1.5]]),
  ...cities('MX', [['Mexico City', 'Mexico City', 1.5]]),
  ...cities('CH', [['Zurich', 'Zurich', 1]]),
  ...cities('AT', [['Vienna', 'Vienna', 0.9]]),
  ...cities('BE', [['Brussels', 'Brussels', 0.8]]),
  ...cities('IE', [['Leinster', 'Dublin', 0.7]]),
  ...cities('DK', [['Capital Region', 'Copenhagen', 0.6]]),
  ...cities('NO', [['Oslo', 'Oslo', 0.5]]),
  ...cities('FI', [['Uusimaa', 'Helsinki', 0.5]]),
  ...cities('PT', [['Lisbon', 'Lisbon', 0.5]]),
  ...cities('SG', [['Singapore', 'Singapore', 0.5]]),
  ...cities('ZA', [['Gauteng', 'Johannesburg', 0.4]]),
  ...cities('KE', [['Nairobi', 'Nairobi', 0.2]]),
  ...cities('NZ', [['Auckland', 'Auckland', 0.3]]),
  ...cities('IS', [['Capital Region', 'Reykjavik', 0.05]]),
]);

interface Platform {
  deviceType: string;
  os: string;
  osVersions: Weighted<string>;
  browsers: Weighted<[string, Weighted<string>]>;
  screens: Weighted<string>;
}

const versions = (...list: [string, number][]) => new Weighted(list);
const CHROME = versions(['131', 45], ['130', 30], ['129', 15], ['128', 10]);
const EDGE = versions(['131', 50], ['130', 35], ['129', 15]);
const FIREFOX = versions(['133', 40], ['132', 35], ['128', 25]);
const SAFARI = versions(['18.1', 45], ['18.0', 25], ['17.6', 20], ['17.4', 10]);
const SAMSUNG = versions(['27.0', 60], ['26.0', 40]);
const OPERA = versions(['114', 60], ['113', 40]);
const DESKTOP_SCREENS = versions(['1920x1080', 40], ['1536x864', 12], ['2560x1440', 12], ['1366x768', 10], ['1440x900', 10], ['1280x720', 6], ['3840x2160', 4], ['1680x1050', 6]);
const PHONE_SCREENS = versions(['390x844', 22], ['393x852', 18], ['414x896', 12], ['360x800', 16], ['412x915', 18], ['375x667', 8], ['430x932', 6]);
const TABLET_SCREENS = versions(['820x1180', 35], ['768x1024', 30], ['810x1080', 15], ['800x1280', 20]);

const platform = (deviceType: string, os: string, osVersions: Weighted<string>, browsers: [string, Weighted<string>, number][], screens: Weighted<string>): Platform => ({
  deviceType,
  os,
  osVersions,
  browsers: new Weighted(browsers.map(([name, v, weight]) => [[name, v] as [string, Weighted<string>], weight] as const)),
  screens,
});

/** Device type, then OS, then browser: Safari only on Apple systems, Samsung Internet only on Android. */
const PLATFORMS = new Weighted<Platform>([
  [platform('desktop', 'Windows', versions(['11', 55], ['10', 45]), [['Chrome', CHROME, 65], ['Edge', EDGE, 22], ['Firefox', FIREFOX, 9], ['Opera', OPERA, 4]], DESKTOP_SCREENS), 26],
  [platform('desktop', 'macOS', versions(['15', 40], ['14', 40], ['13', 20]), [['Chrome', CHROME, 50], ['Safari', SAFARI, 38], ['Firefox', FIREFOX, 8], ['Edge', EDGE, 4]], DESKTOP_SCREENS), 9],
  [platform('desktop', 'Linux', versions(['x86_64', 100]), [['Chrome', CHROME, 60], ['Firefox', FIREFOX, 40]], DESKTOP_SCREENS), 2],
  [platform('desktop', 'ChromeOS', versions(['16033', 100]), [['Chrome', CHROME, 100]], DESKTOP_SCREENS), 1],
  [platform('mobile', 'iOS', versions(['18.1', 45], ['18.0', 25], ['17.6', 20], ['16.7', 10]), [['Mobile Safari', SAFARI, 80], ['Chrome Mobile', CHROME, 18], ['Firefox Mobile', FIREFOX, 2]], PHONE_SCREENS), 26],
  [platform('mobile', 'Android', versions(['14', 45], ['13', 30], ['12', 15], ['11', 10]), [['Chrome Mobile', CHROME, 80], ['Samsung Internet', SAMSUNG, 16], ['Firefox Mobile', FIREFOX, 4]], PHONE_SCREENS), 32],
  [platform('tablet', 'iPadOS', versions(['18.1', 60], ['17.6', 40]), [['Mobile Safari', SAFARI, 85], ['Chrome Mobile', CHROME, 15]], TABLET_SCREENS), 2.5],
  [platform('tablet', 'Android', versions(['14', 60], ['13', 40]), [['Chrome Mobile', CHROME, 80], ['Samsung Internet', SAMSUNG, 20]], TABLET_SCREENS), 1.5],
]);

const CONNECTIONS = new Weighted([['4g', 86], ['3g', 9], ['2g', 4], ['slow-2g', 1]] as const);
const ENVIRONMENTS = new Weighted([['production', 95], ['staging', 4], ['development', 1]] as const);
const SERVICES = new Weighted([['shop-web', 88], ['shop-admin', 12]] as const);

const ORIGIN = 'https://shop.example.com';
const SEARCH_TERMS = ['shoes', 'jacket', 'running', 'gift card', 'backpack', 'socks', 'rain coat', 'sale'];

type PagePath = (rng: Rng) => string;
const PAGES = new Weighted<PagePath>([
  [() => '/', 25],
  [() => '/products', 15],
  [(rng) => `/products/${1 + rng.int(500)}`, 30],
  [() => '/cart', 10],
  [() => '/checkout', 6],
  [() => '/checkout/payment', 3],
  [() => '/account', 4],
  [(rng) => `/search?q=${encodeURIComponent(rng.pick(SEARCH_TERMS))}`, 7],
]);

interface ApiCall {
  method: string;
  route: string;
  path: (rng: Rng) => string;
  sql: string;
}
const API_CALLS = new Weighted<ApiCall>([
  [{ method: 'GET', route: '/api/products/:id', path: (rng) => `/api/products/${1 + rng.int(500)}`, sql: 'SELECT id, name, price, stock FROM products WHERE id = $1' }, 35],
  [{ method: 'GET', route: '/api/products', path: () => '/api/products?page=1', sql: 'SELECT id, name, price FROM products ORDER BY rank LIMIT 24' }, 20],
  [{ method: 'GET', route: '/api/cart', path: () => '/api/cart', sql: 'SELECT product_id, quantity FROM cart_items WHERE cart_id = $1' }, 18],
  [{ method: 'POST', route: '/api/cart/items', path: () => '/api/cart/items', sql: 'INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)' }, 10],
  [{ method: 'GET', route: '/api/recommendations', path: () => '/api/recommendations', sql: 'SELECT product_id FROM recommendations WHERE user_id = $1 LIMIT 8' }, 9],
  [{ method: 'POST', route: '/api/checkout', path: () => '/api/checkout', sql: 'INSERT INTO orders (cart_id, total) VALUES ($1, $2) RETURNING id' }, 5],
  [{ method: 'GET', route: '/api/search', path: (rng) => `/api/search?q=${encodeURIComponent(rng.pick(SEARCH_TERMS))}`, sql: 'SELECT id, name FROM products WHERE name ILIKE $1 LIMIT 20' }, 3],
]);

const ACTION_TARGETS = new Weighted([
  ['button#add-to-cart', 22],
  ['a.product-card', 25],
  ['button.checkout', 8],
  ['input#search', 10],
  ['button#place-order', 3],
  ['nav a[href="/cart"]', 9],
  ['button.filter-toggle', 8],
  ['div.carousel-next', 10],
  ['button.size-option', 5],
] as const);

const ERRORS = new Weighted([
  [['TypeError', "TypeError: Cannot read properties of undefined (reading 'price')"], 24],
  [['TypeError', 'Failed to fetch'], 18],
  [['Error', 'ResizeObserver loop completed with undelivered notifications.'], 18],
  [['Error', 'Script error.'], 10],
  [['TypeError', 'NetworkError when attempting to fetch resource.'], 8],
  [['SyntaxError', "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"], 6],
  [['ChunkLoadError', 'ChunkLoadError: Loading chunk 734 failed.'], 4],
  [['PaymentError', 'Payment declined: card_expired'], 4],
  [['QuotaExceededError', 'QuotaExceededError: the quota has been exceeded.'], 2],
] as const);

const VITALS: { metric: VitalName; chance: number; value: (rng: Rng) => number; good: number; poor: number }[] = [
  { metric: 'LCP', chance: 0.3, value: (rng) => Math.round(rng.logNormal(2100, 0.5)), good: 2500, poor: 4000 },
  { metric: 'CLS', chance: 0.1, value: (rng) => Math.round(rng.logNormal(0.05, 1) * 1000) / 1000, good: 0.1, poor: 0.25 },
  { metric: 'INP', chance: 0.07, value: (rng) => Math.round(rng.logNormal(140, 0.6)), good: 200, poor: 500 },
  { metric: 'FCP', chance: 0.05, value: (rng) => Math.round(rng.logNormal(1400, 0.5)), good: 1800, poor: 3000 },
  { metric: 'TTFB', chance: 0.05, value: (rng) => Math.round(rng.logNormal(500, 0.6)), good: 800, poor: 1800 },
];

// ── Users and releases ─────────────────────────────────────────────────────────────────────────

/** The hashed user id of user number `index` (32 hex characters here; `user.hash`). */
export function userHashOf(index: number): string {
  const h = hash53(`user-${index}`);
  return h.toString(16).padStart(14, '0') + hash53(`salt-${index}`).toString(16).padStart(14, '0') + (index & 0xffff).toString(16).padStart(4, '0');
}

/** Whether the app sends user number `index`'s e-mail address (30 % of identified users). */
export function userSendsEmail(index: number): boolean {
  return hash53(`email-${index}`) % 10 < 3;
}

export function userEmailOf(index: number): string {
  return `customer${index}@mail.example.org`;
}

/** A release every 2.5 days: `2.<n>.0`; most sessions run the newest one, some an older one. */
export function releaseAt(ms: number): number {
  return Math.floor((ms - (DATASET_END_MS - DATASET_DAYS * DAY_MS)) / (2.5 * DAY_MS));
}

export function appVersionOf(release: number): string {
  return `2.${30 + release}.0`;
}

function pickAppVersion(rng: Rng, startMs: number, environment: string): string {
  const latest = releaseAt(startMs);
  if (environment !== 'production') return appVersionOf(latest + 1);
  const lag = rng.chance(0.8) ? 0 : rng.chance(0.75) ? 1 : 2 + rng.int(3);
  return appVersionOf(latest - lag);
}

// ── Sessions ─────────────────────────────────────────────────────────────────────────────────────

function viewportOf(rng: Rng, screen: string, deviceType: string): string {
  const [w, h] = screen.split('x').map(Number) as [number, number];
  if (deviceType !== 'desktop') return `${w}x${h - 80 - rng.int(60)}`;
  const width = rng.chance(0.7) ? w : Math.max(800, w - 100 * (1 + rng.int(8)));
  return `${width}x${h - 120 - rng.int(80)}`;
}

function sessionContext(rng: Rng, sessionId: string, startMs: number, users: number): SessionContext {
  const place = PLACES.pick(rng);
  const plat = PLATFORMS.pick(rng);
  const [browser, browserVersions] = plat.browsers.pick(rng);
  const screen = plat.screens.pick(rng);
  const environment = ENVIRONMENTS.pick(rng);
  const identified = rng.chance(0.6);
  // A few users come back very often (Zipf-like head): cube of a uniform.
  const userIndex = identified ? Math.floor(users * rng.next() ** 3) : -1;
  return {
    sessionId,
    userHash: identified ? userHashOf(userIndex) : null,
    userName: identified && userIndex % 5 === 0 ? `Customer ${userIndex}` : null,
    userEmail: identified && userSendsEmail(userIndex) ? userEmailOf(userIndex) : null,
    service: SERVICES.pick(rng),
    environment,
    appVersion: pickAppVersion(rng, startMs, environment),
    browser,
    browserVersion: browserVersions.pick(rng),
    os: plat.os,
    osVersion: plat.osVersions.pick(rng),
    deviceType: plat.deviceType,
    screen,
    viewport: viewportOf(rng, screen, plat.deviceType),
    connectionType: browser.includes('Safari') ? null : CONNECTIONS.pick(rng),
    country: place.country,
    region: place.region,
    city: place.city,
  };
}

type Activity = 'page' | 'click' | 'api' | 'error';

/** The session's activities in time order with their offsets (ms) from its start; the first is the entry page view. */
function plannedActivities(rng: Rng): { kind: Activity; offsetMs: number }[] {
  const kinds: Activity[] = [];
  const push = (kind: Activity, n: number) => {
    for (let i = 0; i < n; i++) kinds.push(kind);
  };
  push('page', rng.geometric(0.7));
  push('click', rng.geometric(1.4));
  push('api', rng.geometric(4.2));
  if (rng.chance(0.1)) push('error', 1 + rng.geometric(1));
  const steps = kinds.length + 1;
  const durationMs = Math.min(MAX_SESSION_MS - MINUTE_MS, steps === 1 ? rng.logNormal(4_000, 0.8) : rng.logNormal(12_000 * steps ** 0.9, 0.8));
  const offsets = kinds.map(() => 1 + rng.next() * durationMs).sort((a, b) => a - b);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return [{ kind: 'page', offsetMs: 0 }, ...kinds.map((kind, i) => ({ kind, offsetMs: offsets[i]! }))];
}

/** Builds one session's spans and events; records after `untilMs` (not sent yet at "now") are left out. */
class SessionBuilder {
  readonly spans: SpanRecord[] = [];
  readonly events: EventRecord[] = [];
  #pageUrl = ORIGIN + '/';

  constructor(
    private readonly rng: Rng,
    private readonly ctx: SessionContext,
    private readonly untilUs: number,
  ) {}

  build(startMs: number): GeneratedSession {
    const startUs = startMs * 1000 + this.rng.int(1000);
    this.#event(startUs, 'session.start', 9, null, null, '{}');
    for (const { kind, offsetMs } of plannedActivities(this.rng)) {
      const atUs = startUs + Math.round(offsetMs * 1000);
      if (atUs > this.untilUs) break;
      if (kind === 'page') this.#pageView(atUs);
      else if (kind === 'click') this.#click(atUs);
      else if (kind === 'api') this.#apiCall(atUs);
      else this.#error(atUs);
    }
    return { context: this.ctx, spans: this.spans.filter((s) => s.startUs <= this.untilUs), events: this.events.filter((e) => e.timeUs <= this.untilUs) };
  }

  #span(traceId: Buffer, parent: Buffer | null, service: string, name: string, kind: number, startUs: number, durationUs: number, fields: Partial<Pick<SpanRecord, 'httpMethod' | 'httpStatus' | 'url' | 'statusCode'>>, attributes: string, browser: boolean): Buffer {
    const spanId = this.rng.bytes(8);
    this.spans.push({
      traceId,
      spanId,
      parentSpanId: parent,
      sessionId: this.ctx.sessionId,
      service,
      name,
      kind,
      startUs: Math.round(startUs),
      durationUs: Math.max(1, Math.round(durationUs)),
      statusCode: fields.statusCode ?? STATUS.UNSET,
      httpMethod: fields.httpMethod ?? null,
      httpStatus: fields.httpStatus ?? null,
      url: fields.url ?? null,
      attributes,
      session: browser ? this.ctx : null,
    });
    return spanId;
  }

  #event(timeUs: number, name: string, severity: number, text: string | null, ids: { traceId: Buffer; spanId: Buffer } | null, attributes: string, vital?: { metric: VitalName; value: number }): void {
    this.events.push({
      eventKey: eventKeyOf(this.ctx.sessionId, timeUs, name, text ?? vital?.metric ?? null),
      sessionId: this.ctx.sessionId,
      timeUs,
      name,
      traceId: ids?.traceId ?? null,
      spanId: ids?.spanId ?? null,
      severity,
      text,
      value: vital?.value ?? null,
      metric: vital?.metric ?? null,
      attributes,
      session: this.ctx,
    });
  }

  #pageView(atUs: number): void {
    const path = PAGES.pick(this.rng)(this.rng);
    this.#pageUrl = ORIGIN + path;
    const traceId = this.rng.bytes(16);
    const loadUs = this.rng.logNormal(1_600, 0.5) * 1000;
    const root = this.#span(traceId, null, this.ctx.service, 'documentLoad', SPAN_KIND.INTERNAL, atUs, loadUs, { url: this.#pageUrl }, `{"url.path":"${path}","browser.page.transfer_size":${20_000 + this.rng.int(80_000)}}`, true);
    this.#span(traceId, root, this.ctx.service, 'documentFetch', SPAN_KIND.INTERNAL, atUs + 5_000, loadUs * 0.3, { url: this.#pageUrl }, '{}', true);
    this.#event(atUs, 'browser.page_view', 9, this.#pageUrl, { traceId, spanId: root }, `{"url.path":"${path}"}`);
    for (const vital of VITALS) {
      if (!this.rng.chance(vital.chance)) continue;
      const value = vital.value(this.rng);
      const rating = value <= vital.good ? 'good' : value <= vital.poor ? 'needs-improvement' : 'poor';
      this.#event(atUs + 2_000_000 + this.rng.int(8_000_000), 'browser.web_vital', 9, null, null, `{"stitch.web_vital.name":"${vital.metric}","stitch.web_vital.value":${value},"stitch.web_vital.rating":"${rating}"}`, { metric: vital.metric, value });
    }
  }

  #click(atUs: number): void {
    const target = ACTION_TARGETS.pick(this.rng);
    const traceId = this.rng.bytes(16);
    const spanId = this.#span(traceId, null, this.ctx.service, 'click', SPAN_KIND.INTERNAL, atUs, this.rng.logNormal(40_000, 0.6), {}, `{"browser.action.type":"click","browser.action.target":${JSON.stringify(target)}}`, true);
    this.#event(atUs, 'browser.user_action', 9, target, { traceId, spanId }, `{"browser.action.type":"click","url.full":"${this.#pageUrl}"}`);
  }

  /** The browser's fetch span, the backend's server span and its database spans, in one trace. */
  #apiCall(atUs: number): void {
    const call = API_CALLS.pick(this.rng);
    const failed = this.rng.chance(0.03);
    const status = failed ? 500 : call.method === 'POST' ? 201 : 200;
    const traceId = this.rng.bytes(16);
    const url = ORIGIN + call.path(this.rng);
    const totalUs = this.rng.logNormal(90_000, 0.7);
    const client = this.#span(traceId, null, this.ctx.service, `HTTP ${call.method}`, SPAN_KIND.CLIENT, atUs, totalUs, { httpMethod: call.method, httpStatus: status, url, statusCode: failed ? STATUS.ERROR : STATUS.UNSET }, `{"http.response.body.size":${200 + this.rng.int(20_000)}}`, true);
    const serverStartUs = atUs + totalUs * 0.15;
    const serverUs = totalUs * 0.7;
    const server = this.#span(traceId, client, 'shop-api', `${call.method} ${call.route}`, SPAN_KIND.SERVER, serverStartUs, serverUs, { httpMethod: call.method, httpStatus: status, url: call.route, statusCode: failed ? STATUS.ERROR : STATUS.UNSET }, `{"server.address":"api.shop.example.com","http.route":"${call.route}","user_agent.original":"${this.ctx.browser}/${this.ctx.browserVersion}"}`, false);
    const queries = 1 + this.rng.geometric(0.6);
    for (let i = 0; i < queries; i++) {
      const queryStartUs = serverStartUs + ((i + 0.2) * serverUs) / (queries + 1);
      this.#span(traceId, server, 'shop-api', call.sql.split(' ', 1)[0] + ' shop', SPAN_KIND.CLIENT, queryStartUs, (serverUs / (queries + 1)) * 0.8, {}, `{"db.system.name":"postgresql","db.query.text":"${call.sql.replace(/"/g, '\\"')}"}`, false);
    }
  }

  #error(atUs: number): void {
    const [type, message] = ERRORS.pick(this.rng);
    this.#event(atUs, 'exception', 17, message, null, JSON.stringify({ 'exception.type': type, 'exception.stacktrace': `${type}: at ${ORIGIN}/assets/app.3f9a1c.js:1:${1000 + this.rng.int(90_000)}` }));
  }
}

/**
 * Session start times over a window, following a daily cycle (busiest in the evening, quietest at
 * night), quieter weekends and slow growth: an inverse-CDF over one-minute bins.
 */
class ArrivalClock {
  readonly #cumulative: Float64Array;

  constructor(
    private readonly fromMs: number,
    minutes: number,
  ) {
    this.#cumulative = new Float64Array(minutes);
    let total = 0;
    for (let m = 0; m < minutes; m++) {
      const at = new Date(fromMs + m * MINUTE_MS);
      const hour = at.getUTCHours() + at.getUTCMinutes() / 60;
      const daily = 1 + 0.65 * Math.sin((2 * Math.PI * (hour - 13)) / 24);
      const weekly = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.8 : 1;
      const growth = 1 + (0.3 * m) / minutes;
      total += daily * weekly * growth;
      this.#cumulative[m] = total;
    }
    for (let m = 0; m < minutes; m++) this.#cumulative[m]! /= total;
  }

  /** The time at quantile `u` (0..1); increasing `u` gives increasing times. */
  at(u: number, hint: { bin: number }): number {
    while (hint.bin < this.#cumulative.length - 1 && this.#cumulative[hint.bin]! < u) hint.bin++;
    const hi = this.#cumulative[hint.bin]!;
    const lo = hint.bin === 0 ? 0 : this.#cumulative[hint.bin - 1]!;
    const within = hi > lo ? (u - lo) / (hi - lo) : 0;
    return Math.floor(this.fromMs + (hint.bin + within) * MINUTE_MS);
  }
}

export interface DatasetSpec {
  sessions: number;
  seed: number;
  /** Sessions start in [endMs - days, endMs); nothing later than `endMs` is included. */
  endMs: number;
  days: number;
}

/** The bulk data set: sessions in start order, each with its spans and events. */
export function* generateSessions(spec: DatasetSpec): Generator<GeneratedSession> {
  const rng = new Rng(spec.seed);
  const fromMs = spec.endMs - spec.days * DAY_MS;
  const clock = new ArrivalClock(fromMs, spec.days * 24 * 60);
  const hint = { bin: 0 };
  const users = Math.max(100, Math.floor(spec.sessions / 5));
  for (let i = 0; i < spec.sessions; i++) {
    const startMs = clock.at((i + rng.next()) / spec.sessions, hint);
    const sessionId = rng.bytes(16).toString('hex');
    const ctx = sessionContext(rng, sessionId, startMs, users);
    yield new SessionBuilder(rng, ctx, spec.endMs * 1000).build(startMs);
  }
}

// ── Live traffic: batches as the collector would write them ─────────────────────────────────────

type TimedRecord = { at: number; span: SpanRecord; event?: undefined } | { at: number; event: EventRecord; span?: undefined };

interface SessionCursor {
  records: TimedRecord[];
  next: number;
}

/** A binary min-heap of sessions keyed by the time of their next record. */
class CursorHeap {
  readonly #items: SessionCursor[] = [];

  peekTime(): number {
    const top = this.#items[0];
    return top ? top.records[top.next]!.at : Infinity;
  }

  push(cursor: SessionCursor): void {
    const items = this.#items;
    items.push(cursor);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (timeOf(items[parent]!) <= timeOf(items[i]!)) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): SessionCursor | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && timeOf(items[l]!) < timeOf(items[smallest]!)) smallest = l;
        if (r < items.length && timeOf(items[r]!) < timeOf(items[smallest]!)) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

const timeOf = (cursor: SessionCursor) => cursor.records[cursor.next]!.at;

/**
 * The traffic after the data set's end, replayed in time order across concurrent sessions: each
 * batch holds the next `spanCount` spans (and the events of the same moments) from many sessions,
 * and a session's records are spread over many batches, as the collector receives them.
 */
export class LiveTraffic {
  readonly #sessions: Generator<GeneratedSession>;
  #pending: GeneratedSession | undefined;
  readonly #heap = new CursorHeap();

  constructor(seed: number, startMs: number, sessionsPerDay: number) {
    this.#sessions = generateSessions({ sessions: sessionsPerDay * 30, seed, endMs: startMs + 30 * DAY_MS, days: 30 });
    this.#pending = this.#sessions.next().value as GeneratedSession | undefined;
  }

  nextBatch(spanCount: number): TelemetryBatch {
    const batch: TelemetryBatch = { spans: [], events: [] };
    while (batch.spans.length < spanCount) {
      this.#admitSessionsDue();
      const cursor = this.#heap.pop();
      if (!cursor) throw new Error('live traffic exhausted');
      const record = cursor.records[cursor.next++]!;
      if (record.span) batch.spans.push(record.span);
      else batch.events.push(record.event);
      if (cursor.next < cursor.records.length) this.#heap.push(cursor);
    }
    return batch;
  }

  /** Adds the sessions whose first record comes before the next record of the sessions already live. */
  #admitSessionsDue(): void {
    while (this.#pending && firstRecordTime(this.#pending) <= this.#heap.peekTime()) {
      const records: TimedRecord[] = [...this.#pending.spans.map((span) => ({ at: span.startUs, span })), ...this.#pending.events.map((event) => ({ at: event.timeUs, event }))];
      records.sort((a, b) => a.at - b.at);
      this.#heap.push({ records, next: 0 });
      this.#pending = this.#sessions.next().value as GeneratedSession | undefined;
    }
  }
}

const firstRecordTime = (s: GeneratedSession) => Math.min(s.spans[0]?.startUs ?? Infinity, s.events[0]?.timeUs ?? Infinity);
