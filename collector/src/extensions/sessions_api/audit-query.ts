// GET /api/audit's query string → the store's AuditQuery.
import type { AuditAction, AuditQuery } from '../../store/types.js';
import { parseChoice, parseInteger, parseText } from './param-values.js';
import { QueryParameterError } from './query-error.js';
import { LIMIT, MAX_CURSOR_LENGTH, parseTimeRange, rejectUnknownParameters } from './query-params.js';

export const AUDIT_ACTIONS = ['session.list', 'session.view', 'kpi.view', 'user.export', 'session.delete', 'user.delete', 'audit.view'] as const satisfies readonly AuditAction[];
export const AUDIT_PARAMETERS: readonly string[] = ['from', 'to', 'range', 'actor', 'action', 'limit', 'cursor'];

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new QueryParameterError(name, `${name} is given ${values.length} times; give it once`);
  return values[0];
}

export function parseAuditQuery(params: URLSearchParams, nowMs: number): AuditQuery {
  rejectUnknownParameters(params, AUDIT_PARAMETERS, 'GET /api/audit');
  const query: AuditQuery = { ...parseTimeRange(params, nowMs), limit: LIMIT.default };
  const actor = single(params, 'actor');
  const action = single(params, 'action');
  const limit = single(params, 'limit');
  const cursor = single(params, 'cursor');
  if (actor !== undefined) query.actor = parseText('actor', actor);
  if (action !== undefined) query.action = parseChoice('action', action, AUDIT_ACTIONS);
  if (limit !== undefined) query.limit = parseInteger('limit', limit, LIMIT.min, LIMIT.max);
  if (cursor !== undefined) query.cursor = parseText('cursor', cursor, MAX_CURSOR_LENGTH);
  return query;
}
