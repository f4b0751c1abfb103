import { InputError } from '../errors.js';
import type { SqlEngine, SqlRow } from './engine.js';

/** The part of a `pg` `Client` or `Pool` promolens uses. */
export interface PostgresClient {
  query(sql: string): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
}

/**
 * A PostgreSQL engine on the host's `pg` client or pool (connected; the
 * host owns and closes it). Portable: it only calls `client.query`, so any
 * client with that shape (pg, a pool, a proxy) works. 64-bit integers come
 * back from pg as text; promolens casts every statistic to double in SQL.
 *
 * @throws InputError `invalid_option` when `client` has no `query` method
 * @example
 * const engine = postgresEngine({ query: async () => ({ rows: [{ one: 1 }] }) });
 * engine.dialect; // => 'postgres'
 */
export function postgresEngine(client: PostgresClient): SqlEngine {
  if (client === null || typeof client !== 'object' || typeof client.query !== 'function') {
    throw new InputError('invalid_option', 'client', 'postgresEngine needs a connected pg Client or Pool (an object with query(sql))');
  }
  return {
    dialect: 'postgres',
    async query(sql: string): Promise<readonly SqlRow[]> {
      const result = await client.query(sql);
      return result.rows;
    },
  };
}
