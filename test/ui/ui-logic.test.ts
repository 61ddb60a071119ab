// The sessions UI's pure logic, without a browser: filters ↔ URL ↔ API query, formatting,
// Web Vitals ratings, chart buckets, timeline order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fillBuckets } from '../../collector/ui/src/chart-data.js';
import { apiFilterQuery, apiListQuery, EMPTY_FILTERS, filtersToSearch, hasNarrowingFilters, parseFilters } from '../../collector/ui/src/filters.js';
import { countryCode, countryName, formatDuration, formatLocation, formatOffset, utcOffset } from '../../collector/ui/src/format.js';
import { buildTimeline, rateVital, timeAxis } from '../../collector/ui/src/timeline.js';
import { formatBytes, resourceTiming } from '../../collector/ui/src/resource-timing.js';
import type { KpiResult, SessionDetail } from '../../collector/src/store/types.js';

describe('filters in the URL', () => {
  it('round-trip: the URL a view writes reads back as the same filters', () => {
    for (const search of ['', '?range=7d', '?from=2025-03-01T00%3A00%3A00.000Z&to=2025-03-02T00%3A00%3A00.000Z', '?user=ana%40example.com&errors=any', '?errors=3&duration=long&sort=errors&order=asc', '?device=mobile&q=checkout&min_duration=90s&max_duration=1h']) {
      assert.equal(filtersToSearch(parseFilters(search)), search, search);
    }
  });
  it('unknown or malformed values fall back to the defaults, so an old link still opens', () => {
    assert.deepEqual(parseFilters('?range=1y&sort=colour&order=up&errors=lots&duration=forever&x=1'), EMPTY_FILTERS);
    assert.equal(hasNarrowingFilters(parseFilters('?range=7d&sort=errors')), false);
    assert.equal(hasNarrowingFilters(parseFilters('?country=DE')), true);
  });
  it('become API queries: presets to bounds, "more than N" to errors=N, no empty values', () => {
    const query = (search: string) => Object.fromEntries(apiFilterQuery(parseFilters(search)));
    assert.deepEqual(query(''), { range: '24h' });
    assert.deepEqual(query('?duration=short'), { range: '24h', max_duration: '59999' });
    assert.deepEqual(query('?duration=medium'), { range: '24h', min_duration: '1m', max_duration: '10m' });
    assert.deepEqual(query('?duration=long&errors=2'), { range: '24h', errors: '2', min_duration: '600001' });
    assert.deepEqual(query('?from=2025-03-01T00%3A00%3A00.000Z'), { from: '2025-03-01T00:00:00.000Z' });
    assert.deepEqual(query('?user=%20u-1%20&country='), { range: '24h', user: 'u-1' });
    assert.deepEqual(Object.fromEntries(apiListQuery(parseFilters('?sort=duration'), 'c1')), { range: '24h', sort: 'duration', order: 'desc', limit: '50', cursor: 'c1' });
  });
});

describe('formatting', () => {
  it('durations in the unit that reads best', () => {
    assert.deepEqual([450, 42_000, 310_800, 5_256_000].map(formatDuration), ['450 ms', '42.0 sec', '5.18 min', '1.46 hr']);
    assert.deepEqual([0, 1_200, 185_000, 3_725_000].map(formatOffset), ['+0 ms', '+1.2 s', '+3:05', '+1:02:05']);
  });
  it('countries by name from ISO codes, unknowns as sent', () => {
    assert.equal(countryName('DE'), 'Germany');
    assert.equal(countryName('in'), 'India');
    assert.equal(countryName(null), 'Unknown');
    assert.equal(formatLocation('IN', null), 'India - Unknown');
    assert.equal(countryName('not a code'), 'not a code');
    assert.deepEqual(['Germany', ' united states ', 'de', 'Atlantis'].map(countryCode), ['DE', 'US', 'DE', 'Atlantis']);
  });
  it('UTC offsets as ±hh:mm', () => {
    assert.match(utcOffset(new Date()), /^[+-]\d\d:\d\d$/);
  });
});

describe('Web Vitals ratings (web.dev thresholds)', () => {
  it('good up to the first threshold, poor above the second', () => {
    assert.deepEqual([rateVital('LCP', 2500), rateVital('LCP', 2501), rateVital('LCP', 4001)], ['good', 'needs-improvement', 'poor']);
    assert.deepEqual([rateVital('CLS', 0.1), rateVital('cls', 0.26), rateVital('INP', 150), rateVital('TTFB', 2000)], ['good', 'poor', 'good', 'poor']);
    assert.equal(rateVital('custom', 1), undefined);
  });
});

describe('chart buckets', () => {
  it('one bucket per hour of the range, zeros where the API left buckets out', () => {
    const hour = 3_600_000;
    const kpis = { fromMs: 10 * hour + 1, toMs: 14 * hour, interval: 'hour', series: [{ bucketStartMs: 12 * hour, sessions: 3, errorRate: 0.5, avgDurationMs: 1, pagesPerSession: 1, errors: 2 }] } as unknown as KpiResult;
    assert.deepEqual(
      fillBuckets(kpis).map((b) => [b.startMs / hour, b.sessions, b.errorRate]),
      [
        [10, 0, null],
        [11, 0, null],
        [12, 3, 0.5],
        [13, 0, null],
      ],
    );
  });
});

describe('timeline', () => {
  it('merges events and the browser fetch spans in time order; backend spans stay in the traces', () => {
    const event = (name: string, timeMs: number) => ({ timeMs, name, traceId: null, spanId: null, severity: 9, text: null, value: null, attributes: {} });
    const span = (service: string, kind: number, startMs: number) => ({ traceId: 't', spanId: `${service}${startMs}`, parentSpanId: null, service, name: 'HTTP POST', kind, startMs, durationMs: 5, statusCode: 0, httpMethod: 'POST', httpStatus: 200, url: null, stitched: service !== 'web', attributes: {} });
    const detail = {
      session: { service: 'web', startMs: 0, lastActivityMs: 100 },
      events: [event('session.start', 0), event('browser.page_view', 0), event('exception', 50)],
      spans: [span('web', 3, 20), span('api', 2, 21), span('api', 3, 22), span('web', 3, 60)],
      spansOmitted: 0,
      traces: [],
    } as unknown as SessionDetail;
    assert.deepEqual(
      buildTimeline(detail).map((i) => (i.kind === 'event' ? i.event.name : `call@${i.span.startMs}`)),
      ['session.start', 'browser.page_view', 'call@20', 'exception', 'call@60'],
    );
  });
});

describe('resource timing rows', () => {
  it('reads the phases in order, with what no phase covers as "other"', () => {
    const r = resourceTiming({
      'url.full': 'https://shop.example.com/app.js',
      'stitch.resource.initiator_type': 'script',
      'stitch.resource.duration_ms': 100,
      'stitch.resource.dns_ms': 5,
      'stitch.resource.connect_ms': 10,
      'stitch.resource.tls_ms': 0,
      'stitch.resource.request_ms': 40,
      'stitch.resource.response_ms': '20.5',
      'stitch.resource.transfer_size': 2048,
    });
    assert.deepEqual(r.phases?.map((p) => [p.key, p.ms]), [['dns', 5], ['connect', 10], ['tls', 0], ['request', 40], ['response', 20.5]]);
    assert.equal(r.otherMs, 24.5);
    assert.equal(r.initiatorType, 'script');
    assert.equal(formatBytes(r.transferSize!), '2.0 KB');
  });
  it('without phases (no Timing-Allow-Origin) has only the duration; the time axis reaches the resource end', () => {
    const r = resourceTiming({ 'url.full': 'https://cdn.example.com/a.png', 'stitch.resource.duration_ms': 30 });
    assert.equal(r.phases, undefined);
    assert.equal(r.durationMs, 30);
    const detail = {
      session: { startMs: 0, lastActivityMs: 100 },
      events: [{ name: 'browser.resource_timing', timeMs: 90, attributes: { 'stitch.resource.duration_ms': 60 } }],
      spans: [],
    } as unknown as SessionDetail;
    assert.deepEqual(timeAxis(detail), { startMs: 0, spanMs: 150 });
  });
});
