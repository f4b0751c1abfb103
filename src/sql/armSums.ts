import { InputError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { type SqlEngine, type SqlSource, engineDialect } from './engine.js';
import { groupedSums } from './groupedSums.js';

/**
 * Sufficient statistics of one outcome in one arm (and group): the rows, Σy,
 * Σy², and with a pre-period covariate x also Σx, Σx² and Σxy — everything
 * Welch's test, the two-proportion test and CUPED need.
 */
export interface ArmSums {
  readonly arm: string;
  /** The group's key texts (segment level, …), empty without grouping. */
  readonly group: Readonly<Record<string, string | null>>;
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
  /** Rows where the outcome is NULL (left out of the sums). */
  readonly missing: number;
  /** Rows whose outcome is neither 0 nor 1 (a binary outcome must have none). */
  readonly nonBinary: number;
  readonly sumPre: number | null;
  readonly sumPreSquares: number | null;
  readonly sumCross: number | null;
}

export interface ArmSumsOptions {
  /** Treatment column. */
  readonly treatment: string;
  /** Outcome column. */
  readonly outcome: string;
  /** Pre-period column for CUPED. */
  readonly preperiod?: string;
  /** Group columns (segments): one set of sums per level combination and arm. */
  readonly groupBy?: readonly string[];
  /** An extra SQL condition on the rows. */
  readonly where?: string;
}

/** A SQL condition true when `column` is not NULL. @internal */
export function present(dialect: Dialect, column: string): string {
  return `${dialect.identifier(column)} IS NOT NULL`;
}

/**
 * Per-arm (and per-group) sums of an outcome, computed in the engine by one
 * GROUP BY: the mergeable sufficient statistics GrowthBook's engine uses.
 * Rows with a NULL outcome (or, with a pre-period, a NULL pre-period) are
 * counted in `missing` and left out of the sums. O(n) in the engine, one
 * row per arm × group back.
 *
 * @throws InputError `invalid_option` for a bad engine or source
 */
export async function armSumsSql(engine: SqlEngine, source: SqlSource, options: ArmSumsOptions): Promise<ArmSums[]> {
  const d = engineDialect(engine);
  const y = d.double(d.identifier(options.outcome));
  const keep = options.preperiod === undefined ? present(d, options.outcome) : `${present(d, options.outcome)} AND ${present(d, options.preperiod)}`;
  const when = (expression: string) => `SUM(CASE WHEN ${keep} THEN ${expression} ELSE 0 END)`;
  const aggregates: Record<string, string> = {
    n: when('1'),
    sum: when(y),
    sumSquares: when(`${y} * ${y}`),
    missing: `SUM(CASE WHEN ${keep} THEN 0 ELSE 1 END)`,
    nonBinary: when(`CASE WHEN ${y} = 0 OR ${y} = 1 THEN 0 ELSE 1 END`),
  };
  if (options.preperiod !== undefined) {
    const x = d.double(d.identifier(options.preperiod));
    aggregates.sumPre = when(x);
    aggregates.sumPreSquares = when(`${x} * ${x}`);
    aggregates.sumCross = when(`${x} * ${y}`);
  }
  const groupBy: Record<string, string> = { arm: d.identifier(options.treatment) };
  for (const column of options.groupBy ?? []) {
    if (column === 'arm') throw new InputError('invalid_option', 'groupBy', "a group column may not be named 'arm'");
    groupBy[column] = d.identifier(column);
  }
  const rows = await groupedSums(engine, source, { groupBy, aggregates, ...(options.where === undefined ? {} : { where: options.where }) });
  return rows
    .map(({ keys, values }) => {
      const group: Record<string, string | null> = {};
      for (const column of options.groupBy ?? []) group[column] = keys[column] ?? null;
      return {
        arm: keys.arm ?? '',
        armIsNull: keys.arm === null,
        group,
        n: values.n as number,
        sum: values.sum as number,
        sumSquares: values.sumSquares as number,
        missing: values.missing as number,
        nonBinary: values.nonBinary as number,
        sumPre: options.preperiod === undefined ? null : (values.sumPre as number),
        sumPreSquares: options.preperiod === undefined ? null : (values.sumPreSquares as number),
        sumCross: options.preperiod === undefined ? null : (values.sumCross as number),
      };
    })
    .filter((row) => {
      if (row.armIsNull) throw new InputError('not_finite', options.treatment, `'${options.treatment}' is missing (NULL) in ${row.n + row.missing} row(s)`);
      return true;
    })
    .map(({ armIsNull: _, ...row }) => row);
}
