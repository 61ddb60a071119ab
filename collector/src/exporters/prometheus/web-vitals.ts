// Web Vitals histograms. Bucket bounds include each vital's good / needs-improvement / poor
// thresholds (web.dev), so `le="2.5"` of LCP is exactly the share of good page loads.

export interface VitalSpec {
  /** Metric name after the namespace. */
  metric: string;
  help: string;
  /** The browser reports time vitals in milliseconds; Prometheus wants seconds. */
  scale: number;
  buckets: number[];
}

export const WEB_VITALS: Readonly<Record<string, VitalSpec>> = {
  LCP: {
    metric: 'web_vitals_lcp_seconds',
    help: 'Largest Contentful Paint (good ≤ 2.5 s, poor > 4 s)',
    scale: 1e-3,
    buckets: [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 20],
  },
  INP: {
    metric: 'web_vitals_inp_seconds',
    help: 'Interaction to Next Paint (good ≤ 200 ms, poor > 500 ms)',
    scale: 1e-3,
    buckets: [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2, 5],
  },
  CLS: {
    metric: 'web_vitals_cls',
    help: 'Cumulative Layout Shift, unitless (good ≤ 0.1, poor > 0.25)',
    scale: 1,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1],
  },
  FCP: {
    metric: 'web_vitals_fcp_seconds',
    help: 'First Contentful Paint (good ≤ 1.8 s, poor > 3 s)',
    scale: 1e-3,
    buckets: [0.5, 1, 1.5, 1.8, 2.5, 3, 4, 6, 10],
  },
  TTFB: {
    metric: 'web_vitals_ttfb_seconds',
    help: 'Time to First Byte (good ≤ 0.8 s, poor > 1.8 s)',
    scale: 1e-3,
    buckets: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.4, 1.8, 2.5, 4, 8],
  },
};

export const VITAL_LABELS = ['service_name', 'deployment_environment', 'service_version', 'browser_name', 'device_type', 'route'] as const;
export type VitalLabel = (typeof VITAL_LABELS)[number];
