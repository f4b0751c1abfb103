import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as e from 'promolens/experiment';
import { hasSharedData, inputErrorOf, sharedData } from '../helpers.js';

// References: tests/fixtures/experiment/make.py (statsmodels OLS, cov_type='cluster', use_t=True).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8'));

function close(actual: number | null | undefined, expected: number, tolerance: number, what: string): void {
  expect(typeof actual, what).toBe('number');
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('cluster-robust (CR1) effects', () => {
  it('agree with statsmodels OLS cov_type="cluster" from rows and from cluster totals', () => {
    for (const c of fixture.clustered) {
      const fromRows = e.compareClustered(c.values, c.arm, c.cluster, { outcome: c.outcome });
      const sums = new Map<string, { cluster: string | number; arm: 0 | 1; n: number; sum: number }>();
      c.cluster.forEach((id: string | number, i: number) => {
        const key = `${id}|${c.arm[i]}`;
        const s = sums.get(key) ?? { cluster: id, arm: c.arm[i] as 0 | 1, n: 0, sum: 0 };
        sums.set(key, { ...s, n: s.n + 1, sum: s.sum + c.values[i] });
      });
      const fromTotals = e.compareClusteredTotals([...sums.values()], { outcome: c.outcome });
      for (const r of [fromRows, fromTotals]) {
        const x = c.expected;
        // Closed forms over sums: relative 1e-12 (1e-10 for the interval ends, whose t quantile is iterative).
        close(r.absolute.estimate, x.estimate, 1e-12, `${c.name} estimate`);
        close(r.absolute.standardError, x.se, 1e-12, `${c.name} se`);
        close(r.absolute.statistic, x.statistic, 1e-12, `${c.name} t`);
        close(r.absolute.pValue, x.pValue, 1e-10, `${c.name} p`);
        expect(r.df).toBe(x.df);
        close(r.absolute.ci[0], x.ci[0], 1e-10, `${c.name} lower`);
        close(r.absolute.ci[1], x.ci[1], 1e-10, `${c.name} upper`);
        close(r.relative?.estimate, x.relative.estimate, 1e-12, `${c.name} lift`);
        close(r.relative?.ci[0], x.relative.ci[0], 1e-12, `${c.name} lift lower`);
        close(r.relative?.pValue, x.relative.pValue, 1e-12, `${c.name} lift p`);
      }
      expect(e.ClusteredComparisonSchema.parse(JSON.parse(JSON.stringify(fromRows)))).toEqual(fromRows);
    }
  });

  it('rejects one cluster, non-binary proportions and malformed totals', () => {
    expect(inputErrorOf(() => e.compareClustered([1, 2, 3, 4], [0, 0, 1, 1], [7, 7, 7, 7]))).toMatchObject({ reason: 'out_of_range', field: 'cluster' });
    expect(inputErrorOf(() => e.compareClustered([1, 2, 0, 1], [0, 0, 1, 1], [1, 2, 3, 4], { outcome: 'proportion' }))).toMatchObject({ reason: 'not_binary', row: 1 });
    expect(inputErrorOf(() => e.compareClusteredTotals([{ cluster: 'a', arm: 2 as 0, n: 1, sum: 1 }]))).toMatchObject({ reason: 'not_binary', row: 0 });
    expect(inputErrorOf(() => e.compareClustered([1, 2, 3], [0, 1, 1], [1, 2]))).toMatchObject({ reason: 'length_mismatch', field: 'cluster' });
  });
});

describe.skipIf(!hasSharedData)('WA marketing campaign: 548 store-weeks from 137 stores', () => {
  it('promotion 3 vs 1 is p = 0.12 row by row but p = 0.42 with stores as clusters (statsmodels: 0.42390)', () => {
    const text = readFileSync(`${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`, 'utf8').trim().split(/\r?\n/);
    const header = (text[0] as string).split(',');
    const rows = text.slice(1).map((line) => line.split(','));
    const col = (name: string) => header.indexOf(name);
    const chosen = rows.filter((r) => r[col('Promotion')] === '1' || r[col('Promotion')] === '3');
    const sales = chosen.map((r) => Number(r[col('SalesInThousands')]));
    const arm = chosen.map((r) => (r[col('Promotion')] === '3' ? 1 : 0));
    const store = chosen.map((r) => Number(r[col('LocationID')]));
    const rowLevel = e.compareMeans(sales.filter((_, i) => arm[i] === 0), sales.filter((_, i) => arm[i] === 1));
    expect(rowLevel.absolute.pValue).toBeCloseTo(0.1206, 3);
    const clustered = e.compareClustered(sales, arm, store);
    // statsmodels: coefficient −2.734543542800584, se 3.4038210215878, p 0.4238986326040417, df 89
    close(clustered.absolute.estimate, -2.734543542800584, 1e-12, 'estimate');
    close(clustered.absolute.standardError, 3.4038210215878, 1e-12, 'se');
    close(clustered.absolute.pValue, 0.4238986326040417, 1e-10, 'p');
    expect(clustered.df).toBe(89);
    expect(clustered.control.clusters).toBe(43);
    expect(clustered.treated.clusters).toBe(47);
  });
});

describe('balanceTable with the campaign Assignment', () => {
  it('uses the assignment coding and the labels as spelled', async () => {
    const { fromColumns, codeAssignment } = await import('promolens');
    const data = fromColumns({ arm: ['No', 'Yes', 'No', 'Yes', 'Maybe', 'No'], x: [1, 2, 1.5, 2.5, 3, 1.2] });
    const assignment = codeAssignment(data, 'arm', 'No');
    const byAssignment = e.balanceTable(data, assignment, ['x']);
    const byName = e.balanceTable(data, 'arm', ['x'], { control: 'No' });
    expect(byAssignment.control).toBe('No');
    expect(byAssignment.rows.map((r) => r.arm)).toEqual(['Maybe', 'Yes']);
    expect(byAssignment.rows.map((r) => r.smd)).toEqual(byName.rows.map((r) => r.smd));
  });
});

describe('CUPED with cluster-robust (CR1) errors', () => {
  it('agrees with statsmodels OLS of y on [1, T, pre − mean] with cov_type="cluster"', () => {
    for (const c of fixture.clusteredAdjusted) {
      const r = e.compareClustered(c.values, c.arm, c.cluster, { outcome: c.outcome, pre: c.pre, covariate: 'sales_pre' });
      const x = c.expected;
      // A 3 × 3 solve and sums over clusters: relative 1e-10 (1e-9 for p-values and interval ends).
      close(r.absolute.estimate, x.estimate, 1e-10, `${c.name} estimate`);
      close(r.absolute.standardError, x.se, 1e-10, `${c.name} se`);
      close(r.absolute.statistic, x.statistic, 1e-10, `${c.name} t`);
      close(r.absolute.pValue, x.pValue, 1e-9, `${c.name} p`);
      expect(r.df).toBe(x.df);
      close(r.absolute.ci[0], x.ci[0], 1e-9, `${c.name} lower`);
      close(r.absolute.ci[1], x.ci[1], 1e-9, `${c.name} upper`);
      close(r.adjustment?.theta, x.theta, 1e-10, `${c.name} theta`);
      close(r.adjustment?.varianceReduction, x.varianceReduction, 1e-9, `${c.name} variance reduction`);
      close(r.adjustment?.adjustedMeans.control, x.adjustedMeans[0], 1e-12, `${c.name} adjusted control`);
      close(r.adjustment?.adjustedMeans.treated, x.adjustedMeans[1], 1e-12, `${c.name} adjusted treated`);
      expect(r.adjustment?.covariate).toBe('sales_pre');
      close(r.relative?.estimate, x.relative.estimate, 1e-10, `${c.name} lift`);
      close(r.relative?.ci[0], x.relative.ci[0], 1e-9, `${c.name} lift lower`);
      close(r.relative?.ci[1], x.relative.ci[1], 1e-9, `${c.name} lift upper`);
      close(r.relative?.pValue, x.relative.pValue, 1e-9, `${c.name} lift p`);
      expect(e.ClusteredComparisonSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
      // The unadjusted comparison is the same call without the covariate.
      const raw = e.compareClustered(c.values, c.arm, c.cluster, { outcome: c.outcome });
      close(1 - (r.absolute.standardError / raw.absolute.standardError) ** 2, x.varianceReduction, 1e-9, `${c.name} reduction from the two calls`);
      expect(raw.adjustment).toBeUndefined();
    }
  });

  it('rejects a constant covariate, a covariate of the wrong length, and a covariate with totals', () => {
    const c = fixture.clusteredAdjusted[0];
    expect(inputErrorOf(() => e.compareClustered(c.values, c.arm, c.cluster, { pre: c.values.map(() => 3), covariate: 'flat' }))).toMatchObject({ reason: 'zero_variance', field: 'flat' });
    expect(inputErrorOf(() => e.compareClustered(c.values, c.arm, c.cluster, { pre: [1, 2, 3] }))).toMatchObject({ reason: 'length_mismatch', field: 'pre' });
    expect(inputErrorOf(() => e.compareClusteredTotals([{ cluster: 'a', arm: 0, n: 2, sum: 1 }], { pre: [1, 2] }))).toMatchObject({ reason: 'invalid_option', field: 'pre' });
  });
});
