import { describe, expect, it } from 'vitest';
import { evaluateCampaignSql } from 'promolens/sql';
import type { SqlEngine } from 'promolens/sql';
import { inputErrorOfAsync } from '../helpers.js';

// Spec keys the SQL engine does not push down, and specs evaluateCampaign refuses, are refused before any query, not ignored.
const engine = {
  dialect: 'duckdb',
  query: () => {
    throw new Error('no query may run');
  },
} as unknown as SqlEngine;
const base = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x'] };

describe('evaluateCampaignSql refuses what it does not push down', () => {
  it('a ratio as the uplift outcome', async () => {
    const ratio = { ...base, outcomes: [...base.outcomes, { kind: 'ratio' as const, numerator: 'r', denominator: 'o' }], upliftOutcome: 'r/o' };
    const error = await inputErrorOfAsync(() => evaluateCampaignSql(engine, { table: 't' }, ratio));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'upliftOutcome' });
  });
});
