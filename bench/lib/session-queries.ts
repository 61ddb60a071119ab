// The queries the `store` benchmark times: a mix of GET /api/sessions filter combinations (first
// page and the next one through the cursor) and the GET /api/kpis queries, run the same way
// against either engine through `SessionReader`.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { appVersionOf, DAY_MS, hash53, HOUR_MS, MAX_SESSION_MS, MINUTE_MS, releaseAt, userEmailOf, userHashOf, userSendsEmail } from './session-data.js';
import type { KpiQuery, KpiRow, SessionListQuery, SessionReader } from './store-api.js';

export interface NamedListQuery {
  name: string;
  query: SessionListQuery;
}

export interface NamedKpiQuery {
  name: string;
  query: KpiQuery;
}

/** The first user (by index) whose e-mail the app sends: user 0 is the most active user. */
function firstUserWithEmail(): number {
  let index = 0;
  while (!userSendsEmail(index)) index++;
  return index;
}

/** ~20 filter combinations a support or product person would use, over the data set ending at `nowMs`. */
export function listQueryMix(nowMs: number): NamedListQuery[] {
  const last = (ms: number) => ({ fromMs: nowMs - ms, toMs: nowMs });
  const day = last(DAY_MS);
  const week = last(7 * DAY_MS);
  const month = last(30 * DAY_MS);
  const olderRelease = appVersionOf(releaseAt(nowMs - 12 * DAY_MS));
  const q = (name: string, query: SessionListQuery): NamedListQuery => ({ name, query });
  return [
    q('24 h, newest first', { ...day, sort: 'start' }),
    q('7 d, newest first', { ...week, sort: 'start' }),
    q('30 d, newest first', { ...month, sort: 'start' }),
    q('7 d, with errors', { ...week, errors: '>0', sort: 'start' }),
    q('7 d, no errors, longest first', { ...week, errors: '=0', sort: 'duration' }),
    q('30 d, > 3 errors, most errors first', { ...month, errorsAbove: 3, sort: 'errors' }),
    q('7 d, country DE', { ...week, country: 'DE', sort: 'start' }),
    q('7 d, US + Austin', { ...week, country: 'US', city: 'Austin', sort: 'start' }),
    q('30 d, city Reykjavik (rare)', { ...month, city: 'Reykjavik', sort: 'start' }),
    q('7 d, Firefox', { ...week, browser: 'Firefox', sort: 'start' }),
    q('7 d, iOS + mobile', { ...week, os: 'iOS', deviceType: 'mobile', sort: 'start' }),
    q('30 d, tablet, longest first', { ...month, deviceType: 'tablet', sort: 'duration' }),
    q('7 d, 10–60 min long', { ...week, minDurationMs: 10 * MINUTE_MS, maxDurationMs: HOUR_MS, sort: 'start' }),
    q('30 d, bounces (< 10 s)', { ...month, maxDurationMs: 10_000, sort: 'start' }),
    q('30 d, staging', { ...month, environment: 'staging', sort: 'start' }),
    q(`30 d, version ${olderRelease}`, { ...month, appVersion: olderRelease, sort: 'start' }),
    q('30 d, user by hashed id', { ...month, userHash: userHashOf(0), sort: 'start' }),
    q('30 d, user by e-mail', { ...month, userEmail: userEmailOf(firstUserWithEmail()), sort: 'start' }),
    q('7 d, text "checkout"', { ...week, text: 'checkout', sort: 'start' }),
    q('30 d, text "ChunkLoadError" (rare)', { ...month, text: 'ChunkLoadError', sort: 'start' }),
    q('7 d, Chrome + DE + errors, longest first', { ...week, browser: 'Chrome', country: 'DE', errors: '>0', sort: 'duration' }),
    q('24 h, text "add-to-cart" + mobile', { ...day, text: 'add-to-cart', deviceType: 'mobile', sort: 'start' }),
  ];
}

/** The KPI page: the five KPIs over 7 and 30 days, a daily series, four breakdowns, active users now. */
export function kpiQueryMix(nowMs: number): NamedKpiQuery[] {
  const range = (days: number) => ({ fromMs: nowMs - days * DAY_MS, toMs: nowMs });
  return [
    { name: 'totals, 7 d', query: { kind: 'totals', ...range(7) } },
    { name: 'totals, 30 d', query: { kind: 'totals', ...range(30) } },
    { name: 'daily series, 7 d', query: { kind: 'daily', ...range(7) } },
    { name: 'daily series, 30 d', query: { kind: 'daily', ...range(30) } },
    { name: 'by version, 30 d', query: { kind: 'group', by: 'app_version', ...range(30) } },
    { name: 'by browser, 30 d', query: { kind: 'group', by: 'browser', ...range(30) } },
    { name: 'by country, 30 d', query: { kind: 'group', by: 'country', ...range(30) } },
    { name: 'by device, 30 d', query: { kind: 'group', by: 'device_type', ...range(30) } },
    { name: 'active users now (5 min)', query: { kind: 'active-users', nowMs, windowMs: 5 * MINUTE_MS, maxSessionMs: MAX_SESSION_MS } },
  ];
}

export interface QuerySample {
  name: string;
  /** 1 or 2 for a list page; 0 for a KPI query. */
  page: number;
  ms: number;
  rows: number;
}

export interface MixResult {
  list: QuerySample[];
  kpis: QuerySample[];
  /** A digest of each query's answer, to check both engines answer the same. */
  answers: Record<string, string>;
}

const round6 = (value: string | number | null) => (typeof value === 'number' ? Number(value.toPrecision(6)) : value);

function digestKpi(rows: KpiRow[]): string {
  return `${rows.length} rows #${hash53(JSON.stringify(rows.map((row) => Object.values(row).map(round6)))).toString(36)}`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Page 1, then page 2 through its cursor when there is one. */
async function listTwoPages(reader: SessionReader, named: NamedListQuery): Promise<{ samples: QuerySample[]; ids: string[] }> {
  const first = await timed(() => reader.listSessions(named.query));
  const samples: QuerySample[] = [{ name: named.name, page: 1, ms: first.ms, rows: first.value.rows.length }];
  const ids = first.value.rows.map((row) => String(row.session_id));
  const cursor = first.value.nextCursor;
  if (cursor) {
    const second = await timed(() => reader.listSessions({ ...named.query, cursor }));
    samples.push({ name: named.name, page: 2, ms: second.ms, rows: second.value.rows.length });
    ids.push(...second.value.rows.map((row) => String(row.session_id)));
  }
  return { samples, ids };
}

/** `warmupRounds` untimed rounds (page cache, statement cache), then `rounds` timed rounds of every query. */
export async function runQueryMix(reader: SessionReader, nowMs: number, options: { rounds: number; warmupRounds: number }): Promise<MixResult> {
  const result: MixResult = { list: [], kpis: [], answers: {} };
  const lists = listQueryMix(nowMs);
  const kpis = kpiQueryMix(nowMs);
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    const timedRound = round >= options.warmupRounds;
    for (const named of lists) {
      const { samples, ids } = await listTwoPages(reader, named);
      if (timedRound) result.list.push(...samples);
      result.answers[`list: ${named.name}`] = `${ids.length} rows #${hash53(ids.join(',')).toString(36)}`;
    }
    for (const named of kpis) {
      const { value, ms } = await timed(() => reader.kpis(named.query));
      if (timedRound) result.kpis.push({ name: named.name, page: 0, ms, rows: value.length });
      result.answers[`kpi: ${named.name}`] = digestKpi(value);
    }
  }
  return result;
}

/**
 * Queries back to back until `shouldStop()`: the list mix in order (two pages each), with a KPI
 * query after every fourth list query, as a dashboard and a few users would.
 */
export async function runQueryLoop(reader: SessionReader, nowMs: number, shouldStop: () => boolean): Promise<QuerySample[]> {
  const lists = listQueryMix(nowMs);
  const kpis = kpiQueryMix(nowMs);
  const samples: QuerySample[] = [];
  for (let i = 0; !shouldStop(); i++) {
    samples.push(...(await listTwoPages(reader, lists[i % lists.length]!)).samples);
    if (i % 4 === 3) {
      const named = kpis[(i >> 2) % kpis.length]!;
      const { value, ms } = await timed(() => reader.kpis(named.query));
      samples.push({ name: named.name, page: 0, ms, rows: value.length });
    }
    // Let a stop message in (the SQLite worker's queries are synchronous).
    await yieldToEventLoop();
  }
  return samples;
}
