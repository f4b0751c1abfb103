import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as e from 'promolens/experiment';
import * as s from 'promolens/stats';
import { inputErrorOf } from '../helpers.js';

// References: tests/fixtures/experiment/make.py (mpmath at 40 digits for the
// distributions; scipy, statsmodels and textbook formulas for the tests).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8'));

function close(actual: number | null, expected: number | null, tolerance: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  const a = actual as number;
  if (Math.abs(expected) < 1e-30 && Math.abs(a) < 1e-30) return; // both zero to working precision (a quantile at p = 1/2)
  if (expected === 0) expect(Math.abs(a), what).toBeLessThanOrEqual(1e-300);
  else expect(Math.abs(a - expected) / Math.abs(expected), `${what}: ${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('distributions agree with 40-digit references', () => {
  // Relative 1e-12 for distribution and survival functions, far tails included.
  it('normal', () => {
    for (const c of fixture.distributions.normal) {
      close(s.normalCdf(c.x), c.cdf, 1e-12, `normalCdf(${c.x})`);
      close(s.normalSf(c.x), c.sf, 1e-12, `normalSf(${c.x})`);
    }
  });
  it('Student t (fractional df for Welch)', () => {
    for (const c of fixture.distributions.t) {
      close(s.studentTCdf(c.x, c.df), c.cdf, 1e-12, `studentTCdf(${c.x}, ${c.df})`);
      close(s.studentTSf(c.x, c.df), c.sf, 1e-12, `studentTSf(${c.x}, ${c.df})`);
    }
  });
  it('chi-square', () => {
    for (const c of fixture.distributions.chi2) {
      close(s.chiSquareCdf(c.x, c.df), c.cdf, 1e-12, `chiSquareCdf(${c.x}, ${c.df})`);
      close(s.chiSquareSf(c.x, c.df), c.sf, 1e-12, `chiSquareSf(${c.x}, ${c.df})`);
    }
  });
  it('beta', () => {
    for (const c of fixture.distributions.beta) {
      close(s.betaCdf(c.x, c.a, c.b), c.cdf, 1e-12, `betaCdf(${c.x}, ${c.a}, ${c.b})`);
      close(s.betaSf(c.x, c.a, c.b), c.sf, 1e-12, `betaSf(${c.x}, ${c.a}, ${c.b})`);
    }
  });
  it('quantiles', () => {
    for (const q of fixture.distributions.quantiles) {
      close(s.normalQuantile(q.p), q.normal, 1e-13, `normalQuantile(${q.p})`);
      for (const [df, value] of Object.entries(q.t)) close(s.studentTQuantile(q.p, Number(df)), value as number, 1e-12, `studentTQuantile(${q.p}, ${df})`);
      for (const [df, value] of Object.entries(q.chi2)) close(s.chiSquareQuantile(q.p, Number(df)), value as number, 1e-12, `chiSquareQuantile(${q.p}, ${df})`);
      for (const [shape, value] of Object.entries(q.beta)) {
        const [a, b] = shape.split(',').map(Number) as [number, number];
        close(s.betaQuantile(q.p, a, b), value as number, 1e-12, `betaQuantile(${q.p}, ${shape})`);
      }
    }
  });
});

describe(`experiment statistics agree with scipy ${fixture.versions.scipy} and statsmodels ${fixture.versions.statsmodels}`, () => {
  it('compareMeans is Welch’s t test (ttest_ind equal_var=False), every alternative', () => {
    for (const c of fixture.welch) {
      for (const alternative of ['two-sided', 'less', 'greater'] as const) {
        const r = e.compareMeans(c.control, c.treated, { alternative });
        const x = c.results[alternative];
        close(r.absolute.estimate, x.estimate, 1e-12, 'estimate');
        close(r.absolute.standardError, x.se, 1e-12, 'se');
        close(r.df, x.df, 1e-12, 'df');
        close(r.absolute.statistic, x.statistic, 1e-12, 'statistic');
        close(r.absolute.pValue, x.pValue, 1e-10, `pValue ${alternative}`); // scipy's t.sf is good to ~1e-11
        close(r.absolute.ci[0], x.ci[0], 1e-12, 'ci lower');
        close(r.absolute.ci[1], x.ci[1], 1e-12, 'ci upper');
        // The same from sufficient statistics.
        const sums = (v: number[]) => ({ n: v.length, sum: v.reduce((a, b) => a + b, 0), sumSquares: v.reduce((a, b) => a + b * b, 0) });
        close(e.compareMeans(sums(c.control), sums(c.treated), { alternative }).absolute.pValue, x.pValue, 1e-8, 'pValue from sums');
      }
    }
  });

  it('compareProportions: pooled z test, Newcombe and Wald intervals, delta-method lift', () => {
    for (const c of fixture.proportions) {
      const x = c.expected;
      for (const alternative of ['two-sided', 'greater', 'less'] as const) {
        const r = e.compareProportions(c.control, c.treated, { alternative });
        close(r.absolute.statistic, x[alternative].statistic, 1e-12, `${c.name} z`);
        close(r.absolute.pValue, x[alternative].pValue, 1e-12, `${c.name} p ${alternative}`);
      }
      const r = e.compareProportions(c.control, c.treated, { relativeInterval: 'delta' });
      close(r.control.mean, x.p0, 1e-15, 'p0');
      close(r.treated.mean, x.p1, 1e-15, 'p1');
      close(r.absolute.standardError, x.se, 1e-12, 'se');
      close(r.absolute.ci[0], x.newcombe[0], 1e-12, `${c.name} newcombe lower`);
      close(r.absolute.ci[1], x.newcombe[1], 1e-12, `${c.name} newcombe upper`);
      const wald = e.compareProportions(c.control, c.treated, { interval: 'wald' });
      close(wald.absolute.ci[0], x.wald[0], 1e-12, 'wald lower');
      close(wald.absolute.ci[1], x.wald[1], 1e-12, 'wald upper');
      if (x.relative === null) {
        expect(r.relative).toBeNull();
        expect(e.compareProportions(c.control, c.treated).relativeNote).toBe('undefined: the control arm has no successes, so the lift is unbounded');
      } else {
        close(r.relative?.estimate ?? null, x.relative.estimate, 1e-12, 'lift');
        close(r.relative?.standardError ?? null, x.relative.se, 1e-12, 'lift se');
        close(r.relative?.ci[0] ?? null, x.relative.ci[0], 1e-12, 'lift lower');
        close(r.relative?.pValue ?? null, x.relative.pValue, 1e-12, 'lift p');
      }
    }
  });

  it('reproduces the Hillstrom conversion figures: 0.012531 (Mens) vs 0.005726 (No E-Mail)', () => {
    const r = e.compareProportions({ n: 21306, successes: 122 }, { n: 21307, successes: 267 });
    expect(r.treated.mean.toFixed(6)).toBe('0.012531');
    expect(r.control.mean.toFixed(6)).toBe('0.005726');
    expect(r.absolute.pValue).toBeLessThan(1e-12);
  });

  it('compareRatios follows the delta method', () => {
    for (const c of fixture.ratios) {
      const r = e.compareRatios(c.control, c.treated);
      close(r.absolute.estimate, c.expected.estimate, 1e-12, 'ratio diff');
      close(r.absolute.standardError, c.expected.se, 1e-9, 'ratio se'); // sums of squares lose ~6 digits to cancellation
      close(r.absolute.pValue, c.expected.pValue, 1e-8, 'ratio p');
      close(r.relative?.estimate ?? null, c.expected.relative.estimate, 1e-12, 'ratio lift');
    }
  });

  it('cuped pools θ over both arms and reports the variance reduction', () => {
    const c = fixture.cuped;
    const r = e.cuped(c.post, c.pre, c.arm);
    close(r.cuped?.theta ?? null, c.expected.theta, 1e-12, 'theta');
    close(r.cuped?.varianceReduction ?? null, c.expected.varianceReduction, 1e-12, 'variance reduction');
    close(r.absolute.estimate, c.expected.estimate, 1e-12, 'estimate');
    close(r.absolute.statistic, c.expected.statistic, 1e-12, 'statistic');
    close(r.absolute.pValue, c.expected.pValue, 1e-10, 'pValue');
    expect(r.cuped?.varianceReduction).toBeGreaterThan(0.5);
  });

  it('sampleRatioTest is scipy chisquare, and flags Cookie Cats only at a loose threshold', () => {
    for (const c of fixture.srm) {
      const r = e.sampleRatioTest(c.counts, c.shares ?? undefined);
      close(r.statistic, c.statistic, 1e-12, 'chi2');
      close(r.pValue, c.pValue, 1e-12, 'p');
    }
    expect(e.sampleRatioTest([44700, 45489]).mismatch).toBe(false);
    expect(e.sampleRatioTest([44700, 45489], undefined, { threshold: 0.01 }).mismatch).toBe(true);
  });

  it('adjustPValues matches statsmodels multipletests', () => {
    const m = fixture.multipletests;
    for (const method of ['bonferroni', 'holm', 'benjamini-hochberg'] as const) {
      e.adjustPValues(m.pValues, method).forEach((value, i) => close(value, m[method][i], 1e-15, `${method}[${i}]`));
    }
  });

  it('power and sampleSize match statsmodels NormalIndPower for means', () => {
    for (const c of fixture.power) {
      const design = { metric: 'mean' as const, sd: 1, alpha: c.alpha, ratio: c.ratio };
      close(e.power(design, c.effect, c.n), c.power, 1e-12, 'power');
      expect(e.sampleSize(design, c.effect).control).toBe(Math.ceil(c.nobs - 1e-9));
      close(e.power(design, e.minimumDetectableEffect(design, c.n), c.n), 0.8, 1e-12, 'power at the MDE');
    }
  });
});

describe('experiment errors', () => {
  it('reject impossible counts and degenerate arms', () => {
    expect(inputErrorOf(() => e.compareProportions({ n: 10, successes: 11 }, { n: 10, successes: 1 }))).toMatchObject({ reason: 'out_of_range', field: 'control.successes' });
    expect(inputErrorOf(() => e.compareProportions({ n: 0, successes: 0 }, { n: 10, successes: 1 }))).toMatchObject({ reason: 'empty', field: 'control.n' });
    expect(inputErrorOf(() => e.compareProportions({ n: 10, successes: -1 }, { n: 10, successes: 1 }))).toMatchObject({ reason: 'out_of_range' });
    expect(inputErrorOf(() => e.compareMeans([1, 1, 1], [2, 2, 2]))).toMatchObject({ reason: 'zero_variance' });
    expect(inputErrorOf(() => e.compareMeans([1], [2, 3]))).toMatchObject({ reason: 'empty', field: 'control' });
    expect(inputErrorOf(() => e.compareMeans([1, 2], [2, 3], { alpah: 0.1 } as never))).toMatchObject({ reason: 'invalid_option', field: 'alpah' });
    expect(inputErrorOf(() => e.compareMeans([1, Number.NaN], [2, 3]))).toMatchObject({ reason: 'not_finite', field: 'control', row: 1 });
    expect(inputErrorOf(() => e.compareMeans([1, 2], [2, 3], { alpha: 2 }))).toMatchObject({ reason: 'invalid_option', field: 'alpha' });
    expect(inputErrorOf(() => e.adjustPValues([0.5, 1.5], 'holm'))).toMatchObject({ reason: 'out_of_range', row: 1 });
  });

  it('gives a documented null relative lift when the control mean is 0', () => {
    const r = e.compareMeans([0, 0, 0, 0.0], [0, 1, 2, 3]);
    expect(r.relative).toBeNull();
    expect(r.relativeNote).toBe('undefined: the control mean is 0');
  });

  it('one-sided intervals have a null unbounded side', () => {
    const r = e.compareProportions({ n: 1000, successes: 50 }, { n: 1000, successes: 70 }, { alternative: 'greater' });
    expect(r.absolute.ci[1]).toBeNull();
    expect(r.absolute.ci[0]).toBeLessThan(0.02);
  });

  it('results validate against their schemas and survive JSON', () => {
    const r = e.compareMeans([1, 2, 3, 4], [2, 4, 6, 9]);
    expect(e.MeanComparisonSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    const p = e.compareProportions({ n: 100, successes: 0 }, { n: 100, successes: 3 });
    expect(e.ProportionComparisonSchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });
});

describe('bootstrapCi', () => {
  const mean = ([x]: readonly Float64Array[]) => (x as Float64Array).reduce((a, b) => a + b, 0) / (x as Float64Array).length;
  const data = Array.from({ length: 400 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);

  it('is reproducible from its seed and close to the normal interval for a mean', () => {
    const a = e.bootstrapCi([data], mean, { seed: 3 });
    expect(e.bootstrapCi([data], mean, { seed: 3 })).toEqual(a);
    expect(e.bootstrapCi([data], mean, { seed: 4 }).ci).not.toEqual(a.ci);
    const m = e.compareMeans(data, data.map((v) => v + 1e-9));
    const se = m.absolute.standardError / Math.SQRT2;
    expect(Math.abs(a.standardError - se) / se).toBeLessThan(0.1);
    expect(a.ci[0]).toBeLessThan(a.estimate);
    expect(a.ci[1]).toBeGreaterThan(a.estimate);
  });

  it('BCa widens the tail a skewed statistic leans to', () => {
    const skewed = data.map((v) => Math.exp(3 * Math.abs(v)));
    const percentile = e.bootstrapCi([skewed], mean, { seed: 1 });
    const bca = e.bootstrapCi([skewed], mean, { seed: 1, method: 'bca' });
    expect(bca.ci[1] - bca.estimate).toBeGreaterThanOrEqual(percentile.ci[1] - percentile.estimate - 1e-12);
  });

  it('resamples several samples independently, keeping their sizes', () => {
    const sizes: number[][] = [];
    e.bootstrapCi([[1, 2, 3], [4, 5, 6, 7, 8]], (samples) => {
      sizes.push(samples.map((x) => x.length));
      return 0;
    }, { resamples: 10 });
    expect(sizes.every(([a, b]) => a === 3 && b === 5)).toBe(true);
  });
});
