import type { Metric } from 'web-vitals';
import type { InstrumentationContext } from '../types.js';

export type VitalMetric = Pick<Metric, 'name' | 'value' | 'rating' | 'id' | 'navigationType'>;

/**
 * Returns the callback given to web-vitals' onLCP/onINP/…: one `browser.web_vital` event per
 * metric id. web-vitals may call back again for CLS/INP when the page is hidden a second time;
 * the first (final-at-first-hide) value is kept so each metric is reported once per page view.
 * A bfcache restore is a new page view with new ids, so it is reported again.
 */
export function vitalReporter(ctx: Pick<InstrumentationContext, 'emitEvent'>, isStopped: () => boolean): (m: VitalMetric) => void {
  const seen = new Set<string>();
  return (m) => {
    if (isStopped() || seen.has(m.id)) return;
    seen.add(m.id);
    ctx.emitEvent('browser.web_vital', {
      'stitch.web_vital.name': m.name,
      'stitch.web_vital.value': m.value,
      'stitch.web_vital.rating': m.rating,
      'stitch.web_vital.id': m.id,
      'stitch.web_vital.navigation_type': m.navigationType,
    });
  };
}
