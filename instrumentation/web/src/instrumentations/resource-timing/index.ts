import type { Instrumentation } from '../types.js';
import { resourceTimingOptions } from './options.js';

/**
 * PerformanceResourceTiming entries (scripts, styles, images, fetch/XHR…) → `browser.resource_timing`
 * events with their DNS/connect/TLS/request/response phases. The observer code is loaded with a
 * dynamic import, like web-vitals, so it stays out of the SDK's initial chunk.
 */
export const resourceTimingInstrumentation: Instrumentation = {
  name: 'resource-timing',
  initialize(ctx) {
    if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('resource')) return () => {};
    const options = resourceTimingOptions(ctx.options);
    let stopped = false;
    let stop = () => {};
    import('./report-resources.js')
      .then((m) => {
        if (!stopped) stop = m.observeResources(ctx, options);
      })
      .catch(() => {}); // chunk failed to load (offline, CSP): no resource timings, no crash
    return () => {
      stopped = true;
      stop();
    };
  },
};

export type { ResourceTimingOptions } from './options.js';
