import { describe, expect, it } from 'vitest';
import { chosenLearnerTest } from 'promolens/policy';
import { qiniAuc } from 'promolens/uplift';

/** A seeded uniform generator for the simulations (LCG; independent of the library's). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Every permutation of 0..n−1 (Heap's algorithm). */
function* permutationsOf(n: number): Generator<number[]> {
  const a = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  yield [...a];
  let i = 0;
  while (i < n) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [a[j], a[i]] = [a[i]!, a[j]!];
      yield [...a];
      c[i]!++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

describe('chosenLearnerTest', () => {
  const y = [1, 0, 1, 1, 0, 0, 1];
  const t = [1, 1, 0, 1, 0, 1, 0];
  const scores = [
    [0.9, 0.2, 0.1, 0.8, 0.3, 0.4, 0.15],
    [0.5, 0.6, 0.2, 0.7, 0.1, 0.3, 0.4],
  ];

  it("gives each learner's Qini exactly as qiniAuc does", () => {
    const test = chosenLearnerTest(y, scores, t, 0, { permutations: 20 });
    scores.forEach((s, l) => expect(test.qini[l]).toBeCloseTo(qiniAuc(y, s, t), 12));
    const raw = chosenLearnerTest(y, scores, t, 1, { permutations: 20, normalize: false });
    scores.forEach((s, l) => expect(raw.qini[l]).toBeCloseTo(qiniAuc(y, s, t, { normalize: false }), 12));
  });

  it('agrees with the exact permutation distribution of the max over learners, enumerated over all 5,040 orders', () => {
    // Reference: deal the scores to the rows in every possible order, score each learner with qiniAuc, take the best.
    const observed = qiniAuc(y, scores[0]!, t);
    let maxAtLeast = 0;
    let chosenAtLeast = 0;
    let total = 0;
    for (const order of permutationsOf(7)) {
      const q = scores.map((s) => qiniAuc(y, order.map((k) => s[k]!), t));
      if (Math.max(...q) >= observed - 1e-12) maxAtLeast++;
      if (q[0]! >= observed - 1e-12) chosenAtLeast++;
      total++;
    }
    expect(total).toBe(5040);
    const exact = maxAtLeast / total;
    const exactUnadjusted = chosenAtLeast / total;
    const permutations = 20_000;
    const test = chosenLearnerTest(y, scores, t, 0, { permutations, seed: 7 });
    // Monte Carlo error: 4 standard errors of a share of 20,000 (the add-one correction is below 1e-4).
    const tolerance = (p: number) => 4 * Math.sqrt((p * (1 - p)) / permutations) + 1e-4;
    expect(Math.abs(test.pValue - exact)).toBeLessThan(tolerance(exact));
    expect(Math.abs(test.unadjustedPValue - exactUnadjusted)).toBeLessThan(tolerance(exactUnadjusted));
    expect(exact).toBeGreaterThan(exactUnadjusted);
  });

  it('keeps its level under the null even when the learner is chosen as the best on the same rows (A/A simulation)', () => {
    // 300 campaigns with no effect and four rankings unrelated to the outcome; the learner reported is the best on these rows.
    const simulations = 300;
    const n = 300;
    const learners = 4;
    const random = lcg(2024);
    let rejected = 0;
    let rejectedUnadjusted = 0;
    for (let s = 0; s < simulations; s++) {
      const ys = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
      const ts = Array.from({ length: n }, (_, i) => i % 2);
      const ss = Array.from({ length: learners }, () => Array.from({ length: n }, random));
      const q = ss.map((score) => qiniAuc(ys, score, ts));
      const best = q.indexOf(Math.max(...q));
      const test = chosenLearnerTest(ys, ss, ts, best, { permutations: 99, seed: s });
      if (test.pValue <= 0.05) rejected++;
      if (test.unadjustedPValue <= 0.05) rejectedUnadjusted++;
    }
    // Level 0.05 within 3 standard errors of a share of 300 (0.05 + 0.038).
    expect(rejected / simulations).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / simulations));
    // Ignoring the choice rejects far too often (about 1 − 0.95⁴ ≈ 0.19 for four independent rankings).
    expect(rejectedUnadjusted / simulations).toBeGreaterThan(0.1);
  }, 60_000);

  it('finds a ranking that carries the effect, and is never below the unadjusted p-value', () => {
    const random = lcg(99);
    const n = 2000;
    const x = Array.from({ length: n }, random);
    const ts = Array.from({ length: n }, (_, i) => i % 2);
    // Treatment helps only customers with high x.
    const ys = x.map((v, i) => (random() < 0.2 + (ts[i] === 1 && v > 0.5 ? 0.3 : 0) ? 1 : 0));
    const noise = Array.from({ length: n }, random);
    const test = chosenLearnerTest(ys, [noise, x], ts, 1, { permutations: 199, seed: 3 });
    expect(test.pValue).toBe(1 / 200);
    const weak = chosenLearnerTest(ys, [noise, x], ts, 0, { permutations: 199, seed: 3 });
    expect(weak.pValue).toBeGreaterThanOrEqual(weak.unadjustedPValue);
    expect(weak.pValue).toBeGreaterThan(0.05);
  });

  it('rejects a bad choice index and too few permutations', () => {
    expect(() => chosenLearnerTest(y, scores, t, 2)).toThrow(expect.objectContaining({ reason: 'invalid_option' }));
    expect(() => chosenLearnerTest(y, scores, t, 0, { permutations: 5 })).toThrow(expect.objectContaining({ reason: 'invalid_option' }));
  });
});
