import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import { resourceAttributes, type ResourceEntry } from './resource-attributes.js';
import { resourceReporter } from './report-resources.js';
import { defaultResourceTimingOptions } from './options.js';
import { resourceTimingInstrumentation } from './index.js';

const entry = (over: Partial<ResourceEntry> = {}): ResourceEntry => ({
  name: 'https://shop.example/app.js?token=abc',
  initiatorType: 'script',
  startTime: 100,
  duration: 80,
  transferSize: 4200,
  domainLookupStart: 101,
  domainLookupEnd: 105,
  connectStart: 105,
  secureConnectionStart: 112,
  connectEnd: 120,
  requestStart: 121,
  responseStart: 160.04,
  responseEnd: 180,
  ...over,
});

function ctx() {
  const list: Array<{ name: string; attrs: Attributes; timestamp?: number }> = [];
  return {
    list,
    emitEvent: (name: string, attrs?: Attributes, o?: { timestamp?: number }) => void list.push({ name, attrs: attrs ?? {}, timestamp: o?.timestamp }),
    privacy: { scrubUrl: (u: string) => u.replace(/=[^&]*/g, '=REDACTED'), describeTarget: () => '' },
    isExporterUrl: (u: string) => u.startsWith('https://collector.example/'),
  };
}

describe('resource timing', () => {
  it('turns an entry into consecutive DNS/connect/TLS/request/response phases in ms', () => {
    assert.deepEqual(resourceAttributes(entry(), 'u'), {
      'url.full': 'u',
      'stitch.resource.initiator_type': 'script',
      'stitch.resource.duration_ms': 80,
      'stitch.resource.dns_ms': 4,
      'stitch.resource.connect_ms': 7,
      'stitch.resource.tls_ms': 8,
      'stitch.resource.request_ms': 39,
      'stitch.resource.response_ms': 20,
      'stitch.resource.transfer_size': 4200,
    });
  });

  it('without TLS the whole connect is TCP; without Timing-Allow-Origin only the duration is sent', () => {
    const plain = resourceAttributes(entry({ secureConnectionStart: 0 }), 'u');
    assert.equal(plain['stitch.resource.connect_ms'], 15);
    assert.equal(plain['stitch.resource.tls_ms'], 0);
    const opaque = resourceAttributes(entry({ domainLookupStart: 0, domainLookupEnd: 0, connectStart: 0, connectEnd: 0, secureConnectionStart: 0, requestStart: 0, responseStart: 0 }), 'u');
    assert.deepEqual(Object.keys(opaque), ['url.full', 'stitch.resource.initiator_type', 'stitch.resource.duration_ms']);
  });

  it('emits scrubbed URLs dated at the resource start; skips short entries, other types and the exporter', () => {
    const c = ctx();
    const report = resourceReporter(c, { ...defaultResourceTimingOptions, initiatorTypes: ['script', 'fetch'] }, 1_000_000);
    report([
      entry(),
      entry({ duration: 3 }),
      entry({ initiatorType: 'img' }),
      entry({ name: 'https://collector.example/v1/logs', initiatorType: 'fetch' }),
    ]);
    assert.equal(c.list.length, 1);
    assert.equal(c.list[0]!.name, 'browser.resource_timing');
    assert.equal(c.list[0]!.attrs['url.full'], 'https://shop.example/app.js?token=REDACTED');
    assert.equal(c.list[0]!.timestamp, 1_000_100);
  });

  it('stops at maxPerPage across observer callbacks', () => {
    const c = ctx();
    const report = resourceReporter(c, { ...defaultResourceTimingOptions, maxPerPage: 3 }, 0);
    report([entry(), entry()]);
    report([entry(), entry(), entry()]);
    assert.equal(c.list.length, 3);
  });

  it('does nothing where there is no PerformanceObserver (SSR, old browsers)', () => {
    const stop = resourceTimingInstrumentation.initialize({ ...ctx(), options: {} } as never);
    stop();
  });
});
