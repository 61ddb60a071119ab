// The test shop: a few pages behind a tiny SPA router, a checkout form, buttons that fetch an
// allowed API, a third-party URL and a failing endpoint, and buttons that throw. It initialises
// Stitch exactly as the README's snippet does and exposes it on `window` for page.evaluate.
import { Stitch } from '@stitch/web';
import type { TestAppConfig } from './config.js';

declare global {
  interface Window {
    __STITCH_TEST__: TestAppConfig;
    Stitch: typeof Stitch;
    /** The last network call started by a button; tests await it. */
    __lastCall?: Promise<number>;
    /** Content-Security-Policy violations seen by the page (the SDK must work under a strict CSP). */
    __cspViolations: string[];
    /** Every route rendered, in order (for checking the router itself). */
    __routes: string[];
    testApp: {
      init(overrides?: Record<string, unknown>): void;
      fetchJson(url: string): Promise<number>;
      xhr(url: string): Promise<number>;
    };
  }
}

const config = window.__STITCH_TEST__;
window.__cspViolations = [];
window.__routes = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

function init(overrides: Record<string, unknown> = {}): void {
  const options = {
    endpoint: config.endpoint,
    serviceName: 'shop-web-test',
    environment: 'test',
    version: '1.4.2',
    propagateTo: config.propagateTo.map((source) => new RegExp(source)),
    sessionSampleRate: 100,
    ...config.init,
    ...overrides,
  } as Parameters<typeof Stitch.init>[0];
  Stitch.init(options);
}

window.Stitch = Stitch;
window.testApp = {
  init,
  async fetchJson(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    await response.text();
    return response.status;
  },
  xhr(url) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('GET', url);
      request.onload = () => resolve(request.status);
      request.onerror = () => reject(new Error('xhr failed'));
      request.send();
    });
  },
};
if (config.autoInit !== false) init();

// ---- pages -------------------------------------------------------------------------------------

const PAGES: Record<string, { title: string; html: string }> = {
  '/': {
    title: 'Home · Stitch test shop',
    html: `
      <h1>Stitch test shop</h1>
      <p class="hero">Everything a browser session does, stitched to the backend traces it caused. This paragraph is
      the largest text block on the page so that it becomes the Largest Contentful Paint candidate.</p>`,
  },
  '/products': {
    title: 'Products · Stitch test shop',
    html: `
      <h1>Products</h1>
      <ul>
        <li>Blue mug <button data-stitch-name="add-to-cart" data-sku="mug-blue" id="add-mug">Add to cart</button></li>
        <li>Red socks <button data-stitch-name="add-to-cart" data-sku="socks-red" id="add-socks">Add to cart</button></li>
      </ul>`,
  },
  '/cart': { title: 'Cart · Stitch test shop', html: `<h1>Cart</h1><p id="cart-summary">2 items</p>` },
  '/checkout': {
    title: 'Checkout · Stitch test shop',
    html: `
      <h1>Checkout</h1>
      <form id="checkout-form" name="checkout" action="/checkout" method="post">
        <label>Card number <input id="card" name="card" autocomplete="cc-number"></label>
        <label>Password <input id="password" name="password" type="password"></label>
        <label>E-mail <input id="email" name="email" type="email"></label>
        <label>Notes <textarea id="notes" name="notes"></textarea></label>
        <button type="submit" id="pay">Pay now</button>
      </form>
      <p id="thanks" hidden>Thank you!</p>`,
  },
};

const view = document.getElementById('view')!;

function render(path: string): void {
  const page = PAGES[path] ?? { title: 'Not found', html: '<h1>Not found</h1>' };
  view.innerHTML = page.html;
  document.title = page.title;
  window.__routes.push(path);
  const form = document.getElementById('checkout-form') as HTMLFormElement | null;
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    document.getElementById('thanks')!.hidden = false;
  });
}

// SPA links: <a data-spa> navigates with pushState; the back button re-renders on popstate.
document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest('a[data-spa]');
  if (!link) return;
  event.preventDefault();
  const path = new URL((link as HTMLAnchorElement).href).pathname;
  history.pushState({ path }, '', path);
  render(path);
});
window.addEventListener('popstate', () => render(location.pathname));

// ---- action buttons ----------------------------------------------------------------------------

const backend = config.backend;
const actions: Record<string, () => void> = {
  'fetch-allowed': () => (window.__lastCall = window.testApp.fetchJson(`${backend}/api/offers?coupon=SECRET-COUPON`)),
  'fetch-other': () => (window.__lastCall = window.testApp.fetchJson(`${backend}/public/ping`)),
  'fetch-fail': () => (window.__lastCall = window.testApp.fetchJson(`${backend}/api/broken`)),
  'xhr-allowed': () => (window.__lastCall = window.testApp.xhr(`${backend}/api/offers`)),
  'throw-error': () => {
    setTimeout(() => {
      throw new TypeError('boom: thrown from a click handler');
    });
  },
  'reject-promise': () => {
    void Promise.reject(new RangeError('boom: rejected and never handled'));
  },
};
for (const [id, action] of Object.entries(actions)) document.getElementById(id)!.addEventListener('click', action);

render(location.pathname);
