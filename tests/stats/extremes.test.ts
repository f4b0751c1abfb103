import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as s from 'promolens/stats';
import { compareMeans } from 'promolens/experiment';

// References: tests/fixtures/stats/make.py (mpmath, precision raised with the parameter).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/stats/extremes.json', import.meta.url), 'utf8'));

/** Relative error, with values below 1e-300 compared absolutely (the subnormal range keeps few digits). */
function relativeError(actual: number, expected: number): number {
  if (Math.abs(expected) < 1e-300) return Math.abs(actual - expected) / 1e-300;
  return Math.abs(actual - expected) / Math.abs(expected);
}

function check(actual: number, expected: number, tolerance: number, what: string): void {
  expect(relativeError(actual, expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('distributions at extreme parameters agree with mpmath', () => {
  // Relative 1e-12 throughout, as for ordinary parameters.
  it('Student t from df = 1e4 to 1e300: cdf, survival function and density', () => {
    for (const c of fixture.t) {
      check(s.studentTCdf(c.x, c.df), c.cdf, 1e-12, `studentTCdf(${c.x}, ${c.df})`);
      check(s.studentTSf(c.x, c.df), c.sf, 1e-12, `studentTSf(${c.x}, ${c.df})`);
      check(s.studentTPdf(c.x, c.df), c.pdf, 1e-12, `studentTPdf(${c.x}, ${c.df})`);
    }
  });
  it('Student t quantiles from df = 1e4 to 1e100, p down to 1e-100', () => {
    for (const c of fixture.tQuantiles) check(s.studentTQuantile(c.p, c.df), c.quantile, 1e-12, `studentTQuantile(${c.p}, ${c.df})`);
  });
  it('chi-square with df from 2e3 to 2e12, ±30 standard deviations', () => {
    for (const c of fixture.chi2) {
      check(s.chiSquareCdf(c.x, c.df), c.cdf, 1e-12, `chiSquareCdf(${c.x}, ${c.df})`);
      check(s.chiSquareSf(c.x, c.df), c.sf, 1e-12, `chiSquareSf(${c.x}, ${c.df})`);
    }
  });
  it('beta with both shapes from 1e5 to 1e21, ±30 standard deviations', () => {
    for (const c of fixture.beta) {
      check(s.betaCdf(c.x, c.a, c.b), c.cdf, 1e-12, `betaCdf(${c.x}, ${c.a}, ${c.b})`);
      check(s.betaSf(c.x, c.a, c.b), c.sf, 1e-12, `betaSf(${c.x}, ${c.a}, ${c.b})`);
    }
  });
});

describe('the normal limit', () => {
  it('infinite degrees of freedom give the normal distribution exactly', () => {
    expect(s.studentTCdf(1, Infinity)).toBe(s.normalCdf(1));
    expect(s.studentTSf(5, Infinity)).toBe(s.normalSf(5));
    expect(s.studentTPdf(0.3, Infinity)).toBe(s.normalPdf(0.3));
    expect(s.studentTQuantile(0.975, Infinity)).toBe(s.normalQuantile(0.975));
  });
  it('the cases of the reliability report', () => {
    check(s.studentTPdf(0, 1e15), 0.3989422804014327, 1e-12, 'studentTPdf(0, 1e15)');
    check(s.studentTSf(5, 1e18), 2.866515718791939e-7, 1e-12, 'studentTSf(5, 1e18)');
    check(s.studentTQuantile(0.975, 1e100), 1.959963984540054, 1e-12, 'studentTQuantile(0.975, 1e100)');
    check(s.chiSquareCdf(1e9, 1e9), 0.5000059470803872, 1e-12, 'chiSquareCdf(1e9, 1e9)');
    check(s.betaCdf(0.5, 1e20, 1e20), 0.5, 1e-12, 'betaCdf(0.5, 1e20, 1e20)');
  });
  it('compareMeans with 1e15 rows per arm uses the normal quantile', () => {
    const arm = (mean: number) => ({ n: 1e15, mean, variance: 1 });
    const result = compareMeans(arm(0), arm(1e-7));
    const half = ((result.absolute.ci[1] as number) - (result.absolute.ci[0] as number)) / 2;
    check(half / result.absolute.standardError, 1.959963984540054, 1e-12, 'critical value');
  });
});
