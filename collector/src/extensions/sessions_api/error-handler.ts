import type { ErrorRequestHandler } from 'express';
import type { Logger } from '@stitch/collector-api';
import { StoreQueryError } from '../../store/types.js';
import { QueryParameterError } from './query-error.js';
import { StoreUnavailableError } from './store-lookup.js';

/** Every error becomes JSON: a client of the API never sees express's HTML error page. */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (response.headersSent) {
      // Too late for a status: cut the connection so the client sees a truncated answer, not a complete one.
      logger.error({ err: error, method: request.method, route: request.route?.path }, 'sessions API failed mid-response');
      response.destroy();
      return;
    }
    if (error instanceof QueryParameterError || error instanceof StoreQueryError) {
      response.status(400).json({ error: error.message, parameter: error.parameter });
      return;
    }
    if (error instanceof StoreUnavailableError) {
      if (error.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(error.retryAfterSeconds));
      response.status(503).json({ error: error.message });
      return;
    }
    // express's own 4xx, e.g. a path parameter with broken %-encoding.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      response.status(status).json({ error: (error as Error).message });
      return;
    }
    logger.error({ err: error, method: request.method, route: request.route?.path }, 'sessions API request failed');
    response.status(500).json({ error: 'internal error while answering from the session store; the collector log has the details' });
  };
}
