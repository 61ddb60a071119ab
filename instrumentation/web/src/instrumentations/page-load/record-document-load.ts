import { context, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import type { PageLoadOptions } from './options.js';
import { PHASES, type NavigationTimingLike, type ResourceTimingLike } from './timing-types.js';

export interface DocumentLoadInput {
  nav: NavigationTimingLike;
  resources: readonly ResourceTimingLike[];
  /** performance.timeOrigin: entry times are relative to it. */
  timeOrigin: number;
  /** Used when loadEventEnd is still 0 (performance.now()). */
  now: number;
}

export interface DocumentLoadHelpers {
  scrubUrl(url: string): string;
  isExporterUrl(url: string): boolean;
  /** Runs resource chunks later so no task exceeds ~1 ms; tests pass `(fn) => fn()`. */
  schedule(fn: () => void): void;
}

/** fetch/XHR are traced by the network instrumentation; beacons are the SDK's own exports. */
const SKIPPED_INITIATORS = new Set(['fetch', 'xmlhttprequest', 'beacon']);
const CHUNK = 20;

function sizes(attrs: Attributes, e: { transferSize: number; encodedBodySize: number; responseStatus?: number }): Attributes {
  attrs['http.response.body.size'] = e.encodedBodySize;
  attrs['stitch.transfer_size'] = e.transferSize; // 0 = served from cache (or cross-origin without TAO)
  if (e.responseStatus) attrs['http.response.status_code'] = e.responseStatus;
  return attrs;
}

/**
 * Records `documentLoad` (navigation start → loadEventEnd) with one event per navigation phase,
 * a `documentFetch` child (fetchStart → responseEnd) and `resourceFetch` children for resources
 * that started before loadEventEnd. Times are epoch ms (timeOrigin + entry time).
 */
export function recordDocumentLoad(tracer: Tracer, input: DocumentLoadInput, options: PageLoadOptions, h: DocumentLoadHelpers): void {
  const { nav, timeOrigin } = input;
  const at = (t: number) => timeOrigin + t;
  const loadEnd = nav.loadEventEnd || input.now;
  const url = h.scrubUrl(nav.name);
  const root = tracer.startSpan('documentLoad', {
    startTime: at(nav.startTime),
    attributes: sizes({ 'url.full': url, 'stitch.navigation.type': nav.type }, nav),
  });
  for (const phase of PHASES) if (nav[phase] > 0) root.addEvent(phase, at(nav[phase]));
  const parent = trace.setSpan(context.active(), root);
  tracer
    .startSpan('documentFetch', { startTime: at(nav.fetchStart), attributes: { 'url.full': url } }, parent)
    .end(at(nav.responseEnd || nav.fetchStart));
  root.end(at(loadEnd));

  if (!options.resources) return;
  const resources = input.resources
    .filter((r) => r.startTime <= loadEnd && !SKIPPED_INITIATORS.has(r.initiatorType) && !h.isExporterUrl(r.name))
    .slice(0, options.maxResources);
  const chunk = (from: number) => {
    for (const r of resources.slice(from, from + CHUNK)) {
      tracer
        .startSpan('resourceFetch', {
          startTime: at(r.startTime),
          attributes: sizes({ 'url.full': h.scrubUrl(r.name), 'stitch.resource.initiator_type': r.initiatorType }, r),
        }, parent)
        .end(at(r.responseEnd || r.startTime + r.duration));
    }
    if (from + CHUNK < resources.length) h.schedule(() => chunk(from + CHUNK));
  };
  if (resources.length) h.schedule(() => chunk(0));
}
