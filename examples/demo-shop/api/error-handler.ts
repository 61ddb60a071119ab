// Turns every error into a JSON `{ error }` answer with the right status. The client never sees a
// stack trace or an internal message; the log keeps them.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError } from './http-error.js';

/** Errors raised by express's own body parser carry a status and a `type`. */
interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
}

function clientMessage(status: number, error: ParserError): string {
  if (error.type === 'entity.parse.failed') return 'request body is not valid JSON';
  if (status === 413) return 'request body is too large';
  if (status === 415) return 'request body must be JSON';
  if (status < 500) return 'bad request';
  return 'internal error';
}

export const notFound: RequestHandler = function notFound(req, res) {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function errorHandler(error, req, res, next) {
    if (res.headersSent) return next(error); // express then closes the connection
    let status: number;
    let message: string;
    if (error instanceof HttpError) {
      status = error.status;
      message = error.message;
    } else {
      const parser = (error ?? {}) as ParserError;
      const declared = parser.status ?? parser.statusCode;
      status = typeof declared === 'number' && declared >= 400 && declared < 600 ? declared : 500;
      message = clientMessage(status, parser);
    }
    const where = { method: req.method, path: req.path, status };
    if (status >= 500) logger.error({ ...where, err: error }, 'request failed');
    else logger.info({ ...where, reason: message }, 'request rejected');
    res.status(status).json({ error: message });
  };
}
