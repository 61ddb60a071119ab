import type { InstrumentationContext } from '../types.js';
import type { ResourceTimingOptions } from './options.js';
import { resourceAttributes, type ResourceEntry } from './resource-attributes.js';

/**
 * Returns the handler for one observer callback: filters the batch (the SDK's own exports, short
 * entries, unwanted types), stops at the per-page cap, and emits one `browser.resource_timing`
 * event per entry, dated at the resource's start so it sits at the right place on a timeline.
 */
export function resourceReporter(
  ctx: Pick<InstrumentationContext, 'emitEvent' | 'privacy' | 'isExporterUrl'>,
  options: ResourceTimingOptions,
  timeOrigin: number,
): (entries: readonly ResourceEntry[]) => void {
  let sent = 0;
  const types = options.initiatorTypes && new Set(options.initiatorTypes);
  return (entries) => {
    for (const e of entries) {
      if (sent >= options.maxPerPage) return;
      // The exporter's own requests would each make a new event: a feedback loop.
      if (e.duration < options.minDurationMs || (types && !types.has(e.initiatorType)) || ctx.isExporterUrl(e.name)) continue;
      sent++;
      ctx.emitEvent('browser.resource_timing', resourceAttributes(e, ctx.privacy.scrubUrl(e.name)), {
        timestamp: timeOrigin + e.startTime,
      });
    }
  };
}

/** Observes resource entries, those loaded before init included (`buffered: true`). Returns stop. */
export function observeResources(
  ctx: Pick<InstrumentationContext, 'emitEvent' | 'privacy' | 'isExporterUrl'>,
  options: ResourceTimingOptions,
): () => void {
  const report = resourceReporter(ctx, options, performance.timeOrigin);
  const observer = new PerformanceObserver((list) => report(list.getEntries() as PerformanceResourceTiming[]));
  observer.observe({ type: 'resource', buffered: true });
  return () => observer.disconnect();
}
