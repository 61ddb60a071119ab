import type { Instrumentation } from '../types.js';
import { webVitalsOptions } from './options.js';
import { vitalReporter } from './vital-reporter.js';

/**
 * LCP, INP, CLS, FCP and TTFB from the `web-vitals` package, loaded with a dynamic import so a
 * bundler splits it into its own chunk. web-vitals has no unsubscribe: after stop its observers
 * stay, but nothing more is reported.
 */
export const webVitalsInstrumentation: Instrumentation = {
  name: 'web-vitals',
  initialize(ctx) {
    const { metrics } = webVitalsOptions(ctx.options);
    let stopped = false;
    const report = vitalReporter(ctx, () => stopped);
    import('web-vitals')
      .then((wv) => {
        if (stopped) return;
        const on = { LCP: wv.onLCP, INP: wv.onINP, CLS: wv.onCLS, FCP: wv.onFCP, TTFB: wv.onTTFB };
        for (const name of metrics) on[name]?.(report);
      })
      .catch(() => {}); // chunk failed to load (offline, CSP): no vitals, no crash
    return () => {
      stopped = true;
    };
  },
};

export type { WebVitalsOptions, VitalName } from './options.js';
