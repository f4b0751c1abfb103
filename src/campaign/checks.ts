import { z } from 'zod';
import { InputError } from '../errors.js';
import { BalanceTableSchema, balanceTable } from '../experiment/balanceTable.js';
import { SampleRatioTestSchema, sampleRatioTest } from '../experiment/sampleRatioTest.js';
import type { EffectsContext } from './context.js';
import { outcomeName } from './spec.js';

/** The table as read: its size, the arms and the missing values per column. */
export const DataSectionSchema = z.object({
  rows: z.number(),
  columns: z.number(),
  treatment: z.object({ column: z.string(), control: z.string(), arms: z.array(z.object({ arm: z.string(), n: z.number(), share: z.number() })) }),
  missing: z.array(z.object({ column: z.string(), count: z.number() })),
});
export type DataSection = z.infer<typeof DataSectionSchema>;

/** Checks before any effect: the sample-ratio test, covariate balance and every warning the stages raise. */
export const ChecksSectionSchema = z.object({ srm: SampleRatioTestSchema, balance: BalanceTableSchema.nullable(), warnings: z.array(z.string()) });
export type ChecksSection = z.infer<typeof ChecksSectionSchema>;

/** |SMD| above which a feature is flagged as a likely post-treatment variable (randomisation rarely exceeds 0.1; 0.5 is a half standard deviation). */
export const POST_TREATMENT_SMD = 0.5;

/**
 * A feature that is the treatment, an outcome, a pre-period, the unit or
 * the cluster column would leak the answer into the models.
 * @throws InputError `leakage` naming the feature and the role it plays
 */
function guardFeatures(context: EffectsContext): void {
  const { spec, featureColumns } = context;
  const roles = new Map<string, string>([[spec.treatment.column, 'the treatment column']]);
  for (const o of spec.outcomes) {
    if (o.kind === 'ratio') {
      roles.set(o.numerator, `the numerator of the ratio '${outcomeName(o)}'`);
      roles.set(o.denominator, `the denominator of the ratio '${outcomeName(o)}'`);
      continue;
    }
    roles.set(o.column, `the outcome '${o.column}'`);
    if (o.preperiod !== undefined && !roles.has(o.preperiod)) roles.set(o.preperiod, `the pre-period of '${o.column}'`);
  }
  if (spec.unit !== undefined) roles.set(spec.unit, 'the unit column');
  if (spec.cluster !== undefined) roles.set(spec.cluster, 'the cluster column');
  for (const feature of featureColumns) {
    const role = roles.get(feature);
    // A pre-period value is a legitimate feature (it is measured before treatment).
    if (role !== undefined && !role.startsWith('the pre-period')) {
      throw new InputError('leakage', feature, `feature '${feature}' is ${role}: the models would see the answer; remove it from features`);
    }
  }
}

/**
 * Each unit must stay in one arm: a unit id seen in two arms means the
 * assignment leaked. Repeated rows of a unit in one arm are reported (they
 * are not independent; name the unit as \`cluster\` for robust errors).
 * @throws InputError `leakage` naming the unit, its two arms and the row
 */
function checkUnits(context: EffectsContext, unit: string): void {
  const { dataset, assignment } = context;
  const column = dataset.column(unit);
  const ids = column.kind === 'categorical' ? column.codes : column.values;
  const label = (row: number) => (column.kind === 'categorical' ? (column.levels[column.codes[row] as number] as string) : String(column.values[row]));
  const armName = (code: number) => (code === -1 ? assignment.control : (assignment.arms[code] as string));
  const first = new Map<number, number>();
  const counts = new Map<number, number>();
  // The first leak found is named; the others are counted, so the message says how far the leak goes.
  let leak: { seen: number; row: number } | undefined;
  const leaked = new Set<number>();
  for (let row = 0; row < dataset.n; row++) {
    const code = assignment.codes[row] as number;
    if (code === -2) continue;
    const id = ids[row] as number;
    if (Number.isNaN(id) || (id < 0 && column.kind === 'categorical')) throw new InputError('not_finite', unit, `unit '${unit}' is missing at row ${row}`, row);
    const seen = first.get(id);
    if (seen === undefined) {
      first.set(id, row);
      counts.set(id, 1);
      continue;
    }
    if ((assignment.codes[seen] as number) !== code) {
      leak ??= { seen, row };
      leaked.add(id);
    }
    counts.set(id, (counts.get(id) as number) + 1);
  }
  if (leak !== undefined) {
    const { seen, row } = leak;
    const others = leaked.size - 1;
    throw new InputError(
      'leakage',
      unit,
      `unit ${JSON.stringify(label(row))} of '${unit}' is in arm '${armName(assignment.codes[seen] as number)}' (row ${seen}) and in arm '${armName(assignment.codes[row] as number)}' (row ${row})${others > 0 ? `, and ${others} more unit(s) are in two arms` : ''}: the assignment leaked`,
      row,
    );
  }
  let repeated = 0;
  let most = 1;
  let extraRows = 0;
  let example: number | undefined;
  for (const [id, count] of counts) {
    if (count > 1) {
      repeated++;
      extraRows += count - 1;
      most = Math.max(most, count);
      example ??= first.get(id);
    }
  }
  if (repeated > 0) {
    const advice = context.spec.cluster === unit ? 'effects use them as clusters' : `name '${unit}' as the cluster for cluster-robust errors`;
    context.warn(`${repeated} unit(s) of '${unit}' have repeated rows (${extraRows} extra rows, up to ${most} per unit; e.g. ${JSON.stringify(label(example as number))}): the rows are not independent; ${advice}.`);
  }
}

/** Rows per arm, control first, then the treated arms in order. */
function armSizes(context: EffectsContext): { arm: string; n: number }[] {
  const { control, arms, controlCount, armCounts } = context.assignment;
  return [{ arm: control, n: controlCount }, ...arms.map((arm, a) => ({ arm, n: armCounts[a] as number }))];
}

/** Describes the table: rows, columns, the arms with their sizes and shares, and the columns with missing values. O(n · columns). */
export function describeData(context: EffectsContext): DataSection {
  const { dataset, assignment } = context;
  const n = dataset.n;
  const missing = dataset.names.map((column) => {
    const c = dataset.column(column);
    let count = 0;
    if (c.kind === 'numeric') for (const v of c.values) count += Number.isNaN(v) ? 1 : 0;
    else for (const v of c.codes) count += v < 0 ? 1 : 0;
    return { column, count };
  });
  return {
    rows: n,
    columns: dataset.names.length,
    treatment: { column: assignment.column, control: assignment.control, arms: armSizes(context).map((a) => ({ ...a, share: a.n / n })) },
    missing: missing.filter((m) => m.count > 0),
  };
}

/**
 * The data checks: a sample-ratio test of the arm sizes against the planned
 * split (equal unless `expectedShares`), and the balance of the features
 * across arms. Warns on a mismatch and on flagged covariates; the section's
 * `warnings` are every stage's, added by `evaluateCampaign` at the end.
 *
 * @throws InputError `invalid_option` (`expectedShares` lacks an arm)
 */
export function checkData(context: EffectsContext): Omit<ChecksSection, 'warnings'> {
  const { spec, dataset, featureColumns } = context;
  guardFeatures(context);
  if (spec.unit !== undefined) checkUnits(context, spec.unit);
  const sizes = armSizes(context);
  const shares = spec.expectedShares === undefined ? undefined : sizes.map(({ arm }) => {
    const share = spec.expectedShares?.[arm];
    if (share === undefined) throw new InputError('invalid_option', 'expectedShares', `expectedShares has no share for arm '${arm}'`);
    return share;
  });
  const srm = sampleRatioTest(sizes.map((a) => a.n), shares);
  if (srm.mismatch) context.warn(`Sample ratio mismatch: arm sizes ${sizes.map((a) => `${a.arm} ${a.n}`).join(', ')} are unlikely under the planned split (p = ${srm.pValue.toExponential(2)}); check assignment and logging before trusting effects.`);
  const balance = featureColumns.length > 0 ? balanceTable(dataset, context.assignment, featureColumns) : null;
  if (balance !== null) {
    const suspicious = balance.rows.filter((row) => row.smd === null || Math.abs(row.smd) > POST_TREATMENT_SMD);
    for (const covariate of new Set(suspicious.map((row) => row.covariate))) {
      const worst = suspicious.filter((row) => row.covariate === covariate).map((row) => (row.smd === null ? 'unbounded' : Math.abs(row.smd).toFixed(2)));
      context.warn(`Feature '${covariate}' differs between arms far beyond chance (|SMD| ${worst.join(', ')} > ${POST_TREATMENT_SMD}): it is likely measured after treatment (a post-treatment variable); drop it from features or use its value from before the campaign.`);
    }
  }
  if (balance !== null && balance.flagged > 0) context.warn(`${balance.flagged} covariate comparison(s) have |SMD| > ${balance.threshold}: the arms differ before treatment.`);
  return { srm, balance };
}
