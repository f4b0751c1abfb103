import { type DuckdbEngine, duckdbEngine } from 'promolens/node';
import { type SqlEngine, postgresEngine } from 'promolens/sql';

/**
 * The engines the SQL tests run on: embedded DuckDB, and the PostgreSQL
 * server at PROMOLENS_PG_URL (`.ci/run` starts it). With CI=true an engine
 * that cannot be reached fails the tests instead of skipping them.
 */
export const PG_URL = process.env.PROMOLENS_PG_URL ?? 'postgres://postgres@127.0.0.1:55432/promolens_test';
export const inCi = process.env.CI === 'true';

export interface TestEngine {
  readonly name: 'duckdb' | 'postgres';
  readonly engine: SqlEngine;
  close(): Promise<void>;
}

export async function openDuckdb(): Promise<TestEngine> {
  const engine: DuckdbEngine = await duckdbEngine({ memoryLimit: '512MB', threads: 1 });
  return { name: 'duckdb', engine, close: async () => engine.close() };
}

export async function openPostgres(): Promise<TestEngine | null> {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: PG_URL });
  try {
    await client.connect();
  } catch (error) {
    if (inCi) throw new Error(`PostgreSQL at ${PG_URL} is required in CI: ${String(error)}`);
    return null;
  }
  return { name: 'postgres', engine: postgresEngine(client), close: async () => client.end() };
}

/** Column types of a test table. */
export type ColumnType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'TEXT';

function sqlType(engine: 'duckdb' | 'postgres', type: ColumnType): string {
  if (type === 'DOUBLE') return engine === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
  if (type === 'TEXT') return engine === 'postgres' ? 'TEXT' : 'VARCHAR';
  return type;
}

function literal(value: unknown): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toExponential();
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Creates `table` (replacing it) and inserts the rows, 500 per statement. */
export async function loadTable(test: TestEngine, table: string, columns: Readonly<Record<string, ColumnType>>, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
  const names = Object.keys(columns);
  await test.engine.query(`DROP TABLE IF EXISTS "${table}"`);
  await test.engine.query(`CREATE TABLE "${table}" (${names.map((n) => `"${n}" ${sqlType(test.name, columns[n] as ColumnType)}`).join(', ')})`);
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    await test.engine.query(`INSERT INTO "${table}" VALUES ${chunk.map((row) => `(${names.map((n) => literal(row[n])).join(', ')})`).join(', ')}`);
  }
}
