import { Estimator } from '../../src/policy/policyValue.js';
import { describe, expect, it } from 'vitest';
import { policyValue } from 'promolens/policy';
import { generate } from '../../bench/gen.js';
import { inputErrorOf } from '../helpers.js';

describe('policyValue on a hand-worked case', () => {
  // Control c, arms a and b, six rows:
  //   row  T  y  policy
  //   0    a  1  a
  //   1    a  0  b
  //   2    b  1  b
  //   3    b  1  c
  //   4    c  0  a
  //   5    c  1  b
  // n = 6; n_a = n_b = n_c = 2. Economics: a value 10, cost 1 per treated, 2 per conversion, fixed 3; b value 10, cost 0.5.
  const y = [1, 0, 1, 1, 0, 1];
  const treatment = ['a', 'a', 'b', 'b', 'c', 'c'];
  const policy = ['a', 'b', 'b', 'c', 'a', 'b'];
  const economics = { a: { valuePerUnit: 10, costPerTreated: 1, costPerConversion: 2, fixedCost: 3 }, b: { valuePerUnit: 10, costPerTreated: 0.5 } };
  it('gives the inverse-propensity estimates worked by hand', () => {
    const value = policyValue(y, treatment, policy, { control: 'c', economics, resamples: 50 });
    // Policy, arm a (rows 0, 4): (10 − 2)·1/2 − 10·0/2 − 1·2/6 = 11/3; arm b (rows 1, 2, 5): 10·1/2 − 10·1/2 − 0.5·3/6 = −1/4.
    // Per customer 41/12, times 6 = 20.5, less a's fixed cost 3 = 17.5.
    expect(value.policy.ipw.estimate).toBeCloseTo(17.5, 12);
    // Everyone on a: 8·1/2 − 10·1/2 − 1 = −2 per customer, −12 − 3 = −15; everyone on b: 10·2/2 − 10·1/2 − 0.5 = 4.5, 27.
    expect(value.treatAll.map((t) => t.arm)).toEqual(['a', 'b']);
    expect(value.treatAll[0]!.ipw.estimate).toBeCloseTo(-15, 12);
    expect(value.treatAll[1]!.ipw.estimate).toBeCloseTo(27, 12);
    // Against the better blanket arm, b: 17.5 − 27.
    expect(value.versusTreatAll.arm).toBe('b');
    expect(value.versusTreatAll.ipw.estimate).toBeCloseTo(-9.5, 12);
    expect(value.policy.dr).toBeNull();
    expect(value.targeted).toEqual([2, 3]);
  });
  it('gives the doubly robust estimate worked by hand', () => {
    // Every prediction 0.5. Arm a: treated (2·0.5 + (1 − 0.5)·6/2)/6 = 5/12, untreated (2·0.5 + (0 − 0.5)·6/2)/6 = −1/12,
    // 8·5/12 + 10/12 − 1/3 = 23/6. Arm b: treated (1.5 + 0.5·3)/6 = 1/2, untreated (1.5 + 0.5·3)/6 = 1/2, 5 − 5 − 1/4.
    // (23/6 − 1/4)·6 − 3 = 18.5.
    const predictions = { data: new Float64Array(18).fill(0.5), rows: 6, cols: 3 };
    const value = policyValue(y, treatment, policy, { control: 'c', economics, predictions, resamples: 50 });
    expect(value.policy.dr!.estimate).toBeCloseTo(18.5, 12);
    // With predictions equal to the arm means, DR on everyone-on-an-arm equals IPW: a's treated mean 1/2, control 1/2.
  });
  it('doubly robust equals inverse-propensity when the predictions are each arm’s mean', () => {
    const predictions = { data: new Float64Array(18), rows: 6, cols: 3 };
    for (let i = 0; i < 6; i++) predictions.data.set([0.5, 0.5, 1], i * 3);
    const value = policyValue(y, treatment, policy, { control: 'c', economics, predictions, resamples: 50 });
    value.treatAll.forEach((t) => expect(t.dr!.estimate).toBeCloseTo(t.ipw.estimate, 12));
  });
  it('repeats exactly for a seed and brackets the estimate', () => {
    const a = policyValue(y, treatment, policy, { control: 'c', economics, resamples: 200, seed: 3 });
    const b = policyValue(y, treatment, policy, { control: 'c', economics, resamples: 200, seed: 3 });
    expect(a).toEqual(b);
    expect(a.policy.ipw.ci[0]).toBeLessThanOrEqual(a.policy.ipw.ci[1]);
  });
  it('rejects bad input with reasons', () => {
    expect(inputErrorOf(() => policyValue([1, 0], [1, 0], [1]))).toMatchObject({ reason: 'length_mismatch' });
    expect(inputErrorOf(() => policyValue([1, 0], [1, 1], [1, 1]))).toMatchObject({ reason: 'single_class' });
    expect(inputErrorOf(() => policyValue([1, 0], [1, 0], [2, 0]))).toMatchObject({ reason: 'unknown_column' });
    expect(inputErrorOf(() => policyValue([1, 0], [1, 0], [1, 0], { economics: { 2: { valuePerUnit: 1 } } }))).toMatchObject({ reason: 'invalid_option' });
    expect(inputErrorOf(() => policyValue([1, 0], [1, 0], [1, 0], { resamples: 1 }))).toMatchObject({ reason: 'invalid_option' });
  });
});

describe('policyValue with known truth (bench generator)', () => {
  it('covers the true incremental profit of a fixed policy and of treating all at about the nominal rate', () => {
    // 200 disjoint blocks of 2,000 customers; the policy targets a model-like score above 0.15 (not fitted on the blocks).
    const blocks = 200;
    const size = 2000;
    const data = generate(blocks * size);
    const { t, y, tau_true: tau, uplift_score: score } = data.vectors;
    const value = 12;
    const cost = 1.5;
    let coveredIpw = 0;
    let coveredDr = 0;
    let coveredAll = 0;
    let width = 0;
    for (let b = 0; b < blocks; b++) {
      const rows = { start: b * size, end: (b + 1) * size };
      const yb = y.subarray(rows.start, rows.end);
      const tb = t.subarray(rows.start, rows.end);
      const policy = new Float64Array(size);
      let truth = 0;
      let truthAll = 0;
      const predictions = { data: new Float64Array(size * 2), rows: size, cols: 2 };
      for (let i = 0; i < size; i++) {
        const r = rows.start + i;
        policy[i] = score[r]! > 0.15 ? 1 : 0;
        // The true expected incremental profit of each customer given what we know of them.
        truth += policy[i]! * (value * tau[r]! - cost);
        truthAll += value * tau[r]! - cost;
        // A crude outcome model: a constant for control, plus the score for treated.
        predictions.data[i * 2] = 0.3;
        predictions.data[i * 2 + 1] = 0.3 + score[r]!;
      }
      const estimate = policyValue(yb, tb, policy, { economics: { valuePerUnit: value, costPerTreated: cost }, predictions, resamples: 200, seed: b });
      const inside = (ci: readonly [number, number], x: number) => ci[0] <= x && x <= ci[1];
      if (inside(estimate.policy.ipw.ci, truth)) coveredIpw++;
      if (inside(estimate.policy.dr!.ci, truth)) coveredDr++;
      if (inside(estimate.treatAll[0]!.ipw.ci, truthAll)) coveredAll++;
      width += estimate.policy.dr!.ci[1] - estimate.policy.dr!.ci[0];
    }
    // Nominal 95%; with 200 blocks the binomial standard error is 1.5 points. The target is each block's
    // own conditional truth, so coverage may sit slightly above nominal, never far below.
    for (const covered of [coveredIpw, coveredDr, coveredAll]) {
      expect(covered / blocks).toBeGreaterThanOrEqual(0.9);
      expect(covered / blocks).toBeLessThanOrEqual(0.995);
    }
    // And the intervals are informative: narrower than the policy's own scale of profit.
    expect(width / blocks).toBeLessThan(0.5 * size);
  });
});

describe('the estimator of one arm', () => {
  it('sums in locals exactly what the general loop sums in its cells, to the bit, over bootstrap weights', () => {
    const n = 5000;
    const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 1.3) > 0.2 ? 1 : 0) * (1 + (i % 5) * 0.37));
    const group = Int32Array.from({ length: n }, (_, i) => (Math.cos(i * 2.1) > 0 ? 0 : -1));
    const action = Int32Array.from({ length: n }, (_, i) => (Math.sin(i * 0.7) > -0.3 ? 0 : -1));
    const predictions = Float64Array.from({ length: 2 * n }, (_, j) => 0.1 + 0.8 * Math.abs(Math.sin(j * 0.91)));
    const economics = [{ arm: 'mail', valuePerUnit: 12.5, costPerTreated: 0.7, costPerConversion: 1.1, fixedCost: 0, currency: null }];
    const one = new Estimator(y, group, action, predictions, economics as never, n, 1) as unknown as Record<string, (w: Float64Array | null, ...rest: unknown[]) => number>;
    const general = new Estimator(y, group, action, predictions, economics as never, n, 1) as unknown as Record<string, (w: Float64Array | null, ...rest: unknown[]) => number>;
    for (const weights of [null, Float64Array.from({ length: n }, (_, i) => (i * 7919) % 4)]) {
      for (const e of [one, general]) (e as unknown as { sums: Float64Array }).sums.fill(0);
      const countOne = new Float64Array(2);
      const countGeneral = new Float64Array(2);
      const totalOne = one.accumulateOne!.call(one, weights, predictions, countOne);
      const totalGeneral = general.accumulate!.call(general, weights, countGeneral);
      expect(totalOne).toBe(totalGeneral);
      expect(countOne).toEqual(countGeneral);
      expect((one as unknown as { sums: Float64Array }).sums).toEqual((general as unknown as { sums: Float64Array }).sums);
    }
  });
});
