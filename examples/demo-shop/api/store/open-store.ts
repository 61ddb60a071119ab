// The store is SQLite through knex, and knex is the only way the API touches it: the OpenTelemetry
// knex instrumentation then gives every query a DB span.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knex from 'knex';
import type { Knex } from 'knex';
import { seed } from './catalogue.js';
import { createSchema } from './schema.js';

/** Opens (creating the file, tables and seed data when missing) the store at `dbFile` or ':memory:'. */
export async function openStore(dbFile: string): Promise<Knex> {
  if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: dbFile },
    useNullAsDefault: true,
    // One connection: SQLite serialises writes anyway, and a ':memory:' database exists only on
    // the connection that created it (min 1 keeps it from being reaped when idle).
    pool: { min: 1, max: 1 },
  });
  try {
    await createSchema(db);
    await seed(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
