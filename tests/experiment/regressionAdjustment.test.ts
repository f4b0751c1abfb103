import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as e from 'promolens/experiment';
import { inputErrorOf } from '../helpers.js';

// References: tests/fixtures/experiment/make.py (statsmodels OLS of y on [1, T, Xc, T·Xc] with HC0–HC3;
// per-arm nonrobust OLS for the sums path).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8'));

function close(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('regression adjustment with several covariates (Lin 2013)', () => {
  const c = fixture.lin;
  it('agrees with statsmodels OLS with HC0, HC1, HC2 and HC3 standard errors', () => {
    for (const hc of ['HC0', 'HC1', 'HC2', 'HC3'] as const) {
      const r = e.regressionAdjustment(c.post, c.covariates, c.arm, { hc });
      // Direct solves of 4 x 4 systems: relative 1e-10.
      close(r.absolute.estimate, c.hc[hc].estimate, 1e-10, `${hc} estimate`);
      close(r.absolute.standardError, c.hc[hc].se, 1e-10, `${hc} se`);
      close(r.absolute.pValue, c.hc[hc].pValue, 1e-8, `${hc} p`);
      expect(r.standardErrors).toBe(hc);
    }
  });

  it('from sums gives the same effect, with each arm residual variance', () => {
    const r = e.regressionAdjustmentFromSums(c.sums.control, c.sums.treated, Object.keys(c.covariates));
    // Cross-products lose a few digits to centring: relative 1e-9.
    close(r.absolute.estimate, c.fromSums.estimate, 1e-9, 'estimate');
    close(r.absolute.standardError, c.fromSums.se, 1e-9, 'se');
    close(r.adjustedMeans.control, c.controlIntercept, 1e-9, 'control intercept');
    expect(r.standardErrors).toBe('arm-variance');
    const rows = e.regressionAdjustment(c.post, c.covariates, c.arm);
    close(rows.absolute.estimate, r.absolute.estimate, 1e-9, 'rows vs sums');
    expect(rows.varianceReduction).toBeGreaterThan(0.5);
  });

  it('names the covariate with a missing value, and reports collinear covariates', () => {
    expect(inputErrorOf(() => e.regressionAdjustment([1, 2, 3, 4, 5, 6], { visits: [1, 2, Number.NaN, 4, 5, 6] }, [0, 0, 0, 1, 1, 1]))).toMatchObject({ reason: 'not_finite', field: 'visits', row: 2 });
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(inputErrorOf(() => e.regressionAdjustment([1, 3, 2, 5, 4, 6, 8, 7], { a: x, b: x.map((v) => 2 * v) }, [0, 0, 0, 0, 1, 1, 1, 1]))).toMatchObject({ reason: 'singular' });
  });
});

describe('ratio metrics with CUPED (regression-adjusted ratio)', () => {
  it('agrees with the delta method worked from the rows in numpy', () => {
    const c = fixture.adjustedRatio;
    const r = e.compareRatiosAdjusted(c.control, c.treated);
    // Sums of products lose digits to centring: relative 1e-9.
    close(r.theta, c.theta, 1e-9, 'theta');
    close(r.absolute.estimate, c.estimate, 1e-9, 'estimate');
    close(r.absolute.standardError, c.se, 1e-9, 'se');
    close(r.absolute.pValue, c.pValue, 1e-8, 'p');
    close(r.varianceReduction, c.varianceReduction, 1e-8, 'variance reduction');
    expect(r.varianceReduction).toBeGreaterThan(0);
    expect(inputErrorOf(() => e.compareRatiosAdjusted({ ...c.control, sums: [1, 0, 1, 1] }, c.treated))).toMatchObject({ reason: 'out_of_range' });
  });
});
