import { describe, expect, it } from 'vitest';
import { evaluateCampaignSql } from 'promolens/sql';
import type { SqlEngine } from 'promolens/sql';
import { inputErrorOfAsync } from '../helpers.js';

// Spec keys the SQL engine does not push down are refused before any query, not ignored.
const engine = {
  dialect: 'duckdb',
  query: () => {
    throw new Error('no query may run');
  },
} as unknown as SqlEngine;
const base = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x'] };

describe('evaluateCampaignSql refuses what it does not push down', () => {
  it('an effects-only spec (no features)', async () => {
    const { features: _, ...effectsOnly } = base;
    const error = await inputErrorOfAsync(() => evaluateCampaignSql(engine, { table: 't' }, effectsOnly));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'features' });
  });

  it("all-pairs comparisons", async () => {
    const error = await inputErrorOfAsync(() => evaluateCampaignSql(engine, { table: 't' }, { ...base, comparisons: 'all-pairs' }));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'comparisons' });
  });

  it('ratio outcomes', async () => {
    const ratio = { ...base, outcomes: [...base.outcomes, { kind: 'ratio' as const, numerator: 'r', denominator: 'o' }] };
    const error = await inputErrorOfAsync(() => evaluateCampaignSql(engine, { table: 't' }, ratio));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'outcomes' });
  });
});
