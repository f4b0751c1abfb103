import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transform } from 'promolens/features';
import { type TargetingPolicy, type TargetingSpec, applyPolicy, fitTargetingPolicy } from 'promolens/policy';
import { gradientBoostingLearner } from 'promolens/trees';
import { fitMetaLearner } from 'promolens/uplift';
import { DIALECTS, policyToSql } from 'promolens/sql';
import { inputErrorOf } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, campaignRows, datasetOf } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';


const history = datasetOf(campaignRows(3000, 5));
const customers = campaignRows(800, 77).map((r) => ({ ...r, customer_id: r.customer_id + 9_000_000 }));
const table = `promolens_policy_${process.pid}`;
const base: TargetingSpec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'conversion', kind: 'binary' }],
  features: { numeric: { recency: { scale: 'standard' }, history: { log1p: true, scale: 'standard' }, score: { impute: 'median', indicator: true, scale: 'standard' } }, categorical: { channel: { unknown: 'ignore', drop: 'first' } } },
  economics: { email: { valuePerUnit: 40, costPerTreated: 0.5, costPerConversion: 3 }, sms: { valuePerUnit: 40, costPerTreated: 0.2 } },
  unit: 'customer_id',
};

describe.each([
  { name: 'duckdb', open: openDuckdb },
  { name: 'postgres', open: openPostgres },
])('policyToSql on $name', ({ open }) => {
  let test: TestEngine | null = null;
  beforeAll(async () => {
    test = await open();
    if (test !== null) await loadTable(test, table, CAMPAIGN_COLUMNS, customers as unknown as Record<string, unknown>[]);
  }, 120_000);
  afterAll(async () => {
    if (test !== null) {
      await test.engine.query(`DROP TABLE IF EXISTS "${table}"`);
      await test.close();
    }
  });

  /** The SQL's rows against applyPolicy's assignments, customer by customer: the same arm, the numbers to 1e-9 relative. */
  async function expectSameAssignments(policy: TargetingPolicy, options: { budget?: number; budgetPrice?: number } = {}, applyOptions: { budget?: number } = {}): Promise<{ treated: number; arms: Set<string> }> {
    const engine = (test as TestEngine).engine;
    const expected = applyPolicy(policy, datasetOf(customers), applyOptions).assignments.toRows();
    const sql = policyToSql(policy, { dialect: engine.dialect, table, ...options });
    const rows = await engine.query(`SELECT * FROM (${sql}) AS scored ORDER BY customer_id`);
    const byId = new Map(expected.map((r) => [Number(r.customer_id), r]));
    expect(rows.length).toBe(expected.length);
    let treated = 0;
    const arms = new Set<string>();
    for (const row of rows) {
      const want = byId.get(Number(row.customer_id)) as Record<string, unknown>;
      expect(row.arm, `arm of ${row.customer_id}`).toBe(want.arm);
      if (row.arm !== 'control') treated++;
      arms.add(String(row.arm));
      const numbers = (r: Record<string, unknown>) => Object.fromEntries(Object.keys(want).filter((k) => k !== 'arm' && k !== 'customer_id').map((k) => [k, r[k]]));
      expectAgree(numbers(row), numbers(want), 1e-9, `customer ${row.customer_id}`);
    }
    return { treated, arms };
  }

  it('assigns one arm under a budget as applyPolicy does: a running sum over customers ranked by profit per cost', async () => {
    if (test === null) return;
    const emailOnly = datasetOf(campaignRows(3000, 5).filter((r) => r.arm !== 'sms'));
    const free = fitTargetingPolicy(emailOnly, { ...base, learners: ['t'], economics: { valuePerUnit: 40, costPerTreated: 0.5, costPerConversion: 3 } });
    const everyone = applyPolicy(free, datasetOf(customers)).summary;
    expect(everyone.totalCost).toBeGreaterThan(20);
    // A budget of about half what treating every profitable customer costs binds; so does a tiny one.
    for (const budget of [Math.round(everyone.totalCost / 2), 3.25]) {
      const budgeted = fitTargetingPolicy(emailOnly, { ...base, learners: ['t'], economics: { valuePerUnit: 40, costPerTreated: 0.5, costPerConversion: 3, budget } });
      const { treated } = await expectSameAssignments(budgeted);
      expect(treated).toBeGreaterThan(0);
      expect(treated).toBeLessThan(everyone.perArm[1]?.customers as number);
      // The option overrides the policy's budget, as applyPolicy's does.
      await expectSameAssignments(free, { budget }, { budget });
    }
    // A budget and a fixed cost the budgeted customers cannot cover: nobody is treated.
    const budget = Math.round(everyone.totalCost / 2);
    const capped = applyPolicy(free, datasetOf(customers), { budget }).summary.perArm[1]?.expectedProfit as number;
    const costly = { ...free, economics: free.economics.map((e) => ({ ...e, fixedCost: capped * 1.01 })) };
    expect((await expectSameAssignments(costly, { budget }, { budget })).treated).toBe(0);
    const covered = { ...free, economics: free.economics.map((e) => ({ ...e, fixedCost: capped * 0.99 })) };
    expect((await expectSameAssignments(covered, { budget }, { budget })).treated).toBeGreaterThan(0);
  });

  it('assigns several arms under a budget at the budget price', async () => {
    if (test === null) return;
    const policy = fitTargetingPolicy(history, { ...base, learners: ['t'] });
    // Half of what the unconstrained assignment spends: the budget binds.
    const budget = Math.round(applyPolicy(policy, datasetOf(customers)).summary.totalCost / 2);
    const applied = applyPolicy(policy, datasetOf(customers), { budget }).summary;
    expect(applied.budgetPrice).toBeGreaterThan(0);
    const { treated, arms } = await expectSameAssignments(policy, { budget, budgetPrice: applied.budgetPrice }, { budget });
    expect(treated).toBeGreaterThan(0);
    expect(arms.size).toBe(3);
    expect(inputErrorOf(() => policyToSql(policy, { dialect: 'duckdb', table, budget })).field).toBe('budgetPrice');
  });

  it('withdraws an arm that does not cover its fixed cost, as applyPolicy does', async () => {
    if (test === null) return;
    const policy = fitTargetingPolicy(history, { ...base, learners: ['t'] });
    const earned = applyPolicy(policy, datasetOf(customers)).summary.perArm;
    const email = earned.find((a) => a.arm === 'email')?.expectedProfit as number;
    const sms = earned.find((a) => a.arm === 'sms')?.expectedProfit as number;
    expect(email).toBeGreaterThan(0);
    expect(sms).toBeGreaterThan(0);
    const withFixed = (emailFixed: number, smsFixed: number): TargetingPolicy => ({
      ...policy,
      economics: policy.economics.map((e) => ({ ...e, fixedCost: e.arm === 'email' ? emailFixed : smsFixed })),
    });
    // sms cannot cover its fixed cost: withdrawn, its customers re-assigned to email where it pays.
    const withdrawn = await expectSameAssignments(withFixed(email / 10, sms * 1.5));
    expect(withdrawn.arms.has('sms')).toBe(false);
    expect(withdrawn.arms.has('email')).toBe(true);
    // Both covered: nothing changes; neither covered: the worst goes first, then the other is judged again.
    expect((await expectSameAssignments(withFixed(email / 2, sms / 2))).arms).toEqual(new Set(['control', 'email', 'sms']));
    await expectSameAssignments(withFixed(email * 2, sms * 2));
  });

  it('writes gradient-boosted trees as one CASE per tree and agrees with applyPolicy', async () => {
    if (test === null) return;
    const emailRows = campaignRows(3000, 5).filter((r) => r.arm !== 'sms');
    const policy = fitTargetingPolicy(datasetOf(emailRows), { ...base, learners: ['t'], economics: { valuePerUnit: 40, costPerTreated: 0.5, costPerConversion: 3 } });
    const X = transform(policy.pipeline, datasetOf(emailRows)).matrix;
    const trees = fitMetaLearner('t', X, Float64Array.from(emailRows, (r) => r.conversion), emailRows.map((r) => r.arm), {
      control: 'control',
      learner: gradientBoostingLearner({ maxIterations: 8, maxLeaves: 6, maxBins: 32 }),
    });
    const model = policy.models[0] as TargetingPolicy['models'][number];
    const boosted: TargetingPolicy = { ...policy, models: [{ ...model, action: 'target', uplift: trees }] };
    expect(policyToSql(boosted, { dialect: 'duckdb', table })).toContain('CASE WHEN');
    await expectSameAssignments(boosted);
  });

  it.each([['t'], ['s'], ['x'], ['dr'], ['class_transformation']] as const)('scores customers as applyPolicy does with the %s-learner', async (learner) => {
    if (test === null) return;
    const policy = fitTargetingPolicy(history, { ...base, learners: [learner] });
    const expected = applyPolicy(policy, datasetOf(customers)).assignments.toRows();
    const sql = policyToSql(policy, { dialect: test.engine.dialect, table });
    const rows = await test.engine.query(`SELECT * FROM (${sql}) AS scored ORDER BY customer_id`);
    const byId = new Map(expected.map((r) => [Number(r.customer_id), r]));
    expect(rows.length).toBe(expected.length);
    let treated = 0;
    for (const row of rows) {
      const want = byId.get(Number(row.customer_id)) as Record<string, unknown>;
      expect(row.arm, `arm of ${row.customer_id}`).toBe(want.arm);
      if (row.arm !== 'control') treated++;
      expectAgree(
        { expected_profit: row.expected_profit, uplift_email: row.uplift_email, uplift_sms: row.uplift_sms, profit_email: row.profit_email, profit_sms: row.profit_sms },
        { expected_profit: want.expected_profit, uplift_email: want.uplift_email, uplift_sms: want.uplift_sms, profit_email: want.profit_email, profit_sms: want.profit_sms },
        1e-9,
        `customer ${row.customer_id}`,
      );
    }
    expect(treated).toBeGreaterThan(0);
  });
});

describe('policyToSql', () => {
  const policy = fitTargetingPolicy(history, { ...base, learners: ['t'] });
  it('writes every dialect', () => {
    for (const dialect of DIALECTS) expect(policyToSql(policy, { dialect, table: 'shop.customers' })).toContain('uplift_email');
  });
  it('names the learner of a model it cannot translate', () => {
    const model = policy.models[0] as TargetingPolicy['models'][number];
    const uplift = { ...model.uplift!, learnerSpec: null, arms: model.uplift!.arms.map((a) => ({ ...a, models: { ...a.models, treated: { kind: 'nearest_neighbours' } } })) };
    const error = inputErrorOf(() => policyToSql({ ...policy, models: [{ ...model, uplift }, ...policy.models.slice(1)] }, { dialect: 'duckdb', table: 'customers' }));
    expect(error.reason).toBe('invalid_option');
    expect(error.message).toContain("t-learner's email treated model is a 'nearest_neighbours' model, not translatable to SQL");
  });
  it('refuses a negative budget', () => {
    expect(inputErrorOf(() => policyToSql(policy, { dialect: 'duckdb', table: 'customers', budget: -1 })).reason).toBe('out_of_range');
  });
});
