import { duration, z } from '@stitch/collector-api';

export const sessionStoreExporterConfigSchema = z.strictObject({
  /** The embedded DuckDB file; parent directories are created. `:memory:` keeps nothing on disk. */
  path: z.string().min(1).default('./data/sessions.duckdb'),
  /** Sessions, spans and events older than this are deleted (checked hourly and at start). */
  retention: duration().default(30 * 86_400_000),
  /** A session with no activity for this long is marked ended by the collector. */
  inactivity_timeout: duration().default(15 * 60_000),
  /** How often written data is folded into the session rows the query API reads. */
  refresh_interval: duration().default(500),
  /** DuckDB's memory limit in MiB (its cache lives in the collector's process). */
  memory_limit_mib: z.number().int().min(64).default(512),
  /** Store the resource's `client.address` (as the enrich processor left it) on the session row. Off: no IP is stored. */
  store_client_address: z.boolean().default(false),
});

export type SessionStoreExporterConfig = z.output<typeof sessionStoreExporterConfigSchema>;
