import { z } from 'zod';
import { InputError } from '../errors.js';
import { PipelineSpecSchema } from '../features/pipeline.js';
import { TargetingEconomicsSchema } from '../policy/targetingPolicy.js';
import { META_LEARNERS, type MetaLearnerKind } from '../uplift/learners/common.js';

/**
 * Tree-based learners a campaign can compare: each meta-learner on the
 * gradient-boosting base learner (`<kind>_gbm`) and the uplift forest
 * (`forest`). The targeting policy does not choose among them (it holds
 * linear models only); the report scores them on the holdout for reference.
 */
export const TREE_LEARNERS = ['t_gbm', 's_gbm', 'x_gbm', 'dr_gbm', 'class_transformation_gbm', 'forest'] as const;
export type TreeLearnerName = (typeof TREE_LEARNERS)[number];
/** The uplift learners a campaign can compare: the meta-learners, by the names their models carry as `kind`, and the tree learners. */
export const LEARNERS = [...META_LEARNERS, ...TREE_LEARNERS] as const;
export type LearnerName = MetaLearnerKind | TreeLearnerName;

/** Fewest training rows, and events of a 0/1 outcome in control and in each arm, before the default set adds tree learners. */
export const TREE_DEFAULT_MIN_ROWS = 20_000;
export const TREE_DEFAULT_MIN_EVENTS = 500;
/** The tree learners the default set adds when the data is large enough. */
export const TREE_DEFAULT_LEARNERS: readonly TreeLearnerName[] = ['t_gbm', 'forest'];

/** What to evaluate: the arms, the outcomes, the features and the money. */
export const CampaignSpecSchema = z
  .object({
    title: z.string().optional(),
    treatment: z.object({ column: z.string(), control: z.union([z.string(), z.number()]) }).strict(),
    outcomes: z
      .array(
        z.union([
        z
          .object({
            column: z.string(),
            kind: z.enum(['binary', 'continuous']),
            label: z.string().optional(),
            /** Pre-period value of the same metric: effects use CUPED. */
            preperiod: z.string().optional(),
            /** Cap a continuous outcome from above at a quantile of the pooled arms or at a value; the capped share is reported. */
            cap: z.union([z.object({ quantile: z.number().gt(0).lte(1) }).strict(), z.object({ value: z.number().finite() }).strict()]).optional(),
          })
          .strict(),
        /**
         * A ratio metric Σnumerator / Σdenominator per arm (revenue per order), compared by the delta
         * method (`compareRatios`) in the effects and segment effects only; `column` names it (default `numerator/denominator`).
         */
        z
          .object({
            kind: z.literal('ratio'),
            numerator: z.string(),
            denominator: z.string(),
            column: z.string().optional(),
            label: z.string().optional(),
            /** Pre-period numerator and denominator columns: effects use the regression-adjusted ratio (`compareRatiosAdjusted`, CUPED for ratios). */
            preperiod: z.object({ numerator: z.string(), denominator: z.string() }).strict().optional(),
          })
          .strict(),
        ]),
      )
      .min(1),
    /**
     * Feature columns (numeric: median-imputed and standardised; categorical: one-hot), or a pipeline spec.
     * Without features the evaluation is effects-only: data checks, effects and segment effects; no models or targeting.
     */
    features: z.union([z.array(z.string()).min(1), PipelineSpecSchema]).optional(),
    segments: z.array(z.string()).optional(),
    /** Always-valid effects: confidence sequences and always-valid p-values (tuning: the total size they are tightest at; default 5000). */
    sequential: z.union([z.boolean(), z.object({ tuning: z.number().positive().finite().optional() }).strict()]).optional(),
    /** Bayesian results beside each effect: a Gaussian prior on the relative (or absolute) effect; flat by default. */
    bayesian: z
      .union([
        z.boolean(),
        z
          .object({
            prior: z
              .object({ scale: z.enum(['relative', 'absolute']).optional(), mean: z.number().finite().optional(), sd: z.number().positive().finite().nullable().optional() })
              .strict()
              .optional(),
          })
          .strict(),
      ])
      .optional(),
    /**
     * `'all-pairs'`: effects compare every pair of arms (control included), not only each arm against
     * control, with one Holm correction across all pairs of an outcome. Default `'control'`.
     */
    comparisons: z.enum(['control', 'all-pairs']).optional(),
    /** Unit (customer) id column: a unit seen in two arms is an assignment leak (`leakage`); repeated rows are reported. */
    unit: z.string().optional(),
    /** Cluster column (store, region, household): effects get cluster-robust (CR1) standard errors with G − 1 degrees of freedom. */
    cluster: z.string().optional(),
    /** One set of economics for every arm (with an optional campaign budget), or one per arm label (see docs/campaign.md). */
    economics: TargetingEconomicsSchema.optional(),
    validation: z
      .object({
        holdoutShare: z.number().gt(0).lt(1).optional(),
        seed: z.number().int().optional(),
        /**
         * Unit (customer) id column: the holdout is then the rows whose id's hash falls below the
         * share (`holdoutMask`), the same rows in memory and in every SQL engine, whatever their order.
         * Without it, a seeded split stratified by arm (which depends on the row order).
         */
        unit: z.string().optional(),
        /** Most rows of an arm and control the policy's learner choice cross-fits (a seeded sample above it). Default 200,000 (`SELECTION_ROWS`). */
        selectionRows: z.number().int().min(100).optional(),
      })
      .strict()
      .optional(),
    learners: z.array(z.enum(LEARNERS)).min(1).optional(),
    /**
     * Penalty of the response models (logistic for 0/1 outcomes, linear for
     * continuous ones): `l2` as in `fitLogistic`/`fitLinear`. Default 0
     * (unpenalised, with inference; a separable 0/1 outcome is refitted with l2 = 1).
     */
    responseModels: z.object({ l2: z.number().min(0).finite().optional() }).strict().optional(),
    /** Outcome the uplift models and targeting use. Default: the first outcome. */
    upliftOutcome: z.string().optional(),
    /** Planned share of each arm for the sample-ratio check, by arm label. Default: equal. */
    expectedShares: z.record(z.string(), z.number().positive()).optional(),
  })
  .strict();
export type CampaignSpec = z.infer<typeof CampaignSpecSchema>;
/** A ratio outcome of the spec. */
export type RatioOutcomeSpec = Extract<CampaignSpec['outcomes'][number], { kind: 'ratio' }>;
/** A binary or continuous outcome of the spec. */
export type ValueOutcomeSpec = Exclude<CampaignSpec['outcomes'][number], { kind: 'ratio' }>;

/** The name a spec outcome goes by: its column, or numerator/denominator for an unnamed ratio. */
export function outcomeName(o: CampaignSpec['outcomes'][number]): string {
  return o.kind === 'ratio' ? (o.column ?? `${o.numerator}/${o.denominator}`) : o.column;
}

export interface EvaluateOptions {
  /** Bootstrap resamples and permutations for the uplift scores. Default 100. */
  readonly resamples?: number;
  /** Called with a short message as each stage starts (for progress displays). */
  readonly onProgress?: (stage: string) => void;
  /**
   * Creation time to record in the report's provenance (any text, e.g. an
   * ISO date). Default: none, so that equal inputs give byte-for-byte equal reports.
   */
  readonly createdAt?: string;
}

/**
 * Validates a campaign spec.
 * @throws InputError `invalid_option` naming the first offending key
 */
export function parseSpec(spec: unknown): CampaignSpec {
  const parsed = CampaignSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('invalid_option', path || 'spec', `campaign spec ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
