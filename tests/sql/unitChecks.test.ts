import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignSpec, evaluateCampaign } from 'promolens';
import { evaluateCampaignSql, unitChecksSql } from 'promolens/sql';
import { inputErrorOf, inputErrorOfAsync } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, campaignRows, datasetOf } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

// The spec's unit checks in the engine: repeated rows of a unit give evaluateCampaign's warning (rows
// ordered by unit, so the first repeated unit is the smallest id), a unit in two arms is a leak.
const base = campaignRows(600, 31);
// Units 100000 + 7k for k < 8 get a second row in the same arm; one unit gets a third.
const repeatedRows = [...base, ...base.slice(0, 8), base[3]!].sort((a, b) => a.customer_id - b.customer_id);
const leakedRows = [...base, { ...base[40]!, arm: base[40]!.arm === 'control' ? 'sms' : 'control' }, { ...base[90]!, arm: base[90]!.arm === 'email' ? 'sms' : 'email' }];
const tables = { repeated: `promolens_units_${process.pid}`, leaked: `promolens_leak_${process.pid}` };


const spec: CampaignSpec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'conversion', kind: 'binary' }, { column: 'spend', kind: 'continuous' }],
  segments: ['region'],
  unit: 'customer_id',
};

describe.each([
  { name: 'duckdb', open: openDuckdb },
  { name: 'postgres', open: openPostgres },
])('the unit checks on $name', ({ open }) => {
  let test: TestEngine | null = null;
  beforeAll(async () => {
    test = await open();
    if (test === null) return;
    await loadTable(test, tables.repeated, CAMPAIGN_COLUMNS, repeatedRows as unknown as Record<string, unknown>[]);
    await loadTable(test, tables.leaked, CAMPAIGN_COLUMNS, leakedRows as unknown as Record<string, unknown>[]);
  }, 120_000);
  afterAll(async () => {
    if (test === null) return;
    for (const table of Object.values(tables)) await test.engine.query(`DROP TABLE IF EXISTS "${table}"`);
    await test.close();
  });

  it("warns of repeated rows as evaluateCampaign does, and the report agrees (also with the unit as the cluster)", async (context) => {
    if (test === null) return context.skip();
    for (const extra of [{}, { cluster: 'customer_id' }]) {
      const expected = evaluateCampaign(datasetOf(repeatedRows), { ...spec, ...extra });
      const report = await evaluateCampaignSql(test.engine, { table: tables.repeated }, { ...spec, ...extra });
      const warning = report.checks.warnings.find((w) => w.includes('have repeated rows'));
      expect(warning).toBe(expected.checks.warnings.find((w) => w.includes('have repeated rows')));
      expect(warning).toContain('8 unit(s)');
      expect(warning).toContain('9 extra rows, up to 3 per unit; e.g. "100000"');
      const unfingerprinted = (r: typeof report) => ({ ...r, provenance: { ...r.provenance, data: { ...r.provenance.data, fingerprint: '' } } });
      expectAgree(unfingerprinted(report), unfingerprinted(expected), 1e-9);
    }
  });

  it('unitChecksSql alone: the warning, the advice when the unit is the cluster, and null without repeats', async (context) => {
    if (test === null) return context.skip();
    const options = { treatment: 'arm', unit: 'customer_id', numeric: true };
    const warning = await unitChecksSql(test.engine, { table: tables.repeated }, options);
    expect(warning).toMatch(/^8 unit\(s\) of 'customer_id' have repeated rows \(9 extra rows, up to 3 per unit; e\.g\. "100000"\): the rows are not independent; name 'customer_id' as the cluster/);
    expect(await unitChecksSql(test.engine, { table: tables.repeated }, { ...options, cluster: 'customer_id' })).toMatch(/effects use them as clusters\.$/);
    expect(await unitChecksSql(test.engine, { query: `SELECT * FROM "${tables.leaked}" WHERE customer_id <> ${base[40]!.customer_id} AND customer_id <> ${base[90]!.customer_id}` }, options)).toBeNull();
  });

  it('stops at a unit in two arms, naming it, its arms and how many more leaked', async (context) => {
    if (test === null) return context.skip();
    const error = await inputErrorOfAsync(() => evaluateCampaignSql(test!.engine, { table: tables.leaked }, spec));
    expect(error).toMatchObject({ reason: 'leakage', field: 'customer_id' });
    const first = Math.min(base[40]!.customer_id, base[90]!.customer_id);
    expect(error.message).toContain(`unit "${first}" of 'customer_id' is in arms`);
    expect(error.message).toContain('and 1 more unit(s) are in two arms');
    // As in memory, where the message also names the rows.
    expect(inputErrorOf(() => evaluateCampaign(datasetOf(leakedRows), spec))?.reason).toBe('leakage');
  });
});
