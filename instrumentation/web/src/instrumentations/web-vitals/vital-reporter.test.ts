import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import { vitalReporter, type VitalMetric } from './vital-reporter.js';
import { webVitalsInstrumentation } from './index.js';
import type { InstrumentationContext } from '../types.js';

const lcp: VitalMetric = { name: 'LCP', value: 1234.5, rating: 'good', id: 'v5-1-1', navigationType: 'navigate' };

function events() {
  const list: Array<{ name: string; attrs: Attributes }> = [];
  return { list, emitEvent: (name: string, attrs?: Attributes) => void list.push({ name, attrs: attrs ?? {} }) };
}

describe('web vitals', () => {
  it('reports each metric as a browser.web_vital event with its rating', () => {
    const e = events();
    vitalReporter(e, () => false)(lcp);
    assert.deepEqual(e.list, [{
      name: 'browser.web_vital',
      attrs: {
        'stitch.web_vital.name': 'LCP',
        'stitch.web_vital.value': 1234.5,
        'stitch.web_vital.rating': 'good',
        'stitch.web_vital.id': 'v5-1-1',
        'stitch.web_vital.navigation_type': 'navigate',
      },
    }]);
  });

  it('reports a metric once per page view (id), again after a bfcache restore (new id)', () => {
    const e = events();
    const report = vitalReporter(e, () => false);
    report({ ...lcp, name: 'CLS', value: 0.05, id: 'cls-1' });
    report({ ...lcp, name: 'CLS', value: 0.2, id: 'cls-1', rating: 'needs-improvement' });
    report({ ...lcp, name: 'CLS', value: 0.01, id: 'cls-2', navigationType: 'back-forward-cache' });
    assert.deepEqual(e.list.map((x) => x.attrs['stitch.web_vital.value']), [0.05, 0.01]);
  });

  it('reports nothing after stop', () => {
    const e = events();
    let stopped = false;
    const report = vitalReporter(e, () => stopped);
    stopped = true;
    report(lcp);
    assert.equal(e.list.length, 0);
  });

  it('initializes without throwing where web-vitals cannot run (no document)', async () => {
    const e = events();
    const ctx = { ...e, options: {} } as unknown as InstrumentationContext;
    const stop = webVitalsInstrumentation.initialize(ctx);
    await new Promise((r) => setTimeout(r, 50));
    stop();
    assert.equal(e.list.length, 0);
  });
});
