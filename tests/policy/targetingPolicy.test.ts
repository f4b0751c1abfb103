import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { LIBRARY_VERSION, POLICY_VERSION, applyPolicy, fitTargetingPolicy, parsePolicy } from 'promolens/policy';
import { generate } from '../../bench/gen.js';
import { inputErrorOf } from '../helpers.js';
import { transform } from 'promolens/features';
import { trainTestSplit } from 'promolens/models';
import { crossFittedQini, fitTargetingPolicyOnRows } from '../../src/policy/targetingPolicy.js';
import { fitPipeline } from '../../src/features/pipeline.js';

/** A campaign from the bench generator: 6 features, a 50/50 treatment, a 0/1 outcome, the true uplift known. */
function campaign(n: number, offset = 0) {
  const data = generate(n + offset);
  const columns: Record<string, number[] | string[]> = { customer: [], arm: [], converted: [] };
  for (let f = 0; f < 6; f++) columns[`x${f}`] = [];
  const tau: number[] = [];
  for (let i = offset; i < n + offset; i++) {
    (columns.customer as string[]).push(`c${i}`);
    (columns.arm as string[]).push(data.vectors.t[i] === 1 ? 'mail' : 'none');
    (columns.converted as number[]).push(data.vectors.y[i]!);
    for (let f = 0; f < 6; f++) (columns[`x${f}`] as number[]).push(data.X[i * 20 + f]!);
    tau.push(data.vectors.tau_true[i]!);
  }
  return { dataset: fromColumns(columns), tau };
}

const spec = {
  treatment: { column: 'arm', control: 'none' },
  outcomes: [{ column: 'converted', kind: 'binary' as const }],
  features: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'],
  economics: { valuePerUnit: 20, costPerTreated: 1, costPerConversion: 2, currency: 'EUR' },
  unit: 'customer',
  learners: ['t' as const, 's' as const],
};

describe('fitTargetingPolicy and applyPolicy', () => {
  const train = campaign(8000);
  const policy = fitTargetingPolicy(train.dataset, spec);
  const fresh = campaign(4000, 8000);
  // New customers: only the unit and the features.
  const customers = fresh.dataset.select(['customer', 'x0', 'x1', 'x2', 'x3', 'x4', 'x5']);

  it('is versioned JSON that loads back to the same decisions', () => {
    expect(policy.version).toBe(POLICY_VERSION);
    expect(policy.arms).toEqual(['mail']);
    expect(policy.control).toBe('none');
    expect(policy.features).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
    expect(policy.provenance.rows).toBe(8000);
    expect(policy.provenance.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(policy.models[0]!.selection!.map((s) => s.learner)).toEqual(['t', 's']);
    const loaded = parsePolicy(JSON.parse(JSON.stringify(policy)));
    const a = applyPolicy(policy, customers);
    const b = applyPolicy(loaded, customers);
    expect(Array.from(b.assignments.categorical('arm').codes)).toEqual(Array.from(a.assignments.categorical('arm').codes));
    expect(b.summary).toEqual(a.summary);
  });

  it('prices each offer by the coupon model: value × uplift − cost per treated − cost per conversion × P(y | treated)', () => {
    const { assignments } = applyPolicy(policy, customers);
    expect(assignments.names).toEqual(['customer', 'arm', 'expected_profit', 'uplift_mail', 'profit_mail']);
    // P(y | treated) by hand from the stored pipeline and logistic model.
    const treated = policy.models[0]!.treatedOutcome!;
    const numeric = policy.pipeline.numeric;
    const uplift = assignments.numeric('uplift_mail');
    const profit = assignments.numeric('profit_mail');
    for (let i = 0; i < 50; i++) {
      let eta = treated.intercept;
      numeric.forEach((f, j) => (eta += treated.coefficients[j]! * ((customers.numeric(f.column)[i]! - f.center) / f.scale)));
      const p1 = 1 / (1 + Math.exp(-eta));
      expect(profit[i]).toBeCloseTo(20 * uplift[i]! - 1 - 2 * p1, 10);
    }
  });

  it('targets exactly the customers with positive expected profit without a budget, and they gain more truly', () => {
    const { assignments, summary } = applyPolicy(policy, customers);
    const arm = assignments.categorical('arm');
    const profit = assignments.numeric('profit_mail');
    const expected = assignments.numeric('expected_profit');
    let targeted = 0;
    let tauIn = 0;
    let tauOut = 0;
    let sum = 0;
    for (let i = 0; i < assignments.n; i++) {
      const label = arm.levels[arm.codes[i]!];
      expect(label).toBe(profit[i]! > 0 ? 'mail' : 'none');
      expect(expected[i]).toBe(profit[i]! > 0 ? profit[i] : 0);
      if (label === 'mail') {
        targeted++;
        tauIn += fresh.tau[i]!;
        sum += profit[i]!;
      } else tauOut += fresh.tau[i]!;
    }
    expect(targeted).toBeGreaterThan(0);
    expect(targeted).toBeLessThan(assignments.n);
    expect(tauIn / targeted).toBeGreaterThan(tauOut / (assignments.n - targeted));
    expect(summary.perArm.map((p) => [p.arm, p.customers])).toEqual([['none', assignments.n - targeted], ['mail', targeted]]);
    expect(summary.expectedProfit).toBeCloseTo(sum, 6);
    expect(summary.currency).toBe('EUR');
    expect(assignments.categorical('customer').levels[assignments.categorical('customer').codes[0]!]).toBe('c8000');
  });

  it('keeps within a budget, spending it on the most profitable customers', () => {
    const all = applyPolicy(policy, customers).summary;
    const { assignments, summary } = applyPolicy(policy, customers, { budget: all.totalCost / 3 });
    expect(summary.totalCost).toBeLessThanOrEqual(all.totalCost / 3 + 1e-9);
    expect(summary.budgetPrice).toBeGreaterThan(0);
    expect(summary.perArm[1]!.customers).toBeLessThan(all.perArm[1]!.customers);
    // Everyone chosen is at least as good per unit of cost as anyone left out, up to the margin customer.
    const arm = assignments.categorical('arm').codes;
    const profit = assignments.numeric('profit_mail');
    const cost = (i: number) => profit[i]! / (20 * assignments.numeric('uplift_mail')[i]! - profit[i]!);
    let worstIn = Infinity;
    let bestOut = -Infinity;
    let outside = 0;
    for (let i = 0; i < assignments.n; i++) {
      if (profit[i]! <= 0) continue;
      if (arm[i] === 1) worstIn = Math.min(worstIn, cost(i));
      else {
        outside++;
        bestOut = Math.max(bestOut, cost(i));
      }
    }
    expect(outside).toBeGreaterThan(0);
    expect(worstIn).toBeGreaterThanOrEqual(bestOut - 1e-9);
  });

  it('follows the rule: treat_none gives nobody the arm, a capacity caps it', () => {
    const none = parsePolicy({ ...policy, models: [{ ...policy.models[0]!, action: 'treat_none' }] });
    expect(applyPolicy(none, customers).summary.perArm[1]!.customers).toBe(0);
    expect(applyPolicy(policy, customers, { capacity: { mail: 100 } }).summary.perArm[1]!.customers).toBe(100);
    expect(applyPolicy(policy, customers, { arms: [] }).summary.perArm[1]!.customers).toBe(0);
  });

  it('rejects bad or stale policies and customer files with clear reasons', () => {
    expect(inputErrorOf(() => applyPolicy({ ...policy, version: 0 }, customers))).toMatchObject({ reason: 'incompatible', field: 'policy.version' });
    expect(inputErrorOf(() => applyPolicy({ kind: 'something' }, customers))).toMatchObject({ reason: 'incompatible' });
    expect(inputErrorOf(() => applyPolicy({ ...policy, economics: 'cheap' }, customers))).toMatchObject({ reason: 'incompatible', field: 'policy.economics' });
    expect(inputErrorOf(() => applyPolicy(policy, customers.select(['customer', 'x0', 'x1'])))).toMatchObject({ reason: 'missing_column', field: 'x2' });
    expect(inputErrorOf(() => applyPolicy(policy, customers, { arms: ['sms'] }))).toMatchObject({ reason: 'invalid_option' });
    expect(inputErrorOf(() => fitTargetingPolicy(train.dataset, { ...spec, economics: { sms: { valuePerUnit: 1 } } }))).toMatchObject({ reason: 'invalid_option' });
  });

  it('states the library version of package.json in its provenance', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(LIBRARY_VERSION).toBe(`promolens ${pkg.version}`);
  });
});

describe('the learner choice on many rows', () => {
  const { dataset } = campaign(6000);
  const uncapped = fitTargetingPolicy(dataset, spec);
  const capped = fitTargetingPolicy(dataset, { ...spec, validation: { selectionRows: 2500 } });

  it('cross-fits a seeded sample of selectionRows rows stratified by arm, and fits the chosen learner on every row', () => {
    // The sample by hand: 2,500 rows of the 6,000 drawn as trainTestSplit draws a stratified test part.
    const X = transform(capped.pipeline, dataset).matrix;
    const arm = dataset.categorical('arm');
    const t = Float64Array.from(arm.codes, (code) => (arm.levels[code] === 'mail' ? 1 : 0));
    const y = dataset.numeric('converted');
    const { test: sample } = trainTestSplit(6000, { seed: 0, stratify: t, testShare: 2499.5 / 6000 });
    expect(sample.length).toBe(2500);
    const take = (v: Float64Array) => Float64Array.from(sample, (i) => v[i]!);
    const rows = { data: new Float64Array(sample.length * X.cols), rows: sample.length, cols: X.cols };
    sample.forEach((i, k) => rows.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), k * X.cols));
    expect(capped.models[0]!.selection).toEqual(crossFittedQini(['t', 's'], rows, take(y), take(t), true, 3, 0));
    expect(capped.models[0]!.selection).not.toEqual(uncapped.models[0]!.selection);
    // Whichever learner is chosen, its model is the one fitted on all 6,000 rows.
    const learner = capped.models[0]!.learner;
    const allRows = fitTargetingPolicy(dataset, { ...spec, learners: [learner!] });
    expect(capped.models[0]!.uplift).toEqual(allRows.models[0]!.uplift);
  });

  it('leaves a choice on fewer rows than selectionRows as it is, and refuses fewer than 100', () => {
    expect(fitTargetingPolicy(dataset, { ...spec, validation: { selectionRows: 6000 } }).models).toEqual(uncapped.models);
    expect(inputErrorOf(() => fitTargetingPolicy(dataset, { ...spec, validation: { selectionRows: 50 } }))?.reason).toBe('invalid_option');
  });
});

describe('the policy on rows of a dataset (the campaign fits it on its training rows and matrix)', () => {
  it('equals fitTargetingPolicy on those rows taken out, fingerprint included', () => {
    const { dataset } = campaign(3000);
    // A categorical feature and missing values, so the pipeline has one-hot and imputed columns.
    const region = Array.from({ length: 3000 }, (_, i) => ['north', 'south', 'east'][(i * 7) % 3]!);
    const x5 = Float64Array.from(dataset.numeric('x5'), (v, i) => (i % 11 === 0 ? Number.NaN : v));
    const data = dataset.withColumn('region', region).withColumn('x5', x5);
    const rows = Int32Array.from({ length: 2000 }, (_, k) => (k * 3 + (k % 2)) % 3000);
    const pipelineSpec = { numeric: { x0: { scale: 'standard' as const }, x5: { impute: 'median' as const, indicator: true, scale: 'standard' as const } }, categorical: { region: { unknown: 'ignore' as const, drop: 'first' as const } } };
    const full = { ...spec, features: pipelineSpec, learners: ['t' as const, 's' as const, 'x' as const] };
    const taken = data.take(rows);
    const pipeline = fitPipeline(pipelineSpec, taken);
    const onRows = fitTargetingPolicyOnRows(data, full, { rows, pipeline, X: transform(pipeline, taken).matrix });
    expect(JSON.stringify(onRows)).toBe(JSON.stringify(fitTargetingPolicy(taken, full)));
    // The features are given as the prepared matrix: a list of columns, or a matrix of other rows, is refused.
    expect(inputErrorOf(() => fitTargetingPolicyOnRows(data, spec, { rows, pipeline, X: transform(pipeline, taken).matrix }))?.reason).toBe('invalid_option');
    expect(inputErrorOf(() => fitTargetingPolicyOnRows(data, full, { rows: rows.subarray(1), pipeline, X: transform(pipeline, taken).matrix }))?.reason).toBe('length_mismatch');
  });
});

describe('several offers', () => {
  it('gives each customer the arm of highest expected profit after its costs', () => {
    const n = 6000;
    const data = generate(n);
    const arms: string[] = [];
    const y: number[] = [];
    const x0: number[] = [];
    const x2: number[] = [];
    for (let i = 0; i < n; i++) {
      // Arm by row (randomised by the generator's own treatment bit and row parity).
      const t = data.vectors.t[i] === 1 ? (i % 2 === 0 ? 'coupon' : 'mail') : 'none';
      arms.push(t);
      y.push(data.vectors.y[i]!);
      x0.push(data.X[i * 20]!);
      x2.push(data.X[i * 20 + 2]!);
    }
    const dataset = fromColumns({ arm: arms, y, x0, x2 });
    const policy = fitTargetingPolicy(dataset, {
      treatment: { column: 'arm', control: 'none' },
      outcomes: [{ column: 'y', kind: 'binary' }],
      features: ['x0', 'x2'],
      economics: { coupon: { valuePerUnit: 20, costPerTreated: 0.2, costPerConversion: 3 }, mail: { valuePerUnit: 20, costPerTreated: 1.5 } },
      learners: ['t'],
    });
    const { assignments, summary } = applyPolicy(policy, dataset);
    const code = assignments.categorical('arm');
    const pc = assignments.numeric('profit_coupon');
    const pm = assignments.numeric('profit_mail');
    for (let i = 0; i < n; i++) {
      const best = Math.max(pc[i]!, pm[i]!);
      const want = best <= 0 ? 'none' : pc[i]! >= pm[i]! ? 'coupon' : 'mail';
      expect(code.levels[code.codes[i]!]).toBe(want);
    }
    expect(summary.perArm.map((p) => p.arm)).toEqual(['none', 'coupon', 'mail']);
    expect(summary.perArm.reduce((s, p) => s + p.customers, 0)).toBe(n);
  });
});
