import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultPageLoadOptions } from './options.js';
import { recordDocumentLoad } from './record-document-load.js';
import type { NavigationTimingLike, ResourceTimingLike } from './timing-types.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
const timeOrigin = 1_763_900_000_000.25;
const helpers = {
  scrubUrl: (u: string) => u.replace(/\?.*/, '?q=REDACTED'),
  isExporterUrl: (u: string) => u.startsWith('https://collector.example.com'),
  schedule: (fn: () => void) => fn(),
};

const nav: NavigationTimingLike = {
  name: 'https://shop.example.com/cart?q=secret', startTime: 0, type: 'navigate', transferSize: 5300,
  encodedBodySize: 5000, responseStatus: 200, fetchStart: 2, domainLookupStart: 3, domainLookupEnd: 8,
  connectStart: 8, secureConnectionStart: 0, connectEnd: 20, requestStart: 21, responseStart: 60,
  responseEnd: 70.5, domInteractive: 150, domContentLoadedEventStart: 151, domContentLoadedEventEnd: 155,
  domComplete: 300, loadEventStart: 301, loadEventEnd: 302,
};
const resource = (name: string, initiatorType: string, startTime: number): ResourceTimingLike => ({
  name, initiatorType, startTime, responseEnd: startTime + 10, duration: 10, transferSize: 900, encodedBodySize: 600,
});
const ms = (t: [number, number]) => hrTimeToMilliseconds(t);

describe('recordDocumentLoad', () => {
  beforeEach(() => exporter.reset());

  it('turns navigation timing into a documentLoad span with phase events and a documentFetch child', () => {
    recordDocumentLoad(tracer, { nav, resources: [], timeOrigin, now: 999 }, defaultPageLoadOptions, helpers);
    const spans = exporter.getFinishedSpans();
    const load = spans.find((s) => s.name === 'documentLoad');
    const fetch = spans.find((s) => s.name === 'documentFetch');
    assert.ok(load && fetch);
    assert.ok(Math.abs(ms(load.startTime) - timeOrigin) < 0.01);
    assert.ok(Math.abs(ms(load.endTime) - (timeOrigin + 302)) < 0.01);
    assert.deepEqual(load.attributes, {
      'url.full': 'https://shop.example.com/cart?q=REDACTED',
      'stitch.navigation.type': 'navigate',
      'http.response.body.size': 5000,
      'stitch.transfer_size': 5300,
      'http.response.status_code': 200,
    });
    // secureConnectionStart is 0 (plain http): no event for it.
    assert.deepEqual(load.events.map((e) => e.name), [
      'fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'requestStart',
      'responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventStart', 'domContentLoadedEventEnd',
      'domComplete', 'loadEventStart', 'loadEventEnd',
    ]);
    assert.ok(Math.abs(ms(load.events[6]!.time) - (timeOrigin + 60)) < 0.01);
    assert.equal(fetch.parentSpanContext?.spanId, load.spanContext().spanId);
    assert.ok(Math.abs(ms(fetch.endTime) - (timeOrigin + 70.5)) < 0.01);
  });

  it('adds resourceFetch children for page-load resources, skipping fetch/XHR, the exporter and late ones', () => {
    const resources = [
      resource('https://shop.example.com/app.js?v=1', 'script', 80),
      resource('https://shop.example.com/logo.png', 'img', 160),
      resource('https://shop.example.com/api/items', 'fetch', 170),
      resource('https://collector.example.com/v1/traces', 'other', 180),
      resource('https://shop.example.com/late.png', 'img', 5000),
    ];
    recordDocumentLoad(tracer, { nav, resources, timeOrigin, now: 999 }, defaultPageLoadOptions, helpers);
    const load = exporter.getFinishedSpans().find((s) => s.name === 'documentLoad');
    const res = exporter.getFinishedSpans().filter((s) => s.name === 'resourceFetch');
    assert.deepEqual(res.map((s) => s.attributes['url.full']), [
      'https://shop.example.com/app.js?q=REDACTED',
      'https://shop.example.com/logo.png',
    ]);
    assert.equal(res[0]?.attributes['stitch.resource.initiator_type'], 'script');
    assert.equal(res[0]?.attributes['http.response.body.size'], 600);
    assert.equal(res[0]?.parentSpanContext?.spanId, load?.spanContext().spanId);
    assert.ok(Math.abs(ms(res[0]!.endTime) - ms(res[0]!.startTime) - 10) < 0.01);
  });

  it('caps resources and records them in small scheduled chunks', () => {
    const resources = Array.from({ length: 150 }, (_, i) => resource(`https://shop.example.com/${i}.png`, 'img', 100));
    const tasks: Array<() => void> = [];
    recordDocumentLoad(tracer, { nav, resources, timeOrigin, now: 999 }, defaultPageLoadOptions, { ...helpers, schedule: (fn) => tasks.push(fn) });
    assert.equal(exporter.getFinishedSpans().length, 2, 'documentLoad + documentFetch now, resources later');
    let chunks = 0;
    while (tasks.length) {
      tasks.shift()!();
      chunks++;
    }
    assert.equal(chunks, 5);
    assert.equal(exporter.getFinishedSpans().filter((s) => s.name === 'resourceFetch').length, defaultPageLoadOptions.maxResources);
  });

  it('uses now when loadEventEnd is not set yet', () => {
    recordDocumentLoad(tracer, { nav: { ...nav, loadEventEnd: 0 }, resources: [], timeOrigin, now: 400 }, defaultPageLoadOptions, helpers);
    const load = exporter.getFinishedSpans().find((s) => s.name === 'documentLoad');
    assert.ok(Math.abs(ms(load!.endTime) - (timeOrigin + 400)) < 0.01);
  });
});
