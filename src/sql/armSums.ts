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
  /** Rows where the outcome (or its pre-period) is NULL, left out of the sums. */
  readonly missing: number;
  /** Rows whose outcome is neither 0 nor 1 (counted for binary outcomes only; 0 otherwise). */
  readonly nonBinary: number;
  readonly sumPre: number | null;
  readonly sumPreSquares: number | null;
  readonly sumCross: number | null;
  /** Rows above the outcome's cap (brought down to it in the sums); absent without a cap. */
  readonly capped?: number;
}

export interface ArmSumsOptions {
  /** Treatment column. */
  readonly treatment: string;
  /** Outcome column. */
  readonly outcome: string;
  /** Pre-period column for CUPED. */
  readonly preperiod?: string;
  /** Count the rows whose outcome is neither 0 nor 1 (`nonBinary`). Default false. */
  readonly binary?: boolean;
  /** Group columns (segments): one set of sums per level combination and arm. */
  readonly groupBy?: readonly string[];
  /** An extra SQL condition on the rows. */
  readonly where?: string;
}

/** One outcome of {@link outcomeSumsSql}. @internal */
export interface OutcomeRequest {
  readonly column: string;
  readonly preperiod?: string;
  readonly binary?: boolean;
  /** An upper cap: values above it count as it (`capValues`), and the rows above it are counted (`capped`). */
  readonly cap?: number;
}

/** The aggregates of one outcome, aliased `<prefix>…`: SUM and COUNT skip NULLs, so no CASE is needed. */
function outcomeAggregates(d: Dialect, o: OutcomeRequest, prefix: string, aggregates: Record<string, string>): void {
  const value = d.double(d.identifier(o.column));
  // Capped by CASE, not LEAST: LEAST skips NULLs in PostgreSQL and DuckDB, and a missing value must stay missing.
  const raw = o.cap === undefined ? value : `(CASE WHEN ${value} > ${d.number(o.cap)} THEN ${d.number(o.cap)} ELSE ${value} END)`;
  if (o.cap !== undefined) aggregates[`${prefix}capped`] = `COUNT(CASE WHEN ${value} > ${d.number(o.cap)} THEN 1 END)`;
  // With a pre-period, y + 0·x (and x + 0·y) is NULL when either is: the sums run over complete pairs.
  const y = o.preperiod === undefined ? raw : `(${raw} + 0 * ${d.double(d.identifier(o.preperiod))})`;
  aggregates[`${prefix}n`] = `COUNT(${y})`;
  aggregates[`${prefix}sum`] = `SUM(${y})`;
  aggregates[`${prefix}sumSquares`] = `SUM(${y} * ${y})`;
  aggregates[`${prefix}missing`] = `COUNT(*) - COUNT(${y})`;
  if (o.binary === true) aggregates[`${prefix}nonBinary`] = `COUNT(CASE WHEN ${raw} <> 0 AND ${raw} <> 1 THEN 1 END)`;
  if (o.preperiod !== undefined) {
    const x = `(${d.double(d.identifier(o.preperiod))} + 0 * ${raw})`;
    aggregates[`${prefix}sumPre`] = `SUM(${x})`;
    aggregates[`${prefix}sumPreSquares`] = `SUM(${x} * ${x})`;
    aggregates[`${prefix}sumCross`] = `SUM(${x} * ${y})`;
  }
}

/**
 * The sums of several outcomes per arm (and group) in one GROUP BY: one
 * scan of the source for all of them. @internal
 */
export async function outcomeSumsSql(
  engine: SqlEngine,
  source: SqlSource,
  treatment: string,
  outcomes: readonly OutcomeRequest[],
  groupColumns: readonly string[] = [],
  where?: string,
): Promise<ArmSums[][]> {
  const d = engineDialect(engine);
  const aggregates: Record<string, string> = {};
  outcomes.forEach((o, k) => outcomeAggregates(d, o, `o${k}_`, aggregates));
  const groupBy: Record<string, string> = { arm: d.identifier(treatment) };
  for (const column of groupColumns) {
    if (column === 'arm') throw new InputError('invalid_option', 'groupBy', "a group column may not be named 'arm'");
    groupBy[column] = d.identifier(column);
  }
  const rows = await groupedSums(engine, source, { groupBy, aggregates, ...(where === undefined ? {} : { where }) });
  const nullArm = rows.find((r) => r.keys.arm === null);
  if (nullArm !== undefined) throw new InputError('not_finite', treatment, `'${treatment}' is missing (NULL) in some rows`);
  return outcomes.map((o, k) =>
    rows.map(({ keys, values }) => {
      const group: Record<string, string | null> = {};
      for (const column of groupColumns) group[column] = keys[column] ?? null;
      const v = (name: string) => values[`o${k}_${name}`] ?? 0;
      return {
        arm: keys.arm as string,
        group,
        n: v('n'),
        sum: v('sum'),
        sumSquares: v('sumSquares'),
        missing: v('missing'),
        nonBinary: o.binary === true ? v('nonBinary') : 0,
        sumPre: o.preperiod === undefined ? null : v('sumPre'),
        sumPreSquares: o.preperiod === undefined ? null : v('sumPreSquares'),
        sumCross: o.preperiod === undefined ? null : v('sumCross'),
        ...(o.cap === undefined ? {} : { capped: v('capped') }),
      };
    }),
  );
}

/** Adds sums over groups: the per-arm sums of sums grouped by more columns (they are mergeable). @internal */
export function mergeByArm(sums: readonly ArmSums[]): ArmSums[] {
  const byArm = new Map<string, ArmSums>();
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  for (const s of sums) {
    const seen = byArm.get(s.arm);
    byArm.set(
      s.arm,
      seen === undefined
        ? { ...s, group: {} }
        : {
            arm: s.arm,
            group: {},
            n: seen.n + s.n,
            sum: seen.sum + s.sum,
            sumSquares: seen.sumSquares + s.sumSquares,
            missing: seen.missing + s.missing,
            nonBinary: seen.nonBinary + s.nonBinary,
            sumPre: add(seen.sumPre, s.sumPre),
            sumPreSquares: add(seen.sumPreSquares, s.sumPreSquares),
            sumCross: add(seen.sumCross, s.sumCross),
            ...(s.capped === undefined ? {} : { capped: (seen.capped ?? 0) + s.capped }),
          },
    );
  }
  return [...byArm.values()];
}

/**
 * Per-arm (and per-group) sums of an outcome, computed in the engine by one
 * GROUP BY: the mergeable sufficient statistics GrowthBook's engine uses.
 * Rows with a NULL outcome (or, with a pre-period, a NULL pre-period) are
 * counted in `missing` and left out of the sums. O(n) in the engine, one
 * row per arm × group back.
 *
 * @throws InputError `not_finite` (a NULL arm), `invalid_option` for a bad engine or source
 */
export async function armSumsSql(engine: SqlEngine, source: SqlSource, options: ArmSumsOptions): Promise<ArmSums[]> {
  if (options === null || typeof options !== 'object') throw new InputError('invalid_option', 'options', 'options must be { treatment, outcome, … }');
  const [sums] = await outcomeSumsSql(
    engine,
    source,
    options.treatment,
    [{ column: options.outcome, ...(options.preperiod === undefined ? {} : { preperiod: options.preperiod }), ...(options.binary === undefined ? {} : { binary: options.binary }) }],
    options.groupBy ?? [],
    options.where,
  );
  return sums as ArmSums[];
}
