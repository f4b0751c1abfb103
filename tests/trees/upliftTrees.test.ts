import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InputError } from 'promolens';
import {
  UpliftForestModelSchema,
  UpliftTreeModelSchema,
  fitUpliftForest,
  fitUpliftTree,
  predictUpliftForest,
  predictUpliftTree,
  predictUpliftTreesByArm,
} from 'promolens/trees';
import { createRandom } from '../../src/internal/random.js';
import { binaryKl, divergence, normalisation } from '../../src/trees/upliftCriteria.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/trees/criteria.json', import.meta.url), 'utf8'));

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (error) {
    return error as InputError;
  }
  throw new Error('expected a throw');
}

/** Rows of the fixture's binary table: x, arm label, 0/1 outcome. */
function binaryTable() {
  const X: number[][] = [];
  const y: number[] = [];
  const t: string[] = [];
  const labels = ['control', 'A', 'B'];
  for (const [x, n, pos] of [[0, fixture.binary.left_n, fixture.binary.left_pos], [1, fixture.binary.right_n, fixture.binary.right_pos]] as const) {
    labels.forEach((label, k) => {
      for (let r = 0; r < n[k]; r++) {
        X.push([x]);
        y.push(r < pos[k] ? 1 : 0);
        t.push(label);
      }
    });
  }
  return { X, y, t };
}

function continuousTable() {
  const X: number[][] = [];
  const y: number[] = [];
  const t: number[] = [];
  for (const [x, groups] of [[0, fixture.continuous.left], [1, fixture.continuous.right]] as const) {
    (groups as number[][]).forEach((values, arm) => {
      for (const v of values) {
        X.push([x]);
        y.push(v);
        t.push(arm);
      }
    });
  }
  return { X, y, t };
}

describe('uplift split criteria', () => {
  // criteria.json works each gain out from CausalML's definitions, intermediate values included. By
  // hand for "binary ed nReg=0": rates (control, A, B) at the node .28, .46, .27 → D = 2(.18)² + 2(.01)² = .065;
  // left .25, .40, .30 → .05; right .30, .50, .25 → .085; gain = .4·.05 + .6·.085 − .065 = .006.
  for (const c of fixture.cases) {
    it(`gain and leaf rates as worked in the fixture: ${c.name}`, () => {
      const continuous = c.name.startsWith('continuous');
      const { X, y, t } = continuous ? continuousTable() : binaryTable();
      const tree = fitUpliftTree(X, y, t, {
        criterion: c.criterion,
        nReg: c.nReg,
        minSamplesTreatment: c.minSamplesTreatment,
        normalization: c.normalization,
        minSamplesLeaf: 1,
        maxDepth: 1,
        control: continuous ? 0 : 'control',
      }).trees[0]!;
      const arms = c.working.node_rates.length;
      expect(Array.from(tree.values.slice(0, arms))).toEqual(c.working.node_rates.map((v: number) => expect.closeTo(v, 14)));
      if (c.gain > 1e-15) {
        expect(tree.feature[0]).toBe(0);
        expect(tree.threshold[0]).toBe(0.5);
        expect(tree.gain[0]! / c.gain).toBeCloseTo(1, 12);
        const left = tree.left[0]!;
        const right = tree.right[0]!;
        tree.values.slice(left * arms, left * arms + arms).forEach((v, k) => expect(v).toBeCloseTo(c.working.left_rates[k], 14));
        tree.values.slice(right * arms, right * arms + arms).forEach((v, k) => expect(v).toBeCloseTo(c.working.right_rates[k], 14));
      } else {
        // No split gains: the root is a leaf.
        expect(tree.feature[0]).toBe(-1);
      }
    });
  }

  it('binary KL with CausalML edge cases', () => {
    expect(binaryKl(0.3, 0)).toBe(0);
    expect(binaryKl(0, 0.25)).toBeCloseTo(-Math.log(0.75), 15);
    expect(binaryKl(1, 0.25)).toBeCloseTo(-Math.log(0.25), 15);
    // q = 1 is clipped to 1 − 1e-6.
    expect(binaryKl(0.5, 1)).toBeCloseTo(0.5 * Math.log(0.5 / (1 - 1e-6)) + 0.5 * Math.log(0.5 / (1 - (1 - 1e-6))), 12);
  });

  it('the chosen split is the best of a brute-force search over every threshold', () => {
    const random = createRandom(7);
    const n = 600;
    const p = 3;
    const X: number[][] = [];
    const y: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = [Math.floor(random() * 6), Math.floor(random() * 4), random() < 0.15 ? Number.NaN : Math.floor(random() * 5)];
      const arm = Math.floor(random() * 3);
      const rate = 0.2 + (arm === 1 && row[0]! >= 3 ? 0.3 : 0) + (arm === 2 && !(row[2]! < 2) ? 0.2 : 0);
      X.push(row);
      t.push(arm);
      y.push(random() < rate ? 1 : 0);
    }
    const settings = { nReg: 100, minSamplesTreatment: 10, minSamplesLeaf: 40 };
    for (const criterion of ['kl', 'ed', 'chi', 'cts', 'ddp'] as const) {
      const tree = fitUpliftTree(X, y, t, { criterion, ...settings, maxDepth: 1 }).trees[0]!;
      // Brute force: every feature, every midpoint between distinct values, missing values on either side.
      const arms = 3;
      const rootN = [0, 0, 0];
      const rootS = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        rootN[t[i]!]! += 1;
        rootS[t[i]!]! += y[i]!;
      }
      const rootRates = Float64Array.from(rootN, (m, k) => rootS[k]! / m);
      const rates = (nn: number[], ss: number[]) => Float64Array.from(nn, (m, k) => (m > settings.minSamplesTreatment ? (ss[k]! + rootRates[k]! * settings.nReg) / (m + settings.nReg) : rootRates[k]!));
      const d = divergence(criterion, rootRates, arms, false);
      let best = { gain: 0, feature: -1, threshold: 0 };
      for (let f = 0; f < p; f++) {
        const distinct = [...new Set(X.map((r) => r[f]!).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
        for (let k = 0; k + 1 < distinct.length; k++) {
          const threshold = (distinct[k]! + distinct[k + 1]!) / 2;
          for (const missingLeft of [false, true]) {
            const ln = [0, 0, 0];
            const ls = [0, 0, 0];
            for (let i = 0; i < n; i++) {
              const v = X[i]![f]!;
              if (Number.isNaN(v) ? missingLeft : v <= threshold) {
                ln[t[i]!]! += 1;
                ls[t[i]!]! += y[i]!;
              }
            }
            const rn = rootN.map((m, a) => m - ln[a]!);
            const rs = rootS.map((s, a) => s - ls[a]!);
            const nl = ln[0]! + ln[1]! + ln[2]!;
            if (nl < settings.minSamplesLeaf || n - nl < settings.minSamplesLeaf) continue;
            if (Math.min(...ln, ...rn) < settings.minSamplesTreatment) continue;
            const dl = divergence(criterion, rates(ln, ls), arms, false);
            const dr = divergence(criterion, rates(rn, rs), arms, false);
            const share = nl / n;
            const norm = criterion === 'kl' || criterion === 'ed' || criterion === 'chi' ? normalisation(Float64Array.from(rootN), Float64Array.from(ln), arms) : 1;
            const gain = criterion === 'cts' ? d - share * dl - (1 - share) * dr : criterion === 'ddp' ? Math.abs(dl - dr) : (share * dl + (1 - share) * dr - d) / norm;
            if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold };
          }
        }
      }
      expect(best.feature, criterion).toBeGreaterThanOrEqual(0);
      expect(tree.feature[0], criterion).toBe(best.feature);
      expect(tree.threshold[0], criterion).toBe(best.threshold);
      expect(tree.gain[0]! / best.gain, criterion).toBeCloseTo(1, 12);
    }
  });
});

/** A campaign whose effect is a threshold interaction: the offer works for x0 > 0.3 with x1 < 0, hurts for x2 > 0.6. */
function campaign(n: number, seed: number) {
  const random = createRandom(seed);
  const p = 6;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  const tau = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) X[i * p + j] = 2 * random() - 1;
    const x0 = X[i * p]!;
    const x1 = X[i * p + 1]!;
    const x2 = X[i * p + 2]!;
    const base = 0.1 + 0.1 * (x1 > 0.5 ? 1 : 0);
    tau[i] = (x0 > 0.3 && x1 < 0 ? 0.25 : 0) - (x2 > 0.6 ? 0.08 : 0);
    t[i] = random() < 0.5 ? 1 : 0;
    y[i] = random() < base + t[i]! * tau[i]! ? 1 : 0;
  }
  return { X: { data: X, rows: n, cols: p }, y, t, tau };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    c += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return c / Math.sqrt(va * vb);
}

describe('fitUpliftTree and fitUpliftForest', () => {
  const train = campaign(20_000, 1);
  const test = campaign(10_000, 2);

  it('round-trip through JSON and predict identically; seeded', () => {
    const forest = fitUpliftForest(train.X, train.y, train.t, { nEstimators: 3, seed: 5 });
    const loaded = UpliftForestModelSchema.parse(JSON.parse(JSON.stringify(forest)));
    expect(predictUpliftForest(loaded, test.X)).toEqual(predictUpliftForest(forest, test.X));
    expect(fitUpliftForest(train.X, train.y, train.t, { nEstimators: 3, seed: 5 })).toEqual(forest);
    const tree = fitUpliftTree(train.X, train.y, train.t, { honest: true });
    expect(predictUpliftTree(UpliftTreeModelSchema.parse(JSON.parse(JSON.stringify(tree))), test.X)).toEqual(predictUpliftTree(tree, test.X));
  });

  it('find the effect: split-gain importance on the features that drive it', () => {
    const forest = fitUpliftForest(train.X, train.y, train.t, { nEstimators: 10, maxFeatures: 6 });
    const importance = forest.featureImportance;
    const top = [...importance.keys()].sort((a, b) => importance[b]! - importance[a]!).slice(0, 2);
    expect(new Set(top)).toEqual(new Set([0, 1]));
  });

  it('several treatment arms: one uplift per arm', () => {
    const labels = Array.from(train.t, (v, i) => (v === 0 ? 'none' : i % 2 === 0 ? 'coupon' : 'email'));
    const forest = fitUpliftForest(train.X, train.y, labels, { control: 'none', nEstimators: 2 });
    expect(forest.arms.map((a) => a.arm)).toEqual(['coupon', 'email']);
    const byArm = predictUpliftTreesByArm(forest, test.X);
    expect(byArm).toHaveLength(2);
    expect(predictUpliftForest(forest, test.X, { arm: 'email' })).toEqual(byArm[1]);
    expect(thrown(() => predictUpliftForest(forest, test.X)).reason).toBe('invalid_option');
  });

  it('continuous outcomes: squared difference of arm means', () => {
    const spend = train.y.map((v, i) => v * (20 + 10 * train.X.data[i * 6 + 3]!));
    const tree = fitUpliftTree(train.X, spend, train.t, { maxDepth: 2 });
    expect(tree.criterion).toBe('ed');
    expect(tree.outcome).toBe('continuous');
    expect(tree.trees[0]!.feature[0]).toBeGreaterThanOrEqual(0);
    expect(thrown(() => fitUpliftTree(train.X, spend, train.t, { criterion: 'kl' })).reason).toBe('not_binary');
  });

  it('beat a linear T-learner on a non-linear effect: correlation with the truth and the policy value', async () => {
    const { fitTLearner, predictUplift } = await import('promolens/uplift');
    const { gradientBoostingLearner } = await import('promolens/trees');
    const forest = fitUpliftForest(train.X, train.y, train.t, { nEstimators: 20, maxFeatures: 4, maxDepth: 5 });
    const treeUplift = predictUpliftForest(forest, test.X);
    const linearUplift = predictUplift(fitTLearner(train.X, train.y, train.t), test.X);
    const learner = gradientBoostingLearner({ maxIterations: 50, maxLeaves: 8, earlyStopping: true });
    const boostedUplift = predictUplift(fitTLearner(train.X, train.y, train.t, { learner }), test.X, { learner });
    const value = (uplift: Float64Array) => {
      // The known effect summed over the customers the policy treats (uplift > 0).
      let total = 0;
      for (let i = 0; i < uplift.length; i++) if (uplift[i]! > 0) total += test.tau[i]!;
      return total;
    };
    const treeCorrelation = correlation(treeUplift, test.tau);
    const linearCorrelation = correlation(linearUplift, test.tau);
    const boostedCorrelation = correlation(boostedUplift, test.tau);
    // Measured (seeds as here): correlation forest 0.94, boosted T-learner 0.95, linear T-learner 0.68;
    // incremental conversions of the policy on 10,000 rows: forest 417, boosted 394, linear 362, oracle 422.
    expect(treeCorrelation).toBeGreaterThan(linearCorrelation + 0.1);
    expect(boostedCorrelation).toBeGreaterThan(linearCorrelation);
    expect(value(treeUplift)).toBeGreaterThan(value(linearUplift));
    expect(value(boostedUplift)).toBeGreaterThan(value(linearUplift));
    if (process.env.PROMOLENS_PRINT === '1') {
      console.log({ treeCorrelation, boostedCorrelation, linearCorrelation, forest: value(treeUplift), boosted: value(boostedUplift), linear: value(linearUplift), oracle: value(test.tau) });
    }
  });

  it('rejects bad inputs with typed errors', () => {
    expect(thrown(() => fitUpliftTree([[1], [2]], [0, 1], [1, 1])).reason).toBe('single_class');
    expect(thrown(() => fitUpliftTree([[1], [2]], [0, 1], [0, 0])).reason).toBe('single_class');
    expect(thrown(() => fitUpliftTree([[1], [2]], [0, 1], [0])).reason).toBe('length_mismatch');
    expect(thrown(() => fitUpliftTree([[1], [2]], [0, 1], [0, 1], { criterion: 'gini' as never })).reason).toBe('invalid_option');
    expect(thrown(() => fitUpliftForest([[1], [2]], [0, 1], [0, 1], { nEstimators: 0 })).reason).toBe('invalid_option');
    expect(thrown(() => fitUpliftTree([[1], [2]], [0, 1], [0, 1], { nEstimators: 3 } as never)).reason).toBe('invalid_option');
    expect(thrown(() => fitUpliftTree([[Infinity], [2]], [0, 1], [0, 1])).reason).toBe('not_finite');
    const tree = fitUpliftTree([[1], [2]], [0, 1], [0, 1]);
    expect(thrown(() => predictUpliftTree(tree, [[1, 2]])).reason).toBe('length_mismatch');
    expect(thrown(() => predictUpliftTree({ ...tree, trees: [{ ...tree.trees[0]!, values: [1] }] }, [[1]])).reason).toBe('incompatible');
  });
});
