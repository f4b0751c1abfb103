import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignSpec, evaluateCampaign, fromColumns } from 'promolens';
import { evaluateCampaignSql, holdoutMask } from 'promolens/sql';
import { inputErrorOfAsync } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, type CampaignRow, campaignRows } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

const rows = campaignRows(1500, 11);
const table = `promolens_campaign_${process.pid}`;

function datasetOf(list: readonly CampaignRow[]) {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, type] of Object.entries(CAMPAIGN_COLUMNS)) {
    const key = name as keyof CampaignRow;
    columns[name] = type === 'TEXT' ? list.map((r) => r[key] as string | null) : Float64Array.from(list, (r) => (r[key] === null ? Number.NaN : Number(r[key])));
  }
  return fromColumns(columns);
}

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
    const report = await evaluateCampaignSql(test.engine, { table }, hashed, { resamples: 20 });
    expectAgree(report, expected, 1e-9);
  });

  it('needs a unit column to sample a large source', async (context) => {
    if (test === null) return context.skip();
    const error = await inputErrorOfAsync(() => evaluateCampaignSql((test as TestEngine).engine, { table }, spec, { maxSampleRows: 100 }));
    expect(error.reason).toBe('invalid_option');
  });
});
