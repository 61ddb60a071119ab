// The one bundle every page loads: start Stitch first (so the page load and every fetch are
// recorded), then render the page named by <body data-page="…">.
import { ApiError, shopApi } from './api.js';
import { readConfig } from './config.js';
import { showError } from './dom.js';
import { showAccount, showCartCount } from './header.js';
import type { PageContext } from './pages/context.js';
import { renderCart } from './pages/cart.js';
import { renderCheckout } from './pages/checkout.js';
import { renderList } from './pages/list.js';
import { renderLogin } from './pages/login.js';
import { renderProduct } from './pages/product.js';
import { identify, reportProblem, sessionId, startTelemetry } from './telemetry.js';
import { signedInUser } from './user.js';

declare global {
  interface Window {
    /** For scripts driving the shop (scripts/traffic.ts): which Stitch session this page is in. */
    demoShop?: { sessionId(): string | undefined };
  }
}

const PAGES: Record<string, (context: PageContext) => Promise<void>> = {
  list: renderList,
  product: renderProduct,
  cart: renderCart,
  checkout: renderCheckout,
  login: renderLogin,
};

async function main(): Promise<void> {
  const config = readConfig();
  startTelemetry(config);
  window.demoShop = { sessionId };
  identify(signedInUser()); // setUser holds for one page only: every page load sets it again
  const api = shopApi(config.apiUrl);
  const page = document.body.dataset.page ?? 'list';
  const render = PAGES[page];
  showAccount();
  try {
    if (!render) throw new Error(`unknown page "${page}"`);
    // The cart and checkout pages read the cart anyway; elsewhere fetch it for the header count.
    if (page !== 'cart' && page !== 'checkout') void api.cart().then(showCartCount, () => undefined);
    await render({ api, params: new URLSearchParams(location.search) });
  } catch (error) {
    showError(error instanceof ApiError ? error.message : 'Something went wrong loading this page.');
    reportProblem('shop.page_failed', { 'shop.page': page, 'http.response.status_code': error instanceof ApiError ? error.status : -1 });
  } finally {
    // A stable "rendered" marker for end-to-end tests.
    document.body.dataset.ready = 'true';
  }
}

void main();
