import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignSpec, evaluateCampaign } from 'promolens';
import { type TargetingPolicy, applyPolicy, policyValue, profitCurve } from 'promolens/policy';
import { scoreCustomers } from '../../src/policy/applyPolicy.js';
import { transform } from 'promolens/features';
import { type UpliftModel, fitMetaLearner } from 'promolens/uplift';
import { ENGINE_FINGERPRINT, evaluateCampaignSql, holdoutMask, profitCurveSql } from 'promolens/sql';
import { inputErrorOfAsync } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, campaignRows, datasetOf } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

const rows = campaignRows(1500, 11);
const table = `promolens_campaign_${process.pid}`;


const spec: CampaignSpec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [
    { column: 'conversion', kind: 'binary' },
    { column: 'spend', kind: 'continuous', preperiod: 'pre_spend' },
  ],
  features: ['recency', 'history', 'score', 'channel'],
  segments: ['region'],
  learners: ['t', 's'],
  economics: { valuePerUnit: 30, costPerTreated: 0.5 },
};

/** The policy's T- or S-learner of each arm is `fitMetaLearner` on every training row of the arm and control (the policy's pipeline), to 1e-9. */
function expectRefitted(policy: TargetingPolicy, outcome: 'conversion' | 'spend'): void {
  const X = transform(policy.pipeline, datasetOf(rows)).matrix;
  const train = holdoutMask(rows.map((r) => r.customer_id), 0.3);
  for (const m of policy.models) {
    const uplift = m.uplift as UpliftModel;
    expect(['t', 's']).toContain(uplift.kind);
    const picked = rows.flatMap((r, i) => (train[i] === 0 && (r.arm === m.arm || r.arm === 'control') ? [i] : []));
    const Xa = { rows: picked.length, cols: X.cols, data: Float64Array.from(picked.flatMap((i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)))) };
    const expected = fitMetaLearner(uplift.kind, Xa, picked.map((i) => (rows[i] as (typeof rows)[number])[outcome]), picked.map((i) => (rows[i] as (typeof rows)[number]).arm), { control: 'control' });
    const got = uplift.arms[0]?.models as Record<string, { intercept: number; coefficients: number[] }>;
    const want = expected.arms[0]?.models as Record<string, { intercept: number; coefficients: number[] }>;
    for (const role of Object.keys(want)) expectAgree([got[role]?.intercept, ...(got[role]?.coefficients ?? [])], [want[role]?.intercept, ...(want[role]?.coefficients ?? [])], 1e-9);
    expect(uplift.arms[0]?.propensity).toBeCloseTo(expected.arms[0]?.propensity as number, 12);
  }
}

describe.each([
  { name: 'duckdb', open: openDuckdb },
  { name: 'postgres', open: openPostgres },
])('evaluateCampaignSql on $name', ({ open }) => {
  let test: TestEngine | null = null;
  beforeAll(async () => {
    test = await open();
    if (test !== null) await loadTable(test, table, CAMPAIGN_COLUMNS, rows as unknown as Record<string, unknown>[]);
  }, 120_000);
  afterAll(async () => {
    if (test !== null) {
      await test.engine.query(`DROP TABLE IF EXISTS "${table}"`);
      await test.close();
    }
  });

  it('gives the report evaluateCampaign gives on the same rows, to 1e-9', async (context) => {
    if (test === null) return context.skip();
    const expected = evaluateCampaign(datasetOf(rows), spec, { resamples: 20 });
    const report = await evaluateCampaignSql(test.engine, { table }, spec, { resamples: 20, unit: 'customer_id' });
    expectAgree(report, expected, 1e-9);
  });

  it('fits the models on a hash sample and keeps every row for checks and effects', async (context) => {
    if (test === null) return context.skip();
    const report = await evaluateCampaignSql(test.engine, { query: `SELECT * FROM "${table}"` }, spec, { resamples: 20, unit: 'customer_id', maxSampleRows: 600 });
    const full = evaluateCampaign(datasetOf(rows), spec, { resamples: 20 });
    const mask = holdoutMask(rows.map((r) => r.customer_id), 600 / rows.length, { salt: '|sample' });
    const sample = evaluateCampaign(datasetOf(rows.filter((_, i) => mask[i] === 1)), spec, { resamples: 20 });
    expectAgree(report.effects, full.effects, 1e-9);
    expectAgree(report.segments, full.segments, 1e-9);
    expectAgree(report.data, full.data, 1e-9);
    expectAgree(report.responseModels, sample.responseModels, 1e-9);
    expectAgree(report.uplift, sample.uplift, 1e-9);
    expect(report.checks.warnings.at(-1)).toMatch(/hash sample of \d+ of 1500 rows/);
  });

  it('splits by the hash of the unit id: the same report in any row order, in memory and in the engine', async (context) => {
    if (test === null) return context.skip();
    const hashed: CampaignSpec = { ...spec, validation: { unit: 'customer_id', holdoutShare: 0.3 } };
    const shuffled = [...rows].sort((a, b) => ((a.customer_id * 7919) % 1009) - ((b.customer_id * 7919) % 1009) || a.customer_id - b.customer_id);
    const expected = evaluateCampaign(datasetOf(rows), hashed, { resamples: 20 });
    const reordered = evaluateCampaign(datasetOf(shuffled), hashed, { resamples: 20 });
    expect(reordered.responseModels[0]?.holdoutRows).toBe(expected.responseModels[0]?.holdoutRows);
    expectAgree(reordered.responseModels, expected.responseModels, 1e-9);
    expect(expected.settings.conventions.split).toMatch(/hash of customer_id/);
    // The response models and the profit curves are computed in the engine here, over every training and holdout row.
    const statements: string[] = [];
    const engine = test.engine;
    const watched = { dialect: engine.dialect, query: (sql: string) => (statements.push(sql), engine.query(sql)) };
    const report = await evaluateCampaignSql(watched, { table }, hashed, { resamples: 20 });
    // Each arm's profit curve and Qini curve: cut points at their ranks, then one GROUP BY into the intervals; no window over every holdout row.
    expect(statements.filter((q) => q.includes(engine.dialect === 'duckdb' ? 'quantile_disc(' : 'percentile_disc(')).length).toBe(4);
    expect(statements.some((q) => q.includes('OVER (ORDER BY "s" DESC') || q.includes('LAG('))).toBe(false);
    expect(statements.some((q) => q.includes('AS "g0"') && q.includes('md5'))).toBe(true);
    expectAgree(report, expected, 1e-9);
  });

  it('computes the profit curve in the engine as profitCurve does, ties in row order', async (context) => {
    if (test === null) return context.skip();
    // A score with many ties (recency has one decimal): the later row of a tie first, as in memory.
    const inOrder = [...rows].sort((a, b) => a.customer_id - b.customer_id).filter((r) => r.arm !== 'sms');
    const economics = { valuePerUnit: 30, costPerTreated: 0.5, costPerConversion: 2, budget: 40 };
    const expected = profitCurve(inOrder.map((r) => r.conversion), inOrder.map((r) => Math.floor(r.recency)), inOrder.map((r) => (r.arm === 'email' ? 1 : 0)), { economics, population: 5000, steps: 37 });
    const curve = await profitCurveSql(test.engine, { table }, { score: 'FLOOR(recency)', outcome: 'conversion', treatment: 'arm', treated: 'email', control: 'control', tieBreak: 'customer_id', economics, population: 5000, steps: 37 });
    expectAgree(curve, expected, 1e-9);
  });

  it('gives an effects-only report from sums alone, as evaluateCampaign does', async (context) => {
    if (test === null) return context.skip();
    const { features: _features, learners: _learners, ...effectsOnly } = spec;
    const expected = evaluateCampaign(datasetOf(rows), effectsOnly);
    const returned: number[] = [];
    const engine = (test as TestEngine).engine;
    const watched = { dialect: engine.dialect, query: async (sql: string) => {
      const result = await engine.query(sql);
      returned.push(result.length);
      return result;
    } };
    const report = await evaluateCampaignSql(watched, { table }, effectsOnly);
    expect(report.scope).toBe('effects');
    expect(report.provenance.data.fingerprint).toBe(ENGINE_FINGERPRINT);
    expectAgree({ ...report, provenance: { ...report.provenance, data: { ...report.provenance.data, fingerprint: '' } } }, { ...expected, provenance: { ...expected.provenance, data: { ...expected.provenance.data, fingerprint: '' } } }, 1e-9);
    // Only aggregates cross: no statement returns more than a few rows of the 1500.
    expect(Math.max(...returned)).toBeLessThan(50);
  });

  it('gives the cluster-robust report of evaluateCampaign with a cluster column', async (context) => {
    if (test === null) return context.skip();
    const clustered: CampaignSpec = { ...spec, outcomes: [spec.outcomes[0]!, { column: 'spend', kind: 'continuous', preperiod: 'pre_spend', cap: { value: 60 } }, { column: 'visits', kind: 'continuous' }], cluster: 'store', comparisons: 'all-pairs' };
    const expected = evaluateCampaign(datasetOf(rows), clustered, { resamples: 20 });
    const report = await evaluateCampaignSql(test.engine, { table }, clustered, { resamples: 20, unit: 'customer_id' });
    expect(report.effects.every((e) => e.kind === 'clustered')).toBe(true);
    expectAgree(report, expected, 1e-9);
  });

  it('caps an outcome as evaluateCampaign does, in the whole report', async (context) => {
    if (test === null) return context.skip();
    const capped: CampaignSpec = { ...spec, outcomes: [spec.outcomes[0]!, { column: 'spend', kind: 'continuous', preperiod: 'pre_spend', cap: { quantile: 0.95 } }] };
    const expected = evaluateCampaign(datasetOf(rows), capped, { resamples: 20 });
    const report = await evaluateCampaignSql(test.engine, { table }, capped, { resamples: 20, unit: 'customer_id' });
    expect(report.effects.find((e) => e.outcome === 'spend')?.cap?.method).toBe('quantile');
    expectAgree(report, expected, 1e-9);
  });

  it('gives the sequential and Bayesian report of evaluateCampaign from the same sums', async (context) => {
    if (test === null) return context.skip();
    const { features: _features, learners: _learners, ...effectsOnly } = spec;
    const inferring: CampaignSpec = { ...effectsOnly, outcomes: [...spec.outcomes, { kind: 'ratio', numerator: 'spend', denominator: 'visits', preperiod: { numerator: 'pre_spend', denominator: 'visits' } }], sequential: { tuning: 1000 }, bayesian: true };
    const expected = evaluateCampaign(datasetOf(rows), inferring);
    const report = await evaluateCampaignSql(test.engine, { table }, inferring);
    expect(report.effects.every((e) => e.method === 'sequential' && e.bayesian !== null)).toBe(true);
    const unfingerprinted = (r: typeof report) => ({ ...r, provenance: { ...r.provenance, data: { ...r.provenance.data, fingerprint: '' } } });
    expectAgree(unfingerprinted(report), unfingerprinted(expected), 1e-9);
  });

  it('pushes down ratio outcomes and all-pairs comparisons', async (context) => {
    if (test === null) return context.skip();
    const pairs: CampaignSpec = { ...spec, outcomes: [...spec.outcomes, { kind: 'ratio', numerator: 'spend', denominator: 'visits', label: 'spend per visit' }], comparisons: 'all-pairs' };
    const expected = evaluateCampaign(datasetOf(rows), pairs, { resamples: 20 });
    const report = await evaluateCampaignSql(test.engine, { table }, pairs, { resamples: 20, unit: 'customer_id' });
    expect(report.effects.filter((e) => e.baseline === 'email').length).toBe(3);
    expect(report.effects.filter((e) => e.kind === 'ratios').length).toBe(3);
    expectAgree(report, expected, 1e-9);
    const { features: _features, learners: _learners, ...effectsOnly } = pairs;
    const effects = await evaluateCampaignSql(test.engine, { table }, effectsOnly);
    expectAgree(effects.effects, evaluateCampaign(datasetOf(rows), effectsOnly).effects, 1e-9);
  });

  it('fits and scores the response models on every row in the engine while the uplift models use the sample', async (context) => {
    if (test === null) return context.skip();
    const hashed: CampaignSpec = { ...spec, validation: { unit: 'customer_id', holdoutShare: 0.3 } };
    const report = await evaluateCampaignSql(test.engine, { table }, hashed, { resamples: 20, maxSampleRows: 600 });
    const held = holdoutMask(rows.map((r) => r.customer_id), 0.3).reduce((a, b) => a + b, 0);
    for (const model of report.responseModels) {
      expect(model.holdoutRows).toBe(held);
      expect(model.trainRows).toBe(rows.length - held);
    }
    // The same models as in memory on every row, up to the pipeline (fitted on the sample's training rows here): close, not equal.
    const full = evaluateCampaign(datasetOf(rows), hashed, { resamples: 20 });
    expect(Math.abs((report.responseModels[0]?.metrics.auc as number) - (full.responseModels[0]?.metrics.auc as number))).toBeLessThan(0.01);
    expect(report.checks.warnings.at(-1)).toMatch(/response models, the policy's logistic T- and S-learners, the profit and chosen Qini curves and the decisions' policy values cover every row/);
    // The policy's T- and S-learners are the in-memory learners fitted on every training row (on the policy's pipeline), to 1e-9.
    const policy = report.policy as TargetingPolicy;
    const train = holdoutMask(rows.map((r) => r.customer_id), 0.3);
    expectRefitted(policy, 'conversion');
    // A customer the policy has never seen is scored by the refitted models.
    expect(applyPolicy(policy, datasetOf(rows.slice(0, 5))).assignments.n).toBe(5);
    // The decisions are judged on every holdout row with those models: each arm's doubly robust values are
    // policyValue's on the holdout (to 1e-9; standard errors within 8% of 4,000 bootstrap resamples).
    const initial = { ...policy, models: policy.models.map((m) => ({ ...m, action: 'target' as const })) };
    const heldRows = rows.filter((_, i) => train[i] === 1);
    const scores = scoreCustomers(initial, datasetOf(heldRows));
    for (const [a, m] of policy.models.entries()) {
      const picked = heldRows.flatMap((r, i) => (r.arm === m.arm || r.arm === 'control' ? [i] : []));
      const e = policy.economics[a] as TargetingPolicy['economics'][number];
      const predictions = { data: Float64Array.from(picked.flatMap((i) => [(scores.treatedOutcome[a]?.[i] as number) - (scores.uplift[a]?.[i] as number), scores.treatedOutcome[a]?.[i] as number])), rows: picked.length, cols: 2 };
      const value = policyValue(picked.map((i) => (heldRows[i] as (typeof rows)[number]).conversion), picked.map((i) => (heldRows[i] as (typeof rows)[number]).arm), picked.map((i) => ((scores.profit[a]?.[i] as number) > policy.rule.minimumProfit ? m.arm : 'control')), {
        control: 'control', arms: [m.arm], economics: { [m.arm]: { valuePerUnit: e.valuePerUnit, costPerTreated: e.costPerTreated, costPerConversion: e.costPerConversion, fixedCost: e.fixedCost } }, predictions, population: rows.length, resamples: 4000, seed: 1,
      });
      const evidence = report.policyEvidence.find((x) => x.arm === m.arm);
      expectAgree(evidence?.targeting.estimate, value.policy.dr?.estimate, 1e-9);
      expectAgree(evidence?.versusTreatAll.estimate, value.versusTreatAll.dr?.estimate, 1e-9);
      expect(Math.abs((evidence?.targeting.standardError as number) / (value.policy.dr?.standardError as number) - 1)).toBeLessThan(0.08);
      expect(evidence?.rows.treated).toBe(picked.filter((i) => (heldRows[i] as (typeof rows)[number]).arm === m.arm).length);
      // A recommendation never contradicts its evidence: 'target' only with both intervals above zero.
      const decision = report.decisions.find((x) => x.arm === m.arm);
      if (decision?.action === 'target') expect((evidence?.targeting.ci[0] as number) > 0 && (evidence?.versusTreatAll.ci[0] as number) > 0).toBe(true);
    }
    expect(report.decisions.at(-1)?.arm).toBeNull();
    expect((report.bestArmShare ?? []).reduce((acc, s) => acc + s.share, 0)).toBeCloseTo(1, 12);
  });

  it('refits the linear T- and S-learners of a continuous outcome in the engine, and ridge response models', async (context) => {
    if (test === null) return context.skip();
    const hashed: CampaignSpec = { ...spec, upliftOutcome: 'spend', responseModels: { l2: 2 }, validation: { unit: 'customer_id', holdoutShare: 0.3 } };
    const report = await evaluateCampaignSql(test.engine, { table }, hashed, { resamples: 20, maxSampleRows: 600 });
    expectRefitted(report.policy as TargetingPolicy, 'spend');
    // Without a sample, the ridge response models in the engine are those in memory.
    const whole = await evaluateCampaignSql(test.engine, { table }, hashed, { resamples: 20 });
    expectAgree(whole.responseModels, evaluateCampaign(datasetOf(rows), hashed, { resamples: 20 }).responseModels, 1e-9);
    expect(whole.responseModels.every((r) => r !== null)).toBe(true);
  });

  it('needs a unit column to sample a large source', async (context) => {
    if (test === null) return context.skip();
    const error = await inputErrorOfAsync(() => evaluateCampaignSql((test as TestEngine).engine, { table }, spec, { maxSampleRows: 100 }));
    expect(error.reason).toBe('invalid_option');
  });
});
