// Data-subject access: every session of one user with its events and spans, as the detail shows them.
import type { DuckDBConnection } from '@duckdb/node-api';
import { sessionDetail } from './queries.js';
import type { UserExport } from './types.js';

export async function exportUser(connection: DuckDBConnection, userId: string, nowMs: number): Promise<UserExport> {
  // The same match as erasure (deleteSessions): by user id or by e-mail.
  const rows = (
    await connection.runAndReadAll('SELECT session_id FROM sessions WHERE user_id = ? OR user_email = ? ORDER BY start_ms, session_id', [userId, userId])
  ).getRowObjectsJS();
  const sessions: UserExport['sessions'] = [];
  for (const row of rows) {
    // No span limit: an access request gets everything.
    const detail = await sessionDetail(connection, String(row.session_id), Number.MAX_SAFE_INTEGER);
    if (detail) sessions.push({ session: detail.session, events: detail.events, spans: detail.spans });
  }
  return { userId, exportedAt: new Date(nowMs).toISOString(), sessions };
}
