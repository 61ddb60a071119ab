import type { RequestHandler } from 'express';
import { originPattern } from '../../net/origin-pattern.js';

const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS for `cors.allowed_origins`; absent, no CORS header is ever sent, so only same-origin pages
 * can read answers full of personal data.
 */
export function corsMiddleware(allowedOrigins: readonly string[] | undefined, methods: readonly string[]): RequestHandler {
  if (!allowedOrigins) return (_request, _response, next) => next();
  const matchers = allowedOrigins.map(originPattern);
  return (request, response, next) => {
    const origin = request.headers.origin;
    if (origin === undefined) return next();
    const allowed = matchers.some((matches) => matches(origin));
    const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!allowed) {
      if (!isPreflight) return next(); // served, but the browser keeps the answer from the page
      response.status(403).json({ error: `origin ${JSON.stringify(origin)} is not allowed by extensions.sessions_api.cors.allowed_origins` });
      return;
    }
    // Echo the origin (never `*`) so that the answer stays valid for requests with credentials.
    response.setHeader('access-control-allow-origin', origin);
    response.vary('Origin');
    if (!isPreflight) return next();
    response.vary('Access-Control-Request-Method');
    response.vary('Access-Control-Request-Headers');
    response.setHeader('access-control-allow-methods', methods.join(', '));
    const askedHeaders = request.headers['access-control-request-headers'];
    if (askedHeaders) response.setHeader('access-control-allow-headers', askedHeaders);
    response.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
    response.status(204).end();
  };
}
