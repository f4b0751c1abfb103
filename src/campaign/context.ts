import { type Assignment, codeAssignment } from '../data/assignment.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';
import type { PipelineSpec } from '../features/pipeline.js';
import { defaultPipeline } from './features.js';
import { type CampaignSpec, type EvaluateOptions, type LearnerName, type RatioOutcomeSpec, TREE_DEFAULT_LEARNERS, TREE_DEFAULT_MIN_EVENTS, TREE_DEFAULT_MIN_ROWS, type ValueOutcomeSpec, outcomeName, parseSpec } from './spec.js';
import { META_LEARNERS } from '../uplift/learners/common.js';

/** One outcome of the spec with its checked values. */
export interface PreparedOutcome {
  readonly column: string;
  readonly kind: 'binary' | 'continuous';
  /** The name shown in the report (the spec's label, else the column). */
  readonly label: string;
  readonly values: Float64Array;
  /** Pre-period values for CUPED, when the spec names a pre-period column. */
  readonly pre: Float64Array | undefined;
  /** The pre-period column's name (errors name it). */
  readonly preperiod?: string;
}

/** A ratio outcome of the spec with its numerator's and denominator's values. */
export interface PreparedRatio {
  readonly column: string;
  readonly label: string;
  readonly numerator: Float64Array;
  readonly denominator: Float64Array;
  /** Pre-period numerator and denominator for the regression-adjusted ratio, when the spec names them. */
  readonly pre?: { readonly numerator: Float64Array; readonly denominator: Float64Array; readonly name: string };
}

function prepareRatio(dataset: Dataset, o: RatioOutcomeSpec): PreparedRatio {
  const column = outcomeName(o);
  const pre = o.preperiod;
  return {
    column,
    label: o.label ?? column,
    numerator: outcomeValues(dataset, o.numerator, 'continuous'),
    denominator: outcomeValues(dataset, o.denominator, 'continuous'),
    ...(pre === undefined
      ? {}
      : { pre: { numerator: outcomeValues(dataset, pre.numerator, 'continuous'), denominator: outcomeValues(dataset, pre.denominator, 'continuous'), name: `${pre.numerator}/${pre.denominator}` } }),
  };
}

/**
 * What every stage reads: the checked data, the coded arms and the spec
 * with its defaults filled in. Built once by {@link prepareCampaign}; the
 * stages never change it.
 */
export interface CampaignContext {
  readonly dataset: Dataset;
  readonly spec: CampaignSpec;
  readonly assignment: Assignment;
  readonly outcomes: readonly PreparedOutcome[];
  /** The ratio outcomes (effects only). */
  readonly ratios: readonly PreparedRatio[];
  /** The outcome the uplift models and targeting use. */
  readonly upliftOutcome: PreparedOutcome;
  readonly featureSpec: PipelineSpec;
  /** The feature columns as the user named them. */
  readonly featureColumns: readonly string[];
  readonly seed: number;
  readonly holdoutShare: number;
  readonly learners: readonly LearnerName[];
  /** Bootstrap resamples and permutations for the uplift scores. */
  readonly resamples: number;
  readonly progress: (stage: string) => void;
  /** Adds a warning to the report's checks, in the order the stages run. */
  readonly warn: (message: string) => void;
}

/**
 * What the stages that run without models read (checks, effects, segments, summary, settings,
 * provenance): the context with no uplift outcome when every outcome is a ratio (an effects-only spec).
 */
export interface EffectsContext extends Omit<CampaignContext, 'upliftOutcome'> {
  readonly upliftOutcome: PreparedOutcome | null;
}

/**
 * Narrows an effects context to the full one the model stages need.
 * @throws InputError `invalid_option` when every outcome is a ratio (no uplift outcome)
 */
export function assertModelContext(context: EffectsContext): asserts context is CampaignContext {
  if (context.upliftOutcome === null) throw new InputError('invalid_option', 'outcomes', 'uplift models and targeting need a binary or continuous outcome; every outcome is a ratio');
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

/** A pre-period column's values, each finite on the rows of an arm or control (CUPED needs every one), errors naming the column and the row. */
function preperiodValues(dataset: Dataset, column: string, outcome: string, codes: Int32Array): Float64Array {
  const values = dataset.numeric(column);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if ((codes[i] as number) >= -1 && !Number.isFinite(v)) {
      throw new InputError('not_finite', column, `pre-period column '${column}' (of outcome '${outcome}') is ${Number.isNaN(v) ? 'missing' : v} at row ${i}: the pre-period adjustment needs a value on every row; fill it (for example 0 for customers not yet active then) or leave out preperiod`, i);
    }
  }
  return values;
}

/**
 * The learners compared when the spec names none: the linear meta-learners,
 * and the tree learners `TREE_DEFAULT_LEARNERS` when the training rows
 * (expected, the rows times 1 − holdout share) number at least
 * `TREE_DEFAULT_MIN_ROWS` and, for a 0/1 uplift outcome, control and each
 * arm have at least `TREE_DEFAULT_MIN_EVENTS` events (outcome 1) in them.
 */
export function defaultLearners(assignment: { readonly codes: Int32Array; readonly arms: readonly string[] }, outcome: { readonly kind: 'binary' | 'continuous'; readonly values: ArrayLike<number> }, holdoutShare: number): LearnerName[] {
  const trainShare = 1 - holdoutShare;
  const k = assignment.arms.length;
  const rows = new Float64Array(k + 1);
  const events = new Float64Array(k + 1);
  for (let i = 0; i < assignment.codes.length; i++) {
    const code = assignment.codes[i]!;
    if (code < -1) continue;
    rows[code + 1]! += 1;
    const v = outcome.values[i]!;
    if (Number.isFinite(v)) events[code + 1]! += v;
  }
  let total = 0;
  for (const r of rows) total += r;
  const large = total * trainShare >= TREE_DEFAULT_MIN_ROWS && (outcome.kind !== 'binary' || events.every((e) => e * trainShare >= TREE_DEFAULT_MIN_EVENTS));
  return large ? [...META_LEARNERS, ...TREE_DEFAULT_LEARNERS] : [...META_LEARNERS];
}

/**
 * Checks a spec against a dataset and prepares what the stages share: the
 * `Assignment`, the outcomes' values, the feature pipeline's spec.
 *
 * @throws InputError for a bad spec (`invalid_option` naming the key), no
 *   rows (`empty`), an unknown column (`missing_column`), a control level
 *   that is absent or the only one (`invalid_option`, `single_class`), an
 *   outcome declared binary that is not (`not_binary`, naming the row), an
 *   `upliftOutcome` that is not an outcome (`invalid_option`), outcomes
 *   that are all ratios (`invalid_option`: the models need a binary or continuous one)
 */
export function prepareCampaign(dataset: Dataset, specInput: CampaignSpec, options: EvaluateOptions, warn: (message: string) => void): CampaignContext {
  const context = prepareEffects(dataset, specInput, options, warn);
  assertModelContext(context);
  return context;
}

/**
 * {@link prepareCampaign} for every spec, an effects-only one whose outcomes are all ratios
 * included (its `upliftOutcome` is then null).
 * @throws InputError as {@link prepareCampaign}, and `invalid_option` for a spec of ratios only with features
 */
export function prepareEffects(dataset: Dataset, specInput: CampaignSpec, options: EvaluateOptions, warn: (message: string) => void): EffectsContext {
  const spec = parseSpec(specInput);
  if (dataset.n === 0) throw new InputError('empty', 'dataset', 'the dataset has no rows');
  if (spec.learners !== undefined && !spec.learners.some((l) => (META_LEARNERS as readonly string[]).includes(l))) {
    throw new InputError('invalid_option', 'learners', `learners must include one of ${META_LEARNERS.join(', ')}: the targeting policy chooses among those (the tree learners are scored for reference)`);
  }
  const assignment = codeAssignment(dataset, spec.treatment.column, spec.treatment.control);
  const outcomes: PreparedOutcome[] = spec.outcomes.filter((o): o is ValueOutcomeSpec => o.kind !== 'ratio').map((o) => ({
    column: o.column,
    kind: o.kind,
    label: o.label ?? o.column,
    values: outcomeValues(dataset, o.column, o.kind),
    pre: o.preperiod === undefined ? undefined : preperiodValues(dataset, o.preperiod, o.column, assignment.codes),
    ...(o.preperiod === undefined ? {} : { preperiod: o.preperiod }),
  }));
  // No features: an effects-only evaluation (the model stages do not run).
  const featureSpec: PipelineSpec = spec.features === undefined ? { numeric: {}, categorical: {} } : Array.isArray(spec.features) ? defaultPipeline(dataset, spec.features) : (spec.features as PipelineSpec);
  const featureColumns = [...Object.keys(featureSpec.numeric ?? {}), ...Object.keys(featureSpec.categorical ?? {})];
  for (const column of [...featureColumns, ...(spec.segments ?? [])]) dataset.column(column);
  const ratios = spec.outcomes.filter((o): o is RatioOutcomeSpec => o.kind === 'ratio').map((o) => prepareRatio(dataset, o));
  const names = spec.outcomes.map(outcomeName);
  const repeated = names.find((name, k) => names.indexOf(name) !== k);
  if (repeated !== undefined) throw new InputError('invalid_option', 'outcomes', `outcome '${repeated}' is named twice`);
  if (ratios.some((r) => r.column === spec.upliftOutcome)) {
    throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${spec.upliftOutcome}' is a ratio: uplift models and targeting use a binary or continuous outcome`);
  }
  // Only ratios: effects and segment effects only, as the models need a binary or continuous outcome.
  if (outcomes.length === 0 && spec.features !== undefined) {
    throw new InputError('invalid_option', 'outcomes', 'every outcome is a ratio: uplift models and targeting need a binary or continuous outcome; add one, or leave out features for effects only');
  }
  const upliftName = spec.upliftOutcome ?? outcomes[0]?.column;
  const upliftOutcome = upliftName === undefined ? null : outcomes.find((o) => o.column === upliftName);
  if (upliftOutcome === undefined) throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${upliftName}' is not one of the outcomes`);
  return {
    dataset,
    spec,
    assignment,
    outcomes,
    ratios,
    upliftOutcome,
    featureSpec,
    featureColumns,
    seed: spec.validation?.seed ?? 0,
    holdoutShare: spec.validation?.holdoutShare ?? 0.3,
    learners: spec.learners ?? (upliftOutcome === null ? [] : defaultLearners(assignment, upliftOutcome, spec.validation?.holdoutShare ?? 0.3)),
    resamples: options.resamples ?? 100,
    progress: options.onProgress ?? (() => undefined),
    warn,
  };
}
