import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens';
import { campaignEffectsSql } from 'promolens/sql';
import { inputErrorOfAsync } from '../helpers.js';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, campaignRows, datasetOf } from './campaignData.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

// campaignEffectsSql alone: the effects and segment effects from the
// engine's GROUP BY sums equal the in-memory effects stage on the same rows.
const rows = campaignRows(900, 23);
const table = `promolens_effects_${process.pid}`;


const outcomes = [
  { column: 'conversion', kind: 'binary' as const },
  { column: 'spend', kind: 'continuous' as const, preperiod: 'pre_spend' },
];

/** Whether the spend effects carry the pre-period adjustment. */
const pushed0 = (r: { effects: readonly { outcome: string; cuped: { covariate: string } | null }[] }) => r.effects.filter((e) => e.outcome === 'spend').every((e) => e.cuped?.covariate === 'pre_spend');

describe.each([
  { name: 'duckdb', open: openDuckdb },
  { name: 'postgres', open: openPostgres },
])('campaignEffectsSql on $name', ({ open }) => {
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

  it('gives the effects and segment effects of the in-memory stages, to 1e-9', async (context) => {
    if (test === null) return context.skip();
    const pushed = await campaignEffectsSql(test.engine, { table }, { treatment: 'arm', control: 'control', outcomes, segments: ['region'] });
    const memory = evaluateCampaign(datasetOf(rows), { treatment: { column: 'arm', control: 'control' }, outcomes, segments: ['region'] });
    expect(pushed.effects.length).toBe(memory.effects.length);
    expect(pushed.effects.length).toBeGreaterThan(0);
    expectAgree(pushed.effects, memory.effects, 1e-9, 'effects');
    expectAgree(pushed.segments, memory.segments, 1e-9, 'segments');
  });

  it('gives the sequential and Bayesian results of the in-memory effects, ratios included, to 1e-9', async (context) => {
    if (test === null) return context.skip();
    const withRatio = [
      ...outcomes,
      { kind: 'ratio' as const, numerator: 'spend', denominator: 'visits' },
      // The regression-adjusted ratio, from the four columns' sums and cross-products.
      { kind: 'ratio' as const, numerator: 'spend', denominator: 'visits', column: 'spend per visit, adjusted', preperiod: { numerator: 'pre_spend', denominator: 'visits' } },
    ];
    for (const inference of [{ sequential: { tuning: 800 } }, { bayesian: { prior: { scale: 'absolute' as const, mean: 0, sd: 0.5 } } }, { sequential: true, bayesian: true }]) {
      const pushed = await campaignEffectsSql(test.engine, { table }, { treatment: 'arm', control: 'control', outcomes: withRatio, segments: ['region'], ...inference });
      const memory = evaluateCampaign(datasetOf(rows), { treatment: { column: 'arm', control: 'control' }, outcomes: withRatio, segments: ['region'], ...inference });
      expect(pushed.effects.length).toBe(memory.effects.length);
      const adjusted = pushed.effects.filter((e) => e.outcome === 'spend per visit, adjusted');
      expect(adjusted.length).toBe(2);
      expect(adjusted.every((e) => e.cuped?.covariate === 'pre_spend/visits')).toBe(true);
      if ('sequential' in inference) expect(pushed.effects.every((e) => e.sequential !== null && e.sequential !== undefined)).toBe(true);
      if ('bayesian' in inference) expect(pushed.effects.every((e) => e.bayesian !== null && e.bayesian !== undefined)).toBe(true);
      expectAgree(pushed.effects, memory.effects, 1e-9, 'effects');
      expectAgree(pushed.segments, memory.segments, 1e-9, 'segments');
    }
  });

  it('caps a continuous outcome at a quantile of every row or at a value, as in memory, to 1e-9', async (context) => {
    if (test === null) return context.skip();
    for (const cap of [{ quantile: 0.9 }, { quantile: 0.5 }, { value: 40 }]) {
      const capped = [outcomes[0]!, { ...outcomes[1]!, cap }, { column: 'visits', kind: 'continuous' as const, cap: { quantile: 0.75 } }];
      const pushed = await campaignEffectsSql(test.engine, { table }, { treatment: 'arm', control: 'control', outcomes: capped, segments: ['region'], comparisons: 'all-pairs' });
      const memory = evaluateCampaign(datasetOf(rows), { treatment: { column: 'arm', control: 'control' }, outcomes: capped, segments: ['region'], comparisons: 'all-pairs' });
      const spendRows = pushed.effects.filter((e) => e.outcome === 'spend');
      expect(spendRows.length).toBeGreaterThan(0);
      expect(spendRows.every((e) => (e.cap?.cappedCount ?? 0) > 0)).toBe(true);
      expectAgree(pushed.effects, memory.effects, 1e-9, 'effects');
      expectAgree(pushed.segments, memory.segments, 1e-9, 'segments');
    }
    const error = await inputErrorOfAsync(() => campaignEffectsSql(test!.engine, { table }, { treatment: 'arm', control: 'control', outcomes: [{ column: 'conversion', kind: 'binary', cap: { value: 1 } }] }));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'cap' });
  });

  it('gives cluster-robust effects and segment cells as evaluateCampaign with a cluster, to 1e-9', async (context) => {
    if (test === null) return context.skip();
    const plain = [{ column: 'conversion', kind: 'binary' as const }, { column: 'spend', kind: 'continuous' as const, cap: { quantile: 0.95 }, preperiod: 'pre_spend' }, { column: 'visits', kind: 'continuous' as const }];
    for (const extra of [{}, { comparisons: 'all-pairs' as const, sequential: true, bayesian: true }]) {
      const pushed = await campaignEffectsSql(test.engine, { table }, { treatment: 'arm', control: 'control', outcomes: plain, segments: ['region', 'channel'], cluster: 'store', ...extra });
      const memory = evaluateCampaign(datasetOf(rows), { treatment: { column: 'arm', control: 'control' }, outcomes: plain, segments: ['region', 'channel'], cluster: 'store', ...extra });
      expect(pushed.effects.every((e) => e.kind === 'clustered' && (e.clusters?.df ?? 0) > 1)).toBe(true);
      expect(pushed.segments.length).toBeGreaterThan(0);
      expectAgree(pushed.effects, memory.effects, 1e-9, 'effects');
      expectAgree(pushed.segments, memory.segments, 1e-9, 'segments');
      expect(pushed.warnings).toEqual(memory.checks.warnings.filter((w) => w.startsWith('Segment ') || w.includes(' segment cell(s) of ')));
    }
    // The pre-period adjusts the effects over every row (OLS on [1, treated, x − x̄] with CR1), not the segment cells.
    expect(pushed0(await campaignEffectsSql(test.engine, { table }, { treatment: 'arm', control: 'control', outcomes: plain, cluster: 'store' }))).toBe(true);
    // A ratio with clusters has no cluster-robust comparison, as in memory: refused, not ignored.
    const error = await inputErrorOfAsync(() => campaignEffectsSql(test!.engine, { table }, { treatment: 'arm', control: 'control', outcomes: [...plain, { kind: 'ratio' as const, numerator: 'spend', denominator: 'visits' }], cluster: 'store' }));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'cluster' });
  });

  it('names a control the table lacks', async (context) => {
    if (test === null) return context.skip();
    const error = await inputErrorOfAsync(() => campaignEffectsSql(test!.engine, { table }, { treatment: 'arm', control: 'nobody', outcomes }));
    expect(error.reason).toBe('invalid_option');
    expect(error.message).toContain('nobody');
  });
});
