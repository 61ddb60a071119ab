import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Every row of every table of a DuckDB file, as one JSON text per table: what "appears in the
 * store" means for the privacy tests. BLOB columns (trace and span ids) are written as lower-case
 * hex, as ids are written everywhere else. The collector must have closed the file (DuckDB allows
 * one writing process).
 */
export async function dumpDuckDb(path: string): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (await connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1")).getRowObjectsJson();
    const dump: Record<string, string> = {};
    for (const { table_name } of tables) {
      const columns = (
        await connection.runAndReadAll('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position', [String(table_name)])
      ).getRowObjectsJson();
      const projection = columns.map(({ column_name, data_type }) => (data_type === 'BLOB' ? `lower(hex("${String(column_name)}")) AS "${String(column_name)}"` : `"${String(column_name)}"`));
      const rows = (await connection.runAndReadAll(`SELECT ${projection.join(', ')} FROM "${String(table_name)}"`)).getRowObjectsJson();
      dump[String(table_name)] = JSON.stringify(rows);
    }
    return dump;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
