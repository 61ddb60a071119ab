// One log line per answered request. Through the pino instrumentation each line becomes an
// OpenTelemetry log record carrying the request's trace id.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export function requestLog(logger: Logger): RequestHandler {
  return function requestLog(req, res, next) {
    // Read now: routers mounted on /api rewrite req.path to the part after their mount point.
    const path = req.path;
    if (path === '/api/health') return next(); // readiness polls would drown the rest
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs) }, 'request completed');
    });
    next();
  };
}
