import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv, type Dataset } from 'promolens/data';
import * as md from 'promolens/models';
import { hasSharedData, inputErrorOf, sharedData } from '../helpers.js';

// References: tests/fixtures/models/make.py (scikit-learn LinearRegression/Ridge,
// statsmodels OLS/WLS/Logit/GLM inference, and for logistic coefficients the exact
// optimum by Newton's method in numpy, since scikit-learn's lbfgs stops at ~1e-5).
// Tolerances: 1e-10 relative for least squares; 1e-9 for logistic fits (iterative on
// both sides, each converged to ~1e-12 on the gradient).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/models/models.json', import.meta.url), 'utf8'));

function close(actual: number | null | undefined, expected: number, tolerance: number, what: string): void {
  expect(actual, what).not.toBeNull();
  const scale = Math.max(Math.abs(expected), 1e-8);
  expect(Math.abs((actual as number) - expected) / scale, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function checkLinear(model: md.LinearModel, e: any, tolerance: number): void {
  close(model.intercept, e.intercept, tolerance, 'intercept');
  model.coefficients.forEach((value, j) => close(value, e.coefficients[j], tolerance, `coefficient ${j}`));
  if (e.se === undefined) return;
  model.terms.forEach((term, k) => {
    close(term.standardError, e.se[k], tolerance, `se ${term.name}`);
    close(term.robustStandardError, e.hc1[k], tolerance, `HC1 ${term.name}`);
    close(term.statistic, e.t[k], tolerance, `t ${term.name}`);
    if (e.p[k] > 1e-300) close(term.pValue, e.p[k], 1e-8, `p ${term.name}`);
    close(term.ci[0], e.ci[k][0], tolerance, `ci ${term.name}`);
    close(term.ci[1], e.ci[k][1], tolerance, `ci ${term.name}`);
  });
  close(model.r2, e.r2, tolerance, 'r2');
  close(model.adjustedR2, e.adjustedR2, tolerance, 'adjusted r2');
  close(model.residualStandardError, e.rse, tolerance, 'residual se');
  expect(model.dfResidual).toBe(e.df);
}

function checkLogistic(model: md.LogisticModel, e: any, tolerance: number): void {
  expect(model.converged, model.warning ?? '').toBe(true);
  close(model.intercept, e.intercept, tolerance, 'intercept');
  model.coefficients.forEach((value, j) => close(value, e.coefficients[j], tolerance, `coefficient ${j}`));
  // scikit-learn stops early (its lbfgs ftol test); it agrees to about 1e-4.
  model.coefficients.forEach((value, j) => expect(Math.abs(value - e.sklearn_coefficients[j])).toBeLessThan(1e-3));
  if (e.se === undefined) return;
  model.terms.forEach((term, k) => {
    close(term.estimate, e.statsmodels_params[k], tolerance, `statsmodels estimate ${term.name}`);
    close(term.standardError, e.se[k], tolerance, `se ${term.name}`);
    close(term.statistic, e.z[k], tolerance, `z ${term.name}`);
    if (e.p[k] > 1e-300) close(term.pValue, e.p[k], 1e-6, `p ${term.name}`);
    close(term.ci[0], e.ci[k][0], tolerance, `ci ${term.name}`);
  });
}

describe(`models agree with scikit-learn ${fixture.versions.sklearn} and statsmodels ${fixture.versions.statsmodels}`, () => {
  const r = fixture.random;
  it('fitLinear: OLS, WLS, ridge and weighted ridge, with classical and HC1 inference', () => {
    checkLinear(md.fitLinear(r.X, r.yLinear), r.linear[0], 1e-10);
    checkLinear(md.fitLinear(r.X, r.yLinear, { sampleWeight: r.weight }), r.linear[1], 1e-10);
    checkLinear(md.fitLinear(r.X, r.yLinear, { l2: 10 }), r.linear[2], 1e-10);
    checkLinear(md.fitLinear(r.X, r.yLinear, { l2: 3, sampleWeight: r.weight }), r.linear[3], 1e-10);
  });

  for (const solver of ['newton', 'lbfgs'] as const) {
    it(`fitLogistic (${solver}): unpenalised and L2 (l2 = 1/C), with and without weights`, () => {
      checkLogistic(md.fitLogistic(r.X, r.yLogistic, { solver }), r.logistic[0], 1e-9);
      checkLogistic(md.fitLogistic(r.X, r.yLogistic, { solver, sampleWeight: r.weight }), r.logistic[1], 1e-9);
      checkLogistic(md.fitLogistic(r.X, r.yLogistic, { solver, l2: 1 / 0.05 }), r.logistic[2], 1e-9);
      checkLogistic(md.fitLogistic(r.X, r.yLogistic, { solver, l2: 1, sampleWeight: r.weight }), r.logistic[3], 1e-9);
    });
  }
});

function standardised(data: Dataset, columns: readonly string[]) {
  const n = data.n;
  const p = columns.length;
  const out = new Float64Array(n * p);
  columns.forEach((column, j) => {
    const values = data.numeric(column);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += values[i] as number;
    mean /= n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
    const sd = Math.sqrt(squares / n);
    for (let i = 0; i < n; i++) out[i * p + j] = ((values[i] as number) - mean) / sd;
  });
  return { data: out, rows: n, cols: p };
}

describe.skipIf(!hasSharedData)('models agree with scikit-learn on real data', () => {
  it('bank-marketing: logistic, unpenalised (with inference) and C = 1', () => {
    const data = parseCsv(gunzipSync(readFileSync(`${sharedData}bank-marketing/bank-additional-full.csv.gz`)));
    const e = fixture.real['bank-marketing'];
    const X = standardised(data, e.columns);
    checkLogistic(md.fitLogistic(X, data.numeric('y')), e.logistic[0], 1e-9);
    checkLogistic(md.fitLogistic(X, data.numeric('y'), { l2: 1 }), e.logistic[1], 1e-9);
  });

  it('online-shoppers-intention: linear (OLS with inference, ridge) and logistic', () => {
    const data = parseCsv(readFileSync(`${sharedData}online-shoppers-intention/online_shoppers_intention.csv`));
    const e = fixture.real['online-shoppers-intention'];
    const X = standardised(data, e.columns);
    checkLinear(md.fitLinear(X, data.numeric('ProductRelated_Duration')), e.linear[0], 1e-10);
    checkLinear(md.fitLinear(X, data.numeric('ProductRelated_Duration'), { l2: 100 }), e.linear[1], 1e-10);
    checkLogistic(md.fitLogistic(X, data.numeric('Revenue')), e.logistic[0], 1e-9);
    checkLogistic(md.fitLogistic(X, data.numeric('Revenue'), { l2: 10 }), e.logistic[1], 1e-9);
  });
});

describe('model behaviour', () => {
  it('OLS residuals are orthogonal to every column and sum to zero', () => {
    const r = fixture.random;
    const model = md.fitLinear(r.X, r.yLinear);
    const fitted = md.predictLinear(model, r.X);
    for (let j = 0; j < 5; j++) {
      let dot = 0;
      let norm = 0;
      r.X.forEach((row: number[], i: number) => {
        dot += (row[j] as number) * ((r.yLinear[i] as number) - (fitted[i] as number));
        norm += (row[j] as number) ** 2;
      });
      expect(Math.abs(dot) / norm).toBeLessThan(1e-12);
    }
  });

  it('drops constant and collinear columns and reports them', () => {
    const X = [[1, 5, 2], [2, 5, 4], [3, 5, 6.5], [4, 5, 8], [5, 5, 10.5]].map(([a, b]) => [a as number, b as number, 2 * (a as number)]);
    const model = md.fitLinear(X, [1, 3, 2, 5, 4]);
    expect(model.rank).toBe(1);
    expect(model.dropped.length).toBe(2);
    expect(model.terms.filter((term) => term.dropped).length).toBe(2);
    const reference = md.fitLinear(X.map((row) => [row[0] as number]), [1, 3, 2, 5, 4]);
    const fitted = md.predictLinear(model, X);
    md.predictLinear(reference, X.map((row) => [row[0] as number])).forEach((value, i) => expect(fitted[i]).toBeCloseTo(value, 12));
  });

  it('fits a Dataset with named columns, and round-trips through JSON', () => {
    const data = parseCsv('a,b,y\n1,0,1.5\n2,1,2.9\n3,0,4.2\n4,1,5.1\n5,0,6.6\n');
    const model = md.fitLinear({ dataset: data, columns: ['a', 'b'] }, data.numeric('y'));
    expect(model.names).toEqual(['a', 'b']);
    const loaded = md.LinearModelSchema.parse(JSON.parse(JSON.stringify(model)));
    expect(md.predictLinear(loaded, [[6, 1]])).toEqual(md.predictLinear(model, [[6, 1]]));
    const logistic = md.fitLogistic({ dataset: data, columns: ['a'] }, data.numeric('b'), { l2: 1 });
    const loadedLogistic = md.LogisticModelSchema.parse(JSON.parse(JSON.stringify(logistic)));
    expect(md.predictProba(loadedLogistic, [[2.5]])).toEqual(md.predictProba(logistic, [[2.5]]));
  });

  it('reports complete separation instead of diverging, and fits it with l2', () => {
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const model = md.fitLogistic(X, y);
    expect(model.separation).toBe('complete');
    expect(model.converged).toBe(false);
    expect(model.warning).toContain('set l2');
    const penalised = md.fitLogistic(X, y, { l2: 1 });
    expect(penalised.converged).toBe(true);
    expect(penalised.separation).toBeNull();
  });

  it('l1 sets weak coefficients exactly to zero and satisfies the optimality conditions', () => {
    const r = fixture.random;
    const model = md.fitLogistic(r.X, r.yLogistic, { l1: 20 });
    expect(model.converged).toBe(true);
    expect(model.coefficients.some((b) => b === 0)).toBe(true);
    const heavy = md.fitLogistic(r.X, r.yLogistic, { l1: 1e6 });
    expect(heavy.coefficients.every((b) => b === 0)).toBe(true);
  });

  it('on more than 2^17 rows (warm start from the row sample, BFGS-refined Hessian) reaches the optimum on every row', () => {
    // The optimum is checked directly: the full objective's gradient, computed here row by row, vanishes.
    const n = 150_001;
    const p = 4;
    const data = new Float64Array(n * p);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) {
      let eta = -1;
      for (let j = 0; j < p; j++) {
        const v = (next() - 0.5) * (j + 1) + (j === 3 ? 100 : 0); // one column with a large mean
        data[i * p + j] = v;
        eta += [0.8, -0.5, 0.3, 0.2][j]! * (v - (j === 3 ? 100 : 0));
      }
      y[i] = next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      w[i] = 1 + (i % 3);
    }
    const X = { data, rows: n, cols: p };
    for (const options of [{}, { l2: 1 }, { l2: 1, sampleWeight: w }, { l1: 30 }]) {
      const model = md.fitLogistic(X, y, options);
      expect(model.converged, `${JSON.stringify(Object.keys(options))} ${model.warning} ${model.iterations}`).toBe(true);
      const l2 = 'l2' in options ? (options.l2 as number) : 0;
      const l1 = 'l1' in options ? (options.l1 as number) : 0;
      const weights = 'sampleWeight' in options ? w : undefined;
      const gradient = new Float64Array(p + 1);
      // Neumaier-compensated, as an exact reference for the fit's own objective.
      let objective = 0;
      let carry = 0;
      for (let i = 0; i < n; i++) {
        let eta = model.intercept;
        for (let j = 0; j < p; j++) eta += model.coefficients[j]! * data[i * p + j]!;
        const probability = 1 / (1 + Math.exp(-eta));
        const weight = weights?.[i] ?? 1;
        const r = weight * (probability - y[i]!);
        const term = weight * (Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - y[i]! * eta);
        const sum = objective + term;
        carry += Math.abs(objective) >= Math.abs(term) ? objective - sum + term : term - sum + objective;
        objective = sum;
        gradient[0] = gradient[0]! + r;
        for (let j = 0; j < p; j++) gradient[j + 1] = gradient[j + 1]! + r * data[i * p + j]!;
      }
      let violation = Math.abs(gradient[0]!);
      model.coefficients.forEach((b, j) => {
        const g = gradient[j + 1]! + l2 * b;
        violation = Math.max(violation, b !== 0 ? Math.abs(g + l1 * Math.sign(b)) : Math.max(0, Math.abs(g) - l1));
      });
      // The fit's own test is 1e-10 · objective; the sums here round differently, hence 1e-8.
      expect(violation).toBeLessThan(1e-8 * objective);
      objective += carry + model.coefficients.reduce((total, b) => total + 0.5 * l2 * b * b + l1 * Math.abs(b), 0);
      // The reported objective is the full one to within a few ulps (its log terms go four rows per log).
      expect(Math.abs(model.objective - objective)).toBeLessThan(4 * Number.EPSILON * objective);
    }
  });

  it('rejects bad input with reasons', () => {
    expect(inputErrorOf(() => md.fitLogistic([[1], [2]], [0, 2]))).toMatchObject({ reason: 'not_binary', field: 'y', row: 1 });
    expect(inputErrorOf(() => md.fitLogistic([[1], [2]], [1, 1]))).toMatchObject({ reason: 'single_class' });
    expect(inputErrorOf(() => md.fitLinear([[1], [Number.NaN]], [1, 2]))).toMatchObject({ reason: 'not_finite', field: 'X', row: 1 });
    for (const solver of ['newton', 'lbfgs'] as const) {
      expect(inputErrorOf(() => md.fitLogistic([[1], [2], [Number.NEGATIVE_INFINITY], [4]], [0, 1, 0, 1], { solver, l2: 1 }))).toMatchObject({ reason: 'not_finite', field: 'X', row: 2 });
    }
    // On the warm-start path (more than 2^17 rows) too.
    const many = new Float64Array(140_000).map((_, i) => (i % 7) - 3);
    many[123_457] = Number.NaN;
    expect(inputErrorOf(() => md.fitLogistic({ data: many, rows: 140_000, cols: 1 }, Float64Array.from(many, (_, i) => i % 2)))).toMatchObject({ reason: 'not_finite', field: 'X', row: 123_457 });
    // A zero-weight row and the row the Gram shifts by are checked too (the check rides on the Gram's diagonal).
    const big = { data: Float64Array.from([1, 2, 3, 4, 5, 6, Number.POSITIVE_INFINITY, 8]), rows: 4, cols: 2 };
    expect(inputErrorOf(() => md.fitLinear(big, [1, 2, 3, 4], { sampleWeight: [1, 1, 1, 0] }))).toMatchObject({ reason: 'not_finite', field: 'X', row: 3 });
    const first = { data: Float64Array.from([Number.NaN, 2, 3, 4, 5, 6, 7, 9]), rows: 4, cols: 2 };
    expect(inputErrorOf(() => md.fitLinear(first, [1, 2, 3, 4]))).toMatchObject({ reason: 'not_finite', field: 'X', row: 0 });
    expect(inputErrorOf(() => md.fitLinear([[1], [2]], [1]))).toMatchObject({ reason: 'length_mismatch', field: 'y' });
    expect(inputErrorOf(() => md.fitLinear([[1, 2, 3], [3, 4, 7]], [1, 2]))).toMatchObject({ reason: 'singular' });
    expect(md.fitLinear([[1, 2, 3], [3, 4, 7]], [1, 2], { l2: 1 }).coefficients.length).toBe(3);
    expect(inputErrorOf(() => md.predictLinear(md.fitLinear([[1], [2], [3]], [1, 2, 4]), [[1, 2]]))).toMatchObject({ reason: 'length_mismatch' });
    // Predictions check X through the linear predictor: ±∞ times a zero coefficient is NaN too.
    const zero = { ...md.fitLogistic([[0], [1], [0], [1]], [0, 0, 1, 1]), coefficients: [0] };
    expect(inputErrorOf(() => md.predictProba(zero, [[1], [Number.POSITIVE_INFINITY]]))).toMatchObject({ reason: 'not_finite', field: 'X', row: 1 });
    expect(inputErrorOf(() => md.predictLinear(md.fitLinear([[1], [2], [3]], [1, 2, 4]), [[1], [2], [Number.NaN]]))).toMatchObject({ reason: 'not_finite', row: 2 });
    // A finite X whose products overflow is not an input error.
    const huge = md.predictLinear({ ...md.fitLinear([[1], [2], [3]], [1, 2, 4]), coefficients: [1e300], intercept: 0 }, [[1e300]]);
    expect(huge[0]).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('splits and cross-validation', () => {
  it('kFold tests every row once, with seeded, stratified folds', () => {
    const y = Array.from({ length: 103 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const folds = md.kFold(103, 5, { seed: 9, stratify: y });
    const seen = new Int32Array(103);
    for (const fold of folds) {
      fold.test.forEach((row) => seen[row]!++);
      expect(fold.train.length + fold.test.length).toBe(103);
      const positives = Array.from(fold.test).filter((row) => y[row] === 1).length;
      expect(positives === 2 || positives === 3).toBe(true);
    }
    expect(Array.from(seen).every((count) => count === 1)).toBe(true);
    expect(md.kFold(103, 5, { seed: 9, stratify: y })).toEqual(folds);
    expect(md.kFold(103, 5, { seed: 10 })[0]?.test).not.toEqual(md.kFold(103, 5, { seed: 9 })[0]?.test);
  });

  it('stratifies a million rows (no argument spreading of large arrays)', () => {
    const labels = Float64Array.from({ length: 1_000_000 }, (_, i) => i % 3);
    expect(md.trainTestSplit(1_000_000, { testShare: 0.3, seed: 1, stratify: labels }).test.length).toBe(300_000);
  });

  it('trainTestSplit takes ⌈share·n⌉ test rows, the same on every run', () => {
    const split = md.trainTestSplit(1000, { testShare: 0.3, seed: 5 });
    expect(split.test.length).toBe(300);
    expect(new Set([...split.train, ...split.test]).size).toBe(1000);
    expect(md.trainTestSplit(1000, { testShare: 0.3, seed: 5 })).toEqual(split);
  });

  it('crossValidate never shows a fold its own rows', () => {
    const X = Array.from({ length: 50 }, (_, i) => [i]);
    const y = X.map(([x]) => 3 * (x as number) + 1);
    const seenSizes: number[] = [];
    const learner: md.Learner<number> = {
      name: 'spy',
      fit: (matrix, target) => {
        seenSizes.push(matrix.rows);
        return target.length;
      },
      predict: (_model, matrix) => new Float64Array(matrix.rows),
    };
    const result = md.crossValidate(learner, X, y, { folds: 5, metric: (a) => a.length });
    expect(seenSizes).toEqual([40, 40, 40, 40, 40]);
    expect(result.scores).toEqual([10, 10, 10, 10, 10]);
    const linear = md.crossValidate(md.linearLearner(), X, y, { folds: 5, metric: (a, b) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)))) });
    expect(linear.mean).toBeLessThan(1e-9);
  });
});
