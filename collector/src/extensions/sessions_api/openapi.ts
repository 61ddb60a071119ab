// The OpenAPI 3.1 description of the sessions API, written by hand. openapi.test.ts checks that it
// lists exactly the routes the router serves and the parameters the parsers take; limits and
// enums come from query-params.ts so they cannot drift.
import { AUDIT_ACTIONS } from './audit-query.js';
import { MAX_TRACES_IN_SEARCH_URL } from './jaeger-links.js';
import { GROUP_BY, INTERVALS, LIMIT, MAX_CURSOR_LENGTH, MAX_Q_LENGTH, MAX_USER_ID_LENGTH, ORDERS, RANGES, SORTS, SPAN_LIMIT } from './query-params.js';
import { MAX_FILTER_LENGTH } from './param-values.js';

const string = { type: 'string' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const integer = { type: 'integer' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const ms = (description: string) => ({ type: 'integer', description }) as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });

const filterText = (name: string, description: string) => ({
  name,
  in: 'query',
  description: `${description} Exact match, at most ${MAX_FILTER_LENGTH} characters.`,
  schema: { type: 'string', minLength: 1, maxLength: MAX_FILTER_LENGTH },
});

const instant = (name: string, description: string) => ({
  name,
  in: 'query',
  description: `${description} ISO 8601 (\`2025-03-01\`, \`2025-03-01T12:00:00Z\`, \`2025-03-01T14:00:00+02:00\`; without offset: UTC) or epoch milliseconds. Not with \`range\`.`,
  schema: { type: 'string' },
});

const duration = (name: string, description: string) => ({
  name,
  in: 'query',
  description: `${description} A duration such as \`90s\`, \`10m\`, \`1h\`, \`1h30m\`, or whole milliseconds.`,
  schema: { type: 'string', examples: ['90s', '10m', '60000'] },
});

const FILTERS = ['from', 'to', 'range', 'user', 'email', 'errors', 'country', 'city', 'browser', 'os', 'device', 'min_duration', 'max_duration', 'environment', 'version', 'service', 'q'].map(param);
const STORE_ERRORS = { '400': response('BadRequest'), '500': response('InternalError'), '503': response('StoreUnavailable') };
/** Every data endpoint needs a bearer token (when `auth` is configured) whose role is at least `role`. */
const needs = (role: 'viewer' | 'analyst' | 'admin') => ({
  rest: { security: [{ bearer: [] }], 'x-required-role': role },
  errors: { ...STORE_ERRORS, '401': response('Unauthorized'), '403': response('Forbidden') },
});
const VIEWER = needs('viewer');
const ADMIN = needs('admin');

const figures = {
  sessions: integer,
  avgDurationMs: { ...nullableNumber, description: 'Mean session duration; null without sessions.' },
  errorRate: { ...nullableNumber, description: 'Share of sessions with at least one error, 0–1.' },
  pagesPerSession: nullableNumber,
  errors: { ...integer, description: 'Errors of all sessions together.' },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Stitch sessions API',
    version: '0.1.0',
    description:
      'Browser sessions recorded by the Stitch collector: list and filter them, open one with its timeline, spans and traces (linked to Jaeger), key figures, and data-subject erasure. ' +
      'Served by the `sessions_api` extension, by default on 127.0.0.1:8686. With `auth` configured every /api endpoint but this document needs `Authorization: Bearer <token>`, ' +
      'and the token\'s role decides what it may do: `viewer` reads sessions without user e-mail and name, `analyst` reads them with, `admin` may also export, delete and read the audit log. ' +
      'Without `auth` the API is open and only binds a loopback address. Every answer is JSON with `cache-control: no-store`; every error is `{ "error": "..." }`, plus `parameter` for a bad parameter. ' +
      'An unknown query parameter is a 400 that names it.',
  },
  servers: [{ url: 'http://127.0.0.1:8686' }],
  paths: {
    '/': {
      get: {
        operationId: 'home',
        summary: 'The sessions UI (HTML). Every other GET outside /api/ that names no file of the UI answers the same page: its client-side routes, such as /sessions/{id}.',
        responses: { '200': { description: 'HTML', content: { 'text/html': { schema: string } } } },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document.',
        responses: { '200': json({ type: 'object' }, 'The OpenAPI 3.1 document.'), '400': response('BadRequest') },
      },
    },
    '/api/sessions': {
      get: {
        operationId: 'listSessions',
        summary: 'Sessions that started in a time range (default: the last 24 hours), filtered, sorted and paged.',
        ...VIEWER.rest,
        parameters: [...FILTERS, param('sort'), param('order'), param('cursor'), param('limit')],
        responses: { '200': json(ref('SessionPage'), 'One page of sessions. Viewers get no `userEmail`/`userName`; the `email` filter needs `analyst`.'), ...VIEWER.errors },
      },
    },
    '/api/sessions/{id}': {
      get: {
        operationId: 'getSession',
        summary: 'One session: its summary, timeline events, spans (browser and backend) and traces, with Jaeger UI links when `jaeger_ui_url` is set.',
        ...VIEWER.rest,
        parameters: [param('sessionId'), param('span_limit')],
        responses: { '200': json(ref('SessionDetail'), 'The session. Viewers get no `userEmail`/`userName` and no `user.email`/`user.name` attributes.'), '404': response('NotFound'), ...VIEWER.errors },
      },
      delete: {
        operationId: 'deleteSession',
        summary: 'Data-subject erasure: deletes the session with its spans, events and trace index entries. Deleting an unknown session deletes nothing and still answers 200.',
        ...ADMIN.rest,
        parameters: [param('sessionId')],
        responses: { '200': json(ref('DeleteCounts'), 'What was deleted.'), ...ADMIN.errors },
      },
    },
    '/api/users/{id}': {
      delete: {
        operationId: 'deleteUser',
        summary: 'Data-subject erasure: deletes every session of one user (by user id or e-mail) with their spans, events and trace index entries.',
        ...ADMIN.rest,
        parameters: [param('userId')],
        responses: { '200': json(ref('DeleteCounts'), 'What was deleted.'), ...ADMIN.errors },
      },
    },
    '/api/users/{id}/export': {
      get: {
        operationId: 'exportUser',
        summary:
          'Data-subject access: every session of one user (by user id or e-mail, as `DELETE /api/users/{id}` matches) with all its events and spans, as one JSON document sent as an attachment.',
        ...ADMIN.rest,
        parameters: [param('userId')],
        responses: { '200': json(ref('UserExport'), 'The export (`Content-Disposition: attachment`).'), ...ADMIN.errors },
      },
    },
    '/api/kpis': {
      get: {
        operationId: 'kpis',
        summary: 'Key figures of the sessions the filters select: totals, a time series, optionally split by a dimension, and users active now.',
        ...VIEWER.rest,
        parameters: [...FILTERS, param('group_by'), param('groupBy'), param('interval')],
        responses: { '200': json(ref('KpiResult'), 'The figures.'), ...VIEWER.errors },
      },
    },
    '/api/me': {
      get: {
        operationId: 'whoAmI',
        summary: 'The holder of the bearer token: name and role. Without `auth` configured: `anonymous`, `admin`, `authRequired: false`.',
        security: [{ bearer: [] }],
        responses: { '200': json(ref('Me'), 'The token holder.'), '400': response('BadRequest'), '401': response('Unauthorized') },
      },
    },
    '/api/audit': {
      get: {
        operationId: 'listAudit',
        summary: 'The audit log, newest first: who listed, viewed, exported or deleted what, when, from where, with what outcome.',
        ...ADMIN.rest,
        parameters: [param('from'), param('to'), param('range'), param('actor'), param('action'), param('cursor'), param('auditLimit')],
        responses: { '200': json(ref('AuditPage'), 'One page of audit entries.'), ...ADMIN.errors },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'A token from `extensions.sessions_api.auth.tokens`; only checked when `auth` is configured.' },
    },
    parameters: {
      actor: filterText('actor', 'Entries of this actor (the token holder\'s configured `name`).'),
      action: { name: 'action', in: 'query', description: 'Entries of this action.', schema: { type: 'string', enum: AUDIT_ACTIONS } },
      auditLimit: {
        name: 'limit',
        in: 'query',
        description: 'Entries per page.',
        schema: { type: 'integer', minimum: LIMIT.min, maximum: LIMIT.max, default: LIMIT.default },
      },
      from: instant('from', 'Start of the time range (inclusive): sessions that started at or after it. Default: 24 hours before `to`.'),
      to: instant('to', 'End of the time range (exclusive). Default: now.'),
      range: {
        name: 'range',
        in: 'query',
        description: 'The time range as a window back from now, instead of `from`/`to`.',
        schema: { type: 'string', enum: Object.keys(RANGES) },
      },
      user: filterText('user', 'Sessions of this user: a user id (`user.hash`, else `user.id`, as the app sent it) or an e-mail; either matches.'),
      email: filterText('email', 'Sessions of the user with this e-mail.'),
      errors: {
        name: 'errors',
        in: 'query',
        description: '`none`: sessions without errors; `any`: with at least one; a whole number N: with more than N.',
        schema: { oneOf: [{ type: 'string', enum: ['none', 'any'] }, { type: 'string', pattern: '^[0-9]+$' }] },
      },
      country: filterText('country', 'Country as the enrich processor recorded it.'),
      city: filterText('city', 'City as the enrich processor recorded it.'),
      browser: filterText('browser', 'Browser name, e.g. `Chrome`.'),
      os: filterText('os', 'Operating system name, e.g. `macOS`.'),
      device: filterText('device', 'Device type, e.g. `desktop`, `mobile`, `tablet`.'),
      min_duration: duration('min_duration', 'Sessions lasting at least this long.'),
      max_duration: duration('max_duration', 'Sessions lasting at most this long.'),
      environment: filterText('environment', 'Deployment environment (`deployment.environment.name`).'),
      version: filterText('version', 'App version (`service.version`).'),
      service: filterText('service', 'Service name (`service.name`) of the browser app.'),
      q: {
        name: 'q',
        in: 'query',
        description: `Free text searched in page URLs, action targets and error messages (case-insensitive substring); trimmed, 1 to ${MAX_Q_LENGTH} characters.`,
        schema: { type: 'string', minLength: 1, maxLength: MAX_Q_LENGTH },
      },
      sort: {
        name: 'sort',
        in: 'query',
        description: 'Sort key. `user`: by e-mail, else name, else user id (for viewers: by user id); `location`: by country code, then city; text sorts put missing values first in ascending order.',
        schema: { type: 'string', enum: SORTS, default: 'start' },
      },
      order: { name: 'order', in: 'query', description: 'Sort direction.', schema: { type: 'string', enum: ORDERS, default: 'desc' } },
      cursor: {
        name: 'cursor',
        in: 'query',
        description: 'The `nextCursor` of the previous page, with the same filters and sort; an invalid cursor is a 400 naming `cursor`.',
        schema: { type: 'string', minLength: 1, maxLength: MAX_CURSOR_LENGTH },
      },
      limit: {
        name: 'limit',
        in: 'query',
        description: 'Sessions per page.',
        schema: { type: 'integer', minimum: LIMIT.min, maximum: LIMIT.max, default: LIMIT.default },
      },
      group_by: {
        name: 'group_by',
        in: 'query',
        description: 'Split the totals by a dimension (its 20 most frequent values) into `groups`.',
        schema: { type: 'string', enum: Object.keys(GROUP_BY) },
      },
      groupBy: {
        name: 'groupBy',
        in: 'query',
        description: 'The same as `group_by` (give one of them).',
        schema: { type: 'string', enum: Object.keys(GROUP_BY) },
      },
      interval: {
        name: 'interval',
        in: 'query',
        description: 'Bucket size of `series`. Default: `hour` for ranges up to 2 days, else `day`.',
        schema: { type: 'string', enum: INTERVALS },
      },
      span_limit: {
        name: 'span_limit',
        in: 'query',
        description: 'At most this many spans (the earliest); the rest are counted in `spansOmitted`. Default: the store\'s.',
        schema: { type: 'integer', minimum: SPAN_LIMIT.min, maximum: SPAN_LIMIT.max },
      },
      sessionId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'The session id (`session.id`).',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:~-]{1,128}$' },
      },
      userId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'A user id (`user.hash`/`user.id`) or e-mail, URL-encoded.',
        schema: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH },
      },
    },
    responses: {
      Unauthorized: json(ref('Error'), 'No bearer token, or not a configured one (with `WWW-Authenticate: Bearer`).'),
      Forbidden: json(ref('Error'), 'The token\'s role is not enough; `requiredRole` names the one needed.'),
      BadRequest: json(ref('Error'), 'A bad parameter: `error` says what is allowed, `parameter` names it.'),
      NotFound: json(ref('Error'), 'No session with this id.'),
      StoreUnavailable: json(
        ref('Error'),
        'The session store cannot answer: not open yet (with `Retry-After`), or `extensions.sessions_api.store` names no running sessionstore exporter.',
      ),
      InternalError: json(ref('Error'), 'The store failed; the collector log has the details.'),
    },
    schemas: {
      Me: {
        type: 'object',
        required: ['name', 'role', 'authRequired'],
        properties: {
          name: { ...string, description: 'The token holder\'s configured `name`.' },
          role: { type: 'string', enum: ['viewer', 'analyst', 'admin'] },
          authRequired: { type: 'boolean', description: 'False when the API runs without `auth` (loopback only).' },
        },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: string, parameter: { type: 'string', description: 'The bad parameter (400 only).' } },
      },
      SessionSummary: {
        type: 'object',
        properties: {
          sessionId: string,
          startMs: ms('Start, ms since the epoch.'),
          start: { type: 'string', format: 'date-time', description: 'The start in ISO 8601 (UTC).' },
          lastActivityMs: ms('Last activity, ms since the epoch.'),
          durationMs: integer,
          ended: { type: 'boolean', description: 'Ended by `session.end`, or by the collector after the inactivity timeout.' },
          pageViews: integer,
          userActions: integer,
          errors: integer,
          apiCalls: integer,
          userId: { ...nullableString, description: '`user.hash` (or `user.id`) as the app sent it.' },
          userName: nullableString,
          userEmail: nullableString,
          service: nullableString,
          environment: nullableString,
          appVersion: nullableString,
          browser: nullableString,
          browserVersion: nullableString,
          os: nullableString,
          osVersion: nullableString,
          deviceType: nullableString,
          screen: nullableString,
          viewport: nullableString,
          connectionType: nullableString,
          effectiveType: nullableString,
          country: nullableString,
          region: nullableString,
          city: nullableString,
          entryUrl: nullableString,
          exitUrl: nullableString,
          lcpMs: { ...nullableNumber, description: 'Worst Largest Contentful Paint of the session.' },
          inpMs: { ...nullableNumber, description: 'Worst Interaction to Next Paint.' },
          cls: { ...nullableNumber, description: 'Worst Cumulative Layout Shift (unitless).' },
          fcpMs: nullableNumber,
          ttfbMs: nullableNumber,
        },
      },
      SessionPage: {
        type: 'object',
        required: ['sessions', 'nextCursor'],
        properties: {
          sessions: { type: 'array', items: ref('SessionSummary') },
          nextCursor: { ...nullableString, description: 'Pass as `cursor` for the next page; null on the last page.' },
        },
      },
      TimelineEvent: {
        type: 'object',
        properties: {
          timeMs: integer,
          name: { type: 'string', description: 'Event name: `browser.page_view`, `browser.user_action`, `exception`, `session.start`…' },
          traceId: nullableString,
          spanId: nullableString,
          severity: integer,
          text: { ...nullableString, description: 'Page URL, action target or error message.' },
          value: { ...nullableNumber, description: "A web vital's value." },
          attributes: { type: 'object' },
        },
      },
      StoredSpan: {
        type: 'object',
        properties: {
          traceId: string,
          spanId: string,
          parentSpanId: nullableString,
          service: string,
          name: string,
          kind: { type: 'integer', description: 'OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.' },
          startMs: integer,
          durationMs: { type: 'number' },
          statusCode: { type: 'integer', description: 'OTLP status code: 0 unset, 1 ok, 2 error.' },
          httpMethod: nullableString,
          httpStatus: { type: ['integer', 'null'] },
          url: nullableString,
          stitched: { type: 'boolean', description: 'session.id was stamped by the session_stitch processor.' },
          attributes: { type: 'object' },
        },
      },
      TraceSummary: {
        type: 'object',
        properties: {
          traceId: string,
          startMs: integer,
          durationMs: { type: 'number' },
          spanCount: integer,
          errorCount: integer,
          services: { type: 'array', items: string },
          rootName: { type: 'string', description: "Name of the trace's earliest span." },
          jaegerUrl: { type: 'string', description: 'The trace in Jaeger UI; only when `jaeger_ui_url` is set.' },
        },
      },
      SessionDetail: {
        type: 'object',
        required: ['session', 'events', 'spans', 'spansOmitted', 'traces'],
        properties: {
          session: ref('SessionSummary'),
          events: { type: 'array', items: ref('TimelineEvent'), description: 'In time order.' },
          spans: { type: 'array', items: ref('StoredSpan'), description: 'In time order, at most `span_limit`.' },
          spansOmitted: integer,
          traces: { type: 'array', items: ref('TraceSummary'), description: 'Every trace of the session, frontend and backend, in time order.' },
          jaeger: {
            type: 'object',
            description: 'Only when `jaeger_ui_url` is set.',
            properties: {
              allTracesUrl: {
                ...nullableString,
                description: `Jaeger UI's search page listing the session's traces (\`/search?traceID=…&traceID=…\`), the first ${MAX_TRACES_IN_SEARCH_URL} of them; null without traces.`,
              },
              tracesInUrl: integer,
              sessionSearchUrl: {
                ...nullableString,
                description: 'Jaeger UI\'s tag search for the whole session: `/search?service=<browser service>&tags={"session.id":"…"}` around the session\'s time; null when no service is known.',
              },
            },
          },
        },
      },
      KpiFigures: { type: 'object', properties: figures },
      KpiResult: {
        type: 'object',
        properties: {
          fromMs: integer,
          toMs: integer,
          totals: ref('KpiFigures'),
          activeUsersNow: { type: 'integer', description: 'Distinct users (anonymous sessions count one each) active in the last 5 minutes.' },
          interval: { type: 'string', enum: INTERVALS },
          series: {
            type: 'array',
            description: 'One bucket per interval that has sessions, in time order.',
            items: { type: 'object', properties: { ...figures, bucketStartMs: integer } },
          },
          groups: {
            type: 'array',
            description: 'Only with `group_by`: one entry per value (null: not recorded).',
            items: { type: 'object', properties: { ...figures, key: nullableString } },
          },
        },
      },
      AuditEntry: {
        type: 'object',
        properties: {
          id: integer,
          timeMs: integer,
          time: { type: 'string', format: 'date-time' },
          actor: { type: 'string', description: 'The token holder\'s configured name; `anonymous` without auth. Never the token.' },
          role: string,
          action: { type: 'string', enum: AUDIT_ACTIONS },
          target: { ...nullableString, description: 'Session or user id acted on; an e-mail as `email-sha256:<16 hex>`.' },
          parameters: { type: 'object', description: 'The query parameters as given; `email` and e-mail-like values are `[redacted]`.' },
          clientAddress: nullableString,
          userAgent: nullableString,
          status: { type: 'integer', description: 'The HTTP status answered (refusals are recorded too).' },
        },
      },
      AuditPage: {
        type: 'object',
        required: ['entries', 'nextCursor'],
        properties: { entries: { type: 'array', items: ref('AuditEntry') }, nextCursor: nullableString },
      },
      UserExport: {
        type: 'object',
        required: ['userId', 'exportedAt', 'sessions'],
        properties: {
          userId: string,
          exportedAt: { type: 'string', format: 'date-time' },
          sessions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                session: ref('SessionSummary'),
                events: { type: 'array', items: ref('TimelineEvent') },
                spans: { type: 'array', items: ref('StoredSpan') },
              },
            },
          },
        },
      },
      DeleteCounts: {
        type: 'object',
        properties: { sessions: integer, spans: integer, events: integer, traceIndexEntries: integer },
      },
    },
  },
} as const;
