import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from '@stitch/collector-api';
import type { SessionStoreReader } from '../../store/types.js';
import { audited } from './audit.js';
import { parseAuditQuery } from './audit-query.js';
import { authenticate, hasRole, requireRole, type TokenTable } from './auth.js';
import type { Role } from './config.js';
import { corsMiddleware } from './cors.js';
import { jsonErrorHandler } from './error-handler.js';
import { withJaegerLinks } from './jaeger-links.js';
import { openApiDocument } from './openapi.js';
import { forActor } from './personal-data.js';
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
  /** Bearer tokens and their roles; undefined: no authentication (the config allows that on loopback only). */
  tokens?: TokenTable;
  /** The built sessions UI; default collector/ui/dist. */
  uiDir?: string;
  now?: () => number;
}

type Method = 'get' | 'delete';
type Handlers = RequestHandler | RequestHandler[];

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
  const route = (path: string, handlers: Partial<Record<Method, Handlers>>) => {
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

  const auditDeps = { store: deps.store, logger: deps.logger, now };
  /**
   * The guard of an API endpoint: the caller's token (401), the audit record when the action is
   * audited (refusals included), then the role (403).
   */
  const guarded = (role: Role, action: Parameters<typeof audited>[1] | undefined, handler: RequestHandler, target?: string): RequestHandler[] => [
    authenticate(deps.tokens),
    ...(action ? [audited(auditDeps, action, target)] : []),
    requireRole(role),
    handler,
  ];

  // The UI's files and the OpenAPI document stay public: they hold no data (the UI sends the token).
  const ui = sessionsUi(deps.uiDir);
  route('/', { get: ui.page });
  route('/api/openapi.json', {
    get: (request, response) => {
      rejectUnknownParameters(searchParams(request), [], 'GET /api/openapi.json');
      response.json(openApiDocument);
    },
  });
  // Who the token belongs to: the UI's sign-in checks a token with it and shows the holder's role.
  route('/api/me', {
    get: [
      authenticate(deps.tokens),
      (request, response) => {
        rejectUnknownParameters(searchParams(request), [], 'GET /api/me');
        response.json({ name: request.actor!.name, role: request.actor!.role, authRequired: deps.tokens !== undefined });
      },
    ],
  });
  route('/api/sessions', {
    get: guarded('viewer', 'session.list', async (request, response) => {
      const params = searchParams(request);
      // Filtering by e-mail would let a viewer confirm who a hashed user is.
      if (params.has('email') && !hasRole(request.actor!, 'analyst')) {
        response.status(403).json({ error: 'the email filter needs the analyst role', requiredRole: 'analyst' });
        return;
      }
      const query = parseSessionListQuery(params, now());
      // Ordered by e-mail, a viewer's list would reveal the e-mails it hides: viewers sort by user id.
      if (query.sort === 'user' && !hasRole(request.actor!, 'analyst')) query.sort = 'userId';
      response.json(forActor(request.actor, await deps.store().listSessions(query)));
    }),
  });
  route('/api/sessions/:id', {
    get: guarded(
      'viewer',
      'session.view',
      async (request, response) => {
        const id = parseSessionId(pathParameter(request, 'id'));
        const options = parseSessionDetailOptions(searchParams(request));
        const detail = await deps.store().getSession(id, options);
        if (!detail) {
          response.status(404).json({ error: `no session with id ${JSON.stringify(id)}` });
          return;
        }
        response.json(forActor(request.actor, withJaegerLinks(detail, deps.jaegerUiUrl)));
      },
      'id',
    ),
    delete: guarded(
      'admin',
      'session.delete',
      async (request, response) => {
        const id = parseSessionId(pathParameter(request, 'id'));
        rejectUnknownParameters(searchParams(request), [], 'DELETE /api/sessions/{id}');
        response.json(await deps.store().deleteSessions({ sessionId: id }));
      },
      'id',
    ),
  });
  route('/api/users/:id', {
    delete: guarded(
      'admin',
      'user.delete',
      async (request, response) => {
        const id = parseUserId(pathParameter(request, 'id'));
        rejectUnknownParameters(searchParams(request), [], 'DELETE /api/users/{id}');
        response.json(await deps.store().deleteSessions({ userId: id }));
      },
      'id',
    ),
  });
  route('/api/users/:id/export', {
    get: guarded(
      'admin',
      'user.export',
      async (request, response) => {
        const id = parseUserId(pathParameter(request, 'id'));
        rejectUnknownParameters(searchParams(request), [], 'GET /api/users/{id}/export');
        const document = await deps.store().exportUser(id);
        // A file to hand to the data subject, not a page: the id may be an e-mail, so it stays out of the name.
        response.setHeader('content-disposition', `attachment; filename="stitch-user-export-${document.exportedAt.slice(0, 10)}.json"`);
        response.json(document);
      },
      'id',
    ),
  });
  route('/api/kpis', {
    get: guarded('viewer', 'kpi.view', async (request, response) => {
      const params = searchParams(request);
      if (params.has('email') && !hasRole(request.actor!, 'analyst')) {
        response.status(403).json({ error: 'the email filter needs the analyst role', requiredRole: 'analyst' });
        return;
      }
      const query = parseKpiQuery(params, now());
      response.json(await deps.store().kpis(query));
    }),
  });
  route('/api/audit', {
    get: guarded('admin', 'audit.view', async (request, response) => {
      const query = parseAuditQuery(searchParams(request), now());
      response.json(await deps.store().listAudit(query));
    }),
  });

  // After the API routes: the UI's files, and its page for client-side routes outside /api.
  app.use(ui.files);
  app.use((request, response) => {
    response.status(404).json({ error: `no such endpoint: ${request.method} ${request.path.slice(0, 200)}; /api/openapi.json lists every endpoint` });
  });
  app.use(jsonErrorHandler(deps.logger));
  return app;
}
