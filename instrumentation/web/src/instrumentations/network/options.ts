export interface NetworkOptions {
  /** Trace `fetch()`. Default true. */
  fetch: boolean;
  /** Trace `XMLHttpRequest`. Default true. */
  xhr: boolean;
  /** Requests whose absolute URL contains one of these strings or matches one of these RegExps are not traced. */
  ignoreUrls: Array<string | RegExp>;
  /**
   * How long a fetch span waits, after the headers arrived, for the body's resource timing entry
   * (real end time, size without Content-Length). 0 = end at the headers. Default 1000.
   */
  waitForBodyMs: number;
}

export const defaultNetworkOptions: NetworkOptions = { fetch: true, xhr: true, ignoreUrls: [], waitForBodyMs: 1000 };

export function networkOptions(options: Record<string, unknown>): NetworkOptions {
  return { ...defaultNetworkOptions, ...(options as Partial<NetworkOptions>) };
}

export function isIgnored(url: string, ignoreUrls: NetworkOptions['ignoreUrls']): boolean {
  return ignoreUrls.some((p) => (typeof p === 'string' ? url.includes(p) : p.test(url)));
}
