// SQL of the append-only audit log (table `audit_log`, schema migration 2).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { StoreQueryError, type AuditEntry, type AuditPage, type AuditQuery, type AuditRecord } from './types.js';

export async function insertAudit(connection: DuckDBConnection, e: AuditEntry): Promise<void> {
  await connection.run(
    'INSERT INTO audit_log (time_ms, actor, role, action, target, parameters, client_address, user_agent, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [e.timeMs, e.actor, e.role, e.action, e.target, JSON.stringify(e.parameters), e.clientAddress, e.userAgent, e.status],
  );
}

const encodeCursor = (id: number) => Buffer.from(String(id)).toString('base64url');

function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(id) || id < 1) throw new StoreQueryError('cursor', 'cursor is not one this API returned: pass nextCursor from the previous page unchanged');
  return id;
}

const parseParameters = (text: unknown): AuditRecord['parameters'] => {
  try {
    return JSON.parse(String(text)) as AuditRecord['parameters'];
  } catch {
    return {};
  }
};

export async function selectAudit(connection: DuckDBConnection, q: AuditQuery): Promise<AuditPage> {
  const where = ['time_ms >= ?', 'time_ms < ?'];
  const params: DuckDBValue[] = [q.fromMs, q.toMs];
  if (q.actor !== undefined) {
    where.push('actor = ?');
    params.push(q.actor);
  }
  if (q.action !== undefined) {
    where.push('action = ?');
    params.push(q.action);
  }
  if (q.cursor !== undefined) {
    where.push('id < ?');
    params.push(decodeCursor(q.cursor));
  }
  // Ids grow with time (one writer, one sequence), so id order is time order and a stable key.
  const rows = (
    await connection.runAndReadAll(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${q.limit + 1}`, params)
  ).getRowObjectsJS();
  const entries: AuditRecord[] = rows.slice(0, q.limit).map((r) => ({
    id: Number(r.id),
    timeMs: Number(r.time_ms),
    time: new Date(Number(r.time_ms)).toISOString(),
    actor: String(r.actor),
    role: String(r.role),
    action: String(r.action) as AuditRecord['action'],
    target: (r.target as string | null) ?? null,
    parameters: parseParameters(r.parameters),
    clientAddress: (r.client_address as string | null) ?? null,
    userAgent: (r.user_agent as string | null) ?? null,
    status: Number(r.status),
  }));
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
}
