export interface PageLoadOptions {
  /** Record `resourceFetch` child spans from resource timing. Default true. */
  resources: boolean;
  /** At most this many `resourceFetch` spans per page load. Default 100. */
  maxResources: number;
}

export const defaultPageLoadOptions: PageLoadOptions = { resources: true, maxResources: 100 };

export function pageLoadOptions(options: Record<string, unknown>): PageLoadOptions {
  return { ...defaultPageLoadOptions, ...(options as Partial<PageLoadOptions>) };
}
