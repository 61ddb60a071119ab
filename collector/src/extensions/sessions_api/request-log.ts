import type { RequestHandler } from 'express';
import type { Logger } from '@stitch/collector-api';

/**
 * One debug line per request. It names the route pattern and the parameter names, never their
 * values: paths and filters carry user ids and e-mails, which must not leak into logs.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    response.once('finish', () => {
      const query = request.originalUrl.indexOf('?');
      logger.debug(
        {
          method: request.method,
          route: (request.route?.path as string | undefined) ?? null,
          parameters: query === -1 ? [] : [...new Set(new URLSearchParams(request.originalUrl.slice(query)).keys())],
          status: response.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'sessions API request',
      );
    });
    next();
  };
}
