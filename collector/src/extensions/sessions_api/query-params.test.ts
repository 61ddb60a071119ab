import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryParameterError } from './query-error.js';
import {
  parseKpiQuery,
  parseSessionDetailOptions,
  parseSessionId,
  parseSessionListQuery,
  parseUserId,
} from './query-params.js';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const list = (query: string) => parseSessionListQuery(new URLSearchParams(query), NOW);
const kpis = (query: string) => parseKpiQuery(new URLSearchParams(query), NOW);

/** Asserts a 400-type error naming `parameter`, whose message contains each of `mentions`. */
function rejects(parse: () => unknown, parameter: string, ...mentions: string[]): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof QueryParameterError, `expected QueryParameterError, got ${String(error)}`);
    assert.equal(error.parameter, parameter);
    for (const text of mentions) assert.ok(error.message.includes(text), `message ${JSON.stringify(error.message)} lacks ${JSON.stringify(text)}`);
    return true;
  });
}

describe('GET /api/sessions parameters: defaults', () => {
  it('no parameter: the last 24 hours, newest first, 50 per page', () => {
    assert.deepEqual(list(''), { fromMs: NOW - DAY, toMs: NOW, sort: 'start', order: 'desc', limit: 50 });
  });
});

describe('time range: from, to, range', () => {
  it('from and to as ISO 8601 with Z, offsets, fractions, or date only', () => {
    assert.deepEqual(
      { ...list('from=2025-03-01T00:00:00Z&to=2025-03-02T06:30:00.250Z') },
      { ...list(''), fromMs: Date.parse('2025-03-01T00:00:00Z'), toMs: Date.parse('2025-03-02T06:30:00.250Z') },
    );
    assert.equal(list('from=2025-03-01T02:00:00%2B02:00').fromMs, Date.parse('2025-03-01T00:00:00Z'));
    assert.equal(list('from=2025-03-01T02:00:00-0100').fromMs, Date.parse('2025-03-01T03:00:00Z'));
    assert.equal(list('from=2025-03-01').fromMs, Date.parse('2025-03-01T00:00:00Z'));
    assert.equal(list('from=2025-03-01T10:15').fromMs, Date.parse('2025-03-01T10:15:00Z'), 'no offset: UTC');
  });
  it('an unencoded + of an offset (read as a space) still means +', () => {
    assert.equal(list('from=2025-03-01T02:00:00+02:00').fromMs, Date.parse('2025-03-01T00:00:00Z'));
  });
  it('from and to as epoch milliseconds', () => {
    const query = list(`from=${NOW - HOUR}&to=${NOW - 1000}`);
    assert.equal(query.fromMs, NOW - HOUR);
    assert.equal(query.toMs, NOW - 1000);
  });
  it('only to: the 24 hours before it; only from: up to now', () => {
    const to = Date.parse('2025-03-05T00:00:00Z');
    assert.deepEqual([list(`to=${to}`).fromMs, list(`to=${to}`).toMs], [to - DAY, to]);
    assert.deepEqual([list('from=2025-03-01').fromMs, list('from=2025-03-01').toMs], [Date.parse('2025-03-01'), NOW]);
  });
  it('range: 15m, 1h, 6h, 24h, 7d, 30d back from now', () => {
    for (const [range, ms] of [['15m', 15 * 60_000], ['1h', HOUR], ['24h', DAY], ['7d', 7 * DAY], ['30d', 30 * DAY]] as const) {
      const query = list(`range=${range}`);
      assert.deepEqual([query.fromMs, query.toMs], [NOW - ms, NOW], range);
    }
  });
  it('bad values name the parameter and the accepted forms', () => {
    rejects(() => list('from=yesterday'), 'from', 'ISO 8601', 'epoch milliseconds', '"yesterday"');
    rejects(() => list('to=2025-13-01'), 'to', 'ISO 8601');
    rejects(() => list('to=2025-02-30'), 'to', 'ISO 8601');
    rejects(() => list('from=2025-03-01T25:00:00Z'), 'from');
    rejects(() => list('from=-5'), 'from');
    rejects(() => list('from='), 'from');
    rejects(() => list('from=1.5'), 'from');
    rejects(() => list('range=2h'), 'range', '15m, 1h, 6h, 24h, 7d, 30d');
    rejects(() => list('range='), 'range');
  });
  it('from must be before to', () => {
    rejects(() => list('from=2025-03-02&to=2025-03-01'), 'from', 'before to');
    rejects(() => list('from=2025-03-01&to=2025-03-01'), 'from', 'before to');
  });
  it('range cannot be combined with from or to', () => {
    rejects(() => list('range=1h&from=2025-03-01'), 'range', 'from');
    rejects(() => list('range=1h&to=2025-03-01'), 'range', 'to');
  });
});

describe('exact-match filters: user, email, country, city, browser, os, device, environment, version, service', () => {
  const fields = {
    user: 'userId',
    email: 'userEmail',
    country: 'country',
    city: 'city',
    browser: 'browser',
    os: 'os',
    device: 'deviceType',
    environment: 'environment',
    version: 'appVersion',
    service: 'service',
  } as const;
  for (const [parameter, field] of Object.entries(fields)) {
    it(`${parameter} → ${field}; empty or over 256 characters is refused`, () => {
      const value = 'Zürich & co+1';
      assert.equal(list(`${parameter}=${encodeURIComponent(value)}`)[field], value);
      assert.equal(kpis(`${parameter}=${encodeURIComponent(value)}`)[field], value);
      rejects(() => list(`${parameter}=`), parameter, 'empty', 'leave the parameter out');
      rejects(() => list(`${parameter}=${'x'.repeat(257)}`), parameter, 'at most 256');
      assert.equal(list(`${parameter}=${'x'.repeat(256)}`)[field]?.length, 256);
    });
  }
  it('an e-mail in user keeps its + and @ when encoded', () => {
    assert.equal(list('user=ana%2Bshop%40example.com').userId, 'ana+shop@example.com');
  });
});

describe('errors', () => {
  it('none and any', () => {
    assert.equal(list('errors=none').errors, 'none');
    assert.equal(list('errors=any').errors, 'any');
    assert.equal(list('errors=any').errorsAbove, undefined);
  });
  it('a whole number N means more than N', () => {
    assert.equal(list('errors=3').errorsAbove, 3);
    assert.equal(list('errors=0').errorsAbove, 0);
    assert.equal(list('errors=3').errors, undefined);
  });
  it('anything else names the three forms', () => {
    for (const bad of ['some', '-1', '1.5', '', 'ANY', '99999999999']) rejects(() => list(`errors=${bad}`), 'errors', 'none, any');
  });
});

describe('min_duration, max_duration', () => {
  it('durations with units or whole milliseconds', () => {
    assert.equal(list('min_duration=90s').minDurationMs, 90_000);
    assert.equal(list('min_duration=10m').minDurationMs, 600_000);
    assert.equal(list('max_duration=1h').maxDurationMs, HOUR);
    assert.equal(list('max_duration=1h30m').maxDurationMs, 90 * 60_000);
    assert.equal(list('max_duration=250ms').maxDurationMs, 250);
    assert.equal(list('min_duration=45000').minDurationMs, 45_000);
    assert.equal(list('min_duration=0').minDurationMs, 0);
  });
  it('bad durations are refused', () => {
    for (const bad of ['ten', '10 m', '-5s', '', '5x', '1.5.2s']) rejects(() => list(`min_duration=${encodeURIComponent(bad)}`), 'min_duration', '90s');
    rejects(() => list('max_duration=soon'), 'max_duration', 'duration');
  });
  it('min above max is refused', () => {
    rejects(() => list('min_duration=10m&max_duration=1m'), 'min_duration', 'max_duration');
    assert.equal(list('min_duration=1m&max_duration=1m').maxDurationMs, 60_000);
  });
});

describe('q', () => {
  it('free text, trimmed', () => {
    assert.equal(list('q=%20checkout%20failed%20').text, 'checkout failed');
  });
  it('empty, blank or over 200 characters is refused', () => {
    rejects(() => list('q='), 'q', 'empty');
    rejects(() => list('q=%20%20'), 'q', 'empty');
    rejects(() => list(`q=${'a'.repeat(201)}`), 'q', 'at most 200');
    assert.equal(list(`q=${'a'.repeat(200)}`).text?.length, 200);
  });
});

describe('sort, order, cursor, limit', () => {
  it('sort: start, duration, errors, pageViews', () => {
    for (const sort of ['start', 'duration', 'errors', 'pageViews'] as const) assert.equal(list(`sort=${sort}`).sort, sort);
    rejects(() => list('sort=pageviews'), 'sort', 'start, duration, errors, pageViews', '"pageviews"');
  });
  it('order: desc or asc', () => {
    assert.equal(list('order=asc').order, 'asc');
    assert.equal(list('order=desc').order, 'desc');
    rejects(() => list('order=up'), 'order', 'desc, asc');
  });
  it('cursor is passed through opaque, but not empty nor huge', () => {
    assert.equal(list('cursor=abc.DEF_123').cursor, 'abc.DEF_123');
    rejects(() => list('cursor='), 'cursor', 'empty');
    rejects(() => list(`cursor=${'c'.repeat(2049)}`), 'cursor', 'at most 2048');
  });
  it('limit: 1 to 500', () => {
    assert.equal(list('limit=1').limit, 1);
    assert.equal(list('limit=500').limit, 500);
    for (const bad of ['0', '501', '-1', '10.5', 'ten', '', '1e2']) rejects(() => list(`limit=${bad}`), 'limit', 'from 1 to 500');
  });
});

describe('unknown and repeated parameters', () => {
  it('an unknown parameter is named, with what the endpoint takes', () => {
    rejects(() => list('contry=DE'), 'contry', 'unknown parameter "contry"', 'GET /api/sessions takes', 'country');
    rejects(() => kpis('sort=start'), 'sort', 'unknown parameter "sort"', 'GET /api/kpis');
    rejects(() => list('group_by=os'), 'group_by', 'unknown parameter');
  });
  it('a parameter given twice is refused rather than guessed', () => {
    rejects(() => list('country=DE&country=FR'), 'country', '2 times');
    rejects(() => list('limit=5&limit=6'), 'limit');
  });
});

describe('GET /api/kpis parameters', () => {
  it('same filters as the list, no paging fields', () => {
    assert.deepEqual(kpis('range=7d&errors=any&browser=Chrome&q=pay'), {
      fromMs: NOW - 7 * DAY,
      toMs: NOW,
      errors: 'any',
      browser: 'Chrome',
      text: 'pay',
    });
  });
  it('group_by maps API names to the store dimensions', () => {
    const expected = { version: 'appVersion', browser: 'browser', os: 'os', country: 'country', device: 'deviceType', environment: 'environment', service: 'service' };
    for (const [name, groupBy] of Object.entries(expected)) assert.equal(kpis(`group_by=${name}`).groupBy, groupBy, name);
    rejects(() => kpis('group_by=appVersion'), 'group_by', 'version, browser, os, country, device, environment, service');
  });
  it('interval: hour or day', () => {
    assert.equal(kpis('interval=hour').interval, 'hour');
    assert.equal(kpis('interval=day').interval, 'day');
    assert.equal(kpis('').interval, undefined);
    rejects(() => kpis('interval=week'), 'interval', 'hour, day');
  });
  it('sort, order, cursor and limit are not KPI parameters', () => {
    for (const name of ['sort', 'order', 'cursor', 'limit']) rejects(() => kpis(`${name}=x`), name, 'unknown parameter');
  });
});

describe('GET /api/sessions/{id}', () => {
  it('span_limit: optional, 1 to 100000', () => {
    assert.deepEqual(parseSessionDetailOptions(new URLSearchParams('')), {});
    assert.deepEqual(parseSessionDetailOptions(new URLSearchParams('span_limit=20')), { spanLimit: 20 });
    for (const bad of ['0', '100001', 'all', '']) rejects(() => parseSessionDetailOptions(new URLSearchParams(`span_limit=${bad}`)), 'span_limit', 'from 1 to 100000');
    rejects(() => parseSessionDetailOptions(new URLSearchParams('limit=5')), 'limit', 'unknown parameter', 'span_limit');
  });
  it('session ids: 1 to 128 of A-Z a-z 0-9 . _ : ~ -', () => {
    for (const id of ['a', '0f9e-42c1.x_y:z~', 'S'.repeat(128)]) assert.equal(parseSessionId(id), id);
    for (const bad of ['', 'S'.repeat(129), 'a b', 'a/b', '<script>', 'ä']) rejects(() => parseSessionId(bad), 'id', '1 to 128');
  });
});

describe('DELETE /api/users/{id}', () => {
  it('user ids and e-mails: 1 to 256 characters without control characters', () => {
    for (const id of ['u-1', 'ana+shop@example.com', 'a b/c', 'x'.repeat(256)]) assert.equal(parseUserId(id), id);
    for (const bad of ['', 'x'.repeat(257), 'a\nb', 'a\u0000']) rejects(() => parseUserId(bad), 'id', '1 to 256');
  });
});
