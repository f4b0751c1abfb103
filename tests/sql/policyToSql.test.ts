import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { type TargetingSpec, applyPolicy, fitTargetingPolicy } from 'promolens/policy';
import { DIALECTS, policyToSql } from 'promolens/sql';
import { inputErrorOf } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, type CampaignRow, campaignRows } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

function datasetOf(list: readonly CampaignRow[]) {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, type] of Object.entries(CAMPAIGN_COLUMNS)) {
    const key = name as keyof CampaignRow;
    columns[name] = type === 'TEXT' ? list.map((r) => r[key] as string | null) : Float64Array.from(list, (r) => (r[key] === null ? Number.NaN : Number(r[key])));
  }
  return fromColumns(columns);
}

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
  it('refuses a budget, which needs every customer at once', () => {
    const budgeted = fitTargetingPolicy(history, { ...base, learners: ['t'], economics: { valuePerUnit: 40, costPerTreated: 0.5, budget: 100 } });
    expect(inputErrorOf(() => policyToSql(budgeted, { dialect: 'duckdb', table: 'customers' })).reason).toBe('invalid_option');
  });
});
