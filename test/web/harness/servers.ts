// The test app's web server (HTML shell + the esbuild bundle) and the "backend" API server on
// another port, which records the headers of every request it gets.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestAppConfig } from '../app/config.js';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface BackendRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** The API the app calls: /api/* (propagation allowed), /public/* (not allowed); /api/broken answers 500. */
export class Backend {
  readonly requests: BackendRequest[] = [];
  readonly #server: Server;
  #port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      // Cross-origin from the app: answer preflights for any header the SDK adds (traceparent, baggage).
      res.setHeader('Access-Control-Allow-Origin', '*');
      // /api/* lets the app read its resource timing phases; /public/* does not (the browser zeroes them).
      if (path.startsWith('/api/')) res.setHeader('Timing-Allow-Origin', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
        res.writeHead(204).end();
        return;
      }
      this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
      req.resume();
      if (path === '/api/broken') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"broken on purpose"}');
      } else if (path.startsWith('/api/') || path.startsWith('/public/')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"offers":[{"sku":"mug-blue","price":12}]}');
      } else {
        res.writeHead(404).end();
      }
    });
  }

  async start(): Promise<void> {
    this.#port = await listen(this.#server);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Requests (not preflights) whose path starts with `prefix`. */
  received(prefix: string): BackendRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }
}

const PATHS = new Set(['/', '/products', '/cart', '/checkout', '/about']);

function shell(config: TestAppConfig, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Stitch test shop</title>
  <style>body { font: 16px/1.4 sans-serif; margin: 2rem; } .hero { font-size: 22px; max-width: 40rem; }</style>
  <script nonce="${nonce}">window.__STITCH_TEST__ = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script>
  <script type="module" src="/app.js"></script>
</head>
<body>
  <nav>
    <a href="/" data-spa id="nav-home">Home</a>
    <a href="/products" data-spa id="nav-products">Products</a>
    <a href="/cart" data-spa id="nav-cart">Cart</a>
    <a href="/checkout" data-spa id="nav-checkout">Checkout</a>
    <a href="/about" id="nav-about-full">About (full page load)</a>
  </nav>
  <div id="toolbar">
    <button id="fetch-allowed" data-stitch-name="load-offers">Load offers</button>
    <button id="fetch-other">Ping third party</button>
    <button id="fetch-fail">Load broken</button>
    <button id="xhr-allowed">XHR offers</button>
    <button id="throw-error">Throw an error</button>
    <button id="reject-promise">Reject a promise</button>
  </div>
  <main id="view"></main>
</body>
</html>`;
}

/** Serves the test shop: the same HTML shell for every page path (the router renders), and /app.js. */
export class AppServer {
  /** The config injected into the next page served; tests change it between navigations. */
  config: TestAppConfig;
  readonly #files: ReadonlyMap<string, string>;
  readonly #server: Server;
  #port = 0;

  /** `files`: URL path → JavaScript (the bundle at `/app.js` and any dynamic-import chunks). */
  constructor(files: ReadonlyMap<string, string>, config: TestAppConfig) {
    this.#files = files;
    this.config = config;
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const script = this.#files.get(path);
      if (script !== undefined) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(script);
      } else if (PATHS.has(path)) {
        const nonce = randomBytes(12).toString('base64');
        // A strict CSP: no eval, no inline script but the nonced config; connections only to the
        // collector and the backend. The SDK must work under it.
        const csp = [
          `default-src 'self'`,
          `script-src 'self' 'nonce-${nonce}'`,
          `style-src 'self' 'unsafe-inline'`,
          `connect-src 'self' ${this.config.endpoint} ${this.config.backend}`,
          `img-src 'self' data:`,
        ].join('; ');
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': csp })
          .end(shell(this.config, nonce));
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
  }

  async start(): Promise<void> {
    this.#port = await listen(this.#server);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  url(path = '/'): string {
    return `${this.origin}${path}`;
  }

  async stop(): Promise<void> {
    await close(this.#server);
  }
}
