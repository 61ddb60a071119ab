import type { Instrumentation } from '../types.js';
import { networkOptions } from './options.js';
import { patchFetch } from './patch-fetch.js';
import { patchXhr } from './patch-xhr.js';
import { requestSpanStarter } from './request-span.js';
import { observeResources, resourceTimingWaiter } from './resource-timing.js';

/** fetch and XHR → CLIENT spans `HTTP <METHOD>`; traceparent + baggage session.id for propagateTo URLs. */
export const networkInstrumentation: Instrumentation = {
  name: 'network',
  initialize(ctx) {
    const options = networkOptions(ctx.options);
    const start = requestSpanStarter(ctx, options);
    const stops: Array<() => void> = [];
    if (options.fetch && typeof fetch === 'function') {
      const observe = options.waitForBodyMs > 0 ? observeResources() : undefined;
      const waiter = observe && resourceTimingWaiter(observe, options.waitForBodyMs);
      if (waiter) {
        // End waiting spans before the core flushes on hide: capture listeners on window run first.
        const flush = () => document.visibilityState === 'hidden' && waiter.flush();
        const opts = { capture: true, passive: true };
        addEventListener('visibilitychange', flush, opts);
        addEventListener('pagehide', waiter.flush, opts);
        stops.push(() => {
          removeEventListener('visibilitychange', flush, opts);
          removeEventListener('pagehide', waiter.flush, opts);
          waiter.stop();
        });
      }
      stops.push(patchFetch(globalThis, start, waiter));
    }
    if (options.xhr && typeof XMLHttpRequest === 'function') stops.push(patchXhr(XMLHttpRequest.prototype, start));
    return () => stops.forEach((stop) => stop());
  },
};

export type { NetworkOptions } from './options.js';
