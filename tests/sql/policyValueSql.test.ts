import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyValue } from 'promolens/policy';
import { policyValueSql } from '../../src/sql/policyValueSql.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

// policyValue's doubly robust estimates in the engine: the point estimates equal the in-memory ones (1e-9);
// the standard errors are the stratified bootstrap's limit, checked against 20,000 resamples in memory.

function rowsOf(n: number, seed: number) {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const arms = ['control', 'email', 'sms'];
  return Array.from({ length: n }, (_, i) => {
    const x = next();
    const arm = arms[Math.floor(next() * 3)] as string;
    const base = 0.1 + 0.2 * x;
    const lift = arm === 'email' ? 0.15 * x : arm === 'sms' ? 0.05 : 0;
    const conversion = next() < base + lift ? 1 : 0;
    // Predictions a model might give (deliberately off), the policy's choice by predicted profit.
    const m0 = 0.12 + 0.15 * x;
    const m1 = m0 + 0.12 * x;
    const m2 = m0 + 0.04;
    const act = m1 - m0 > 0.06 ? 0 : m2 - m0 > 0.045 ? 1 : -1;
    return { id: i, arm, conversion, m0, m1, m2, act };
  });
}

describe.each([
  ['duckdb', openDuckdb],
  ['postgres', openPostgres],
] as const)('policyValueSql on %s', (_name, open) => {
  let test: TestEngine | null = null;
  const table = `promolens_policy_value_${process.pid}`;
  const rows = rowsOf(3000, 17);
  beforeAll(async () => {
    test = await open();
    if (test !== null) await loadTable(test, table, { id: 'BIGINT', arm: 'TEXT', conversion: 'INTEGER', m0: 'DOUBLE', m1: 'DOUBLE', m2: 'DOUBLE', act: 'INTEGER' }, rows);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('gives the doubly robust estimates of policyValue, with the bootstrap standard errors', async (context) => {
    if (test === null) return context.skip();
    const economics = [
      { valuePerUnit: 40, costPerTreated: 1.5, costPerConversion: 4, fixedCost: 250 },
      { valuePerUnit: 40, costPerTreated: 0.2, costPerConversion: 0, fixedCost: 0 },
    ];
    const held = rows.filter((r) => r.id % 3 !== 0);
    const predictions = { data: Float64Array.from(held.flatMap((r) => [r.m0, r.m1, r.m2])), rows: held.length, cols: 3 };
    const labels = ['email', 'sms'];
    const options = { control: 'control', arms: labels, economics: { email: economics[0] as (typeof economics)[number], sms: economics[1] as (typeof economics)[number] }, predictions, population: 50_000, resamples: 20_000, seed: 3 };
    const expected = policyValue(held.map((r) => r.conversion), held.map((r) => r.arm), held.map((r) => (r.act < 0 ? 'control' : (labels[r.act] as string))), options);
    const got = await policyValueSql(test.engine, { table }, {
      treatment: 'arm',
      control: 'control',
      arms: labels,
      outcome: 'conversion',
      action: 'act',
      predictions: { control: 'm0', arms: ['m1', 'm2'] },
      economics,
      where: 'id % 3 <> 0',
      population: 50_000,
    });
    const close = (a: number, b: number, tolerance: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b)));
    close(got.policy.estimate, expected.policy.dr?.estimate as number, 1e-9);
    got.treatAll.forEach((t, b) => close(t.dr.estimate, expected.treatAll[b]?.dr?.estimate as number, 1e-9));
    expect(got.versusTreatAll.arm).toBe(expected.versusTreatAll.arm);
    close(got.versusTreatAll.dr.estimate, expected.versusTreatAll.dr?.estimate as number, 1e-9);
    got.targeted.forEach((t, b) => close(t, expected.targeted[b] as number, 1e-12));
    // 20,000 resamples estimate a standard error to about 0.5%: 3% is six of those.
    close(got.policy.standardError, expected.policy.dr?.standardError as number, 0.03);
    got.treatAll.forEach((t, b) => close(t.dr.standardError, expected.treatAll[b]?.dr?.standardError as number, 0.03));
    close(got.versusTreatAll.dr.standardError, expected.versusTreatAll.dr?.standardError as number, 0.03);
    // Normal intervals, centred on the estimate.
    const z = 1.959963984540054;
    close(got.policy.ci[1] - got.policy.estimate, z * got.policy.standardError, 1e-12);
    // The cells count every holdout row once.
    expect(got.cells.reduce((a, c) => a + c.rows, 0)).toBe(held.length);
    expect(got.cells.filter((c) => c.group === 'email' && c.action === 0).reduce((a, c) => a + c.outcomeSum, 0)).toBe(held.filter((r) => r.arm === 'email' && r.act === 0).reduce((a, r) => a + r.conversion, 0));
  });

  it('refuses an arm with no holdout rows', async (context) => {
    if (test === null) return context.skip();
    const error = await policyValueSql(test.engine, { table }, {
      treatment: 'arm', control: 'control', arms: ['email', 'push'], outcome: 'conversion', action: '-1',
      predictions: { control: 'm0', arms: ['m1', 'm2'] },
      economics: [{ valuePerUnit: 1, costPerTreated: 0, costPerConversion: 0, fixedCost: 0 }, { valuePerUnit: 1, costPerTreated: 0, costPerConversion: 0, fixedCost: 0 }],
    }).catch((e: unknown) => e as { reason?: string });
    expect((error as { reason?: string }).reason).toBe('single_class');
  });
});
