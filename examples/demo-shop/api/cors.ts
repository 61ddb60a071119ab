// CORS for the shop's pages, which live on another origin (port) than the API. The pages' fetches
// carry traceparent/tracestate and baggage (session.id) from @stitch/web, so the preflight must
// allow those headers or the browser never sends the request.
import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'content-type, x-cart-id, traceparent, tracestate, baggage';
const ANY_LOCAL_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/i;

/** `frontendOrigin`: one origin, a comma-separated list, or '*' for any http://127.0.0.1:* or http://localhost:*. */
export function originMatcher(frontendOrigin: string): (origin: string) => boolean {
  if (frontendOrigin.trim() === '*') return (origin) => ANY_LOCAL_ORIGIN.test(origin);
  const allowed = new Set(
    frontendOrigin
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase())
      .filter(Boolean),
  );
  return (origin) => allowed.has(origin.toLowerCase());
}

export function cors(frontendOrigin: string): RequestHandler {
  const isAllowed = originMatcher(frontendOrigin);
  // Named, as the other middlewares: the express instrumentation calls its span 'middleware - cors'.
  return function cors(req, res, next) {
    const origin = req.get('origin');
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!origin) return next();
    res.set('Vary', 'Origin');
    if (!isAllowed(origin)) {
      // Refuse the preflight outright (the browser would fail it anyway); a 403 says why in devtools.
      if (preflight) return res.status(403).json({ error: `origin ${origin} is not allowed` });
      return next();
    }
    res.set('Access-Control-Allow-Origin', origin);
    if (!preflight) return next();
    res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.set('Access-Control-Max-Age', '600');
    return res.status(204).end();
  };
}
