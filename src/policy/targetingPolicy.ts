import { z } from 'zod';
import { Fnv64 } from '../internal/fnv.js';
import { codeAssignment } from '../data/assignment.js';
import type { Dataset } from '../data/dataset.js';
import { InputError, isInputError } from '../errors.js';
import { requireDataset } from '../internal/validate.js';
import { type FittedPipeline, FittedPipelineSchema, type PipelineSpec, PipelineSpecSchema, fitPipeline, transform } from '../features/pipeline.js';
import { type DenseMatrix, rowsOf, takeRowsInto, takeValues } from '../linalg/denseMatrix.js';
import { borrowScratch, returnScratch } from '../internal/scratch.js';
import { LinearModelSchema, fitLinear } from '../models/fitLinear.js';
import { LogisticModelSchema, fitLogistic } from '../models/fitLogistic.js';
import { kFold, trainTestSplit } from '../models/validation.js';
import { sharingFits } from '../uplift/learners/common.js';
import {
  type MetaLearnerOptions,
  type UpliftModel,
  UpliftModelSchema,
  fitClassTransformation,
  fitDrLearner,
  fitSLearner,
  fitTLearner,
  fitXLearner,
  predictUplift,
} from '../uplift/metaLearners.js';
import { qiniAuc } from '../uplift/upliftAuc.js';
import { ArmEconomicsSchema, ResolvedEconomicsSchema, resolveEconomics } from './economics.js';

/** The format version of a stored policy; it changes whenever a field changes meaning. */
export const POLICY_VERSION = 1;
/** The library that writes policies, for their provenance. Kept equal to package.json by a test. */
export const LIBRARY_VERSION = 'promolens 0.1.0';

/** The uplift learners a policy can choose among, by name. */
export const POLICY_LEARNERS = ['t', 's', 'x', 'dr', 'class_transformation'] as const;
export type PolicyLearnerName = (typeof POLICY_LEARNERS)[number];

/** One set of economics for every arm (a campaign-wide `budget` allowed), or one per arm label. */
export const TargetingEconomicsSchema = z.union([
  ArmEconomicsSchema.extend({ budget: z.number().positive().optional() }).strict(),
  z.record(z.string(), ArmEconomicsSchema),
]);

/** What each arm does under the policy: rank customers by the model, send to all, or send to none. */
export const ArmActionSchema = z.enum(['target', 'treat_all', 'treat_none']);
export type ArmAction = z.infer<typeof ArmActionSchema>;

/**
 * What to fit a policy on: the same spec as `evaluateCampaign` (the keys
 * only the report uses are accepted and ignored), with a unit column and
 * the decision rule.
 */
export const TargetingSpecSchema = z
  .object({
    title: z.string().optional(),
    treatment: z.object({ column: z.string(), control: z.union([z.string(), z.number()]) }).strict(),
    outcomes: z
      .array(z.object({ column: z.string(), kind: z.enum(['binary', 'continuous']), label: z.string().optional(), preperiod: z.string().optional() }).strict())
      .min(1),
    /** Outcome the uplift models and the economics use. Default: the first outcome. */
    upliftOutcome: z.string().optional(),
    /** Feature columns (numeric: standardised, median-imputed with an indicator where values are missing; categorical: one-hot), or a pipeline spec. */
    features: z.union([z.array(z.string()).min(1), PipelineSpecSchema]),
    segments: z.array(z.string()).optional(),
    expectedShares: z.record(z.string(), z.number().positive()).optional(),
    economics: TargetingEconomicsSchema.optional(),
    /** Column identifying a customer, copied to the assignments. */
    unit: z.string().optional(),
    learners: z.array(z.enum(POLICY_LEARNERS)).min(1).optional(),
    validation: z
      .object({
        holdoutShare: z.number().gt(0).lt(1).optional(),
        seed: z.number().int().optional(),
        /** Folds of the cross-fitting that chooses the learner of each arm. Default 3. */
        folds: z.number().int().min(2).max(20).optional(),
        /**
         * Most rows (an arm's and control's together) the cross-fitting that
         * chooses the learner sees; above it, a seeded sample stratified by arm.
         * The chosen learner is then fitted on every row. Default `SELECTION_ROWS` (200,000).
         */
        selectionRows: z.number().int().min(100).optional(),
      })
      .strict()
      .optional(),
    /** The decision rule. */
    rule: z
      .object({
        /** A customer gets an offer only when its expected profit exceeds this. Default 0. */
        minimumProfit: z.number().finite().optional(),
        /** Per arm: 'target' (default), 'treat_all' or 'treat_none'. */
        actions: z.record(z.string(), ArmActionSchema).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type TargetingSpec = z.infer<typeof TargetingSpecSchema>;

/** A fitted outcome model: logistic (a 0/1 outcome) or linear. */
const OutcomeModelSchema = z.union([LogisticModelSchema, LinearModelSchema]);

export const ArmPolicySchema = z
  .object({
    arm: z.string(),
    action: ArmActionSchema,
    /** The chosen uplift learner and its fitted model (one treated arm against control); null when no learner could be fitted (see `unfitted`). */
    learner: z.enum(POLICY_LEARNERS).nullable(),
    uplift: UpliftModelSchema.nullable(),
    /** Expected outcome if treated (for the conversion cost), fitted on the arm's rows; l2 = 1. Null with `uplift`. */
    treatedOutcome: OutcomeModelSchema.nullable(),
    /** Why the arm has no models (for example no conversion among its rows): it is priced at its averages and never ranked. Absent when modelled. */
    unfitted: z.string().optional(),
    /** Mean outcome of the arm minus control: the uplift every customer gets under 'treat_all'. */
    averageUplift: z.number(),
    /** Mean outcome of the arm: the treated outcome under 'treat_all'. */
    averageTreatedOutcome: z.number(),
    /** Cross-fitted Qini of each learner compared (the choice is the highest; null for a learner a fold had too few events to fit), null when only one was given. */
    selection: z.array(z.object({ learner: z.enum(POLICY_LEARNERS), qini: z.number().nullable() })).nullable(),
  })
  .strict();
export type ArmPolicy = z.infer<typeof ArmPolicySchema>;

export const TargetingPolicySchema = z
  .object({
    kind: z.literal('targeting_policy'),
    version: z.literal(POLICY_VERSION),
    /** Unit (customer id) column, or null. */
    unit: z.string().nullable(),
    treatment: z.string(),
    /** Label of "send nothing". */
    control: z.string(),
    /** Treated arm labels, in the order of `models` and `economics`. */
    arms: z.array(z.string()).min(1),
    outcome: z.object({ column: z.string(), kind: z.enum(['binary', 'continuous']) }).strict(),
    /** Input columns the pipeline reads: all a customer file needs. */
    features: z.array(z.string()),
    pipeline: FittedPipelineSchema,
    models: z.array(ArmPolicySchema),
    economics: z.array(ResolvedEconomicsSchema),
    rule: z
      .object({
        kind: z.literal('max_profit'),
        minimumProfit: z.number(),
        /** Campaign-wide budget from the economics, the default of `applyPolicy`'s; null for none. */
        budget: z.number().nullable(),
      })
      .strict(),
    provenance: z
      .object({
        spec: z.unknown(),
        /** FNV-1a 64-bit hash (hex) of the treatment, outcome and feature columns of the rows fitted on. */
        fingerprint: z.string(),
        rows: z.number(),
        library: z.string(),
        seed: z.number(),
      })
      .strict(),
  })
  .strict();
export type TargetingPolicy = z.infer<typeof TargetingPolicySchema>;

/**
 * Checks a stored policy (for example `JSON.parse` of a file) and returns it typed.
 *
 * @throws InputError `incompatible`: not a policy, another format version, or a field that does not fit the schema (named)
 */
export function parsePolicy(value: unknown): TargetingPolicy {
  if (value === null || typeof value !== 'object' || (value as { kind?: unknown }).kind !== 'targeting_policy') {
    throw new InputError('incompatible', 'policy', 'not a targeting policy (kind must be "targeting_policy")');
  }
  const version = (value as { version?: unknown }).version;
  if (version !== POLICY_VERSION) {
    throw new InputError('incompatible', 'policy.version', `policy format version ${JSON.stringify(version)} is not the version ${POLICY_VERSION} this library reads; fit the policy again`);
  }
  const parsed = TargetingPolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('incompatible', `policy.${path}`, `policy field ${path}: ${issue?.message ?? 'invalid'}`);
  }
  const policy = parsed.data;
  const k = policy.arms.length;
  if (policy.models.length !== k || policy.economics.length !== k || policy.models.some((m, a) => m.arm !== policy.arms[a] || policy.economics[a]!.arm !== policy.arms[a])) {
    throw new InputError('incompatible', 'policy.models', 'policy models and economics must list the arms in the order of `arms`');
  }
  policy.models.forEach((m, a) => {
    if ((m.uplift === null || m.treatedOutcome === null) && m.action === 'target') {
      throw new InputError('incompatible', `policy.models.${a}.action`, `arm ${m.arm} has no fitted models, so it cannot be targeted: set its action to 'treat_all' or 'treat_none'`);
    }
  });
  return policy;
}

/** The default pipeline spec of a list of feature columns (as the campaign's). */
function pipelineFor(dataset: Dataset, features: readonly string[]): PipelineSpec {
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
 * Most rows of an arm and control that the learner choice cross-fits by
 * default. The choice compares the learners' rankings by Qini, and at this
 * size the Qini of a learner is measured to a small fraction of the
 * differences between learners that matter; beyond it, cross-fitting every
 * learner over millions of rows costs most of a campaign's time and changes
 * little but the last digits of the choice's scores. The chosen learner's
 * model is fitted on every row.
 */
export const SELECTION_ROWS = 200_000;

function fitUplift(name: PolicyLearnerName, X: DenseMatrix, y: Float64Array, t: Float64Array, binary: boolean, seed: number): UpliftModel {
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
 * Cross-fitted Qini of each learner: out-of-fold uplift predictions over
 * `folds` folds stratified by arm, scored together. Only these rows are seen.
 * @internal
 */
export function crossFittedQini(learners: readonly PolicyLearnerName[], X: DenseMatrix, y: Float64Array, t: Float64Array, binary: boolean, folds: number, seed: number): { learner: PolicyLearnerName; qini: number | null }[] {
  const splits = kFold(X.rows, folds, { seed, stratify: t });
  const scores = learners.map(() => new Float64Array(X.rows));
  // A learner that cannot be fitted on some fold (one class of outcome in a group: too few events) cannot be compared.
  const failed = learners.map(() => false);
  // Folds outside, learners inside: each fold's rows are copied once for every learner, into two
  // scratch buffers that serve every fold (the library's learners keep nothing of the rows they fit).
  const train = { data: borrowScratch(Math.max(...splits.map((f) => f.train.length)) * X.cols) };
  const test = { data: borrowScratch(Math.max(...splits.map((f) => f.test.length)) * X.cols) };
  for (const split of splits) {
    const Xtrain = takeRowsInto(X, split.train, train);
    const Xtest = takeRowsInto(X, split.test, test);
    const ytrain = takeValues(y, split.train);
    const ttrain = takeValues(t, split.train);
    // The T- and X-learners share their outcome models' fits on the fold's rows.
    sharingFits(() => learners.forEach((learner, l) => {
      if (failed[l]) return;
      try {
        const predicted = predictUplift(fitUplift(learner, Xtrain, ytrain, ttrain, binary, seed), Xtest);
        const score = scores[l] as Float64Array;
        split.test.forEach((row, j) => (score[row] = predicted[j]!));
      } catch (error) {
        if (!isInputError(error)) throw error;
        failed[l] = true;
      }
    }));
  }
  returnScratch(train.data, test.data);
  return learners.map((learner, l) => {
    if (failed[l]) return { learner, qini: null };
    try {
      return { learner, qini: qiniAuc(y, scores[l] as Float64Array, t, { normalize: binary }) };
    } catch (error) {
      if (isInputError(error)) return { learner, qini: null };
      throw error;
    }
  });
}

/** `crossFittedQini` on every row, or on a seeded sample of `most` rows stratified by arm when there are more. */
function selectLearners(learners: readonly PolicyLearnerName[], X: DenseMatrix, y: Float64Array, t: Float64Array, binary: boolean, folds: number, seed: number, most: number): { learner: PolicyLearnerName; qini: number | null }[] {
  if (X.rows <= most) return crossFittedQini(learners, X, y, t, binary, folds, seed);
  // (most − ½)/rows: ⌈share · rows⌉ is then exactly `most`, whatever the rounding of the quotient.
  const { test: sample } = trainTestSplit(X.rows, { seed, stratify: t, testShare: (most - 0.5) / X.rows });
  const rows = { data: borrowScratch(sample.length * X.cols) };
  const selection = crossFittedQini(learners, takeRowsInto(X, sample, rows), takeValues(y, sample), takeValues(t, sample), binary, folds, seed);
  returnScratch(rows.data);
  return selection;
}

/** values[rows[k]] for each k, in a typed array of values' kind. */
function gathered<T extends Float64Array | Int32Array>(values: T | ArrayLike<number>, rows: Int32Array): T {
  const out = values instanceof Int32Array ? new Int32Array(rows.length) : new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out as T;
}

/**
 * FNV-1a 64-bit over the bytes of the given columns (numeric values as
 * float64 little-endian, categorical as level text), by `Fnv64`: the hash
 * is read at a million rows per report, twice (policy and provenance).
 * With `rows`, the hash of `dataset.take(rows)`, read through the index.
 * @internal
 */
export function fingerprint(dataset: Dataset, columns: readonly string[], rows?: Int32Array): string {
  const hash = new Fnv64();
  const scratch = new Float64Array(1);
  const scratchBytes = new Uint8Array(scratch.buffer);
  const nativeLittleEndian = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;
  const littleEndian = (value: number) => {
    // As DataView.setFloat64(…, true) writes it, whatever the platform's order.
    new DataView(scratch.buffer).setFloat64(0, value, true);
    hash.bytes(scratchBytes, 0, 8);
  };
  for (const name of columns) {
    hash.bytes(Array.from(name, (ch) => ch.charCodeAt(0) & 0xff), 0, name.length);
    const column = dataset.column(name);
    if (column.kind === 'numeric') {
      const values = rows !== undefined ? gathered(column.values, rows) : column.values instanceof Float64Array ? column.values : Float64Array.from(column.values);
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.length * 8);
      // Runs of non-NaN values straight from the column's bytes; a NaN as DataView writes it (its bits are the engine's).
      let run = 0;
      for (let i = 0; i <= values.length; i++) {
        const nan = i < values.length && Number.isNaN(values[i] as number);
        if (i < values.length && !nan && nativeLittleEndian) continue;
        if (nativeLittleEndian) hash.bytes(bytes, run * 8, i * 8);
        else for (let r = run; r < i; r++) littleEndian(values[r] as number);
        if (nan) littleEndian(values[i] as number);
        run = i + 1;
      }
    } else {
      // Each row's level text and a 0 (0xff 0 for a missing value), gathered into a buffer hashed a run at a time.
      const codes = column.codes;
      const text = column.levels.map((level) => Uint8Array.from([...Array.from(level, (ch) => ch.charCodeAt(0) & 0xff), 0]));
      const missing = Uint8Array.of(0xff, 0);
      const longest = Math.max(2, ...text.map((bytes) => bytes.length));
      const buffer = new Uint8Array(Math.max(1 << 16, 2 * longest));
      let filled = 0;
      const count = rows === undefined ? codes.length : rows.length;
      for (let k = 0; k < count; k++) {
        const code = codes[rows === undefined ? k : (rows[k] as number)] as number;
        const bytes = code < 0 ? missing : (text[code] as Uint8Array);
        if (filled + bytes.length > buffer.length) {
          hash.bytes(buffer, 0, filled);
          filled = 0;
        }
        buffer.set(bytes, filled);
        filled += bytes.length;
      }
      hash.bytes(buffer, 0, filled);
    }
  }
  return hash.hex();
}

/**
 * Fits a deployable targeting policy on a randomised campaign: the feature
 * pipeline, per treated arm the uplift learner with the highest
 * cross-fitted Qini among `learners` (folds within these rows only, then
 * refitted on all of them) and a model of the outcome if treated (for the
 * conversion cost), the economics per arm and the decision rule. Apply it
 * to new customers with {@link applyPolicy}; store it as JSON and load it
 * back with {@link parsePolicy}.
 *
 * @throws InputError for a bad spec (`invalid_option` naming the key), `missing_column`, `not_binary`, `not_finite`, `single_class`
 */
export function fitTargetingPolicy(dataset: Dataset, spec: TargetingSpec): TargetingPolicy {
  const checked = checkSpec(spec);
  requireDataset('dataset', dataset);
  if (dataset.n === 0) throw new InputError('empty', 'dataset', 'the dataset has no rows');
  const pipelineSpec = Array.isArray(checked.features) ? pipelineFor(dataset, checked.features) : (checked.features as PipelineSpec);
  return fitPolicy(dataset, checked, pipelineSpec, null, (columns) => fingerprint(dataset, columns));
}

/**
 * {@link fitTargetingPolicy} on the rows `rows` of `dataset`, given the
 * feature pipeline already fitted on those rows with `spec.features` (a
 * pipeline spec) and its matrix of them — the campaign's: the same policy as
 * `fitTargetingPolicy(dataset.take(rows), spec)`, without copying the
 * feature columns, fitting the pipeline or transforming the rows again.
 * @internal
 */
export function fitTargetingPolicyOnRows(dataset: Dataset, spec: TargetingSpec, prepared: { readonly rows: Int32Array; readonly pipeline: FittedPipeline; readonly X: DenseMatrix }): TargetingPolicy {
  const checked = checkSpec(spec);
  requireDataset('dataset', dataset);
  const { rows } = prepared;
  if (rows.length === 0) throw new InputError('empty', 'dataset', 'the dataset has no rows');
  if (Array.isArray(checked.features)) throw new InputError('invalid_option', 'features', 'give the pipeline spec the prepared pipeline was fitted with');
  if (prepared.X.rows !== rows.length) throw new InputError('length_mismatch', 'X', `X has ${prepared.X.rows} rows, expected ${rows.length}`);
  const outcome = checked.upliftOutcome ?? checked.outcomes[0]!.column;
  if (checked.unit !== undefined) dataset.column(checked.unit);
  // Only the treatment and the outcome are read row by row here; the features come as the prepared matrix.
  const view = dataset.select([...new Set([checked.treatment.column, outcome])]).take(rows);
  return fitPolicy(view, checked, checked.features as PipelineSpec, prepared, (columns) => fingerprint(dataset, columns, rows));
}

function checkSpec(spec: TargetingSpec): z.infer<typeof TargetingSpecSchema> {
  const parsed = TargetingSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('invalid_option', path || 'spec', `targeting spec ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The policy of checked spec on a dataset holding (at least) its treatment and outcome columns, with the features as `pipelineSpec` fitted here or `prepared`. */
function fitPolicy(dataset: Dataset, checked: z.infer<typeof TargetingSpecSchema>, pipelineSpec: PipelineSpec, prepared: { readonly pipeline: FittedPipeline; readonly X: DenseMatrix } | null, fingerprintOf: (columns: readonly string[]) => string): TargetingPolicy {
  const assignment = codeAssignment(dataset, checked.treatment.column, checked.treatment.control);
  const outcomeName = checked.upliftOutcome ?? checked.outcomes[0]!.column;
  const outcomeSpec = checked.outcomes.find((o) => o.column === outcomeName);
  if (outcomeSpec === undefined) throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${outcomeName}' is not one of the outcomes`);
  const binary = outcomeSpec.kind === 'binary';
  const y = dataset.numeric(outcomeName);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (assignment.codes[i] === -2) continue;
    if (!Number.isFinite(v)) throw new InputError('not_finite', outcomeName, `outcome '${outcomeName}' is missing or not finite at row ${i}`, i);
    if (binary && v !== 0 && v !== 1) throw new InputError('not_binary', outcomeName, `outcome '${outcomeName}' is declared binary but is ${v} at row ${i}`, i);
  }
  const features = [...Object.keys(pipelineSpec.numeric ?? {}), ...Object.keys(pipelineSpec.categorical ?? {})];
  if (checked.unit !== undefined && prepared === null) dataset.column(checked.unit);
  const arms = assignment.arms;
  const economicsInput = checked.economics === undefined ? undefined : stripBudget(checked.economics);
  const economics = resolveEconomics(economicsInput, arms);
  const actions = checked.rule?.actions ?? {};
  for (const arm of Object.keys(actions)) if (!arms.includes(arm)) throw new InputError('invalid_option', `rule.actions.${arm}`, `rule names arm ${JSON.stringify(arm)}, which is not one of ${arms.join(', ')}`);
  const seed = checked.validation?.seed ?? 0;
  const folds = checked.validation?.folds ?? 3;
  const selectionRows = checked.validation?.selectionRows ?? SELECTION_ROWS;
  const learners = checked.learners ?? ['t', 's', 'x', 'dr', 'class_transformation'];
  const pipeline = prepared?.pipeline ?? fitPipeline(pipelineSpec, dataset);
  const X = prepared?.X ?? transform(pipeline, dataset).matrix;
  const codes = assignment.codes;
  const models: ArmPolicy[] = arms.map((arm, a) => {
    const rows: number[] = [];
    const treatedRows: number[] = [];
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] === -1 || codes[i] === a) rows.push(i);
      if (codes[i] === a) treatedRows.push(i);
    }
    // With one arm these are every row: X itself, not a copy.
    const Xa = rowsOf(X, rows);
    const ya = takeValues(y, rows);
    const ta = Float64Array.from(rows, (i) => (codes[i] === a ? 1 : 0));
    const selection = learners.length > 1 ? selectLearners(learners, Xa, ya, ta, binary, folds, seed, selectionRows) : null;
    const compared = selection?.filter((s): s is { learner: PolicyLearnerName; qini: number } => s.qini !== null) ?? [];
    // The highest cross-fitted Qini first, then the rest in the order given (none comparable: too few events in every fold).
    const ranked = [...compared].sort((p, q) => q.qini - p.qini).map((s) => s.learner);
    const order = [...ranked, ...learners.filter((l) => !ranked.includes(l))];
    const fitted = fitArmModels(outcomeName, pipeline.names, order, X, Xa, ya, ta, y, treatedRows, binary, seed);
    const { learner, uplift, treatedOutcome } = fitted;
    let treatedSum = 0;
    let controlSum = 0;
    let controlCount = 0;
    for (const i of rows) {
      if (codes[i] === a) treatedSum += y[i]!;
      else {
        controlSum += y[i]!;
        controlCount++;
      }
    }
    const averageTreatedOutcome = treatedSum / treatedRows.length;
    return {
      arm,
      // An arm without models is priced at its averages: 'treat_all' unless the rule withholds it.
      action: fitted.unfitted === undefined ? (actions[arm] ?? 'target') : actions[arm] === 'treat_none' ? 'treat_none' : 'treat_all',
      learner,
      uplift,
      treatedOutcome,
      ...(fitted.unfitted === undefined ? {} : { unfitted: fitted.unfitted }),
      averageUplift: averageTreatedOutcome - controlSum / controlCount,
      averageTreatedOutcome,
      selection,
    };
  });
  const budget = checked.economics !== undefined && 'budget' in checked.economics && typeof checked.economics.budget === 'number' ? checked.economics.budget : null;
  return {
    kind: 'targeting_policy',
    version: POLICY_VERSION,
    unit: checked.unit ?? null,
    treatment: checked.treatment.column,
    control: assignment.control,
    arms: [...arms],
    outcome: { column: outcomeName, kind: outcomeSpec.kind },
    features,
    pipeline,
    models,
    economics,
    rule: { kind: 'max_profit', minimumProfit: checked.rule?.minimumProfit ?? 0, budget },
    provenance: {
      spec: JSON.parse(JSON.stringify(checked)) as unknown,
      fingerprint: fingerprintOf([checked.treatment.column, outcomeName, ...features]),
      rows: dataset.n,
      library: LIBRARY_VERSION,
      seed,
    },
  };
}

/** Data-caused fit failures (one class of outcome, a singular design, no rows): the arm or learner is skipped, not the policy. */
function unfittable(error: unknown): error is InputError {
  return isInputError(error) && (error.reason === 'single_class' || error.reason === 'singular' || error.reason === 'empty');
}

/**
 * The uplift model of the first learner of `order` that can be fitted on the
 * arm's rows, and the outcome-if-treated model; both null, with the reason,
 * when no learner or no treated-outcome model can be fitted.
 */
function fitArmModels(outcome: string, names: readonly string[], order: readonly PolicyLearnerName[], X: DenseMatrix, Xa: DenseMatrix, ya: Float64Array, ta: Float64Array, y: Float64Array, treatedRows: readonly number[], binary: boolean, seed: number): { learner: PolicyLearnerName | null; uplift: UpliftModel | null; treatedOutcome: z.infer<typeof OutcomeModelSchema> | null; unfitted?: string } {
  const scratch = { data: borrowScratch(treatedRows.length * X.cols) };
  const treatedX = takeRowsInto(X, treatedRows, scratch);
  const treatedY = takeValues(y, treatedRows);
  let treatedOutcome: z.infer<typeof OutcomeModelSchema>;
  try {
    // As logisticLearner / linearLearner with l2 = 1 fit it, with the pipeline's column names on the terms (not x0, x1, …).
    treatedOutcome = binary ? fitLogistic(treatedX, treatedY, { l2: 1, names: [...names] }) : fitLinear(treatedX, treatedY, { l2: 1, names: [...names] });
    returnScratch(scratch.data);
  } catch (error) {
    if (!unfittable(error)) throw error;
    const events = treatedY.reduce((sum, v) => sum + v, 0);
    const why = binary && (events === 0 || events === treatedY.length) ? `all ${treatedY.length} of its treated rows have ${outcome} = ${events === 0 ? 0 : 1}` : error.message;
    return { learner: null, uplift: null, treatedOutcome: null, unfitted: `its outcome if treated cannot be modelled: ${why}` };
  }
  const failures: string[] = [];
  for (const learner of order) {
    try {
      return { learner, uplift: fitUplift(learner, Xa, ya, ta, binary, seed), treatedOutcome };
    } catch (error) {
      if (!unfittable(error)) throw error;
      failures.push(`${learner}: ${error.message}`);
    }
  }
  return { learner: null, uplift: null, treatedOutcome: null, unfitted: `no uplift learner can be fitted (${failures.join('; ')})` };
}

function stripBudget(economics: z.infer<typeof TargetingEconomicsSchema>): z.infer<typeof TargetingEconomicsSchema> {
  if ('budget' in economics && typeof economics.budget === 'number') {
    const { budget: _budget, ...rest } = economics as { budget: number };
    return rest;
  }
  return economics;
}
