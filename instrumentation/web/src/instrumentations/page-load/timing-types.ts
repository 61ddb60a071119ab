/** The fields of PerformanceNavigationTiming we read (a plain object in tests). */
export type NavigationTimingLike = Pick<
  PerformanceNavigationTiming,
  | 'name' | 'startTime' | 'type' | 'transferSize' | 'encodedBodySize'
  | 'fetchStart' | 'domainLookupStart' | 'domainLookupEnd' | 'connectStart' | 'secureConnectionStart' | 'connectEnd'
  | 'requestStart' | 'responseStart' | 'responseEnd' | 'domInteractive' | 'domContentLoadedEventStart'
  | 'domContentLoadedEventEnd' | 'domComplete' | 'loadEventStart' | 'loadEventEnd'
> & { responseStatus?: number };

/** The fields of PerformanceResourceTiming we read. */
export type ResourceTimingLike = Pick<
  PerformanceResourceTiming,
  'name' | 'startTime' | 'responseEnd' | 'duration' | 'initiatorType' | 'transferSize' | 'encodedBodySize'
> & { responseStatus?: number };

/** Navigation timing phases recorded as span events on `documentLoad`, in order. */
export const PHASES = [
  'fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'secureConnectionStart', 'connectEnd',
  'requestStart', 'responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventStart',
  'domContentLoadedEventEnd', 'domComplete', 'loadEventStart', 'loadEventEnd',
] as const;
