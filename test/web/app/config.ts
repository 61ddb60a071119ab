/** What the test server injects into every page as `window.__STITCH_TEST__` (JSON). */
export interface TestAppConfig {
  /** The collector's OTLP/HTTP base URL. */
  endpoint: string;
  /** Base URL of the "backend" API server (propagation allowed for `${backend}/api/`). */
  backend: string;
  /** Regex sources for `propagateTo`. */
  propagateTo: string[];
  /** Passed to `Stitch.init` as is, after the defaults below (serviceName, consent, …). */
  init: Record<string, unknown>;
  /** When false the page does not call Stitch.init (the test calls it). Default true. */
  autoInit?: boolean;
}
