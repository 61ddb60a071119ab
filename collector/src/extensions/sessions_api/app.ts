import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from '@stitch/collector-api';
import type { SessionStoreReader } from '../../store/types.js';
import { corsMiddleware } from './cors.js';
import { jsonErrorHandler } from './error-handler.js';
import { withJaegerLinks } from './jaeger-links.js';
import { openApiDocument } from './openapi.js';
import {
  parseKpiQuery,
  parseSessionDetailOptions,
  parseSessionId,
  parseSessionListQuery,
  parseUserId,
  rejectUnknownParameters,
} from './query-params.js';
import { requestLog } from './request-log.js';
import { sessionsUi } from './ui-static.js';

export interface SessionsApiDeps {
  /** The store, or a StoreUnavailableError (503) when it cannot answer now. */
  store(): SessionStoreReader;
  jaegerUiUrl: string | undefined;
  corsAllowedOrigins: readonly string[] | undefined;
  logger: Logger;
  /** The built sessions UI; default collector/ui/dist. */
  uiDir?: string;
  now?: () => number;
}

type Method = 'get' | 'delete';

/** The query string as URLSearchParams: the parsers take exactly what the client wrote, repeats included. */
function searchParams(request: Request): URLSearchParams {
  const index = request.originalUrl.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : request.originalUrl.slice(index + 1));
}

/** A path parameter; express 5 types them as possibly absent. */
function pathParameter(request: Request, name: string): string {
  return String(request.params[name] ?? '');
}

// DuckDB hands BIGINT columns and attributes over as bigint, which JSON.stringify refuses.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}

/** The HTTP API over a session store (routes, CORS, JSON errors) and the sessions UI. No listening, so tests can introspect it. */
export function createSessionsApiApp(deps: SessionsApiDeps): Express {
  const now = deps.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  // Answers are not cached (no-store), so an ETag would only cost a hash of every body.
  app.set('etag', false);
  app.set('json replacer', jsonReplacer);

  const methods = ['GET', 'HEAD', 'DELETE', 'OPTIONS'];
  app.use(requestLog(deps.logger));
  app.use((_request, response, next) => {
    // Sessions are personal data and change every second: no cache may keep them.
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use(corsMiddleware(deps.corsAllowedOrigins, methods));

  /** Registers a path; any other method answers 405 with Allow (OPTIONS: 204 with Allow). */
  const route = (path: string, handlers: Partial<Record<Method, RequestHandler>>) => {
    const entry = app.route(path);
    const allow: string[] = [];
    if (handlers.get) {
      entry.get(handlers.get);
      allow.push('GET', 'HEAD');
    }
    if (handlers.delete) {
      entry.delete(handlers.delete);
      allow.push('DELETE');
    }
    const allowHeader = allow.join(', ');
    entry.all((request, response) => {
      response.setHeader('allow', allowHeader);
      if (request.method === 'OPTIONS') {
        response.status(204).end();
        return;
      }
      response.status(405).json({ error: `${request.method} is not allowed on ${path.replace(/:(\w+)/g, '{$1}')}; use ${allowHeader}` });
    });
  };

  const ui = sessionsUi(deps.uiDir);
  route('/', { get: ui.page });
  route('/api/openapi.json', {
    get: (request, response) => {
      rejectUnknownParameters(searchParams(request), [], 'GET /api/openapi.json');
      response.json(openApiDocument);
    },
  });
  route('/api/sessions', {
    get: async (request, response) => {
      const query = parseSessionListQuery(searchParams(request), now());
      response.json(await deps.store().listSessions(query));
    },
  });
  route('/api/sessions/:id', {
    get: async (request, response) => {
      const id = parseSessionId(pathParameter(request, 'id'));
      const options = parseSessionDetailOptions(searchParams(request));
      const detail = await deps.store().getSession(id, options);
      if (!detail) {
        response.status(404).json({ error: `no session with id ${JSON.stringify(id)}` });
        return;
      }
      response.json(withJaegerLinks(detail, deps.jaegerUiUrl));
    },
    delete: async (request, response) => {
      const id = parseSessionId(pathParameter(request, 'id'));
      rejectUnknownParameters(searchParams(request), [], 'DELETE /api/sessions/{id}');
      response.json(await deps.store().deleteSessions({ sessionId: id }));
    },
  });
  route('/api/users/:id', {
    delete: async (request, response) => {
      const id = parseUserId(pathParameter(request, 'id'));
      rejectUnknownParameters(searchParams(request), [], 'DELETE /api/users/{id}');
      response.json(await deps.store().deleteSessions({ userId: id }));
    },
  });
  route('/api/kpis', {
    get: async (request, response) => {
      const query = parseKpiQuery(searchParams(request), now());
      response.json(await deps.store().kpis(query));
    },
  });

  // After the API routes: the UI's files, and its page for client-side routes outside /api.
  app.use(ui.files);
  app.use((request, response) => {
    response.status(404).json({ error: `no such endpoint: ${request.method} ${request.path.slice(0, 200)}; /api/openapi.json lists every endpoint` });
  });
  app.use(jsonErrorHandler(deps.logger));
  return app;
}
