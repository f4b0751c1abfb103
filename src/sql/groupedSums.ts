import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

/** One SELECT of sums, optionally grouped. @internal */
export interface SumsRequest {
  /** Group keys: alias → SQL expression (cast to text so every engine returns strings). */
  readonly groupBy?: Readonly<Record<string, string>>;
  /** Aggregates: alias → SQL aggregate expression (cast to double). */
  readonly aggregates: Readonly<Record<string, string>>;
  readonly where?: string;
}

/** The grouped result: group key texts (null for NULL) and aggregate numbers. @internal */
export interface SumsRow {
  readonly keys: Readonly<Record<string, string | null>>;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * The SQL of one aggregate SELECT over the source: short generated aliases
 * (g0…, a0…) so any key or statistic name is safe. @internal
 */
export function sumsSql(engine: SqlEngine, source: SqlSource, request: SumsRequest): string {
  const dialect = engineDialect(engine);
  const groups = Object.values(request.groupBy ?? {});
  const aggregates = Object.values(request.aggregates);
  const select = [
    ...groups.map((expression, k) => `${dialect.text(expression)} AS ${dialect.identifier(`g${k}`)}`),
    ...aggregates.map((expression, k) => `${dialect.double(expression)} AS ${dialect.identifier(`a${k}`)}`),
  ];
  const lines = [`SELECT ${select.join(',\n  ')}`, `FROM ${fromClause(dialect, source)}`];
  if (request.where !== undefined) lines.push(`WHERE ${request.where}`);
  if (groups.length > 0) lines.push(`GROUP BY ${groups.map((_, k) => String(k + 1)).join(', ')}`);
  return lines.join('\n');
}

/** Runs {@link sumsSql} and names the results. @internal */
export async function groupedSums(engine: SqlEngine, source: SqlSource, request: SumsRequest): Promise<SumsRow[]> {
  const dialect = engineDialect(engine);
  const groupNames = Object.keys(request.groupBy ?? {});
  const aggregateNames = Object.keys(request.aggregates);
  const rows = await engine.query(sumsSql(engine, source, request));
  return rows.map((row) => {
    const keys: Record<string, string | null> = {};
    groupNames.forEach((name, k) => {
      const value = pick(row, `g${k}`, dialect.name);
      keys[name] = value === null || value === undefined ? null : String(value);
    });
    const values: Record<string, number> = {};
    aggregateNames.forEach((name, k) => {
      const value = numberOf(pick(row, `a${k}`, dialect.name), name);
      // SUM over no rows is NULL: an empty sum is 0.
      values[name] = Number.isNaN(value) ? 0 : value;
    });
    return { keys, values };
  });
}

/** A row's cell by alias; Snowflake upper-cases unquoted aliases, so look both ways. */
function pick(row: Readonly<Record<string, unknown>>, alias: string, _dialect: string): unknown {
  if (alias in row) return row[alias];
  const upper = alias.toUpperCase();
  return upper in row ? row[upper] : undefined;
}
