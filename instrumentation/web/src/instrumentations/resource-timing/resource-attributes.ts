import type { Attributes } from '@opentelemetry/api';

/** The fields of PerformanceResourceTiming we read (a plain object in tests). */
export type ResourceEntry = Pick<
  PerformanceResourceTiming,
  | 'name' | 'initiatorType' | 'startTime' | 'duration' | 'transferSize'
  | 'domainLookupStart' | 'domainLookupEnd' | 'connectStart' | 'secureConnectionStart' | 'connectEnd'
  | 'requestStart' | 'responseStart' | 'responseEnd'
>;

/** Phase lengths in ms, rounded to 0.1 ms (the browser's clock is coarser than that anyway). */
const ms = (from: number, to: number): number => Math.round(Math.max(0, to - from) * 10) / 10;

/**
 * The attributes of one `browser.resource_timing` event. Phases are consecutive so a UI can stack
 * them: connect is TCP only and TLS is its own phase (the spec's connectEnd includes TLS).
 * A cross-origin resource without `Timing-Allow-Origin` has zeroed phase timestamps
 * (requestStart = 0): then only the duration is sent, because zeros would read as "instant".
 */
export function resourceAttributes(e: ResourceEntry, url: string): Attributes {
  const attributes: Attributes = {
    'url.full': url,
    'stitch.resource.initiator_type': e.initiatorType,
    'stitch.resource.duration_ms': ms(0, e.duration),
  };
  if (e.requestStart > 0) {
    const tlsStart = e.secureConnectionStart > 0 ? e.secureConnectionStart : e.connectEnd;
    attributes['stitch.resource.dns_ms'] = ms(e.domainLookupStart, e.domainLookupEnd);
    attributes['stitch.resource.connect_ms'] = ms(e.connectStart, tlsStart);
    attributes['stitch.resource.tls_ms'] = ms(tlsStart, e.connectEnd);
    attributes['stitch.resource.request_ms'] = ms(e.requestStart, e.responseStart);
    attributes['stitch.resource.response_ms'] = ms(e.responseStart, e.responseEnd);
    attributes['stitch.resource.transfer_size'] = e.transferSize;
  }
  return attributes;
}
