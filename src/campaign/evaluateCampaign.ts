import { z } from 'zod';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';
import { adjustPValues } from '../experiment/adjustPValues.js';
import { balanceTable } from '../experiment/balanceTable.js';
import { compareMeans } from '../experiment/compareMeans.js';
import { compareProportions } from '../experiment/compareProportions.js';
import { cuped } from '../experiment/cuped.js';
import { sampleRatioTest } from '../experiment/sampleRatioTest.js';
import { type FittedPipeline, type PipelineSpec, PipelineSpecSchema, fitPipeline, transform } from '../features/pipeline.js';
import { type DenseMatrix, takeRows, takeValues } from '../linalg/denseMatrix.js';
import { calibrationCurve } from '../metrics/calibrationCurve.js';
import { f1Score } from '../metrics/f1Score.js';
import { brierScore } from '../metrics/brierScore.js';
import { logLoss } from '../metrics/logLoss.js';
import { meanAbsoluteError } from '../metrics/meanAbsoluteError.js';
import { meanSquaredError } from '../metrics/meanSquaredError.js';
import { r2Score } from '../metrics/r2Score.js';
import { rocAuc } from '../metrics/rocAuc.js';
import { fitLinear } from '../models/fitLinear.js';
import { fitLogistic } from '../models/fitLogistic.js';
import { predictLinear, predictProba } from '../models/predict.js';
import type { Term } from '../models/term.js';
import { trainTestSplit } from '../models/validation.js';
import { EconomicsSchema, profitCurve } from '../policy/profitCurve.js';
import {
  type CampaignReport,
  type EffectRow,
  REPORT_VERSION,
  type SegmentEffectRow,
} from '../report/schema.js';
import {
  type MetaLearnerOptions,
  type UpliftModel,
  fitClassTransformation,
  fitDrLearner,
  fitSLearner,
  fitTLearner,
  fitXLearner,
  bestArms,
  predictUplift,
} from '../uplift/metaLearners.js';
import { upliftAuc } from '../uplift/upliftAuc.js';
import { upliftAtK } from '../uplift/upliftAtK.js';
import { upliftByPercentile } from '../uplift/upliftByPercentile.js';
import { qiniCurve } from '../uplift/upliftCurve.js';
import { scoreUncertainty } from '../uplift/scoreUncertainty.js';

const LEARNERS = ['t', 's', 'x', 'dr', 'class_transformation'] as const;
type LearnerName = (typeof LEARNERS)[number];

export const CampaignSpecSchema = z
  .object({
    title: z.string().optional(),
    treatment: z.object({ column: z.string(), control: z.union([z.string(), z.number()]) }).strict(),
    outcomes: z
      .array(
        z
          .object({
            column: z.string(),
            kind: z.enum(['binary', 'continuous']),
            label: z.string().optional(),
            /** Pre-period value of the same metric: effects use CUPED. */
            preperiod: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    /** Feature columns (numeric: median-imputed and standardised; categorical: one-hot), or a pipeline spec. */
    features: z.union([z.array(z.string()).min(1), PipelineSpecSchema]),
    segments: z.array(z.string()).optional(),
    economics: EconomicsSchema.optional(),
    validation: z.object({ holdoutShare: z.number().gt(0).lt(1).optional(), seed: z.number().int().optional() }).strict().optional(),
    learners: z.array(z.enum(LEARNERS)).min(1).optional(),
    /** Outcome the uplift models and targeting use. Default: the first outcome. */
    upliftOutcome: z.string().optional(),
    /** Planned share of each arm for the sample-ratio check, by arm label. Default: equal. */
    expectedShares: z.record(z.string(), z.number().positive()).optional(),
  })
  .strict();
export type CampaignSpec = z.infer<typeof CampaignSpecSchema>;

export interface EvaluateOptions {
  /** Bootstrap resamples and permutations for the uplift scores. Default 100. */
  readonly resamples?: number;
  /** Called with a short message as each stage starts (for progress displays). */
  readonly onProgress?: (stage: string) => void;
}

function parseSpec(spec: unknown): CampaignSpec {
  const parsed = CampaignSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('invalid_option', path || 'spec', `campaign spec ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Per-row arm label codes: −1 control, 0… treated arms, −2 missing. */
function armsOf(dataset: Dataset, column: string, control: string | number) {
  const col = dataset.column(column);
  const labels: (string | null)[] =
    col.kind === 'categorical'
      ? Array.from(col.codes, (code) => (code < 0 ? null : (col.levels[code] as string)))
      : Array.from(col.values, (v) => (Number.isNaN(v) ? null : String(v)));
  const controlLabel = String(control);
  const distinct = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  if (!distinct.includes(controlLabel)) {
    throw new InputError('invalid_option', 'treatment.control', `control level ${JSON.stringify(controlLabel)} is not in '${column}' (levels: ${distinct.join(', ')})`);
  }
  const arms = distinct.filter((l) => l !== controlLabel);
  if (arms.length === 0) throw new InputError('single_class', column, `'${column}' holds only the control level: there is no treated arm to evaluate`);
  const codes = Int32Array.from(labels, (l) => (l === null ? -2 : l === controlLabel ? -1 : arms.indexOf(l)));
  const missing = codes.indexOf(-2);
  if (missing >= 0) throw new InputError('not_finite', column, `'${column}' is missing at row ${missing}`, missing);
  return { codes, arms, control: controlLabel };
}

function outcomeValues(dataset: Dataset, column: string, kind: 'binary' | 'continuous'): Float64Array {
  const values = dataset.numeric(column);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new InputError('not_finite', column, `outcome '${column}' is missing or not finite at row ${i}`, i);
    if (kind === 'binary' && v !== 0 && v !== 1) {
      throw new InputError('not_binary', column, `outcome '${column}' is declared binary but is ${v} at row ${i}`, i);
    }
  }
  return values;
}

function rowsWhere(n: number, keep: (i: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) rows.push(i);
  return Int32Array.from(rows);
}

/** One arm-vs-control comparison of an outcome on the given rows. */
function compare(y: Float64Array, codes: Int32Array, arm: number, rows: ArrayLike<number>, kind: 'binary' | 'continuous', pre: Float64Array | undefined) {
  let n0 = 0;
  let n1 = 0;
  let s0 = 0;
  let s1 = 0;
  const control: number[] = [];
  const treated: number[] = [];
  // Row-aligned post, pre and arm indicator for CUPED.
  const post: number[] = [];
  const preValues: number[] = [];
  const indicator: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const code = codes[i] as number;
    if (code !== -1 && code !== arm) continue;
    const v = y[i] as number;
    if (code === -1) {
      n0++;
      s0 += v;
      control.push(v);
    } else {
      n1++;
      s1 += v;
      treated.push(v);
    }
    if (pre !== undefined) {
      post.push(v);
      preValues.push(pre[i] as number);
      indicator.push(code === -1 ? 0 : 1);
    }
  }
  if (pre !== undefined) return { kind: 'means' as const, result: cuped(post, preValues, indicator) };
  if (kind === 'binary') return { kind: 'proportions' as const, result: compareProportions({ n: n0, successes: s0 }, { n: n1, successes: s1 }) };
  return { kind: 'means' as const, result: compareMeans(control, treated) };
}

function toEffectRow(arm: string, outcome: string, label: string, c: ReturnType<typeof compare>): Omit<EffectRow, 'adjustedPValue'> {
  const r = c.result;
  return {
    arm,
    outcome,
    label,
    kind: c.kind,
    control: r.control,
    treated: r.treated,
    absolute: r.absolute,
    relative: r.relative,
    relativeNote: r.relativeNote,
    cuped: 'cuped' in r ? r.cuped : null,
  };
}

function defaultPipeline(dataset: Dataset, features: readonly string[]): PipelineSpec {
  const numeric: NonNullable<PipelineSpec['numeric']> = {};
  const categorical: NonNullable<PipelineSpec['categorical']> = {};
  for (const name of features) {
    const column = dataset.column(name);
    if (column.kind === 'numeric') {
      const hasMissing = column.values.some((v) => Number.isNaN(v));
      numeric[name] = hasMissing ? { impute: 'median', indicator: true, scale: 'standard' } : { scale: 'standard' };
    } else categorical[name] = { unknown: 'ignore', drop: 'first' }; // the intercept carries the first level
  }
  return { numeric, categorical };
}

/** Samples a curve (x ascending) at fractions 0, 0.01, …, 1 of its last x, interpolating linearly. */
function sampleCurve(x: readonly number[], y: readonly number[], points = 100): { fraction: number[]; value: number[] } {
  const total = x[x.length - 1] as number;
  const fraction: number[] = [];
  const value: number[] = [];
  let k = 0;
  for (let step = 0; step <= points; step++) {
    const target = (step / points) * total;
    while (k < x.length - 1 && (x[k + 1] as number) < target) k++;
    const x0 = x[k] as number;
    const x1 = x[Math.min(k + 1, x.length - 1)] as number;
    const y0 = y[k] as number;
    const y1 = y[Math.min(k + 1, y.length - 1)] as number;
    fraction.push(step / points);
    value.push(x1 === x0 ? y1 : y0 + ((y1 - y0) * (target - x0)) / (x1 - x0));
  }
  return { fraction, value };
}

function fitLearner(name: LearnerName, X: DenseMatrix, y: Float64Array, t: Float64Array, binary: boolean, seed: number): UpliftModel {
  const options: MetaLearnerOptions = { seed, folds: 3 };
  switch (name) {
    case 't':
      return fitTLearner(X, y, t, options);
    case 's':
      return fitSLearner(X, y, t, options);
    case 'x':
      return fitXLearner(X, y, t, options);
    case 'dr':
      return fitDrLearner(X, y, t, options);
    case 'class_transformation':
      return fitClassTransformation(X, y, t, { ...options, variant: binary ? 'class' : 'outcome' });
  }
}

/**
 * The main job: from a campaign table to a typed, versioned, JSON-safe
 * report. Data checks (rows per arm, sample-ratio test, covariate balance,
 * missing values); per-arm effects on every outcome with intervals (CUPED
 * with a pre-period) and Holm-adjusted p-values across arms; effects by
 * segment with Benjamini–Hochberg adjustment and small-group flags;
 * response models (logistic or linear) scored on a seeded holdout; uplift
 * learners compared on the holdout by Qini (with bootstrap interval and a
 * permutation p-value), uplift AUC and uplift by decile; and targeting:
 * the incremental-profit curve of the chosen learner under the economics,
 * its best cutoff (and within budget), against treat-all and treat-none,
 * and with several arms the best arm per customer. Every model is fitted on
 * training rows only. Nothing here renders; see `promolens/report`.
 *
 * @throws InputError for a bad spec (`invalid_option` naming the key), an
 *   unknown column (`missing_column`), a control level that is absent or
 *   the only one (`invalid_option`, `single_class`), an outcome declared
 *   binary that is not (`not_binary`, naming the row)
 */
export function evaluateCampaign(dataset: Dataset, specInput: CampaignSpec, options: EvaluateOptions = {}): CampaignReport {
  const spec = parseSpec(specInput);
  const progress = options.onProgress ?? (() => undefined);
  const resamples = options.resamples ?? 100;
  const seed = spec.validation?.seed ?? 0;
  const holdoutShare = spec.validation?.holdoutShare ?? 0.3;
  const learners = (spec.learners ?? [...LEARNERS]) as LearnerName[];
  const n = dataset.n;
  if (n === 0) throw new InputError('empty', 'dataset', 'the dataset has no rows');
  progress('checking data');
  const { codes, arms, control } = armsOf(dataset, spec.treatment.column, spec.treatment.control);
  const outcomes = spec.outcomes.map((o) => ({ ...o, label: o.label ?? o.column, values: outcomeValues(dataset, o.column, o.kind), pre: o.preperiod === undefined ? undefined : dataset.numeric(o.preperiod) }));
  const featureSpec: PipelineSpec = Array.isArray(spec.features) ? defaultPipeline(dataset, spec.features) : (spec.features as PipelineSpec);
  const featureColumns = [...Object.keys(featureSpec.numeric ?? {}), ...Object.keys(featureSpec.categorical ?? {})];
  for (const column of [...featureColumns, ...(spec.segments ?? [])]) dataset.column(column);
  const warnings: string[] = [];

  // 1. Data checks.
  const armCounts = [control, ...arms].map((arm, k) => ({ arm, n: codes.reduce((a, c) => a + (c === k - 1 ? 1 : 0), 0) }));
  const shares = spec.expectedShares === undefined ? undefined : armCounts.map(({ arm }) => {
    const share = spec.expectedShares?.[arm];
    if (share === undefined) throw new InputError('invalid_option', 'expectedShares', `expectedShares has no share for arm '${arm}'`);
    return share;
  });
  const srm = sampleRatioTest(armCounts.map((a) => a.n), shares);
  if (srm.mismatch) warnings.push(`Sample ratio mismatch: arm sizes ${armCounts.map((a) => `${a.arm} ${a.n}`).join(', ')} are unlikely under the planned split (p = ${srm.pValue.toExponential(2)}); check assignment and logging before trusting effects.`);
  const balance = featureColumns.length > 0 ? balanceTable(dataset, spec.treatment.column, featureColumns, { control: spec.treatment.control }) : null;
  if (balance !== null && balance.flagged > 0) warnings.push(`${balance.flagged} covariate comparison(s) have |SMD| > ${balance.threshold}: the arms differ before treatment.`);
  const missing = dataset.names.map((column) => {
    const c = dataset.column(column);
    let count = 0;
    if (c.kind === 'numeric') for (const v of c.values) count += Number.isNaN(v) ? 1 : 0;
    else for (const v of c.codes) count += v < 0 ? 1 : 0;
    return { column, count };
  });

  // 2. Effects per arm × outcome.
  progress('estimating effects');
  const everyRow = rowsWhere(n, () => true);
  const effects: EffectRow[] = [];
  for (const o of outcomes) {
    const rows = arms.map((arm, a) => toEffectRow(arm, o.column, o.label, compare(o.values, codes, a, everyRow, o.kind, o.pre)));
    const adjusted = adjustPValues(rows.map((r) => r.absolute.pValue), 'holm');
    rows.forEach((r, k) => effects.push({ ...r, adjustedPValue: adjusted[k] as number }));
  }

  // 3. Segment effects.
  const segments: SegmentEffectRow[] = [];
  for (const segment of spec.segments ?? []) {
    const column = dataset.column(segment);
    const levelOf: (i: number) => string | null =
      column.kind === 'categorical' ? (i) => ((column.codes[i] as number) < 0 ? null : (column.levels[column.codes[i] as number] as string)) : (i) => (Number.isNaN(column.values[i] as number) ? null : String(column.values[i]));
    const levels = [...new Set(Array.from({ length: n }, (_, i) => levelOf(i)).filter((l): l is string => l !== null))].sort();
    for (const o of outcomes) {
      const cells: Omit<SegmentEffectRow, 'adjustedPValue'>[] = [];
      for (const level of levels) {
        const rows = rowsWhere(n, (i) => levelOf(i) === level);
        arms.forEach((arm, a) => {
          const controlN = rows.reduce((s, i) => s + (codes[i] === -1 ? 1 : 0), 0);
          const armN = rows.reduce((s, i) => s + (codes[i] === a ? 1 : 0), 0);
          if (controlN < 2 || armN < 2) {
            warnings.push(`Segment ${segment} = ${level}: too few rows (${controlN} control, ${armN} ${arm}) to compare ${o.label}.`);
            return;
          }
          try {
            const c = compare(o.values, codes, a, rows, o.kind, undefined);
            cells.push({ ...toEffectRow(arm, o.column, o.label, c), segment, level, smallGroup: Math.min(controlN, armN) < 100 });
          } catch (error) {
            if (error instanceof InputError && error.reason === 'zero_variance') warnings.push(`Segment ${segment} = ${level}: ${o.label} does not vary in either arm.`);
            else throw error;
          }
        });
      }
      const adjusted = adjustPValues(cells.map((c) => c.absolute.pValue), 'benjamini-hochberg');
      cells.forEach((c, k) => segments.push({ ...c, adjustedPValue: adjusted[k] as number } as SegmentEffectRow));
      const small = cells.filter((c) => c.smallGroup).length;
      if (small > 0) warnings.push(`${small} segment cell(s) of ${segment} for ${o.label} have fewer than 100 rows in an arm: read them with care.`);
    }
  }

  // 4. Features: fitted on the training rows only.
  progress('building features');
  const split = trainTestSplit(n, { testShare: holdoutShare, seed, stratify: Float64Array.from(codes) });
  const trainData = dataset.take(split.train);
  const testData = dataset.take(split.test);
  const pipeline: FittedPipeline = fitPipeline(featureSpec, trainData);
  for (const d of pipeline.dropped) warnings.push(`Feature ${d.column} was dropped: ${d.reason === 'constant' ? 'constant' : 'all missing'} in the training rows.`);
  const trainX = transform(pipeline, trainData).matrix;
  const testX = transform(pipeline, testData).matrix;
  const trainCodes = Int32Array.from(split.train, (i) => codes[i] as number);
  const testCodes = Int32Array.from(split.test, (i) => codes[i] as number);

  // 5. Response models (arm indicators included, since the campaign moves the response).
  progress('fitting response models');
  const withArms = (X: DenseMatrix, armCodes: Int32Array): DenseMatrix => {
    const cols = X.cols + arms.length;
    const data = new Float64Array(X.rows * cols);
    for (let i = 0; i < X.rows; i++) {
      data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * cols);
      const code = armCodes[i] as number;
      if (code >= 0) data[i * cols + X.cols + code] = 1;
    }
    return { data, rows: X.rows, cols };
  };
  const responseNames = [...pipeline.names, ...arms.map((arm) => `arm=${arm}`)];
  const responseTrain = withArms(trainX, trainCodes);
  const responseTest = withArms(testX, testCodes);
  const responseModels = outcomes.map((o) => {
    const yTrain = takeValues(o.values, split.train);
    const yTest = takeValues(o.values, split.test);
    if (o.kind === 'binary') {
      let model = fitLogistic(responseTrain, yTrain, { names: responseNames });
      let warning: string | null = null;
      if (model.separation !== null || !model.converged) {
        warning = `${model.warning ?? 'not converged'}; refitted with l2 = 1 (no standard errors)`;
        model = fitLogistic(responseTrain, yTrain, { names: responseNames, l2: 1 });
      }
      const p = predictProba(model, responseTest);
      const threshold = yTrain.reduce((a, b) => a + b, 0) / yTrain.length;
      const bothClasses = yTest.includes(0) && yTest.includes(1);
      const calibration = calibrationCurve(yTest, p, { bins: 10, strategy: 'quantile' });
      return {
        outcome: o.column,
        kind: 'binary' as const,
        model: 'logistic' as const,
        trainRows: split.train.length,
        holdoutRows: split.test.length,
        metrics: {
          auc: bothClasses ? rocAuc(yTest, p) : null,
          logLoss: logLoss(yTest, p),
          brier: brierScore(yTest, p),
          f1: f1Score(yTest, p, { threshold }),
          baseRate: threshold,
        },
        threshold,
        calibration: { probTrue: calibration.probTrue, probPred: calibration.probPred, counts: calibration.counts },
        topTerms: topTerms(model.terms),
        warning,
      };
    }
    const model = fitLinear(responseTrain, yTrain, { names: responseNames });
    const prediction = predictLinear(model, responseTest);
    return {
      outcome: o.column,
      kind: 'continuous' as const,
      model: 'linear' as const,
      trainRows: split.train.length,
      holdoutRows: split.test.length,
      metrics: { mse: meanSquaredError(yTest, prediction), mae: meanAbsoluteError(yTest, prediction), r2: r2Score(yTest, prediction) },
      threshold: null,
      calibration: null,
      topTerms: topTerms(model.terms),
      warning: model.dropped.length > 0 ? `${model.dropped.length} collinear or constant feature(s) dropped` : null,
    };
  });

  // 6. Uplift learners per arm on the uplift outcome, compared on the holdout.
  const upliftOutcomeName = spec.upliftOutcome ?? (outcomes[0] as (typeof outcomes)[number]).column;
  const target = outcomes.find((o) => o.column === upliftOutcomeName);
  if (target === undefined) throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${upliftOutcomeName}' is not one of the outcomes`);
  const binary = target.kind === 'binary';
  // Every learner handles both outcome kinds (class transformation switches to its transformed-outcome variant).
  const usable = learners;
  const uplift: CampaignReport['uplift'] = [];
  const targeting: CampaignReport['targeting'] = [];
  const chosenPredictions: Float64Array[] = [];
  arms.forEach((arm, a) => {
    progress(`fitting uplift models for ${arm}`);
    const trainRows = rowsWhere(trainCodes.length, (i) => trainCodes[i] === -1 || trainCodes[i] === a);
    const testRows = rowsWhere(testCodes.length, (i) => testCodes[i] === -1 || testCodes[i] === a);
    const Xtr = takeRows(trainX, trainRows);
    const Xte = takeRows(testX, testRows);
    const ytr = takeValues(takeValues(target.values, split.train), trainRows);
    const yte = takeValues(takeValues(target.values, split.test), testRows);
    const ttr = Float64Array.from(trainRows, (i) => (trainCodes[i] === a ? 1 : 0));
    const tte = Float64Array.from(testRows, (i) => (testCodes[i] === a ? 1 : 0));
    const results = usable.map((name) => {
      const model = fitLearner(name, Xtr, ytr, ttr, binary, seed);
      const score = predictUplift(model, Xte);
      const normalize = binary;
      const qini = scoreUncertainty({ score: 'qini_auc', normalize }, yte, score, tte, { resamples, permutations: resamples, seed });
      let at30: number | null = null;
      try {
        at30 = upliftAtK(yte, score, tte, { k: 0.3 });
      } catch {
        at30 = null;
      }
      const curve = qiniCurve(yte, score, tte);
      const sampled = sampleCurve(curve.x, curve.y);
      const last = sampled.value[sampled.value.length - 1] as number;
      return {
        name,
        model,
        score,
        result: {
          learner: name,
          qini,
          upliftAuc: upliftAuc(yte, score, tte, { normalize }),
          upliftAt30: at30,
          qiniCurve: sampled,
          randomQini: { fraction: sampled.fraction, value: sampled.fraction.map((f) => f * last) },
          byDecile: upliftByPercentile(yte, score, tte, { bins: 10 }),
        },
      };
    });
    const best = results.reduce((x, y) => (y.result.qini.estimate > x.result.qini.estimate ? y : x));
    uplift.push({ arm, outcome: target.column, learners: results.map((r) => r.result), chosen: best.name });
    if (best.result.qini.pValue > 0.05) warnings.push(`Uplift for ${arm}: the best learner (${best.name}) does not beat a random ranking on the holdout (permutation p = ${best.result.qini.pValue.toFixed(3)}); target with care.`);
    progress(`targeting ${arm}`);
    targeting.push({
      arm,
      outcome: target.column,
      learner: best.name,
      profit: profitCurve(yte, best.score, tte, { economics: spec.economics ?? {}, population: armCounts[0]!.n + armCounts[a + 1]!.n }),
    });
    // The chosen model's predictions on every holdout row, for the best arm per customer.
    chosenPredictions.push(predictUplift(best.model, testX));
  });
  let bestArmShare: CampaignReport['bestArmShare'] = null;
  if (arms.length > 1) {
    const counts = new Array<number>(arms.length + 1).fill(0);
    for (const arm of bestArms(chosenPredictions, testX.rows)) counts[arm + 1]!++;
    bestArmShare = [{ arm: control, share: (counts[0] as number) / testX.rows }, ...arms.map((arm, a) => ({ arm, share: (counts[a + 1] as number) / testX.rows }))];
  }

  return {
    kind: 'campaign_report',
    version: REPORT_VERSION,
    title: spec.title ?? `Campaign report: ${spec.treatment.column}`,
    data: {
      rows: n,
      columns: dataset.names.length,
      treatment: { column: spec.treatment.column, control, arms: armCounts.map((a) => ({ ...a, share: a.n / n })) },
      missing: missing.filter((m) => m.count > 0),
    },
    checks: { srm, balance, warnings },
    effects,
    segments,
    responseModels,
    uplift,
    targeting,
    bestArmShare,
    settings: {
      seed,
      holdoutShare,
      learners: usable,
      features: pipeline.names,
      upliftOutcome: target.column,
      conventions: {
        effects: 'treated − control; proportions: pooled two-proportion z test with Newcombe interval; means: Welch t; relative lift by the delta method',
        adjustment: 'Holm across arms per outcome; Benjamini–Hochberg across segment cells per outcome',
        uplift: 'scikit-uplift conventions: qiniAuc and upliftAuc normalised by the perfect curve (negative effects allowed); uplift at k = top 30% overall',
        uncertainty: `bootstrap within treatment groups and score permutations, ${resamples} each, seed ${seed}`,
        split: `seeded holdout of ${holdoutShare} stratified by arm; features, response and uplift models fitted on training rows only`,
        profit: 'per targeted customer: value·(ȳ_T − ȳ_C) − costPerTreated − costPerConversion·ȳ_T on the top share by predicted uplift, scaled to the arm and control population',
      },
    },
  };
}

function topTerms(terms: readonly Term[]): Term[] {
  return [...terms]
    .filter((t) => t.name !== '(intercept)' && !t.dropped)
    .sort((a, b) => Math.abs(b.statistic ?? b.estimate) - Math.abs(a.statistic ?? a.estimate))
    .slice(0, 10);
}
