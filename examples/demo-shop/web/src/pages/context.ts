import type { ShopApi } from '../api.js';

/** What every page renderer gets. */
export interface PageContext {
  api: ShopApi;
  params: URLSearchParams;
}
