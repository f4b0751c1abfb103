import { z } from 'zod';
import { InputError } from '../errors.js';
import { adjustPValues } from '../experiment/adjustPValues.js';
import type { EffectsContext } from './context.js';
import { type EffectRow, EffectRowSchema, cappedOutcome, clusterIds, clusteredRow, compareArms, ratioRow, toEffectRow } from './effects.js';

/** One arm against control on one outcome within one level of a segment column. */
export const SegmentEffectRowSchema = EffectRowSchema.and(z.object({ segment: z.string(), level: z.string(), smallGroup: z.boolean() }));
export type SegmentEffectRow = z.infer<typeof SegmentEffectRowSchema>;

/** How segment cells' p-values are adjusted, across all cells of a segment column per outcome. */
export const SEGMENT_ADJUSTMENT = 'benjamini-hochberg' as const;
/** Cells with fewer rows than this in an arm are flagged as small. */
const SMALL_GROUP = 100;

/**
 * Effects within each level of each segment column: every arm against
 * control per outcome (capped as in the effects; with the spec's cluster
 * column, cluster-robust; ratios by the delta method; no pre-period
 * adjustment), p-values adjusted across the cells of a segment
 * ({@link SEGMENT_ADJUSTMENT}); cells with fewer than 100 rows in an arm are
 * flagged, cells with fewer than 2 or an outcome that does not vary are left
 * out with a warning. O(n · levels · arms · outcomes).
 */
export function segmentEffects(context: EffectsContext): SegmentEffectRow[] {
  const { dataset, assignment, outcomes } = context;
  const { codes, arms } = assignment;
  const n = dataset.n;
  const segments: SegmentEffectRow[] = [];
  const cluster = context.spec.cluster === undefined || (context.spec.segments ?? []).length === 0 ? undefined : clusterIds(context, context.spec.cluster);
  for (const segment of context.spec.segments ?? []) {
    const column = dataset.column(segment);
    const levelOf: (i: number) => string | null =
      column.kind === 'categorical' ? (i) => ((column.codes[i] as number) < 0 ? null : (column.levels[column.codes[i] as number] as string)) : (i) => (Number.isNaN(column.values[i] as number) ? null : String(column.values[i]));
    const rowLevels = Array.from({ length: n }, (_, i) => levelOf(i));
    const levels = [...new Set(rowLevels.filter((l): l is string => l !== null))].sort();
    const rowsOf = new Map<string, number[]>(levels.map((level) => [level, []]));
    rowLevels.forEach((level, i) => level !== null && rowsOf.get(level)?.push(i));
    // Value outcomes, then ratios (the delta method; pre-period adjustments apply over all rows only, as CUPED's).
    // Capped as in the effects; cluster-robust over the spec's clusters (without the pre-period, as CUPED is left out here too).
    const compared: { label: string; compare: (rows: number[], arm: string, a: number) => Omit<EffectRow, 'adjustedPValue'> }[] = [
      ...outcomes.map((original) => {
        const o = cappedOutcome(context, original).outcome;
        return {
          label: o.label,
          compare: (rows: number[], arm: string, a: number) =>
            cluster === undefined ? toEffectRow(arm, o, compareArms(o, codes, a, rows, undefined)) : clusteredRow(arm, { ...o, pre: undefined }, codes, a, cluster, {}, rows),
        };
      }),
      ...context.ratios.map((r) => ({ label: r.label, compare: (rows: number[], arm: string, a: number) => ratioRow(arm, r, codes, rows, -1, a, {}) })),
    ];
    for (const o of compared) {
      const cells: Omit<SegmentEffectRow, 'adjustedPValue'>[] = [];
      for (const level of levels) {
        const rows = rowsOf.get(level) as number[];
        arms.forEach((arm, a) => {
          const controlN = rows.reduce((s, i) => s + (codes[i] === -1 ? 1 : 0), 0);
          const armN = rows.reduce((s, i) => s + (codes[i] === a ? 1 : 0), 0);
          if (controlN < 2 || armN < 2) {
            context.warn(`Segment ${segment} = ${level}: too few rows (${controlN} control, ${armN} ${arm}) to compare ${o.label}.`);
            return;
          }
          try {
            cells.push({ ...o.compare(rows, arm, a), segment, level, smallGroup: Math.min(controlN, armN) < SMALL_GROUP });
          } catch (error) {
            if (error instanceof InputError && error.reason === 'zero_variance') context.warn(`Segment ${segment} = ${level}: ${o.label} does not vary in either arm.`);
            else if (error instanceof InputError && error.reason === 'out_of_range') context.warn(`Segment ${segment} = ${level}: ${o.label} is not compared (${error.message}).`);
            else throw error;
          }
        });
      }
      const adjusted = adjustPValues(cells.map((c) => c.absolute.pValue), SEGMENT_ADJUSTMENT);
      cells.forEach((c, k) => segments.push({ ...c, adjustedPValue: adjusted[k] as number } as SegmentEffectRow));
      const small = cells.filter((c) => c.smallGroup).length;
      if (small > 0) context.warn(`${small} segment cell(s) of ${segment} for ${o.label} have fewer than ${SMALL_GROUP} rows in an arm: read them with care.`);
    }
  }
  return segments;
}
