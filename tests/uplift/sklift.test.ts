import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'promolens/data';
import { logisticLearner } from 'promolens/models';
import * as u from 'promolens/uplift';
import { hasSharedData, inputErrorOf, sharedData } from '../helpers.js';
import { areaUncertainties } from '../../src/uplift/scoreUncertainty.js';

// References: scikit-uplift's own functions via tests/fixtures/uplift/make.py.
// Tolerance: relative 1e-12 (sums and areas in another order), exact for counts.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/uplift/uplift.json', import.meta.url), 'utf8'));

function close(actual: number | null, expected: number | null, what: string, tolerance = 1e-12): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}
const closeAll = (a: readonly (number | null)[], e: readonly (number | null)[], what: string) => {
  expect(a.length, `${what} length`).toBe(e.length);
  a.forEach((v, i) => close(v, e[i] as number | null, `${what}[${i}]`));
};

function checkScores(y: ArrayLike<number>, s: ArrayLike<number>, t: ArrayLike<number>, e: any): void {
  close(u.upliftAuc(y, s, t), e.uplift_auc, 'upliftAuc');
  close(u.qiniAuc(y, s, t), e.qini_auc, 'qiniAuc');
  close(u.qiniAuc(y, s, t, { negativeEffect: false }), e.qini_auc_no_negative, 'qiniAuc without negative effect');
  for (const k of [0.1, 0.3, 0.5]) {
    for (const strategy of ['overall', 'by_group'] as const) close(u.upliftAtK(y, s, t, { k, strategy }), e[`uplift_at_k_${k}_${strategy}`], `upliftAtK ${k} ${strategy}`);
  }
  for (const strategy of ['overall', 'by_group'] as const) {
    const table = u.upliftByPercentile(y, s, t, { bins: 10, strategy });
    const r = e[`by_percentile_${strategy}`];
    closeAll(table.bins.map((b) => b.nTreated), r.n_treatment, 'n treated');
    closeAll(table.bins.map((b) => b.nControl), r.n_control, 'n control');
    closeAll(table.bins.map((b) => b.responseRateTreated), r.response_rate_treatment, 'rate treated');
    closeAll(table.bins.map((b) => b.responseRateControl), r.response_rate_control, 'rate control');
    closeAll(table.bins.map((b) => b.uplift), r.uplift, 'uplift');
    closeAll(table.bins.map((b) => b.standardErrorUplift), r.std_uplift, 'std uplift');
    close(u.weightedAverageUplift(y, s, t, { bins: 10, strategy }), e[`weighted_average_${strategy}`], `weighted average ${strategy}`);
  }
}

describe(`uplift metrics agree with scikit-uplift ${fixture.versions.sklift}`, () => {
  it('reproduces the worked 10-row vector', () => {
    const y = [1, 0, 1, 0, 1, 0, 0, 1, 1, 0];
    const t = [1, 1, 0, 1, 1, 0, 0, 0, 1, 0];
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0];
    const w = fixture.worked;
    expect(u.upliftAuc(y, s, t)).toBeCloseTo(-0.453125, 12);
    close(u.upliftAuc(y, s, t), w.uplift_auc, 'upliftAuc');
    expect(u.qiniAuc(y, s, t)).toBeCloseTo(-0.342342, 6);
    expect(u.qiniAuc(y, s, t, { negativeEffect: false })).toBeCloseTo(-1.407407, 6);
    expect(u.upliftAtK(y, s, t, { k: 0.5 })).toBe(-0.5);
    expect(u.upliftAtK(y, s, t, { k: 0.5, strategy: 'by_group' })).toBe(0);
  });

  for (const c of fixture.cases) {
    it(`on ${c.name}: curves, perfect curves and every score`, () => {
      const e = c.expected;
      for (const [name, curve] of [
        ['uplift_curve', u.upliftCurve(c.y, c.uplift, c.treatment)],
        ['qini_curve', u.qiniCurve(c.y, c.uplift, c.treatment)],
        ['perfect_uplift_curve', u.perfectUpliftCurve(c.y, c.treatment)],
        ['perfect_qini_curve', u.perfectQiniCurve(c.y, c.treatment)],
      ] as const) {
        closeAll(curve.x, e[name].x, `${name}.x`);
        closeAll(curve.y, e[name].y, `${name}.y`);
      }
      checkScores(c.y, c.uplift, c.treatment, e);
    });
  }
});

describe.skipIf(!hasSharedData)('uplift on Hillstrom (Womens E-Mail vs No E-Mail)', () => {
  // Loaded on first use: a skipped describe still runs its body to collect tests.
  let cached: { subset: ReturnType<typeof parseCsv>; t: number[]; score: number[] } | undefined;
  const load = () => {
    if (cached !== undefined) return cached;
    const data = parseCsv(readFileSync(`${sharedData}hillstrom/hillstrom.csv`));
    const segment = data.categorical('segment');
    const womens = segment.levels.indexOf('Womens E-Mail');
    const none = segment.levels.indexOf('No E-Mail');
    const subset = data.filter(Array.from(segment.codes, (code) => code === womens || code === none));
    const t = Array.from(subset.categorical('segment').codes, (code) => (code === womens ? 1 : 0));
    const history = subset.numeric('history');
    const womensCol = subset.numeric('womens');
    const recency = subset.numeric('recency');
    const score = Array.from(history, (h, i) => 0.001 * h + 0.1 * (womensCol[i] as number) - 0.02 * (recency[i] as number));
    cached = { subset, t, score };
    return cached;
  };

  for (const outcome of ['visit', 'conversion']) {
    it(`agrees with scikit-uplift on ${outcome} with a fixed score`, () => {
      const { subset, score, t } = load();
      checkScores(subset.numeric(outcome), score, t, fixture.hillstrom[outcome]);
    });
  }

  it('T-learner with logistic models matches scikit-uplift TwoModels with scikit-learn LogisticRegression', () => {
    const e = fixture.hillstrom.t_learner;
    const { subset, t } = load();
    const n = subset.n;
    const p = e.features.length;
    const X = new Float64Array(n * p);
    e.features.forEach((name: string, j: number) => {
      const v = subset.numeric(name);
      const mean = v.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      for (let i = 0; i < n; i++) X[i * p + j] = ((v[i] as number) - mean) / sd;
    });
    const model = u.fitTLearner({ data: X, rows: n, cols: p }, subset.numeric('visit'), t, { learner: logisticLearner({ l2: 1 }) });
    const uplift = u.predictUplift(model, { data: X, rows: n, cols: p });
    // scikit-learn stops its lbfgs ~1e-5 from the optimum, so uplifts agree to ~1e-5.
    expect(Math.abs(uplift.reduce((a, b) => a + b, 0) / n - e.mean_uplift)).toBeLessThan(1e-5);
    e.first.forEach((value: number, i: number) => expect(Math.abs((uplift[i] as number) - value)).toBeLessThan(1e-5));
  });
});

describe('uplift metric rules', () => {
  it('rejects one treatment group, empty groups at k, and normalised scores of continuous outcomes', () => {
    expect(inputErrorOf(() => u.upliftAuc([1, 0], [0.1, 0.2], [1, 1]))).toMatchObject({ reason: 'single_class', field: 'treatment' });
    expect(inputErrorOf(() => u.upliftAtK([1, 0, 1, 0], [4, 3, 2, 1], [1, 1, 0, 0], { k: 0.5 }))).toMatchObject({ reason: 'empty' });
    expect(inputErrorOf(() => u.qiniAuc([3.5, 0, 2, 1], [4, 3, 2, 1], [1, 0, 1, 0]))).toMatchObject({ reason: 'not_binary' });
    expect(u.qiniAuc([3.5, 0, 2, 1], [4, 3, 2, 1], [1, 0, 1, 0], { normalize: false })).toBeTypeOf('number');
  });

  it('marks empty groups in a bin as null, never NaN', () => {
    const table = u.upliftByPercentile([1, 0, 1, 0], [4, 3, 2, 1], [1, 1, 0, 0], { bins: 2 });
    expect(table.bins[0]?.responseRateControl).toBeNull();
    expect(table.bins[0]?.uplift).toBeNull();
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  it('gives revenue (continuous) uplift curves in outcome units', () => {
    const curve = u.upliftCurve([10, 0, 5, 0], [4, 3, 2, 1], [1, 0, 0, 1]);
    expect(curve.y).toEqual([0, 10, 20, 22.5, 10]); // by hand: (10 − 2.5)·3 and (5 − 2.5)·4
  });

  it('scores a random ranking near 0 with a permutation p-value that says so', () => {
    const n = 2000;
    const t = Array.from({ length: n }, (_, i) => i % 2);
    const y = Array.from({ length: n }, (_, i) => (Math.sin(i * 7.1) > 0.6 ? 1 : 0));
    const noise = Array.from({ length: n }, (_, i) => Math.sin(i * 13.7) * 1000 % 1);
    const result = u.scoreUncertainty(u.qiniAuc, y, noise, t, { resamples: 100, permutations: 100, seed: 2 });
    expect(result.pValue).toBeGreaterThan(0.01);
    expect(result.ci[0]).toBeLessThan(0);
    expect(result.ci[1]).toBeGreaterThan(0);
    expect(u.scoreUncertainty(u.qiniAuc, y, noise, t, { resamples: 100, permutations: 100, seed: 2 })).toEqual(result);
    // A score that knows the outcome of treated rows is far from random.
    const oracle = y.map((v, i) => (t[i] === 1 ? v : -v));
    expect(u.scoreUncertainty(u.qiniAuc, y, oracle, t, { resamples: 50, permutations: 50 }).pValue).toBeLessThan(0.05);
  });

  it('scores the named areas without copies and gets what the metric function gets', () => {
    // Ties (scores rounded to 0.1), a continuous outcome for the unnormalised areas.
    const n = 500;
    const t = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.3) > -0.2 ? 1 : 0));
    const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 7.1) + 0.3 * (t[i] as number) > 0.5 ? 1 : 0));
    const spend = Float64Array.from({ length: n }, (_, i) => (y[i] as number) * (10 + (i % 7) * 3.25));
    const s = Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 1.7) * 10) / 10);
    const options = { resamples: 40, permutations: 40, seed: 5 };
    const viaFunction = (metric: (y: Float64Array, s: Float64Array, t: Float64Array) => number, outcome: Float64Array) => u.scoreUncertainty((a, b, c) => metric(a, b, c), outcome, s, t, options);
    for (const negativeEffect of [true, false]) {
      expect(u.scoreUncertainty({ score: 'qini_auc', negativeEffect }, y, s, t, options)).toEqual(viaFunction((a, b, c) => u.qiniAuc(a, b, c, { negativeEffect }), y));
    }
    expect(u.scoreUncertainty(u.upliftAuc, y, s, t, options)).toEqual(viaFunction(u.upliftAuc, y));
    expect(u.scoreUncertainty(u.qiniAuc, y, s, t, options)).toEqual(viaFunction(u.qiniAuc, y));
    for (const score of ['qini_auc', 'uplift_auc'] as const) {
      const fast = u.scoreUncertainty({ score, normalize: false }, spend, s, t, options);
      const slow = viaFunction((a, b, c) => (score === 'qini_auc' ? u.qiniAuc : u.upliftAuc)(a, b, c, { normalize: false }), spend);
      expect(fast.estimate).toBe(slow.estimate);
      expect(fast.pValue).toBe(slow.pValue);
      expect(fast.standardError).toBeCloseTo(slow.standardError, 9);
      expect(fast.ci[0]).toBeCloseTo(slow.ci[0], 9);
      expect(fast.ci[1]).toBeCloseTo(slow.ci[1], 9);
    }
    expect(() => u.scoreUncertainty({ score: 'qini_auc' }, spend, s, t, options)).toThrow(/0\/1 outcomes/);
  });

  it('gives tie-free scores of the same rows the permutations of the last one, as each would alone', () => {
    // Three learners' scores without ties on one holdout, scored in turn (as a campaign does); each must get
    // what the metric function gets on its own, however many others were scored before it.
    const n = 700;
    const t = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.3) > -0.1 ? 1 : 0));
    const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 7.1) + 0.4 * (t[i] as number) * Math.cos(i) > 0.4 ? 1 : 0));
    const scores = [1.7, 2.9, 5.3].map((a) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * a) + i * 1e-9));
    const options = { resamples: 30, permutations: 60, seed: 9 };
    const alone = scores.map((s) => u.scoreUncertainty((a, b, c) => u.qiniAuc(a, b, c), y, s, t, options));
    scores.forEach((s, k) => expect(u.scoreUncertainty(u.qiniAuc, y, s, t, options)).toEqual(alone[k]));
    // Another seed, other rows, another count: nothing of the last one is reused.
    expect(u.scoreUncertainty(u.qiniAuc, y, scores[0]!, t, { ...options, seed: 10 })).toEqual(u.scoreUncertainty((a, b, c) => u.qiniAuc(a, b, c), y, scores[0]!, t, { ...options, seed: 10 }));
    const flipped = y.map((v, i) => (i === 3 ? 1 - v : v));
    expect(u.scoreUncertainty(u.qiniAuc, flipped, scores[1]!, t, options)).toEqual(u.scoreUncertainty((a, b, c) => u.qiniAuc(a, b, c), flipped, scores[1]!, t, options));
    expect(u.scoreUncertainty(u.qiniAuc, y, scores[2]!, t, { ...options, permutations: 61 })).toEqual(u.scoreUncertainty((a, b, c) => u.qiniAuc(a, b, c), y, scores[2]!, t, { ...options, permutations: 61 }));
  });
});

describe('areaUncertainties: several rankings of the same rows at once', () => {
  it('gives each score what scoreUncertainty gives it alone, to the bit: ties, no ties, a continuous outcome', () => {
    const n = 600;
    const t = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.3) > -0.1 ? 1 : 0));
    const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 7.1) + 0.4 * (t[i] as number) * Math.cos(i) > 0.4 ? 1 : 0));
    const spend = Float64Array.from({ length: n }, (_, i) => (y[i] as number) * (5 + (i % 9) * 2.5));
    const scores = [
      Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + i * 1e-9),
      Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 2.9) * 4) / 4),
      Float64Array.from({ length: n }, (_, i) => Math.cos(i * 5.3) - i * 1e-9),
      new Float64Array(n).fill(0.5),
    ];
    const options = { resamples: 30, permutations: 50, seed: 4 };
    for (const metric of [{ score: 'qini_auc' as const }, { score: 'uplift_auc' as const }, { score: 'qini_auc' as const, negativeEffect: false }]) {
      // Alone with the metric function: no cache of earlier permutations can stand in.
      const alone = scores.map((s) => u.scoreUncertainty((a, b, c) => (metric.score === 'qini_auc' ? u.qiniAuc(a, b, c, { negativeEffect: metric.negativeEffect ?? true }) : u.upliftAuc(a, b, c)), y, s, t, options));
      expect(areaUncertainties(metric, y, scores, t, options)).toEqual(alone);
    }
    const continuous = { score: 'qini_auc' as const, normalize: false };
    expect(areaUncertainties(continuous, spend, scores, t, options)).toEqual(scores.map((s) => u.scoreUncertainty(continuous, spend, s, t, options)));
  });

  it('puts the error of a score that cannot be scored in its place and refuses bad inputs', () => {
    const n = 200;
    const t = Float64Array.from({ length: n }, (_, i) => (i % 2));
    const big = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1e308 : 0));
    const scores = [Float64Array.from({ length: n }, (_, i) => Math.sin(i)), Float64Array.from({ length: n }, (_, i) => Math.cos(i * 3))];
    const results = areaUncertainties({ score: 'qini_auc', normalize: false }, big, scores, t, { resamples: 20, permutations: 20 });
    expect(results.every((r) => r instanceof Error && (r as { reason?: string }).reason === 'out_of_range')).toBe(true);
    expect(inputErrorOf(() => areaUncertainties({ score: 'qini_auc' }, big, scores, t))?.reason).toBe('not_binary');
    expect(inputErrorOf(() => areaUncertainties({ score: 'qini_auc' }, t, [scores[0]!, new Float64Array(n).fill(Number.NaN)], t))?.reason).toBe('not_finite');
    expect(areaUncertainties({ score: 'qini_auc' }, t, [], t)).toEqual([]);
  });
});

describe('docs/uplift-metrics.md worked table', () => {
  it('matches upliftCurve and qiniCurve on the worked vector', () => {
    const y = [1, 0, 1, 0, 1, 0, 0, 1, 1, 0];
    const t = [1, 1, 0, 1, 1, 0, 0, 0, 1, 0];
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0];
    expect(u.upliftCurve(y, s, t).y.slice(1, 6).map((v) => Number(v.toFixed(3)))).toEqual([1, 1, -1.5, -2.667, -2.5]);
    expect(u.qiniCurve(y, s, t).y.slice(1, 6)).toEqual([1, 1, -1, -2, -2]);
  });
});

describe("convention 'causalml' reproduces CausalML's get_cumgain, get_qini, auuc_score and qini_score", () => {
  // Reference: CausalML's pandas steps re-derived in tests/fixtures/uplift/make.py (no tied scores:
  // pandas' sort is not stable). The top rows are all treated, so leading points are interpolated.
  const c = fixture.causalml;
  it('curves, row by row with interpolated empty-group points', () => {
    closeAll(u.upliftCurve(c.y, c.uplift, c.treatment, { convention: 'causalml' }).y, c.expected.gain, 'cumulative gain');
    closeAll(u.qiniCurve(c.y, c.uplift, c.treatment, { convention: 'causalml' }).y, c.expected.qini, 'qini');
  });
  it('scores, normalised by |last value|', () => {
    close(u.upliftAuc(c.y, c.uplift, c.treatment, { convention: 'causalml' }), c.expected.auuc, 'auuc_score');
    close(u.qiniAuc(c.y, c.uplift, c.treatment, { convention: 'causalml' }), c.expected.qini_score, 'qini_score');
  });
});

describe('uplift metric inputs as typed arrays', () => {
  // The typed-array fast path checks every value in one branch-free pass; any bad value falls through to the
  // checks that name it, wherever it is.
  const n = 257;
  const base = () => ({
    y: Float64Array.from({ length: n }, (_, i) => (i * 7) % 3),
    s: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
    t: Float64Array.from({ length: n }, (_, i) => i % 2),
  });
  const cases: [keyof ReturnType<typeof base>, number, string][] = [
    ['y', Number.NaN, 'not_finite'], ['y', Number.POSITIVE_INFINITY, 'not_finite'], ['s', Number.NEGATIVE_INFINITY, 'not_finite'], ['s', Number.NaN, 'not_finite'],
    ['t', 0.5, 'not_binary'], ['t', 2, 'not_binary'], ['t', -1, 'not_binary'], ['t', Number.NaN, 'not_finite'], ['t', Number.POSITIVE_INFINITY, 'not_finite'],
  ];
  it('refuses a bad value anywhere, and agrees with plain arrays on good ones', () => {
    const good = base();
    expect(u.upliftAtK(good.y, good.s, good.t)).toBe(u.upliftAtK(Array.from(good.y), Array.from(good.s), Array.from(good.t)));
    for (const [field, value, reason] of cases) {
      for (const at of [0, 100, n - 1]) {
        const bad = base();
        bad[field][at] = value;
        const error = inputErrorOf(() => u.upliftAtK(bad.y, bad.s, bad.t));
        expect(error.reason === reason || (reason === 'not_finite' && error.reason === 'not_binary'), `${field}[${at}] = ${value}: ${error.reason}`).toBe(true);
      }
    }
    // Two bad treatments whose t(1 − t) would cancel (0.5 → 0.25, 2 → −2) are still refused.
    const cancel = base();
    for (let i = 0; i < 8; i++) cancel.t[i] = 0.5;
    cancel.t[8] = 2;
    expect(inputErrorOf(() => u.upliftAtK(cancel.y, cancel.s, cancel.t)).reason).toBe('not_binary');
  });
});
