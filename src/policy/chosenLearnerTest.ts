import { z } from 'zod';
import { InputError } from '../errors.js';
import { fillUniform, randomState } from '../internal/random.js';
import { checkOptions, rules } from '../internal/validate.js';
import { upliftInputs } from '../uplift/inputs.js';
import { aboveRandom, layOut, rankRows, rankedArea, rankedAreaOfCodes, tieFreeAreaOfCodes, tieFreeAreasOfCodes } from '../uplift/ranking.js';
import { groupsOfTotals, perfectQini, requireBinaryOutcome } from '../uplift/upliftCurve.js';
import { normalisedArea } from '../uplift/upliftAuc.js';

export const ChosenLearnerTestSchema = z
  .object({
    kind: z.literal('chosen_learner_test'),
    /** Position of the chosen learner among the scores. */
    chosen: z.number(),
    /** Each learner's Qini AUC on these rows (as `qiniAuc`); the chosen one's is the statistic. */
    qini: z.array(z.number()),
    /**
     * Share of permutations in which the best of all learners' Qini reaches the
     * chosen learner's (add-one corrected): the chance that some learner ranks
     * as well by luck alone, so valid however the learner was chosen, even as
     * the best on these very rows.
     */
    pValue: z.number(),
    /** The same for the chosen learner alone, as if no choice had been made (for comparison; too small when the choice saw these rows). */
    unadjustedPValue: z.number(),
    permutations: z.number(),
    seed: z.number(),
  })
  .readonly();
export type ChosenLearnerTest = z.infer<typeof ChosenLearnerTestSchema>;

export interface ChosenLearnerTestOptions {
  /** Permutations of the rows' (outcome, treatment) pairs against the scores. Default 500; at least 20. */
  readonly permutations?: number;
  /** As `qiniAuc`'s `normalize`: divide by the perfect curve's area (a 0/1 outcome). Default true. */
  readonly normalize?: boolean;
  /** Seed of the permutations. Default 0. */
  readonly seed?: number;
}

const OPTIONS = { permutations: rules.integer({ min: 20 }), normalize: rules.boolean(), seed: rules.integer() } as const;

/**
 * Permutation test of the chosen uplift learner's Qini that accounts for the
 * choice among learners: the max-over-learners statistic. Each permutation
 * deals the rows' (outcome, treatment) pairs at random against the fixed
 * scores — one shuffle shared by every learner, so their dependence is kept
 * — which is the null of a ranking no better than random for all learners
 * at once. The p-value is the add-one corrected share of permutations in
 * which the best learner's Qini is at least the chosen learner's observed
 * Qini. Since the chosen learner's Qini is at most the best observed one,
 * the test keeps its level whether the learner was chosen elsewhere (by
 * cross-fitting) or as the best on these rows. Scores are ranked once per
 * learner; a permutation costs one O(n) walk per learner (for a 0/1 outcome
 * over the dealt pairs packed a byte a row). Seeded.
 *
 * @param yTrue - outcome (0/1 when normalised)
 * @param scores - each learner's predicted uplift on the same rows
 * @param treatment - 1 treated, 0 control
 * @param chosen - position of the chosen learner in `scores`
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary`, `single_class`, `invalid_option`
 * @see Westfall & Young (1993), Resampling-Based Multiple Testing, max-T adjustment
 * @example
 * const y = [1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
 * const t = [1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0];
 * const test = chosenLearnerTest(y, [[0.9, 0.1, 0.2, 0.3, 0.8, 0.4, 0.5, 0.6, 0.7, 0.2, 0.6, 0.1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]], t, 0, { permutations: 99 });
 * test.pValue >= test.unadjustedPValue; // => true
 */
export function chosenLearnerTest(yTrue: ArrayLike<number>, scores: readonly ArrayLike<number>[], treatment: ArrayLike<number>, chosen: number, options: ChosenLearnerTestOptions = {}): ChosenLearnerTest {
  const given = checkOptions(options, OPTIONS);
  if (!Array.isArray(scores) || scores.length === 0) throw new InputError('empty', 'scores', 'give at least one learner\'s scores');
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= scores.length) throw new InputError('invalid_option', 'chosen', `chosen must be a position in scores (0 to ${scores.length - 1}), got ${chosen}`);
  const permutations = given.permutations ?? 500;
  const normalize = given.normalize ?? true;
  const seed = given.seed ?? 0;
  const inputs = scores.map((score) => upliftInputs(yTrue, score, treatment));
  const { y, t } = inputs[0]!;
  if (normalize) requireBinaryOutcome(y, 'the normalised Qini AUC');
  const n = y.length;
  // Each learner's ranking, laid out once: the tie groups stay, the (y, t) pairs are dealt anew per permutation.
  const layouts = inputs.map(({ score }) => {
    const ranking = rankRows(y, score, t);
    const { groupEnds } = layOut(ranking);
    return { order: ranking.order, groupEnds, tieFree: groupEnds.every((end) => end === 1) };
  });
  let perfect: ReturnType<typeof perfectQini> | null = null;
  const value = (dealtY: Float64Array, dealtT: Float64Array, groupEnds: Uint8Array): number => {
    const walk = rankedArea('qini', dealtY, dealtT, groupEnds);
    if (!normalize) return aboveRandom(walk.area, walk.lastX, walk.lastY);
    // The perfect curve depends on the four group counts only, the same in every permutation.
    perfect ??= perfectQini(groupsOfTotals(walk), true);
    return normalisedArea(walk.area, perfect);
  };
  const dealtY = new Float64Array(n);
  const dealtT = new Float64Array(n);
  const deal = (source: Int32Array | null, order: Uint32Array) => {
    for (let p = 0; p < n; p++) {
      const row = source === null ? order[p]! : source[order[p]!]!;
      dealtY[p] = y[row]!;
      dealtT[p] = t[row]!;
    }
  };
  const qini = layouts.map(({ order, groupEnds }) => {
    deal(null, order);
    return value(dealtY, dealtT, groupEnds);
  });
  const observed = qini[chosen]!;
  const state = randomState(seed);
  const uniforms = new Float64Array(Math.max(0, n - 1));
  const source = Int32Array.from({ length: n }, (_, i) => i);
  // A 0/1 outcome rides with the treatment in one byte per row: each permutation writes the
  // rows' dealt pairs once, and every learner's walk reads them through its order.
  const codes = normalize ? Uint8Array.from(y, (v, i) => 2 * v + (t[i] as number)) : null;
  const dealtCodes = new Uint8Array(codes === null ? 0 : n);
  let maxAtLeast = 0;
  let chosenAtLeast = 0;
  // The rankings without ties walked two at a time (tieFreeAreasOfCodes), the others one at a time.
  const tieFree = layouts.flatMap((layout, l) => (layout.tieFree ? [l] : []));
  const areas = new Float64Array(layouts.length);
  const pair = new Float64Array(2);
  for (let b = 0; b < permutations; b++) {
    // Fisher–Yates: row i's (y, t) becomes that of row source[i], for every learner alike.
    fillUniform(state, uniforms);
    for (let i = n - 1, k = 0; i > 0; i--, k++) {
      const j = Math.floor(uniforms[k]! * (i + 1));
      const swap = source[i]!;
      source[i] = source[j]!;
      source[j] = swap;
    }
    if (codes !== null) {
      for (let i = 0; i < n; i++) dealtCodes[i] = codes[source[i]!]!;
      for (let k = 0; k < tieFree.length; k += 2) {
        const a = tieFree[k]!;
        const b2 = tieFree[k + 1];
        if (b2 === undefined) {
          areas[a] = tieFreeAreaOfCodes('qini', dealtCodes, layouts[a]!.order).area;
          continue;
        }
        tieFreeAreasOfCodes('qini', dealtCodes, layouts[a]!.order, layouts[b2]!.order, pair);
        areas[a] = pair[0]!;
        areas[b2] = pair[1]!;
      }
      layouts.forEach(({ order, groupEnds, tieFree: none }, l) => {
        if (!none) areas[l] = rankedAreaOfCodes('qini', dealtCodes, order, groupEnds).area;
      });
    }
    let best = -Infinity;
    layouts.forEach(({ order, groupEnds }, l) => {
      let v: number;
      if (codes === null) {
        deal(source, order);
        v = value(dealtY, dealtT, groupEnds);
      } else {
        // The perfect curve was set by the observed areas (its four totals are every permutation's).
        v = normalisedArea(areas[l]!, perfect!);
      }
      if (v > best) best = v;
      if (l === chosen && v >= observed) chosenAtLeast++;
    });
    if (best >= observed) maxAtLeast++;
  }
  return {
    kind: 'chosen_learner_test',
    chosen,
    qini,
    pValue: (1 + maxAtLeast) / (1 + permutations),
    unadjustedPValue: (1 + chosenAtLeast) / (1 + permutations),
    permutations,
    seed,
  };
}
