// The session store's tables and their forward-only migrations. DuckDB keeps no keys or indexes
// here on purpose: the `store` benchmark (bench/README.md) measured idempotent inserts against ART
// indexes 4–8× slower than the staging anti-join the write path uses, and every checkpoint
// rewrites an ART index whole. Tables are appended in time order, so min/max zone maps prune.
import type { DuckDBConnection } from '@duckdb/node-api';

/** `sessions` columns: name, SQL type, and the field of `SessionSummary` it holds. */
export const SESSION_COLUMNS = [
  ['session_id', 'VARCHAR NOT NULL', 'sessionId'],
  ['start_ms', 'BIGINT NOT NULL', 'startMs'],
  ['last_activity_ms', 'BIGINT NOT NULL', 'lastActivityMs'],
  ['duration_ms', 'BIGINT NOT NULL', 'durationMs'],
  ['ended', 'BOOLEAN NOT NULL', 'ended'],
  ['page_views', 'INTEGER NOT NULL', 'pageViews'],
  ['user_actions', 'INTEGER NOT NULL', 'userActions'],
  ['errors', 'INTEGER NOT NULL', 'errors'],
  ['api_calls', 'INTEGER NOT NULL', 'apiCalls'],
  ['user_id', 'VARCHAR', 'userId'],
  ['user_name', 'VARCHAR', 'userName'],
  ['user_email', 'VARCHAR', 'userEmail'],
  ['service', 'VARCHAR', 'service'],
  ['environment', 'VARCHAR', 'environment'],
  ['app_version', 'VARCHAR', 'appVersion'],
  ['browser', 'VARCHAR', 'browser'],
  ['browser_version', 'VARCHAR', 'browserVersion'],
  ['os', 'VARCHAR', 'os'],
  ['os_version', 'VARCHAR', 'osVersion'],
  ['device_type', 'VARCHAR', 'deviceType'],
  ['screen', 'VARCHAR', 'screen'],
  ['viewport', 'VARCHAR', 'viewport'],
  ['connection_type', 'VARCHAR', 'connectionType'],
  ['effective_type', 'VARCHAR', 'effectiveType'],
  ['country', 'VARCHAR', 'country'],
  ['region', 'VARCHAR', 'region'],
  ['city', 'VARCHAR', 'city'],
  ['client_address', 'VARCHAR', 'clientAddress'],
  ['entry_url', 'VARCHAR', 'entryUrl'],
  ['exit_url', 'VARCHAR', 'exitUrl'],
  ['lcp_ms', 'DOUBLE', 'lcpMs'],
  ['inp_ms', 'DOUBLE', 'inpMs'],
  ['cls', 'DOUBLE', 'cls'],
  ['fcp_ms', 'DOUBLE', 'fcpMs'],
  ['ttfb_ms', 'DOUBLE', 'ttfbMs'],
] as const;

export type SessionColumn = (typeof SESSION_COLUMNS)[number][0];
export type SessionField = (typeof SESSION_COLUMNS)[number][2];

const sessionColumnsDdl = (nullable: boolean) =>
  SESSION_COLUMNS.map(([name, type]) => `${name} ${nullable && name !== 'session_id' ? type.replace(' NOT NULL', '') : type}`).join(', ');

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Forward-only. A store opened by an older Stitch is migrated on open; a newer schema is refused. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions, session deltas, spans, log events, trace → session index',
    sql: `
      CREATE TABLE sessions (${sessionColumnsDdl(false)});
      -- What each write changed in a session, folded into sessions every refresh_interval.
      CREATE TABLE session_deltas (${sessionColumnsDdl(true)});
      CREATE TABLE spans (
        trace_id BLOB NOT NULL, span_id BLOB NOT NULL, parent_span_id BLOB, session_id VARCHAR NOT NULL,
        service VARCHAR NOT NULL, name VARCHAR NOT NULL, kind TINYINT NOT NULL,
        start_us BIGINT NOT NULL, duration_us BIGINT NOT NULL, status_code TINYINT NOT NULL,
        http_method VARCHAR, http_status SMALLINT, url VARCHAR, stitched BOOLEAN NOT NULL, attributes VARCHAR NOT NULL
      );
      CREATE TABLE log_events (
        event_key BIGINT NOT NULL, session_id VARCHAR NOT NULL, time_us BIGINT NOT NULL, name VARCHAR NOT NULL,
        trace_id BLOB, span_id BLOB, severity TINYINT NOT NULL, text VARCHAR, value DOUBLE, attributes VARCHAR NOT NULL
      );
      CREATE TABLE trace_session (trace_id BLOB NOT NULL, session_id VARCHAR NOT NULL, first_us BIGINT NOT NULL);`,
  },
  {
    version: 2,
    description: 'audit log of the query API',
    // Append-only: nothing in Stitch updates or deletes these rows (not retention, not erasure),
    // so the record of who read what outlives the data read. `parameters` is JSON, e-mails redacted.
    sql: `
      CREATE SEQUENCE audit_log_id START 1;
      CREATE TABLE audit_log (
        id BIGINT NOT NULL DEFAULT nextval('audit_log_id'), time_ms BIGINT NOT NULL, actor VARCHAR NOT NULL, role VARCHAR NOT NULL,
        action VARCHAR NOT NULL, target VARCHAR, parameters VARCHAR NOT NULL, client_address VARCHAR, user_agent VARCHAR, status SMALLINT NOT NULL
      );`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

export async function schemaVersion(connection: DuckDBConnection): Promise<number> {
  await connection.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, description VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)');
  const rows = (await connection.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_version')).getRowObjectsJS();
  return Number(rows[0]?.v ?? 0);
}

/** Applies the migrations after the stored version, each in its own transaction; returns what ran. */
export async function migrate(connection: DuckDBConnection, path: string): Promise<{ from: number; to: number }> {
  const from = await schemaVersion(connection);
  if (from > LATEST_SCHEMA_VERSION) {
    throw new Error(`session store ${path} has schema version ${from}, newer than this Stitch understands (${LATEST_SCHEMA_VERSION}): upgrade Stitch or point the sessionstore exporter's path elsewhere`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    await connection.run(
      `BEGIN TRANSACTION; ${migration.sql}; INSERT INTO schema_version (version, description) VALUES (${migration.version}, '${migration.description.replace(/'/g, "''")}'); COMMIT;`,
    );
  }
  return { from, to: LATEST_SCHEMA_VERSION };
}
