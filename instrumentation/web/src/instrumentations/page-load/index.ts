import type { Instrumentation } from '../types.js';
import { pageLoadOptions } from './options.js';
import { recordDocumentLoad } from './record-document-load.js';
import type { NavigationTimingLike, ResourceTimingLike } from './timing-types.js';

/** Navigation timing → one `documentLoad` span with `documentFetch` and `resourceFetch` children. */
export const pageLoadInstrumentation: Instrumentation = {
  name: 'page-load',
  initialize(ctx) {
    const options = pageLoadOptions(ctx.options);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (fn: () => void) => {
      timer = setTimeout(() => stopped || fn(), 0);
    };
    const record = () => {
      const nav = performance.getEntriesByType('navigation')[0] as NavigationTimingLike | undefined;
      if (!nav) return; // no Navigation Timing Level 2 (very old browser) or a prerender/bfcache restore
      recordDocumentLoad(ctx.tracer, {
        nav,
        resources: performance.getEntriesByType('resource') as ResourceTimingLike[],
        timeOrigin: performance.timeOrigin,
        now: performance.now(),
      }, options, { scrubUrl: (u) => ctx.privacy.scrubUrl(u), isExporterUrl: (u) => ctx.isExporterUrl(u), schedule });
    };
    // loadEventEnd is set only after the load handlers returned: record one task later.
    const onLoad = () => schedule(record);
    if (typeof document === 'undefined' || typeof performance === 'undefined') return () => {};
    if (document.readyState === 'complete') onLoad();
    else addEventListener('load', onLoad, { once: true, passive: true });
    return () => {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('load', onLoad);
    };
  },
};

export type { PageLoadOptions } from './options.js';
