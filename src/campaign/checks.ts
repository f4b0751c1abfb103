import { z } from 'zod';
import { InputError } from '../errors.js';
import { BalanceTableSchema, balanceTable } from '../experiment/balanceTable.js';
import { SampleRatioTestSchema, sampleRatioTest } from '../experiment/sampleRatioTest.js';
import type { CampaignContext } from './context.js';

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

/** Rows per arm, control first, then the treated arms in order. */
function armSizes(context: CampaignContext): { arm: string; n: number }[] {
  const { control, arms, controlCount, armCounts } = context.assignment;
  return [{ arm: control, n: controlCount }, ...arms.map((arm, a) => ({ arm, n: armCounts[a] as number }))];
}

/** Describes the table: rows, columns, the arms with their sizes and shares, and the columns with missing values. O(n · columns). */
export function describeData(context: CampaignContext): DataSection {
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
export function checkData(context: CampaignContext): Omit<ChecksSection, 'warnings'> {
  const { spec, dataset, featureColumns } = context;
  const sizes = armSizes(context);
  const shares = spec.expectedShares === undefined ? undefined : sizes.map(({ arm }) => {
    const share = spec.expectedShares?.[arm];
    if (share === undefined) throw new InputError('invalid_option', 'expectedShares', `expectedShares has no share for arm '${arm}'`);
    return share;
  });
  const srm = sampleRatioTest(sizes.map((a) => a.n), shares);
  if (srm.mismatch) context.warn(`Sample ratio mismatch: arm sizes ${sizes.map((a) => `${a.arm} ${a.n}`).join(', ')} are unlikely under the planned split (p = ${srm.pValue.toExponential(2)}); check assignment and logging before trusting effects.`);
  const balance = featureColumns.length > 0 ? balanceTable(dataset, context.assignment, featureColumns) : null;
  if (balance !== null && balance.flagged > 0) context.warn(`${balance.flagged} covariate comparison(s) have |SMD| > ${balance.threshold}: the arms differ before treatment.`);
  return { srm, balance };
}
