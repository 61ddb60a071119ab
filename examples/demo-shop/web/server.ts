// The shop's pages: static HTML and CSS, the esbuild bundle and /config.js (which tells the pages
// where the API and the collector are). Plain node:http: it only serves files.
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebBundle, type Bundle } from './build.js';
import type { DemoConfig } from './src/config.js';

const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'pages');

/** URL path → file in pages/ and its content type. */
const STATIC_FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/product.html': ['product.html', 'text/html; charset=utf-8'],
  '/cart.html': ['cart.html', 'text/html; charset=utf-8'],
  '/checkout.html': ['checkout.html', 'text/html; charset=utf-8'],
  '/login.html': ['login.html', 'text/html; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
};

export const FRONTEND_DEFAULTS = {
  port: 3000,
  apiUrl: 'http://127.0.0.1:3001',
  collectorUrl: 'http://127.0.0.1:4318',
} as const;

export interface FrontendOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  config: DemoConfig;
  /** A bundle built already (tests share one); built at start otherwise. */
  bundle?: Bundle;
}

export interface RunningFrontend {
  url: string;
  close(): Promise<void>;
}

function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * The pages run under a strict Content-Security-Policy (no inline script, connections only to the
 * API and the collector), which @stitch/web is built to work under.
 */
function contentSecurityPolicy(config: DemoConfig): string {
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self'`,
    `img-src 'self' data:`,
    `connect-src 'self' ${originOf(config.apiUrl)} ${originOf(config.collectorUrl)}`,
  ].join('; ');
}

export function configScript(config: DemoConfig): string {
  // Escape '<' so no value can close a script element, wherever the file gets inlined.
  return `window.__DEMO_CONFIG__ = ${JSON.stringify(config).replace(/</g, '\\u003c')};\n`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra }).end(body);
}

export async function startFrontend(options: FrontendOptions): Promise<RunningFrontend> {
  const host = options.host ?? '127.0.0.1';
  const { config } = options;
  const bundle = options.bundle ?? (await buildWebBundle());
  const csp = contentSecurityPolicy(config);
  const script = configScript(config);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed', { allow: 'GET, HEAD' });
    if (path === '/config.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    const asset = bundle.get(path);
    if (asset !== undefined) return send(res, 200, 'text/javascript; charset=utf-8', asset);
    const entry = STATIC_FILES[path];
    if (!entry) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    const [file, type] = entry;
    readFile(join(PAGES_DIR, file)).then(
      (body) => send(res, 200, type, body, type.startsWith('text/html') ? { 'content-security-policy': csp } : {}),
      () => send(res, 500, 'text/plain; charset=utf-8', 'cannot read page'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function numberFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const frontend = await startFrontend({
    port: numberFromEnv('PORT', FRONTEND_DEFAULTS.port),
    config: {
      apiUrl: process.env.DEMO_API_URL || FRONTEND_DEFAULTS.apiUrl,
      collectorUrl: process.env.DEMO_COLLECTOR_URL || FRONTEND_DEFAULTS.collectorUrl,
      serviceName: process.env.DEMO_WEB_SERVICE_NAME || 'demo-shop-web',
      environment: process.env.DEMO_ENVIRONMENT || 'demo',
      version: process.env.DEMO_VERSION || '1.0.0',
    },
  });
  console.log(`demo shop frontend on ${frontend.url}`);
  const stop = () => void frontend.close();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
