import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionDetail, TraceSummary } from '../../store/types.js';
import { MAX_TRACES_IN_SEARCH_URL, withJaegerLinks } from './jaeger-links.js';

const trace = (n: number): TraceSummary => ({
  traceId: n.toString(16).padStart(32, '0'),
  startMs: n,
  durationMs: 1,
  spanCount: 1,
  errorCount: 0,
  services: ['web'],
  rootName: 'GET',
});
const detail = (traces: TraceSummary[]) => ({ session: {}, events: [], spans: [], spansOmitted: 0, traces }) as unknown as SessionDetail;

describe('Jaeger links', () => {
  it('link each trace and list them all on the search page', () => {
    const linked = withJaegerLinks(detail([trace(1), trace(2)]), 'http://jaeger:16686/');
    assert.equal(linked.traces[0]!.jaegerUrl, `http://jaeger:16686/trace/${trace(1).traceId}`);
    assert.equal(linked.jaeger!.allTracesUrl, `http://jaeger:16686/search?traceID=${trace(1).traceId}&traceID=${trace(2).traceId}`);
    assert.equal(linked.jaeger!.tracesInUrl, 2);
  });
  it('keep a path prefix of the Jaeger UI', () => {
    const linked = withJaegerLinks(detail([trace(1)]), 'https://ops.example.com/jaeger');
    assert.equal(linked.traces[0]!.jaegerUrl, `https://ops.example.com/jaeger/trace/${trace(1).traceId}`);
  });
  it('name at most MAX_TRACES_IN_SEARCH_URL traces in the search URL', () => {
    const many = Array.from({ length: MAX_TRACES_IN_SEARCH_URL + 5 }, (_, i) => trace(i + 1));
    const linked = withJaegerLinks(detail(many), 'http://jaeger:16686');
    assert.equal(new URL(linked.jaeger!.allTracesUrl!).searchParams.getAll('traceID').length, MAX_TRACES_IN_SEARCH_URL);
    assert.equal(linked.jaeger!.tracesInUrl, MAX_TRACES_IN_SEARCH_URL);
    assert.ok(linked.traces.every((t) => t.jaegerUrl));
  });
  it('a session without traces has no search URL', () => {
    assert.deepEqual(withJaegerLinks(detail([]), 'http://jaeger:16686').jaeger, { allTracesUrl: null, tracesInUrl: 0, sessionSearchUrl: null });
  });
  it('search the whole session by its session.id tag in the browser service, around its time', () => {
    const withSession = { ...detail([trace(1)]), session: { sessionId: 'abc', service: 'shop-web', startMs: 1_740_830_400_000, lastActivityMs: 1_740_830_460_000 } } as unknown as SessionDetail;
    const url = new URL(withJaegerLinks(withSession, 'http://jaeger:16686').jaeger!.sessionSearchUrl!);
    assert.equal(url.pathname, '/search');
    assert.equal(url.searchParams.get('service'), 'shop-web');
    assert.deepEqual(JSON.parse(url.searchParams.get('tags')!), { 'session.id': 'abc' });
    assert.equal(Number(url.searchParams.get('start')), (1_740_830_400_000 - 3_600_000) * 1000, 'microseconds, an hour before the start');
    assert.equal(Number(url.searchParams.get('end')), (1_740_830_460_000 + 3_600_000) * 1000);
  });
  it('without a Jaeger UI URL, no links at all', () => {
    const plain = withJaegerLinks(detail([trace(1)]), undefined);
    assert.equal(plain.jaeger, undefined);
    assert.equal(plain.traces[0]!.jaegerUrl, undefined);
  });
});
