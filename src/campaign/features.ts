import type { Dataset } from '../data/dataset.js';
import { type FittedPipeline, type PipelineSpec, fitPipeline, transform, transformRows } from '../features/pipeline.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { InputError } from '../errors.js';
import { hashMask } from '../internal/unitHash.js';
import { type Split, trainTestSplit } from '../models/validation.js';
import type { CampaignContext } from './context.js';

/**
 * The model stages' inputs: the seeded holdout split, the feature pipeline
 * fitted on the training rows, both feature matrices and the arm codes of
 * their rows. Not a report section (the report lists the pipeline's names).
 */
export interface CampaignFeatures {
  readonly split: Split;
  readonly pipeline: FittedPipeline;
  readonly trainX: DenseMatrix;
  readonly testX: DenseMatrix;
  /** Arm codes (−1 control, 0… treated arm) of the training rows. */
  readonly trainCodes: Int32Array;
  /** Arm codes of the holdout rows. */
  readonly testCodes: Int32Array;
}

/** How rows are split, in words. */
export function splitMethod(holdoutShare: number, unit?: string): string {
  const how = unit === undefined ? `seeded holdout of ${holdoutShare} stratified by arm` : `holdout of ${holdoutShare} by the hash of ${unit} (first 32 bits of MD5, as in SQL)`;
  return `${how}; features, response and uplift models fitted on training rows only`;
}

/** The unit ids of a dataset's rows, as `holdoutMask` takes them: a missing id is `not_finite` naming the row. @internal */
export function unitIds(dataset: Dataset, unit: string): (string | number)[] {
  const column = dataset.column(unit);
  const ids: (string | number)[] = [];
  for (let i = 0; i < dataset.n; i++) {
    const id = column.kind === 'numeric' ? (column.values[i] as number) : (column.codes[i] as number) < 0 ? null : (column.levels[column.codes[i] as number] as string);
    if (id === null || (typeof id === 'number' && Number.isNaN(id))) throw new InputError('not_finite', unit, `unit id '${unit}' is missing at row ${i}`, i);
    ids.push(id);
  }
  return ids;
}

/** The holdout by the hash of each row's unit id (see `holdoutMask`): rows in id-hash order, independent of row order. */
function hashSplit(dataset: Dataset, unit: string, share: number): Split {
  const mask = hashMask(unitIds(dataset, unit), share, '');
  const train: number[] = [];
  const test: number[] = [];
  mask.forEach((held, i) => (held === 1 ? test : train).push(i));
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * The pipeline spec for a list of feature columns: numeric columns scaled
 * to mean 0 and sd 1 (median-imputed with a missing indicator where any
 * value is missing), categorical ones one-hot with the first level dropped
 * (the intercept carries it) and unseen levels ignored.
 */
export function defaultPipeline(dataset: Dataset, features: readonly string[]): PipelineSpec {
  const numeric: NonNullable<PipelineSpec['numeric']> = {};
  const categorical: NonNullable<PipelineSpec['categorical']> = {};
  for (const name of features) {
    const column = dataset.column(name);
    if (column.kind === 'numeric') {
      const hasMissing = column.values.some((v) => Number.isNaN(v));
      numeric[name] = hasMissing ? { impute: 'median', indicator: true, scale: 'standard' } : { scale: 'standard' };
    } else categorical[name] = { unknown: 'ignore', drop: 'first' };
  }
  return { numeric, categorical };
}

/**
 * Splits the rows into training and holdout (by the hash of the unit id when
 * the spec names one, else seeded and stratified by arm) and
 * fits the feature pipeline on the training rows only, so that nothing of
 * the holdout leaks into a model. Warns about dropped features.
 */
export function buildFeatures(context: CampaignContext): CampaignFeatures {
  const { dataset, assignment } = context;
  const { codes } = assignment;
  const unit = context.spec.validation?.unit;
  const split = unit === undefined ? trainTestSplit(dataset.n, { testShare: context.holdoutShare, seed: context.seed, stratify: Float64Array.from(codes) }) : hashSplit(dataset, unit, context.holdoutShare);
  // The training rows of the feature columns only; the holdout is read through its index.
  const trainData = dataset.select(context.featureColumns).take(split.train);
  const pipeline = fitPipeline(context.featureSpec, trainData);
  // Dropped features (constant, all missing, identifier-like) and levels pooled past maxLevels.
  for (const warning of pipeline.warnings) context.warn(`Feature ${warning}.`);
  return {
    split,
    pipeline,
    trainX: transform(pipeline, trainData).matrix,
    testX: transformRows(pipeline, dataset, split.test).matrix,
    trainCodes: Int32Array.from(split.train, (i) => codes[i] as number),
    testCodes: Int32Array.from(split.test, (i) => codes[i] as number),
  };
}
