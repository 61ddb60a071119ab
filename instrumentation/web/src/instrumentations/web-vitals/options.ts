export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

export interface WebVitalsOptions {
  /** Which metrics to report. Default all five. */
  metrics: VitalName[];
}

export const defaultWebVitalsOptions: WebVitalsOptions = { metrics: ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] };

export function webVitalsOptions(options: Record<string, unknown>): WebVitalsOptions {
  return { ...defaultWebVitalsOptions, ...(options as Partial<WebVitalsOptions>) };
}
