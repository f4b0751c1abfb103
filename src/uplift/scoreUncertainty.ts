import { z } from 'zod';
import { InputError } from '../errors.js';
import { drawCopies, fillUniform, randomState } from '../internal/random.js';
import { sortedQuantile } from '../internal/quantile.js';
import { finiteResult, upliftInputs } from './inputs.js';
import { checkOptions, rules } from '../internal/validate.js';
import { normalisedArea, qiniAuc, upliftAuc } from './upliftAuc.js';
import { type Area, aboveRandom, countedAreaOfCodes, layOut, rankRows, rankedArea, rankedAreaOfCodes, tieFreeAreaOfCodes, weightedRankedArea } from './ranking.js';
import { curveOf, groupsOfTotals, perfectQini, perfectUpliftTotals, requireBinaryOutcome } from './upliftCurve.js';

/** Any uplift score of (yTrue, uplift, treatment). */
export type UpliftScore = (yTrue: Float64Array, uplift: Float64Array, treatment: Float64Array) => number;

/**
 * The scikit-uplift areas named with their options. Passed to
 * {@link scoreUncertainty} they take a path that never copies or re-sorts a
 * replicate; `qiniAuc` and `upliftAuc` themselves (default options) are
 * recognised and take it too.
 */
export interface AreaScore {
  readonly score: 'qini_auc' | 'uplift_auc';
  /** As the `normalize` option of `qiniAuc` / `upliftAuc`. Default true. */
  readonly normalize?: boolean | undefined;
  /** As the `negativeEffect` option of `qiniAuc`. Default true. */
  readonly negativeEffect?: boolean | undefined;
}

export interface ScoreUncertaintyOptions {
  /** Bootstrap resamples (within each treatment group), 20 to 100,000. Default 500. */
  readonly resamples?: number;
  /** Permutations of the scores for the p-value against a random ranking. Default 500. */
  readonly permutations?: number;
  /** Interval coverage 1 − alpha. Default 0.05. */
  readonly alpha?: number;
  /** Default 0: the same seed gives the same result on every runtime. */
  readonly seed?: number;
}

// At most 100,000 of each (as upliftFeatureImportance): the replicates are held in memory, and more buys no precision a report shows.
const SCORE_UNCERTAINTY_OPTIONS = { resamples: rules.integer({ min: 20, max: 100_000 }), permutations: rules.integer({ min: 20, max: 100_000 }), alpha: rules.fraction(), seed: rules.integer() } as const;
const AREA_SCORE = { score: rules.oneOf(['qini_auc', 'uplift_auc']), normalize: rules.boolean(), negativeEffect: rules.boolean() } as const;

/** The metric given as an {@link AreaScore}, checked; its fields are named `metric.…` in errors. */
function areaScore(metric: unknown): AreaScore {
  if (metric === null || typeof metric !== 'object') {
    throw new InputError('invalid_option', 'metric', `metric must be a function of (yTrue, uplift, treatment) or { score: 'qini_auc' | 'uplift_auc' }, got ${metric === null ? 'null' : typeof metric}`);
  }
  try {
    const area = checkOptions(metric as AreaScore, AREA_SCORE, 'metric');
    if (area.score === undefined) throw new InputError('invalid_option', 'score', "metric.score must be 'qini_auc' or 'uplift_auc'");
    return area;
  } catch (error) {
    if (error instanceof InputError) throw new InputError('invalid_option', `metric.${error.field}`, error.message);
    throw error;
  }
}

export const ScoreUncertaintySchema = z
  .object({
    kind: z.literal('score_uncertainty'),
    estimate: z.number(),
    standardError: z.number(),
    ci: z.tuple([z.number(), z.number()]),
    /** Share of score permutations scoring at least the estimate (add-one corrected): a random ranking's chance of doing as well. */
    pValue: z.number(),
    resamples: z.number(),
    permutations: z.number(),
    alpha: z.number(),
    seed: z.number(),
  })
  .readonly();
export type ScoreUncertainty = z.infer<typeof ScoreUncertaintySchema>;

/**
 * Uncertainty of an uplift score (`upliftAuc`, `qiniAuc`, `upliftAtK`, or any
 * (yTrue, uplift, treatment) → number): a bootstrap standard error and
 * percentile interval (rows resampled within each treatment group, so both
 * keep their sizes), and a permutation p-value against a random ranking
 * (the scores shuffled across rows), because a model with no skill can
 * still show a positive-looking Qini on a finite sample. Resamples whose
 * metric is undefined (for example no treated row at k) are skipped and
 * counted out. Seeded. O((resamples + permutations) · cost of the metric).
 *
 * `metric` is any function of (yTrue, uplift, treatment), or an
 * {@link AreaScore} naming the Qini or uplift AUC with its options: those
 * (and `qiniAuc` / `upliftAuc` passed as they are) are scored on each
 * replicate in one walk over the rows, O(n) with no copy or sort, with the
 * same draws and so the same result as the function would give.
 *
 * @throws InputError as the inputs of `upliftCurve`; `invalid_option`; `empty` when the metric is undefined on most resamples
 */
export function scoreUncertainty(
  metric: UpliftScore | AreaScore,
  yTrue: ArrayLike<number>,
  uplift: ArrayLike<number>,
  treatment: ArrayLike<number>,
  options: ScoreUncertaintyOptions = {},
): ScoreUncertainty {
  const { y, score, t } = upliftInputs(yTrue, uplift, treatment);
  const parsed = checkOptions(options, SCORE_UNCERTAINTY_OPTIONS);
  const resamples = parsed.resamples ?? 500;
  const permutations = parsed.permutations ?? 500;
  const alpha = parsed.alpha ?? 0.05;
  const seed = parsed.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 20) throw new InputError('invalid_option', 'resamples', `resamples must be an integer ≥ 20, got ${resamples}`);
  if (!Number.isInteger(permutations) || permutations < 20) throw new InputError('invalid_option', 'permutations', `permutations must be an integer ≥ 20, got ${permutations}`);
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const area = metric === qiniAuc ? { score: 'qini_auc' as const } : metric === upliftAuc ? { score: 'uplift_auc' as const } : typeof metric === 'function' ? undefined : areaScore(metric);
  const replicates = area === undefined ? genericReplicates(metric as UpliftScore, y, score, t, resamples, permutations, seed) : areaReplicates(area, y, [score], t, resamples, permutations, seed)[0]!;
  const result = summarise(replicates, resamples, permutations, alpha, seed);
  if (result instanceof InputError) throw result;
  return result;
}

/**
 * {@link scoreUncertainty} of one area score for several rankings of the
 * same rows (a campaign's learners on its holdout): the same numbers to the
 * bit as one call per score, with each bootstrap replicate's copies drawn
 * once for all of them and each permutation shuffled once. A score that
 * overflows, or whose metric is undefined on most replicates, gets its
 * error (`out_of_range`, `empty`) in its place; an error of the inputs is
 * thrown. @internal
 */
export function areaUncertainties(
  metric: AreaScore,
  yTrue: ArrayLike<number>,
  scores: readonly ArrayLike<number>[],
  treatment: ArrayLike<number>,
  options: ScoreUncertaintyOptions = {},
): (ScoreUncertainty | InputError)[] {
  const inputs = scores.map((score) => upliftInputs(yTrue, score, treatment));
  if (inputs.length === 0) return [];
  const { y, t } = inputs[0]!;
  const parsed = checkOptions(options, SCORE_UNCERTAINTY_OPTIONS);
  const resamples = parsed.resamples ?? 500;
  const permutations = parsed.permutations ?? 500;
  const alpha = parsed.alpha ?? 0.05;
  const seed = parsed.seed ?? 0;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  return areaReplicates(areaScore(metric), y, inputs.map((i) => i.score), t, resamples, permutations, seed).map((r) => summarise(r, resamples, permutations, alpha, seed));
}

/** The result of a score's replicates, or its error: `out_of_range` when the score overflows, `empty` when the metric was undefined on most replicates. */
function summarise(replicates: Replicates, resamples: number, permutations: number, alpha: number, seed: number): ScoreUncertainty | InputError {
  const { estimate, draws, atLeast, valid } = replicates;
  try {
    finiteResult(estimate, 'the score');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  if (draws.length < resamples / 2 || valid < permutations / 2) {
    return new InputError('empty', 'uplift', 'the metric is undefined on most resamples (too few rows of a group): its uncertainty cannot be estimated');
  }
  const sorted = Float64Array.from(draws).sort();
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
  return {
    kind: 'score_uncertainty',
    estimate,
    standardError: Math.sqrt(variance),
    ci: [sortedQuantile(sorted, alpha / 2), sortedQuantile(sorted, 1 - alpha / 2)],
    pValue: (atLeast + 1) / (valid + 1),
    resamples: draws.length,
    permutations: valid,
    alpha,
    seed,
  };
}

interface Replicates {
  readonly estimate: number;
  /** Finite bootstrap values. */
  readonly draws: number[];
  /** Permutations scoring at least the estimate, and permutations with a finite score. */
  readonly atLeast: number;
  readonly valid: number;
}

/** Any metric: each replicate is written out in rank order and scored by the metric. */
function genericReplicates(metric: UpliftScore, y: Float64Array, score: Float64Array, t: Float64Array, resamples: number, permutations: number, seed: number): Replicates {
  const estimate = metric(y, score, t);
  const state = randomState(seed);
  const uniforms = new Float64Array(y.length);
  const n = y.length;
  // Every replicate is written in descending score order, so the metric's
  // ranking finds it sorted and costs O(n) instead of a sort.
  const ranked = rankRows(y, score, t).order;
  const { treated: treatedRows, control: controlRows } = groupMembers(t, (i) => i);
  const by = new Float64Array(n);
  const bs = new Float64Array(n);
  const bt = new Float64Array(n);
  const copies = new Float64Array(n);
  const draws: number[] = [];
  for (let b = 0; b < resamples; b++) {
    // Resample within each group (how many copies of each row), then lay the copies out by rank.
    drawCopies(state, [treatedRows, controlRows], copies, uniforms);
    let k = 0;
    for (let position = 0; position < n; position++) {
      const row = ranked[position] as number;
      for (let c = copies[row] as number; c > 0; c--) {
        by[k] = y[row] as number;
        bs[k] = score[row] as number;
        bt[k++] = t[row] as number;
      }
    }
    const value = scored(() => metric(by, bs, bt));
    if (value !== undefined) draws.push(value);
  }
  // A random ranking: the sorted scores dealt to the rows in a random order.
  for (let position = 0; position < n; position++) bs[position] = score[ranked[position] as number] as number;
  const shuffled = Uint32Array.from({ length: n }, (_, i) => i);
  let atLeast = 0;
  let valid = 0;
  for (let b = 0; b < permutations; b++) {
    dealShuffled(state, shuffled, y, t, by, bt, uniforms);
    const value = scored(() => metric(by, bs, bt));
    if (value === undefined) continue;
    valid++;
    if (value >= estimate) atLeast++;
  }
  return { estimate, draws, atLeast, valid };
}

/**
 * The scikit-uplift areas, replicate by replicate without copies or sorts,
 * for one or more rankings (scores) of the same rows: each ranking's rows
 * are laid out once in rank order with the ends of tie groups marked; a
 * bootstrap replicate is a count of copies per row, drawn once for all
 * rankings (the same draws as the generic path, so the same numbers) and
 * walked as weights in each ranking's order; a permutation deals the
 * outcome/treatment pairs to the fixed ranked scores, shuffled once for all
 * rankings, and scored once for every ranking without ties (their areas
 * depend on the dealt pairs alone). The perfect curve of a replicate comes
 * from its four group counts.
 */
function areaReplicates(area: AreaScore, y: Float64Array, scores: readonly Float64Array[], t: Float64Array, resamples: number, permutations: number, seed: number): Replicates[] {
  const normalize = area.normalize ?? true;
  const negativeEffect = area.negativeEffect ?? true;
  const qini = area.score === 'qini_auc';
  if (normalize) requireBinaryOutcome(y, qini ? 'the normalised Qini AUC' : 'the normalised uplift AUC');
  const n = y.length;
  const kind = qini ? 'qini' : 'uplift';
  const value = (walk: Area): number => {
    if (!normalize) return aboveRandom(walk.area, walk.lastX, walk.lastY);
    const groups = groupsOfTotals(walk);
    return normalisedArea(walk.area, qini ? perfectQini(groups, negativeEffect) : curveOf('uplift', perfectUpliftTotals(groups)));
  };
  const rankings = scores.map((score) => {
    const ranking = rankRows(y, score, t);
    const layout = layOut(ranking);
    // A 0/1 outcome's pairs packed a byte a row in rank order, for the bootstrap's walks.
    const codes = normalize ? Uint8Array.from(ranking.order, (row) => 2 * (y[row] as number) + (t[row] as number)) : null;
    return { order: ranking.order, y: layout.y, t: layout.t, codes, groupEnds: layout.groupEnds, tieFree: layout.groupEnds.every((end) => end === 1), estimate: value(rankedArea(kind, layout.y, layout.t, layout.groupEnds)), draws: [] as number[] };
  });
  const state = randomState(seed);
  const uniforms = new Float64Array(n);
  const { treated, control } = groupMembers(t, (i) => i);
  // Copies per row, drawn once a replicate; each ranking reads them in its order (for a 0/1
  // outcome as bytes, when no row drew more than 255 copies; else laid out in rank order).
  const rowCopies = new Float64Array(n);
  const counts = new Uint8Array(normalize ? n : 0);
  const copies = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    drawCopies(state, [treated, control], rowCopies, uniforms);
    let most = 0;
    if (normalize) {
      for (let i = 0; i < n; i++) {
        const c = rowCopies[i] as number;
        counts[i] = c;
        most = c > most ? c : most;
      }
    }
    const bytes = normalize && most <= 255;
    for (const r of rankings) {
      const order = r.order;
      if (!bytes) for (let p = 0; p < n; p++) copies[p] = rowCopies[order[p] as number] as number;
      const v = scored(() => value(bytes ? countedAreaOfCodes(kind, r.codes as Uint8Array, counts, order, r.groupEnds) : weightedRankedArea(kind, r.y, r.t, r.groupEnds, copies)));
      if (v !== undefined) r.draws.push(v);
    }
  }
  // A 0/1 outcome (normalised areas) rides with the treatment in a byte a row, read through the shuffle.
  const codes = normalize ? Uint8Array.from(y, (v, i) => 2 * v + (t[i] as number)) : null;
  const settings: PermutationSettings = { kind, negativeEffect, seed, resamples, permutations };
  // Every ranking without ties shares the first one's permuted scores (or the last call's, when the codes and settings are its).
  const firstTieFree = rankings.findIndex((r) => r.tieFree);
  const shared = codes !== null && firstTieFree >= 0 ? sharedPermutations(settings, codes) : null;
  const permuted = rankings.map((r) => (r.tieFree && shared !== null ? shared : new Float64Array(permutations)));
  // Rankings still to walk per permutation: with ties each its own; without ties one walk serves them all.
  const walkers = rankings.flatMap((r, l) => (r.tieFree && (shared !== null || l !== firstTieFree) ? [] : [l]));
  if (walkers.length > 0) {
    const shuffled = Uint32Array.from({ length: n }, (_, i) => i);
    const dealtY = new Float64Array(codes === null ? n : 0);
    const dealtT = new Float64Array(codes === null ? n : 0);
    for (let b = 0; b < permutations; b++) {
      if (codes === null) dealShuffled(state, shuffled, y, t, dealtY, dealtT, uniforms);
      else shuffle(state, shuffled, uniforms);
      for (const l of walkers) {
        const { groupEnds, tieFree } = rankings[l]!;
        (permuted[l] as Float64Array)[b] = scored(() => value(codes === null ? rankedArea(kind, dealtY, dealtT, groupEnds) : tieFree ? tieFreeAreaOfCodes(kind, codes, shuffled) : rankedAreaOfCodes(kind, codes, shuffled, groupEnds))) ?? Number.NaN;
      }
    }
  }
  if (firstTieFree >= 0) {
    for (let l = 0; l < rankings.length; l++) if (rankings[l]!.tieFree) permuted[l] = permuted[firstTieFree]!;
    if (codes !== null && shared === null) lastTieFree = { ...settings, codes, permuted: permuted[firstTieFree]! };
  }
  return rankings.map((r, l) => {
    let atLeast = 0;
    let valid = 0;
    for (const v of permuted[l]!) {
      if (Number.isNaN(v)) continue;
      valid++;
      if (v >= r.estimate) atLeast++;
    }
    return { estimate: r.estimate, draws: r.draws, atLeast, valid };
  });
}

interface PermutationSettings {
  readonly kind: 'qini' | 'uplift';
  readonly negativeEffect: boolean;
  readonly seed: number;
  readonly resamples: number;
  readonly permutations: number;
}

/**
 * The permuted scores of the last ranking without ties that was scored (a
 * normalised area, NaN where a permutation's score is undefined). Without
 * ties a permutation's area depends only on the (outcome, treatment) codes
 * dealt to the rank positions — the same shuffle of the same rows from the
 * same stream (the seed, after the same bootstrap draws) whatever the
 * scores — so every tie-free learner scored on the same rows with the same
 * settings gets the same permuted scores, to the bit: a campaign scores
 * several learners on one holdout and walks the permutations once.
 */
let lastTieFree: (PermutationSettings & { readonly codes: Uint8Array; readonly permuted: Float64Array }) | null = null;

/** The shared permuted scores when the codes (compared in full) and the settings are those of the last tie-free ranking, else null. */
function sharedPermutations(settings: PermutationSettings, codes: Uint8Array): Float64Array | null {
  const last = lastTieFree;
  if (last === null || last.kind !== settings.kind || last.negativeEffect !== settings.negativeEffect || last.seed !== settings.seed || last.resamples !== settings.resamples || last.permutations !== settings.permutations) return null;
  if (last.codes.length !== codes.length) return null;
  for (let i = 0; i < codes.length; i++) if (last.codes[i] !== codes[i]) return null;
  return last.permuted;
}

/** Each group's members (what `member(i)` gives for its rows i), in row order. */
function groupMembers(t: Float64Array, member: (i: number) => number): { treated: Int32Array; control: Int32Array } {
  let treatedCount = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === 1) treatedCount++;
  const treated = new Int32Array(treatedCount);
  const control = new Int32Array(t.length - treatedCount);
  for (let i = 0, a = 0, b = 0; i < t.length; i++) {
    if (t[i] === 1) treated[a++] = member(i);
    else control[b++] = member(i);
  }
  return { treated, control };
}

/** A replicate's score, or undefined when the metric throws or is not finite there (the replicate is counted out). */
function scored(compute: () => number): number | undefined {
  try {
    const value = compute();
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shuffles `order` (Fisher–Yates, continuing from its last state) and deals
 * (y, t) out in it; `uniforms` (as long as `order`) takes the batch of
 * uniform numbers, the same stream as one `random()` call per swap.
 */
function dealShuffled(state: Int32Array, order: Uint32Array, y: Float64Array, t: Float64Array, dealtY: Float64Array, dealtT: Float64Array, uniforms: Float64Array): void {
  shuffle(state, order, uniforms);
  for (let p = 0; p < order.length; p++) {
    const row = order[p] as number;
    dealtY[p] = y[row] as number;
    dealtT[p] = t[row] as number;
  }
}

/** Fisher–Yates over `order`, continuing from its last state, with the uniforms in one batch. */
function shuffle(state: Int32Array, order: Uint32Array, uniforms: Float64Array): void {
  const draws = uniforms.subarray(0, Math.max(0, order.length - 1));
  fillUniform(state, draws);
  for (let i = order.length - 1, k = 0; i > 0; i--, k++) {
    const j = Math.floor((draws[k] as number) * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
}
