// Serves the sessions UI, built by Vite into collector/ui/dist (committed, so `npm start` needs no
// build step): hashed assets cached for good, index.html revalidated, and index.html for every
// other non-/api path so that links to client-side routes (/sessions/<id>) load the app.
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Response } from 'express';

/** collector/ui/dist, next to this package's sources. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

// The app loads only its own script and stylesheet and calls only /api on the same origin; links
// out (Jaeger, DB-IP) are navigations, which CSP does not restrict.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Vite names every file under assets/ by its content hash: a new build gets new names.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html (and favicon) keep their names across builds: revalidate each time (ETag/Last-Modified).
const REVALIDATE = 'no-cache';

function htmlHeaders(response: Response): void {
  response.setHeader('cache-control', REVALIDATE);
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  // Session pages have ids in their URLs: links out to Jaeger or DB-IP need not carry them.
  response.setHeader('referrer-policy', 'same-origin');
  response.setHeader('x-frame-options', 'DENY');
}

export interface SessionsUi {
  /** GET / and any client-side route: index.html. */
  page: RequestHandler;
  /** Static files of dist, then index.html for paths that look like pages; GET/HEAD only. */
  files: RequestHandler;
}

export function sessionsUi(dir: string = DEFAULT_UI_DIR): SessionsUi {
  const indexFile = join(dir, 'index.html');

  const page: RequestHandler = (_request, response, next) => {
    if (!existsSync(indexFile)) {
      response.status(503).type('text/plain').send(`The sessions UI is not built: ${indexFile} is missing. Run \`npm run build:ui\` in the Stitch repository. The JSON API works: /api/openapi.json lists it.\n`);
      return;
    }
    htmlHeaders(response);
    response.sendFile(indexFile, { dotfiles: 'deny' }, (error) => error && next(error));
  };

  const staticFiles = express.static(dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders(response, path) {
      if (path.endsWith('.html')) htmlHeaders(response);
      else response.setHeader('cache-control', path.includes(`${join(dir, 'assets')}`) ? IMMUTABLE : REVALIDATE);
    },
  });

  const files: RequestHandler = (request, response, next) => {
    // /api/... stays JSON, whatever the method: its 404 names the endpoint list.
    if (request.path === '/api' || request.path.startsWith('/api/')) return next();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      if (request.method === 'OPTIONS') response.status(204).end();
      else response.status(405).json({ error: `${request.method} is not allowed on ${request.path.slice(0, 200)}; the sessions UI answers GET, HEAD` });
      return;
    }
    staticFiles(request, response, () => {
      // A missing file (an old asset, a typo) is a 404, not HTML a <script> would choke on.
      if (extname(request.path) !== '' || request.path.startsWith('/assets/')) return next();
      page(request, response, next);
    });
  };

  return { page, files };
}
