import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationContext } from '../types.js';
import { setActionContext } from '../user-action/current-action.js';
import { defaultNetworkOptions } from './options.js';
import { patchFetch } from './patch-fetch.js';
import { requestSpanStarter } from './request-span.js';
import { resourceTimingWaiter, type FetchEntry } from './resource-timing.js';
import { hrTimeToMilliseconds } from '@opentelemetry/core';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
const ctx = {
  tracer,
  emitEvent() {},
  privacy: { scrubUrl: (u: string) => u.replace(/=[^&#]*/g, '=REDACTED'), describeTarget: () => '' },
  shouldPropagate: (u: string) => u.startsWith('https://api.example.com/'),
  sessionId: () => 'sess-1',
  recordActivity() {},
  isExporterUrl: (u: string) => u.startsWith('https://collector.example.com/'),
  options: {},
} satisfies InstrumentationContext;

function setup(respond: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>, waiter?: ReturnType<typeof resourceTimingWaiter>) {
  const calls: Array<{ input: RequestInfo | URL; init?: RequestInit }> = [];
  const win = {
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ input, init });
      return respond(input, init);
    }) as typeof fetch,
  };
  const original = win.fetch;
  const stop = patchFetch(win, requestSpanStarter(ctx, { ...defaultNetworkOptions, ignoreUrls: ['/health'] }, 'https://shop.example.com/cart'), waiter);
  return { win, calls, stop, original };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('fetch instrumentation', () => {
  beforeEach(() => exporter.reset());

  it('records a CLIENT span with method, scrubbed URL, server, status and sizes', async () => {
    const { win } = setup(async () => new Response('hello', { status: 201, headers: { 'content-length': '5' } }));
    const res = await win.fetch('/api/items?token=secret', { method: 'post', body: '{"a":1}' });
    assert.equal(res.status, 201);
    await settle();
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'HTTP POST');
    assert.equal(span?.kind, SpanKind.CLIENT);
    assert.deepEqual(span?.attributes, {
      'http.request.method': 'POST',
      'url.full': 'https://shop.example.com/api/items?token=REDACTED',
      'server.address': 'shop.example.com',
      'http.request.body.size': 7,
      'http.response.status_code': 201,
      'http.response.body.size': 5,
    });
    assert.equal(span?.status.code, SpanStatusCode.UNSET);
  });

  it('adds traceparent + baggage only for propagateTo URLs, keeping the app headers', async () => {
    const { win, calls } = setup(async () => new Response(null));
    await win.fetch('https://api.example.com/orders', { headers: { 'x-app': '1', baggage: 'tenant=t' } });
    await win.fetch(new Request('https://elsewhere.example.org/x', { headers: { 'x-app': '2' } }));
    await settle();
    const [api, other] = exporter.getFinishedSpans();
    const sent = new Headers(calls[0]?.init?.headers);
    assert.equal(sent.get('traceparent'), `00-${api?.spanContext().traceId}-${api?.spanContext().spanId}-01`);
    assert.equal(sent.get('baggage'), 'tenant=t,session.id=sess-1');
    assert.equal(sent.get('x-app'), '1');
    assert.ok(other, 'the other URL is traced');
    assert.equal(calls[1]?.init, undefined, 'but its request is passed through untouched');
  });

  it('never traces the exporter or ignored URLs', async () => {
    const { win, calls } = setup(async () => new Response(null));
    const init = { method: 'POST', body: 'x' };
    await win.fetch('https://collector.example.com/v1/traces', init);
    await win.fetch('/health');
    await settle();
    assert.equal(exporter.getFinishedSpans().length, 0);
    assert.equal(calls[0]?.init, init);
  });

  it('marks HTTP >= 400 and network failures as errors', async () => {
    const { win } = setup(async (input) => {
      if (String(input).includes('down')) throw new TypeError('Failed to fetch');
      return new Response(null, { status: 503 });
    });
    await win.fetch('/busy');
    await assert.rejects(win.fetch('/down'), TypeError);
    await settle();
    const [busy, down] = exporter.getFinishedSpans();
    assert.equal(busy?.status.code, SpanStatusCode.ERROR);
    assert.equal(busy?.attributes['error.type'], '503');
    assert.equal(down?.status.code, SpanStatusCode.ERROR);
    assert.equal(down?.attributes['error.type'], 'TypeError');
    assert.equal(down?.attributes['http.response.status_code'], undefined);
  });

  it('parents a request started right after a user action to the action span', async () => {
    const { win } = setup(async () => new Response(null));
    const click = tracer.startSpan('click');
    setActionContext(trace.setSpan(context.active(), click), Date.now() + 100);
    await win.fetch('/after-click');
    setActionContext(trace.setSpan(context.active(), click), Date.now() - 1);
    await win.fetch('/much-later');
    await settle();
    const [child, later] = exporter.getFinishedSpans();
    assert.equal(child?.parentSpanContext?.spanId, click.spanContext().spanId);
    assert.equal(child?.spanContext().traceId, click.spanContext().traceId);
    assert.equal(later?.parentSpanContext, undefined);
    setActionContext(undefined);
  });

  it('with resource timing, ends at the body\'s responseEnd and takes its size when Content-Length is missing', async () => {
    let deliver: (e: FetchEntry[]) => void = () => {};
    const waiter = resourceTimingWaiter((cb) => ((deliver = cb), () => {}), 1000);
    const { win } = setup(async () => new Response('chunked body'), waiter);
    await win.fetch('/api/stream');
    await settle();
    assert.equal(exporter.getFinishedSpans().length, 0, 'waits for the body');
    const startTime = performance.now();
    deliver([{ name: 'https://shop.example.com/api/stream', initiatorType: 'fetch', startTime, responseEnd: startTime + 40, encodedBodySize: 321 }]);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.attributes['http.response.body.size'], 321);
    assert.ok(Math.abs(hrTimeToMilliseconds(span!.endTime) - (performance.timeOrigin + startTime + 40)) < 0.01);
    waiter.stop();
  });

  it('restores the original fetch on stop', () => {
    const { win, stop, original } = setup(async () => new Response(null));
    assert.notEqual(win.fetch, original);
    stop();
    assert.equal(win.fetch, original);
  });
});
