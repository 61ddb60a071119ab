import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { InstrumentationContext } from '../types.js';
import { defaultNetworkOptions } from './options.js';
import { patchXhr } from './patch-xhr.js';
import { requestSpanStarter } from './request-span.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
const ctx = {
  tracer,
  emitEvent() {},
  privacy: { scrubUrl: (u: string) => u, describeTarget: () => '' },
  shouldPropagate: (u: string) => u.startsWith('https://api.example.com/'),
  sessionId: () => 'sess-1',
  recordActivity() {},
  isExporterUrl: (u: string) => u.includes('/v1/logs'),
  options: {},
} satisfies InstrumentationContext;

/** Just enough XMLHttpRequest: open/send/setRequestHeader, then a scripted outcome. */
class FakeXhr extends EventTarget {
  static outcome: { status: number; length?: string; event?: 'error' | 'abort' | 'timeout'; loaded?: number } = { status: 200 };
  headers: Record<string, string> = {};
  status = 0;
  private length: string | null = null;
  open(_method: string, _url: string) {}
  setRequestHeader(k: string, v: string) {
    this.headers[k] = this.headers[k] ? `${this.headers[k]}, ${v}` : v;
  }
  getResponseHeader(name: string) {
    return name === 'content-length' ? this.length : null;
  }
  send(_body?: unknown) {
    const o = FakeXhr.outcome;
    setTimeout(() => {
      this.status = o.status;
      this.length = o.length ?? null;
      if (o.event) this.dispatchEvent(new Event(o.event));
      const end = Object.assign(new Event('loadend'), { loaded: o.loaded ?? 0 });
      this.dispatchEvent(end);
    }, 0);
  }
}

const proto = FakeXhr.prototype as unknown as XMLHttpRequest;
const settle = () => new Promise((r) => setTimeout(r, 5));
const request = (method: string, url: string, body?: string) => {
  const x = new FakeXhr() as unknown as XMLHttpRequest & FakeXhr;
  x.open(method, url);
  x.send(body);
  return x;
};

describe('XHR instrumentation', () => {
  beforeEach(() => exporter.reset());

  it('records a span that ends on loadend, with status and sizes', async () => {
    const stop = patchXhr(proto, requestSpanStarter(ctx, defaultNetworkOptions, 'https://shop.example.com/'));
    FakeXhr.outcome = { status: 200, length: '12' };
    request('get', '/api/a', 'abc');
    await settle();
    stop();
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'HTTP GET');
    assert.equal(span?.attributes['url.full'], 'https://shop.example.com/api/a');
    assert.equal(span?.attributes['http.request.body.size'], 3);
    assert.equal(span?.attributes['http.response.status_code'], 200);
    assert.equal(span?.attributes['http.response.body.size'], 12);
  });

  it('injects headers for propagateTo URLs only and skips exporter URLs', async () => {
    const stop = patchXhr(proto, requestSpanStarter(ctx, defaultNetworkOptions, 'https://shop.example.com/'));
    FakeXhr.outcome = { status: 204 };
    const api = request('POST', 'https://api.example.com/orders');
    const local = request('POST', '/local');
    const exp = request('POST', 'https://c.example.com/v1/logs');
    await settle();
    stop();
    assert.equal(api.headers.baggage, 'session.id=sess-1');
    assert.match(api.headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.deepEqual(local.headers, {});
    assert.deepEqual(exp.headers, {});
    assert.equal(exporter.getFinishedSpans().length, 2);
  });

  it('marks network errors, aborts and HTTP errors', async () => {
    const stop = patchXhr(proto, requestSpanStarter(ctx, defaultNetworkOptions, 'https://shop.example.com/'));
    FakeXhr.outcome = { status: 0, event: 'error' };
    request('GET', '/a');
    await settle();
    FakeXhr.outcome = { status: 0, event: 'abort' };
    request('GET', '/b');
    await settle();
    FakeXhr.outcome = { status: 404 };
    request('GET', '/c');
    await settle();
    stop();
    const [a, b, c] = exporter.getFinishedSpans();
    assert.equal(a?.attributes['error.type'], 'error');
    assert.equal(b?.attributes['error.type'], 'abort');
    assert.equal(c?.attributes['error.type'], '404');
    for (const s of [a, b, c]) assert.equal(s?.status.code, SpanStatusCode.ERROR);
  });

  it('restores open/send on stop', () => {
    const { open, send } = proto;
    const stop = patchXhr(proto, requestSpanStarter(ctx, defaultNetworkOptions));
    assert.notEqual(proto.send, send);
    stop();
    assert.equal(proto.open, open);
    assert.equal(proto.send, send);
  });
});
