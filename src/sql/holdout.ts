import { InputError } from '../errors.js';
import { hashMask, holdoutThreshold } from '../internal/unitHash.js';
import { checkOptions, checkScalar, describe, rules } from '../internal/validate.js';
import { type Dialect, requireDialect } from './dialect.js';

export interface HoldoutOptions {
  /**
   * Text appended to each id before hashing: different salts give
   * independent splits of the same units (the model sample of
   * `evaluateCampaignSql` uses `'|sample'`). Default `''`.
   */
  readonly salt?: string;
}

const HOLDOUT_RULES = { salt: rules.string(true) } as const;

function checkShare(share: number): void {
  if (typeof share !== 'number' || !(share > 0 && share <= 1)) throw new InputError('out_of_range', 'share', `the share must be in (0, 1], got ${share}`);
}

/**
 * The holdout split by a hash of the unit id: a unit is held out when the
 * first 32 bits of MD5(its id as text), read as an unsigned integer, are
 * below ⌊share·2³²⌋. The same rows fall in the same part in memory and in
 * every SQL dialect (`holdoutSql`), on any machine and in any row order,
 * and a customer keeps their part as the table grows. Numeric ids are
 * hashed as `String(id)` (integers without a decimal point, as the engines
 * cast integer columns); store ids as integers or text, not floats. This is
 * the campaign's split when its spec names `validation.unit`. O(n).
 *
 * @param unitIds - one id per row (strings or integers)
 * @param share - the holdout's expected share, in (0, 1]
 * @returns 1 for a holdout row, 0 for a training row
 * @throws InputError `out_of_range` (share), `not_finite` (a NaN id)
 * @example
 * Array.from(holdoutMask([1, 2, 3, 4, 5, 6], 0.5)); // => [0, 0, 0, 0, 0, 1]
 */
export function holdoutMask(unitIds: ArrayLike<string | number>, share: number, options: HoldoutOptions = {}): Uint8Array {
  if (unitIds === null || typeof unitIds !== 'object' || typeof (unitIds as { length?: unknown }).length !== 'number') {
    throw new InputError('wrong_type', 'unitIds', `unitIds must be an array of strings or numbers, got ${describe(unitIds)}`);
  }
  checkShare(share);
  checkOptions(options, HOLDOUT_RULES);
  for (let i = 0; i < unitIds.length; i++) {
    const id = unitIds[i] as string | number;
    if (typeof id === 'number' && !Number.isFinite(id)) throw new InputError('not_finite', 'unitIds', `unit id at row ${i} is ${id}`, i);
    if (typeof id !== 'number' && typeof id !== 'string') throw new InputError('wrong_type', 'unitIds', `unit id at row ${i} is ${String(id)}, not a string or a number`, i);
  }
  return hashMask(unitIds, share, options.salt ?? '');
}

/**
 * The SQL condition true for the holdout rows of {@link holdoutMask}, in a
 * dialect (`holdout = false` gives the training rows).
 *
 * @example
 * holdoutSql(sqlDialect('postgres'), 'customer_id', 0.3);
 * // => `CAST(CAST(('x' || substr(md5(CAST("customer_id" AS TEXT)), 1, 8)) AS BIT(32)) AS BIGINT) < 1288490188`
 */
export function holdoutSql(dialect: Dialect, unitColumn: string, share: number, holdout = true, options: HoldoutOptions = {}): string {
  requireDialect(dialect);
  checkScalar('unitColumn', unitColumn, rules.string(), 'wrong_type');
  checkShare(share);
  checkScalar('holdout', holdout, rules.boolean(), 'wrong_type');
  checkOptions(options, HOLDOUT_RULES);
  const id = dialect.identifier(unitColumn);
  const salted = options.salt === undefined || options.salt === '' ? id : `${dialect.text(id)} || ${dialect.string(options.salt)}`;
  return `${dialect.unitHash(salted)} ${holdout ? '<' : '>='} ${holdoutThreshold(share)}`;
}
