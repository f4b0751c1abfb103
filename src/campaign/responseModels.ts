import { z } from 'zod';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { takeValues } from '../linalg/denseMatrix.js';
import { brierScore } from '../metrics/brierScore.js';
import { calibrationCurve } from '../metrics/calibrationCurve.js';
import { f1Score } from '../metrics/f1Score.js';
import { logLoss } from '../metrics/logLoss.js';
import { meanAbsoluteError } from '../metrics/meanAbsoluteError.js';
import { meanSquaredError } from '../metrics/meanSquaredError.js';
import { r2Score } from '../metrics/r2Score.js';
import { rocAuc } from '../metrics/rocAuc.js';
import { fitLinear } from '../models/fitLinear.js';
import { fitLogistic } from '../models/fitLogistic.js';
import { predictLinear, predictProba } from '../models/predict.js';
import { type Term, TermSchema } from '../models/term.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import { learnerFailure } from './uplift.js';
import { isInputError } from '../errors.js';

/** A model of the outcome itself (not the effect), scored on the holdout. */
export const ResponseModelSchema = z
  .object({
    outcome: z.string(),
    kind: z.enum(['binary', 'continuous']),
    model: z.enum(['logistic', 'linear']),
    trainRows: z.number(),
    holdoutRows: z.number(),
    metrics: z.record(z.string(), z.number().nullable()),
    /** Threshold used for F1 (the training positive rate), binary outcomes. */
    threshold: z.number().nullable(),
    calibration: z.object({ probTrue: z.array(z.number()), probPred: z.array(z.number()), counts: z.array(z.number()) }).nullable(),
    topTerms: z.array(TermSchema),
    warning: z.string().nullable(),
  })
  .readonly();
export type ResponseModel = z.infer<typeof ResponseModelSchema>;

/** The warning of a response model whose holdout AUC is 1. */
export const PERFECT_SEPARATION = 'perfect separation: check for leakage';

/** The features with one 0/1 column per treated arm appended. */
function withArms(X: DenseMatrix, armCodes: Int32Array, arms: number): DenseMatrix {
  const cols = X.cols + arms;
  const data = new Float64Array(X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * cols);
    const code = armCodes[i] as number;
    if (code >= 0) data[i * cols + X.cols + code] = 1;
  }
  return { data, rows: X.rows, cols };
}

/** The ten terms with the largest |statistic| (|estimate| without standard errors), intercept and dropped terms left out. */
function topTerms(terms: readonly Term[]): Term[] {
  return [...terms]
    .filter((t) => t.name !== '(intercept)' && !t.dropped)
    .sort((a, b) => Math.abs(b.statistic ?? b.estimate) - Math.abs(a.statistic ?? a.estimate))
    .slice(0, 10);
}

/**
 * One response model per outcome on the features plus arm indicators (the
 * campaign moves the response): logistic for a 0/1 outcome (refitted with
 * l2 = 1 under separation or non-convergence, unless the spec's
 * `responseModels.l2` sets the penalty) with AUC, log loss, Brier, F1
 * at the training base rate and a calibration curve; linear for a
 * continuous one with MSE, MAE and R². Fitted on the training rows, scored
 * on the holdout.
 */
export function fitResponseModels(context: CampaignContext, features: CampaignFeatures): ResponseModel[] {
  const { arms } = context.assignment;
  const { split, pipeline } = features;
  const names = [...pipeline.names, ...arms.map((arm) => `arm=${arm}`)];
  const train = withArms(features.trainX, features.trainCodes, arms.length);
  const test = withArms(features.testX, features.testCodes, arms.length);
  return context.outcomes.flatMap((o): ResponseModel[] => {
    try {
      return [fitOne(o)];
    } catch (error) {
      // An outcome the data cannot model (one class in the training rows, a singular design) is skipped, not the report.
      // A model or score beyond doubles (an outcome near 1e200 squares past 1.8e308) likewise, naming the outcome.
      if (isInputError(error) && error.reason === 'out_of_range') {
        context.warn(`Response model for ${o.label} skipped: ${o.column} is too large to model and score in doubles (${error.message}); rescale ${o.column} (for example divide it by a power of 10).`);
        return [];
      }
      if (!learnerFailure(error)) throw error;
      const yTrain = takeValues(o.values, split.train);
      const events = yTrain.reduce((sum, v) => sum + v, 0);
      const why = o.kind === 'binary' && error.reason === 'single_class' && (events === 0 || events === yTrain.length) ? `all ${yTrain.length} training rows have ${o.column} = ${events === 0 ? 0 : 1}` : error.message;
      context.warn(`Response model for ${o.label} skipped: ${why}.`);
      return [];
    }
  });
  function fitOne(o: CampaignContext['outcomes'][number]): ResponseModel {
    const yTrain = takeValues(o.values, split.train);
    const yTest = takeValues(o.values, split.test);
    const l2 = context.spec.responseModels?.l2 ?? 0;
    if (o.kind === 'binary') {
      let model = fitLogistic(train, yTrain, { names, l2 });
      let warning: string | null = null;
      if (l2 === 0 && (model.separation !== null || !model.converged)) {
        warning = `${model.warning ?? 'not converged'}; refitted with l2 = 1 (no standard errors)`;
        model = fitLogistic(train, yTrain, { names, l2: 1 });
      } else if (l2 > 0) warning = model.warning;
      const p = predictProba(model, test);
      const threshold = yTrain.reduce((a, b) => a + b, 0) / yTrain.length;
      const bothClasses = yTest.includes(0) && yTest.includes(1);
      const calibration = calibrationCurve(yTest, p, { bins: 10, strategy: 'quantile' });
      const auc = bothClasses ? rocAuc(yTest, p) : null;
      if (auc === 1) {
        // No honest response model ranks every holdout row perfectly: a feature likely carries the outcome.
        warning = warning === null ? PERFECT_SEPARATION : `${PERFECT_SEPARATION}; ${warning}`;
        context.warn(`Response model for ${o.label}: holdout AUC is 1, ${PERFECT_SEPARATION}.`);
      }
      return {
        outcome: o.column,
        kind: 'binary',
        model: 'logistic',
        trainRows: split.train.length,
        holdoutRows: split.test.length,
        metrics: {
          auc,
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
    const model = fitLinear(train, yTrain, { names, l2 });
    const prediction = predictLinear(model, test);
    return {
      outcome: o.column,
      kind: 'continuous',
      model: 'linear',
      trainRows: split.train.length,
      holdoutRows: split.test.length,
      metrics: { mse: meanSquaredError(yTest, prediction), mae: meanAbsoluteError(yTest, prediction), r2: r2Score(yTest, prediction) },
      threshold: null,
      calibration: null,
      topTerms: topTerms(model.terms),
      warning: model.dropped.length > 0 ? `${model.dropped.length} collinear or constant feature(s) dropped` : null,
    };
  }
}
