// The express application: CORS, JSON bodies, the /api routes, JSON errors.
import express, { Router } from 'express';
import type { Application } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { cors } from './cors.js';
import { errorHandler, notFound } from './error-handler.js';
import { requestLog } from './request-log.js';
import { mountCartRoutes } from './routes/cart.js';
import { mountCheckoutRoutes } from './routes/checkout.js';
import { mountHealthRoutes } from './routes/health.js';
import { mountLoginRoutes } from './routes/login.js';
import { mountProductRoutes } from './routes/products.js';

export interface AppOptions {
  db: Knex;
  logger: Logger;
  frontendOrigin: string;
  checkoutFailureRate: number;
  checkoutSlowRate: number;
  slowMs: number;
  random?: () => number;
}

export function createApp(options: AppOptions): Application {
  const { db, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  // No ETags: a cart answered 304 is a revalidation round trip that tells a demo viewer nothing.
  app.set('etag', false);
  app.use(requestLog(logger));
  app.use(cors(options.frontendOrigin));
  app.use(express.json({ limit: '16kb' }));
  // One router for every route: each router a request passes through is a span of its own in
  // the express instrumentation, so one keeps the traces short.
  const api = Router();
  mountHealthRoutes(api);
  mountProductRoutes(api, db);
  mountCartRoutes(api, db);
  mountCheckoutRoutes(api, db, logger, {
    failureRate: options.checkoutFailureRate,
    slowRate: options.checkoutSlowRate,
    slowMs: options.slowMs,
    random: options.random ?? Math.random,
  });
  mountLoginRoutes(api, db, logger);
  app.use('/api', api);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
