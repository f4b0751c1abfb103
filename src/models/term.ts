import { z } from 'zod';

/**
 * One coefficient with its inference. Inference fields are `null` where it
 * is not defined: for a penalised fit, or a column dropped as collinear.
 */
export const TermSchema = z
  .object({
    name: z.string(),
    estimate: z.number(),
    standardError: z.number().nullable(),
    /** Heteroskedasticity-robust (HC1) standard error; linear models only. */
    robustStandardError: z.number().nullable(),
    /** t (linear) or z (logistic) statistic. */
    statistic: z.number().nullable(),
    pValue: z.number().nullable(),
    ci: z.tuple([z.number().nullable(), z.number().nullable()]),
    /** True when the column was dropped as constant or collinear (its estimate is 0). */
    dropped: z.boolean(),
  })
  .readonly();
export type Term = z.infer<typeof TermSchema>;

/** Column names: the given ones, or x0, x1, … @internal */
export function featureNames(p: number, names: readonly string[] | undefined): string[] {
  if (names !== undefined && names.length === p) return [...names];
  return Array.from({ length: p }, (_, j) => `x${j}`);
}
