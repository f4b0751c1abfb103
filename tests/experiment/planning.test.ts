import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as e from 'promolens/experiment';
import { inputErrorOf } from '../helpers.js';

// References: tests/fixtures/experiment/make.py (numpy.quantile and scipy's Welch test for capping).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8'));

function close(actual: number | null | undefined, expected: number, tolerance: number, what: string): void {
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('capping', () => {
  it('caps at a quantile of the pooled arms as numpy.quantile, and reports the capped share', () => {
    const { values, arm, cases } = fixture.cap;
    for (const c of cases) {
      const { values: capped, summary } = e.capValues(values, { quantile: c.quantile });
      close(summary.threshold, c.threshold, 1e-15, 'threshold');
      expect(summary.cappedCount).toBe(c.cappedCount);
      close(summary.cappedShare, c.cappedCount / values.length, 1e-15, 'share');
      const r = e.compareMeans(capped.filter((_, i) => arm[i] === 0), capped.filter((_, i) => arm[i] === 1));
      close(r.absolute.statistic, c.statistic, 1e-12, 'Welch t on capped values');
      close(r.absolute.pValue, c.pValue, 1e-12, 'Welch p on capped values');
    }
    expect(e.capValues([1, 2, 3, 100], { value: 10 }).summary).toEqual({ method: 'value', quantile: null, threshold: 10, cappedCount: 1, cappedShare: 0.25 });
    expect(inputErrorOf(() => e.capValues([1, 2], { quantile: 1.5 }))).toMatchObject({ reason: 'invalid_option', field: 'cap.quantile' });
    expect(inputErrorOf(() => e.capValues([1, Number.NaN], { value: 1 }, 'revenue'))).toMatchObject({ reason: 'not_finite', field: 'revenue', row: 1 });
  });
});

describe('planning the next test', () => {
  it('the minimum detectable effect has the target power, and the sample size reaches it for the observed effect', () => {
    const result = e.compareProportions({ n: 5000, successes: 500 }, { n: 6000, successes: 672 });
    const plan = e.planNextTest(result);
    const design = { metric: 'proportion' as const, baseline: 0.1, ratio: 6000 / 5000 };
    close(e.power(design, plan.minimumDetectableEffect as number, 5000), 0.8, 1e-9, 'power at the MDE');
    const size = plan.sampleSize as { control: number; treated: number };
    expect(e.power(design, result.absolute.estimate, size.control)).toBeGreaterThanOrEqual(0.8);
    // The closed form ignores the far tail, so one row fewer may still reach 0.8 by a hair.
    expect(e.power(design, result.absolute.estimate, size.control - 1)).toBeLessThan(0.8 + 1e-5);
    // Means: the design's sd is the one the comparison's standard error implies.
    const means = e.compareMeans({ n: 400, mean: 10, variance: 9 }, { n: 400, mean: 10.5, variance: 9 });
    const meanPlan = e.planNextTest(means);
    close(e.power({ metric: 'mean', sd: 3 }, meanPlan.minimumDetectableEffect as number, 400), 0.8, 1e-9, 'means power at the MDE');
    expect(e.planNextTest(e.compareMeans({ n: 50, mean: 1, variance: 1 }, { n: 50, mean: 1, variance: 1 })).note).toMatch(/observed effect is 0/);
  });
});

describe('each arm against each arm', () => {
  it('compares every pair once and corrects across all of them', () => {
    const arms = { a: { n: 1000, successes: 100 }, b: { n: 1000, successes: 130 }, c: { n: 1000, successes: 90 } };
    const pairs = e.compareAllPairs(arms, { correction: 'bonferroni' });
    expect(pairs.map((p) => [p.control, p.treated])).toEqual([['a', 'b'], ['a', 'c'], ['b', 'c']]);
    pairs.forEach((p) => close(p.adjustedPValue, Math.min(1, 3 * p.comparison.absolute.pValue), 1e-15, 'bonferroni'));
    close(pairs[2]?.comparison.absolute.estimate, 0.09 - 0.13, 1e-12, 'b vs c');
    const means = e.compareAllPairs({ x: [1, 2, 3, 4], y: [2, 3, 4, 6], z: [0, 1, 1, 2] });
    expect(means[0]?.comparison.kind).toBe('means');
    expect(inputErrorOf(() => e.compareAllPairs({ only: [1, 2] }))).toMatchObject({ reason: 'empty' });
  });
});
