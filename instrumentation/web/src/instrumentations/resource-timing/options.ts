export interface ResourceTimingOptions {
  /** At most this many `browser.resource_timing` events per page load: a long-lived SPA must not flood the export. Default 150. */
  maxPerPage: number;
  /** Entries shorter than this (ms) are skipped: cache hits and tiny assets are noise on a timeline. Default 10. */
  minDurationMs: number;
  /** Report only these initiator types (`fetch`, `xmlhttprequest`, `script`, `link`, `img`, `css`, …). Default: all. */
  initiatorTypes?: string[];
}

export const defaultResourceTimingOptions: ResourceTimingOptions = { maxPerPage: 150, minDurationMs: 10 };

export function resourceTimingOptions(options: Record<string, unknown>): ResourceTimingOptions {
  return { ...defaultResourceTimingOptions, ...(options as Partial<ResourceTimingOptions>) };
}
