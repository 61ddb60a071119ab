// Audit of the query API: after each audited request, one row in the store's append-only
// `audit_log` (through its write queue, not awaited: reads are not slowed) and one JSON log line
// with `audit: true`. Never a token; e-mails only as a hash.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '@stitch/collector-api';
import type { AuditAction, AuditEntry, SessionStoreReader } from '../../store/types.js';

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
export const REDACTED = '[redacted]';

/** An e-mail as a stable pseudonym: an auditor can still match requests about the same person. */
export function pseudonym(value: string): string {
  return EMAIL.test(value) ? `email-sha256:${createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 16)}` : value;
}

/** The query parameters as given, but `email` and any e-mail-like value redacted. */
export function auditParameters(query: URLSearchParams): AuditEntry['parameters'] {
  const out: AuditEntry['parameters'] = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name).map((v) => (name === 'email' || EMAIL.test(v) ? REDACTED : v.slice(0, 256)));
    out[name] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

function queryOf(request: Request): URLSearchParams {
  const index = request.originalUrl.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : request.originalUrl.slice(index + 1));
}

export interface AuditDeps {
  store(): SessionStoreReader;
  logger: Logger;
  now: () => number;
}

/**
 * Records `action` once the answer is sent, with its status (so refusals are on record too).
 * Runs after `authenticate`: the actor is known.
 */
export function audited(deps: AuditDeps, action: AuditAction, targetParameter?: string): RequestHandler {
  return (request, response, next) => {
    response.once('finish', () => {
      const target = targetParameter ? String(request.params[targetParameter] ?? '') : '';
      const entry: AuditEntry = {
        timeMs: deps.now(),
        actor: request.actor?.name ?? 'unknown',
        role: request.actor?.role ?? 'none',
        action,
        target: target === '' ? null : pseudonym(target.slice(0, 256)),
        parameters: auditParameters(queryOf(request)),
        clientAddress: request.socket.remoteAddress ?? null,
        userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
        status: response.statusCode,
      };
      deps.logger.info({ audit: true, ...entry, time: new Date(entry.timeMs).toISOString() }, 'audit');
      try {
        deps.store().appendAudit(entry).catch((error: unknown) => deps.logger.error({ err: error, action }, 'audit log: could not store an entry'));
      } catch (error) {
        // No store (503 answered): the log line above is the record.
        deps.logger.error({ err: error, action }, 'audit log: could not store an entry');
      }
    });
    next();
  };
}
