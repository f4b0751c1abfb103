import { z } from 'zod';
import { type InputError, isInputError } from '../errors.js';
import { type DenseMatrix, rowsOf, takeRows, takeValues } from '../linalg/denseMatrix.js';
import { type UpliftForestModel, fitUpliftForest } from '../trees/fitUpliftForest.js';
import { gradientBoostingLearner } from '../trees/gradientBoostingLearner.js';
import { type MetaLearnerKind, sharingFits } from '../uplift/learners/common.js';
import {
  type MetaLearnerOptions,
  type UpliftModel,
  fitMetaLearner,
  predictUplift,
} from '../uplift/metaLearners.js';
import { type ScoreUncertainty, ScoreUncertaintySchema, areaUncertainties } from '../uplift/scoreUncertainty.js';
import { upliftAtK } from '../uplift/upliftAtK.js';
import { upliftFeatureImportance } from '../uplift/upliftFeatureImportance.js';
import { upliftAuc } from '../uplift/upliftAuc.js';
import { UpliftByPercentileSchema, upliftByPercentile } from '../uplift/upliftByPercentile.js';
import { qiniCurve } from '../uplift/upliftCurve.js';
import { sampleCurve } from '../uplift/ranking.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import type { LearnerName } from './spec.js';

const CurvePointsSchema = z.object({ fraction: z.array(z.number()), value: z.array(z.number()) });

/** One uplift learner of one arm, scored on the holdout. */
export const LearnerResultSchema = z
  .object({
    learner: z.string(),
    qini: ScoreUncertaintySchema,
    upliftAuc: z.number(),
    upliftAt30: z.number().nullable(),
    qiniCurve: CurvePointsSchema,
    randomQini: CurvePointsSchema,
    byDecile: UpliftByPercentileSchema,
  })
  .readonly();
export type LearnerResult = z.infer<typeof LearnerResultSchema>;

/** How the learner of one arm was chosen: by cross-fitted Qini within the training rows, never by the holdout. */
export const LearnerChoiceSchema = z
  .object({
    method: z.literal('cross_fitting_on_training_rows'),
    /** Cross-fitted Qini of each learner compared on the training rows (null: a fold had too few events to fit it); null when only one learner was given. */
    crossFittedQini: z.array(z.object({ learner: z.string(), qini: z.number().nullable() })).nullable(),
    /** The choice in words, including which holdout score is unbiased. */
    words: z.string(),
  })
  .readonly();
export type LearnerChoice = z.infer<typeof LearnerChoiceSchema>;

/** What drives the chosen learner's uplift: permutation importance on a capped holdout sample. */
export const UpliftDriversSchema = z
  .object({
    /** How it was computed, in words (rows, shuffles, resamples). */
    method: z.string(),
    rows: z.number(),
    repeats: z.number(),
    resamples: z.number(),
    /** The top features, most important first: the model column, the data column it comes from (as the spec spells it), the mean drop in Qini when shuffled, and its bootstrap interval. */
    features: z.array(z.object({ feature: z.string(), column: z.string(), importance: z.number(), ci: z.tuple([z.number(), z.number()]).nullable() }).readonly()),
  })
  .readonly();
export type UpliftDrivers = z.infer<typeof UpliftDriversSchema>;

/**
 * The learners of one arm and the one chosen. The choice is the policy's:
 * made by cross-fitting within the training rows, so only the chosen
 * learner's holdout scores are unbiased; the other learners' holdout scores
 * are shown for reference and were not used to choose.
 */
export const UpliftArmSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    learners: z.array(LearnerResultSchema),
    chosen: z.string(),
    choice: LearnerChoiceSchema,
    /** Top drivers of the chosen learner's uplift; null when they cannot be computed (too few rows of a group). */
    drivers: UpliftDriversSchema.nullable(),
    /** Learners of the spec that could not be fitted or scored on this arm (one class of outcome in a group, a singular design, a holdout too thin to score), with the reason; the others are compared without them. */
    skipped: z.array(z.object({ learner: z.string(), reason: z.string() }).readonly()),
  })
  .readonly();
export type UpliftArm = z.infer<typeof UpliftArmSchema>;

/** The share of the ranking at which uplift at k is reported. */
const TOP_SHARE = 0.3;

/** How uplift learners are scored, in words. */
export const UPLIFT_METHOD = `scikit-uplift conventions: qiniAuc and upliftAuc normalised by the perfect curve (negative effects allowed); uplift at k = top ${TOP_SHARE * 100}% overall`;

/** How the uncertainty of the uplift scores is found, in words. */
export function uncertaintyMethod(resamples: number, seed: number): string {
  return `bootstrap within treatment groups and score permutations, ${resamples} each, seed ${seed}`;
}

/** A fitted uplift model of the campaign: a meta-learner's, or an uplift forest. */
export type PredictableUplift = UpliftModel | UpliftForestModel;

/** The chosen learner of one arm with what targeting needs from the holdout. */
export interface ChosenUplift {
  readonly arm: string;
  readonly learner: LearnerName;
  readonly model: PredictableUplift;
  /** Predicted uplift on the holdout rows of this arm and control. */
  readonly score: Float64Array;
  /** The uplift outcome on those rows. */
  readonly y: Float64Array;
  /** 1 for this arm, 0 for control, on those rows. */
  readonly treatment: Float64Array;
  /** Every learner's predicted uplift on those rows, in the spec's order (the chosen one's is `score`). */
  readonly learnerScores: readonly { readonly learner: LearnerName; readonly score: Float64Array }[];
}

/** The choice of learner for one arm, made elsewhere on the training rows (the targeting policy's). */
export interface ArmLearnerChoice {
  /** Null: the policy could fit no learner for this arm. */
  readonly learner: LearnerName | null;
  readonly crossFittedQini: readonly { learner: string; qini: number | null }[] | null;
  /** The chosen learner already fitted on the same training rows and features (the policy's): used instead of fitting it again. */
  readonly model?: PredictableUplift;
}

/** The words a report shows for how the learner was chosen. */
export function choiceWords(chosen: string, compared: number): string {
  return compared > 1
    ? `${chosen} chosen among ${compared} learners by cross-fitted Qini within the training rows; the holdout was not used to choose, so only ${chosen}'s holdout score is an unbiased estimate — the other learners' holdout scores are for reference`
    : `${chosen} was the only learner given; its holdout score is an unbiased estimate`;
}

/** The uplift section and the chosen learner per arm. */
export interface UpliftStage {
  readonly section: UpliftArm[];
  readonly chosen: ChosenUplift[];
}

/** Gradient-boosting base learner of the `<kind>_gbm` learners: 30 rounds of 8-leaf trees on 32 bins, kept small so a campaign stays fast. */
export const GBM_OPTIONS = { maxIterations: 30, maxLeaves: 8, maxBins: 32, learningRate: 0.1 } as const;
/** The `forest` learner: 10 uplift trees of depth 4 on 32 bins (CausalML's forest otherwise). */
export const FOREST_OPTIONS = { nEstimators: 10, maxDepth: 4, maxBins: 32 } as const;

/** Fits one learner of the campaign by name: a meta-learner, a meta-learner on gradient boosting (`<kind>_gbm`), or the uplift forest. */
export function fitLearner(name: LearnerName, X: DenseMatrix, y: Float64Array, t: Float64Array, binary: boolean, seed: number): PredictableUplift {
  if (name === 'forest') return fitUpliftForest(X, y, t, { ...FOREST_OPTIONS, criterion: binary ? 'kl' : 'ed', seed });
  const gbm = name.endsWith('_gbm');
  const kind = (gbm ? name.slice(0, -'_gbm'.length) : name) as MetaLearnerKind;
  const base: MetaLearnerOptions = gbm ? { seed, folds: 3, learner: gradientBoostingLearner(GBM_OPTIONS), effectLearner: gradientBoostingLearner({ ...GBM_OPTIONS, loss: 'squared' }) } : { seed, folds: 3 };
  // Class transformation switches to its transformed-outcome variant for a continuous outcome.
  const options: MetaLearnerOptions = kind === 'class_transformation' ? { ...base, variant: binary ? 'class' : 'outcome' } : base;
  return fitMetaLearner(kind, X, y, t, options);
}

/** Most holdout rows, shuffles per feature, bootstrap resamples and features kept for the drivers: a small, bounded cost. */
export const DRIVER_ROWS = 5000;
export const DRIVER_REPEATS = 2;
export const DRIVER_RESAMPLES = 50;
export const TOP_DRIVERS = 5;

/** The data column a model column comes from: the longest feature column it starts with, followed by its end, '=', ':' or '*'. */
export function sourceColumn(feature: string, columns: readonly string[]): string {
  let best = '';
  for (const c of columns) {
    if (c.length <= best.length || !feature.startsWith(c)) continue;
    const next = feature.charAt(c.length);
    if (next === '' || next === '=' || next === ':' || next === '*') best = c;
  }
  return best === '' ? feature : best;
}

/**
 * Permutation importance (`upliftFeatureImportance`) of a fitted model on at
 * most `DRIVER_ROWS` holdout rows (an even stride through them),
 * `DRIVER_REPEATS` shuffles per column and `DRIVER_RESAMPLES` bootstrap
 * resamples; the top `TOP_DRIVERS` columns. Null when a group has no row.
 */
export function upliftDrivers(model: PredictableUplift, X: DenseMatrix, y: Float64Array, t: Float64Array, names: readonly string[], columns: readonly string[], seed: number): UpliftDrivers | null {
  const m = X.rows;
  const take = Math.min(m, DRIVER_ROWS);
  const rows = Int32Array.from({ length: take }, (_, k) => Math.floor((k * m) / take));
  const ts = takeValues(t, rows);
  let treated = 0;
  for (const v of ts) treated += v;
  if (treated === 0 || treated === take) return null;
  const result = upliftFeatureImportance(model, takeRows(X, rows), takeValues(y, rows), ts, { repeats: DRIVER_REPEATS, resamples: DRIVER_RESAMPLES, names: [...names], seed });
  return {
    method: `permutation importance on ${take} of ${m} holdout rows (an even stride), ${DRIVER_REPEATS} shuffles per column, ${DRIVER_RESAMPLES} bootstrap resamples, seed ${seed}`,
    rows: take,
    repeats: DRIVER_REPEATS,
    resamples: DRIVER_RESAMPLES,
    features: result.features.slice(0, TOP_DRIVERS).map((f) => ({ feature: f.name, column: sourceColumn(f.name, columns), importance: f.importance, ci: f.ci })),
  };
}

/**
 * A fit or score the data cannot support: one class of outcome in a group
 * (`single_class`), a singular design, or a holdout group too thin to score
 * (`empty`). Such a learner is skipped, not the report.
 */
export function learnerFailure(error: unknown): error is InputError {
  return isInputError(error) && (error.reason === 'single_class' || error.reason === 'singular' || error.reason === 'empty');
}

/** Why a 0/1 outcome is one class where a learner fits: the training group (arm, control) with one value, else the thinner group whose folds may lack one, in words. */
function oneClassGroups(arm: string, control: string, outcome: string, y: Float64Array, t: Float64Array): string {
  const rows = [0, 0];
  const events = [0, 0];
  for (let i = 0; i < y.length; i++) {
    const g = t[i] === 1 ? 0 : 1;
    rows[g]!++;
    events[g]! += y[i]!;
  }
  const parts = [arm, control].flatMap((name, g) => (events[g] === 0 || events[g] === rows[g] ? [`all ${rows[g]} training rows of ${name} have ${outcome} = ${events[g] === 0 ? 0 : 1}`] : []));
  if (parts.length > 0) return parts.join(' and ');
  // Both values in each group, but a cross-fitting fold of the thinner one saw only one.
  const g = Math.min(events[0]!, rows[0]! - events[0]!) <= Math.min(events[1]!, rows[1]! - events[1]!) ? 0 : 1;
  return `${events[g]} of ${rows[g]} training rows of ${g === 0 ? arm : control} have ${outcome} = 1, too few for every cross-fitting fold to see both values`;
}

/** Positions (in a code list) of the rows of control and of treated arm `arm`. */
function armAndControl(codes: Int32Array, arm: number): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < codes.length; i++) if (codes[i] === -1 || codes[i] === arm) rows.push(i);
  return Int32Array.from(rows);
}

/**
 * Per treated arm, fits every learner of the spec on the training rows of
 * that arm and control, and scores each on the holdout: Qini (normalised
 * for a 0/1 outcome) with a bootstrap interval and a permutation p-value
 * against a random ranking, uplift AUC, uplift in the top 30%, the Qini
 * curve against the random line, and uplift by decile. The chosen learner
 * per arm is `choices[a]` — chosen by cross-fitting within the training
 * rows (the targeting policy's choice), never by the holdout scores shown
 * here; without `choices` the first learner of the spec. Warns when the
 * chosen learner does not beat random on the holdout (p > 0.05).
 */
export function compareUpliftLearners(context: CampaignContext, features: CampaignFeatures, choices?: readonly ArmLearnerChoice[]): UpliftStage {
  const { upliftOutcome: target, seed, resamples } = context;
  const { split, trainX, testX, trainCodes, testCodes } = features;
  const binary = target.kind === 'binary';
  const yTrainAll = takeValues(target.values, split.train);
  const yTestAll = takeValues(target.values, split.test);
  const section: UpliftArm[] = [];
  const chosen: ChosenUplift[] = [];
  context.assignment.arms.forEach((arm, a) => {
    context.progress(`fitting uplift models for ${arm}`);
    const trainRows = armAndControl(trainCodes, a);
    const testRows = armAndControl(testCodes, a);
    // With one arm these are every row: the matrices themselves, not copies.
    const Xtr = rowsOf(trainX, trainRows);
    const Xte = rowsOf(testX, testRows);
    const ytr = takeValues(yTrainAll, trainRows);
    const yte = takeValues(yTestAll, testRows);
    const ttr = Float64Array.from(trainRows, (i) => (trainCodes[i] === a ? 1 : 0));
    const tte = Float64Array.from(testRows, (i) => (testCodes[i] === a ? 1 : 0));
    const choice = choices?.[a];
    const skipped: { learner: string; reason: string }[] = [];
    // Each learner's failure (fit, prediction or score), in the spec's order.
    const failures = new Map<LearnerName, unknown>();
    const fail = (name: LearnerName, error: unknown): [] => {
      // A learner the data cannot support is skipped on this arm; the others are compared without it.
      if (!(isInputError(error) && error.reason === 'out_of_range') && !learnerFailure(error)) throw error;
      failures.set(name, error);
      return [];
    };
    // The T- and X-learners (and their gradient-boosting twins) share their outcome models' fits on these rows.
    const fitted = sharingFits(() => context.learners.flatMap((name) => {
      try {
        // The policy's fit of its chosen learner serves here too (same rows and features): no second fit.
        const model = choice?.model !== undefined && choice.learner === name ? choice.model : fitLearner(name, Xtr, ytr, ttr, binary, seed);
        return [{ name, model, score: predictUplift(model, Xte) }];
      } catch (error) {
        return fail(name, error);
      }
    }));
    // Every learner's Qini uncertainty in one pass of the replicates: each bootstrap draw and permutation serves them all.
    const qinis = fitted.length === 0 ? [] : areaUncertainties({ score: 'qini_auc', normalize: binary }, yte, fitted.map((f) => f.score), tte, { resamples, permutations: resamples, seed });
    // The learners scored, in the spec's order.
    const results = fitted.flatMap((f, l) => {
      try {
        const qini = qinis[l]!;
        if (qini instanceof Error) throw qini;
        return [{ ...f, result: scoreLearner(f.name, f.score, qini) }];
      } catch (error) {
        return fail(f.name, error);
      }
    });
    for (const name of context.learners) {
      const error = failures.get(name);
      if (error === undefined || !isInputError(error)) continue;
      const reason = error.reason === 'out_of_range'
        ? `${target.column} is too large to model and score in doubles (${error.message}); rescale ${target.column} (for example divide it by a power of 10)`
        : binary && error.reason === 'single_class' ? `${oneClassGroups(arm, context.assignment.control, target.column, ytr, ttr)} (${error.message})` : error.message;
      skipped.push({ learner: name, reason });
      context.warn(`Uplift for ${arm} on ${target.label}: learner ${name} skipped: ${reason}.`);
    }
    if (results.length === 0) {
      context.warn(`Uplift for ${arm} on ${target.label}: no learner could be fitted and scored, so ${arm} has no uplift model or targeting curve.`);
      return;
    }
    function scoreLearner(name: LearnerName, score: Float64Array, qini: ScoreUncertainty): LearnerResult {
      let atTop: number | null = null;
      try {
        atTop = upliftAtK(yte, score, tte, { k: TOP_SHARE });
      } catch {
        atTop = null;
      }
      const curve = qiniCurve(yte, score, tte);
      const sampled = sampleCurve(curve.x, curve.y);
      const last = sampled.value[sampled.value.length - 1] as number;
      return {
        learner: name,
        qini,
        upliftAuc: upliftAuc(yte, score, tte, { normalize: binary }),
        upliftAt30: atTop,
        qiniCurve: sampled,
        randomQini: { fraction: sampled.fraction, value: sampled.fraction.map((f) => f * last) },
        byDecile: upliftByPercentile(yte, score, tte, { bins: 10 }),
      };
    }
    const best = results.find((r) => r.name === choice?.learner) ?? (results[0] as (typeof results)[number]);
    section.push({
      arm,
      outcome: target.column,
      learners: results.map((r) => r.result),
      chosen: best.name,
      drivers: upliftDrivers(best.model, Xte, yte, tte, features.pipeline.names, context.featureColumns, seed),
      choice: { method: 'cross_fitting_on_training_rows', crossFittedQini: choice?.crossFittedQini?.map((c) => ({ learner: c.learner, qini: c.qini })) ?? null, words: choice !== undefined && choice.learner === null ? `${best.name} shown for reference: the targeting policy could fit no model of ${arm} on the training rows, so none was chosen and ${arm} gets a blanket decision` : choiceWords(best.name, results.length) },
      skipped,
    });
    if (best.result.qini.pValue > 0.05) context.warn(`Uplift for ${arm}: the chosen learner (${best.name}, chosen on the training rows) does not beat a random ranking on the holdout (permutation p = ${best.result.qini.pValue.toFixed(3)} for this learner alone, before allowing for the choice among learners); target with care.`);
    chosen.push({ arm, learner: best.name, model: best.model, score: best.score, y: yte, treatment: tte, learnerScores: results.map((r) => ({ learner: r.name, score: r.score })) });
  });
  return { section, chosen };
}
