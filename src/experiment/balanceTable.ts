import { z } from 'zod';
import type { Assignment } from '../data/assignment.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';
import { checkOptions, checkScalar, requireDataset, rules } from '../internal/validate.js';

export interface BalanceOptions {
  /** The control arm's level. Required for a categorical arm column; 0 for a numeric 0/1 one. */
  readonly control?: string | number;
  /** Flag |SMD| above this. Default 0.1. */
  readonly threshold?: number;
}

export const BalanceRowSchema = z
  .object({
    covariate: z.string(),
    /** For a categorical covariate, the level whose share is compared; null for a numeric one. */
    level: z.string().nullable(),
    arm: z.string(),
    controlMean: z.number(),
    treatedMean: z.number(),
    /** Standardised mean difference; null when both arms are constant and differ (infinitely unbalanced). */
    smd: z.number().nullable(),
    flagged: z.boolean(),
    controlMissing: z.number(),
    treatedMissing: z.number(),
  })
  .readonly();
export type BalanceRow = z.infer<typeof BalanceRowSchema>;

export const BalanceTableSchema = z
  .object({
    kind: z.literal('balance_table'),
    control: z.string(),
    threshold: z.number(),
    rows: z.array(BalanceRowSchema),
    flagged: z.number(),
  })
  .readonly();
export type BalanceTable = z.infer<typeof BalanceTableSchema>;

/**
 * Covariate balance between each treated arm and control: standardised mean
 * differences (mean_t − mean_c) / √((s²_t + s²_c)/2) with sample variances,
 * for numeric covariates and for the share of each level of a categorical
 * one; |SMD| > threshold is flagged. Missing values are left out and counted.
 * In a randomised campaign large SMDs point to broken assignment. O(n · covariates).
 * `arm` is the treatment column's name, or the campaign's `Assignment`
 * (`codeAssignment`), whose coding and labels are then used as they are.
 *
 * @throws InputError `missing_column`, `invalid_option` (no control level), `empty` (an arm with no rows)
 * @example
 * const data = fromColumns({ arm: ['c', 'c', 't', 't'], x: [1, 2, 1, 2] });
 * balanceTable(data, 'arm', ['x'], { control: 'c' }).rows[0]?.smd; // => 0
 */
export function balanceTable(dataset: Dataset, arm: string | Assignment, covariates: readonly string[], options: BalanceOptions = {}): BalanceTable {
  requireDataset('dataset', dataset);
  checkScalar('covariates', covariates, rules.strings(), 'wrong_type');
  checkOptions(options, { control: rules.either(rules.string(true), rules.number({ infinite: true })), threshold: rules.number({ min: 0, minExclusive: true }) });
  const threshold = options.threshold ?? 0.1;
  if (!(threshold > 0)) throw new InputError('invalid_option', 'threshold', `threshold must be > 0, got ${threshold}`);
  const { codes, levels, controlCode } = typeof arm === 'string' ? armCodes(dataset, arm, options.control) : assignmentCodes(dataset, arm);
  const rows: BalanceRow[] = [];
  for (const covariate of covariates) {
    const column = dataset.column(covariate);
    const series: { level: string | null; value: (row: number) => number }[] =
      column.kind === 'numeric'
        ? [{ level: null, value: (row) => column.values[row] as number }]
        : column.levels.map((level, code) => ({
            level,
            value: (row: number) => (column.codes[row] === -1 ? Number.NaN : column.codes[row] === code ? 1 : 0),
          }));
    for (const { level, value } of series) {
      const stats = levels.map(() => ({ n: 0, sum: 0, squares: 0, missing: 0 }));
      for (let row = 0; row < dataset.n; row++) {
        const code = codes[row] as number;
        if (code < 0) continue;
        const v = value(row);
        const s = stats[code] as { n: number; sum: number; squares: number; missing: number };
        if (Number.isNaN(v)) s.missing++;
        else {
          s.n++;
          s.sum += v;
          s.squares += v * v;
        }
      }
      const control = stats[controlCode] as { n: number; sum: number; squares: number; missing: number };
      if (control.n === 0) throw new InputError('empty', covariate, `no control row has a value of '${covariate}'`);
      const controlMean = control.sum / control.n;
      const controlVariance = control.n > 1 ? Math.max(0, (control.squares - control.sum * controlMean) / (control.n - 1)) : 0;
      levels.forEach((armLevel, code) => {
        if (code === controlCode) return;
        const s = stats[code] as { n: number; sum: number; squares: number; missing: number };
        if (s.n === 0) throw new InputError('empty', covariate, `no row of arm '${armLevel}' has a value of '${covariate}'`);
        const mean = s.sum / s.n;
        const variance = s.n > 1 ? Math.max(0, (s.squares - s.sum * mean) / (s.n - 1)) : 0;
        const spread = Math.sqrt((variance + controlVariance) / 2);
        const smd = spread > 0 ? (mean - controlMean) / spread : mean === controlMean ? 0 : null;
        rows.push({
          covariate,
          level,
          arm: armLevel,
          controlMean,
          treatedMean: mean,
          smd,
          flagged: smd === null || Math.abs(smd) > threshold,
          controlMissing: control.missing,
          treatedMissing: s.missing,
        });
      });
    }
  }
  return {
    kind: 'balance_table',
    control: levels[controlCode] as string,
    threshold,
    rows,
    flagged: rows.filter((row) => row.flagged).length,
  };
}

/** An Assignment's coding as balance codes: control 0, treated arms 1…, excluded rows −1. */
function assignmentCodes(dataset: Dataset, assignment: Assignment): { codes: Int32Array; levels: readonly string[]; controlCode: number } {
  if (assignment === null || typeof assignment !== 'object' || !(assignment.codes instanceof Int32Array) || !Array.isArray(assignment.arms)) {
    throw new InputError('wrong_type', 'arm', 'arm must be a column name or an Assignment from codeAssignment');
  }
  if (assignment.codes.length !== dataset.n) {
    throw new InputError('length_mismatch', 'arm', `the assignment codes ${assignment.codes.length} rows but the dataset has ${dataset.n}`);
  }
  const codes = new Int32Array(dataset.n);
  for (let row = 0; row < dataset.n; row++) {
    const code = assignment.codes[row] as number;
    codes[row] = code === -1 ? 0 : code >= 0 ? code + 1 : -1;
  }
  return { codes, levels: [assignment.control, ...assignment.arms], controlCode: 0 };
}

/** Arm codes per row (−1 missing), the arm names, and the control's code. @internal */
export function armCodes(dataset: Dataset, arm: string, control: string | number | undefined): { codes: Int32Array; levels: readonly string[]; controlCode: number } {
  const column = dataset.column(arm);
  if (column.kind === 'categorical') {
    if (control === undefined) throw new InputError('invalid_option', 'control', `name the control level of '${arm}' (levels: ${column.levels.join(', ')})`);
    const controlCode = column.levels.indexOf(String(control));
    if (controlCode < 0) {
      throw new InputError('invalid_option', 'control', `control level '${control}' is not in '${arm}' (levels: ${column.levels.join(', ')})`);
    }
    return { codes: column.codes, levels: column.levels, controlCode };
  }
  const codes = new Int32Array(dataset.n);
  for (let row = 0; row < dataset.n; row++) {
    const v = column.values[row] as number;
    if (Number.isNaN(v)) codes[row] = -1;
    else if (v === 0 || v === 1) codes[row] = v;
    else throw new InputError('not_binary', arm, `numeric arm column '${arm}' must be 0/1, got ${v} at row ${row}`, row);
  }
  // A boolean column read from text names its arms as written (No/Yes), and the control may be given so.
  const spelled = column.spellings?.indexOf(String(control)) ?? -1;
  const controlValue = control === undefined ? 0 : spelled >= 0 ? spelled : Number(control);
  if (controlValue !== 0 && controlValue !== 1) throw new InputError('invalid_option', 'control', `control of a 0/1 arm column must be 0 or 1, got ${String(control)}`);
  return { codes, levels: column.spellings ?? ['0', '1'], controlCode: controlValue };
}
