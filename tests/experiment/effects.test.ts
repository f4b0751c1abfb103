import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as e from 'promolens/experiment';
import { inputErrorOf } from '../helpers.js';

// References: tests/fixtures/experiment/make.py (statsmodels for Katz's interval,
// textbook Fieller and log-scale intervals, the confidence-sequence and posterior
// formulas worked in numpy/mpmath).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8'));

function close(actual: number | null | undefined, expected: number | null, tolerance: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe('number');
  const a = actual as number;
  if (expected === 0) expect(Math.abs(a), what).toBeLessThanOrEqual(1e-300);
  else expect(Math.abs(a - expected) / Math.abs(expected), `${what}: ${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('relative lift on the log scale', () => {
  it("proportions: Katz's interval, and the log-adjusted one when the treated arm has no successes (statsmodels)", () => {
    for (const c of fixture.katz) {
      const r = e.compareProportions(c.control, c.treated, { relativeInterval: 'log' });
      expect(r.relativeMethod).toBe(c.method);
      // Closed forms: relative 1e-12.
      close(r.relative?.estimate, c.estimate, 1e-12, 'lift');
      close(r.relative?.ci[0], c.ci[0], 1e-12, 'lower');
      close(r.relative?.ci[1], c.ci[1], 1e-12, 'upper');
      close(r.relative?.statistic, c.statistic, 1e-12, 'statistic');
      close(r.relative?.pValue, c.pValue, 1e-12, 'p');
    }
  });

  it("proportions by default: the score interval of the risk ratio, whose test is the pooled z test (statsmodels, correction=False)", () => {
    for (const c of fixture.scoreRatio) {
      const r = e.compareProportions(c.control, c.treated);
      expect(r.relativeMethod).toBe('score');
      close(r.relative?.estimate, c.estimate, 1e-12, 'lift');
      // Roots found by bisection to 1e-15 on log R; statsmodels' own root finder stops near 1e-10.
      close(r.relative?.ci[0], c.ci[0], 1e-8, 'lower');
      close(r.relative?.ci[1], c.ci[1], 1e-8, 'upper');
      close(r.relative?.statistic, c.statistic, 1e-12, 'statistic');
      close(r.relative?.pValue, c.pValue, 1e-12, 'p');
      close(r.absolute.pValue, c.pValue, 1e-12, 'absolute p');
    }
  });

  it('the score interval leaves out 0% exactly when the pooled z test rejects, two- and one-sided', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), fc.integer({ min: 2, max: 3000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('two-sided' as const, 'greater' as const, 'less' as const), (n0, n1, u0, u1, alternative) => {
        const x0 = Math.max(1, Math.round(u0 * n0));
        const x1 = Math.round(u1 * n1);
        const r = e.compareProportions({ n: n0, successes: x0 }, { n: n1, successes: x1 }, { alternative });
        const lo = r.relative?.ci[0] ?? null;
        const hi = r.relative?.ci[1] ?? null;
        const excludes = (lo !== null && lo > 0) || (hi !== null && hi < 0);
        // Away from the boundary only: within 1e-9 of alpha either answer is rounding.
        if (Math.abs(r.absolute.pValue - 0.05) < 1e-9) return;
        expect(excludes, `${x0}/${n0} vs ${x1}/${n1} ${alternative}: p ${r.absolute.pValue}, [${lo}, ${hi}]`).toBe(r.absolute.pValue < 0.05);
        expect(Math.abs((r.relative?.pValue as number) - r.absolute.pValue)).toBeLessThanOrEqual(1e-12 * Math.max(r.absolute.pValue, 1e-300));
      }),
      { numRuns: 300, seed: 77 },
    );
  });

  it("Katz's interval can contradict the pooled test at the boundary; the default score interval cannot (6/200 vs 15/200)", () => {
    const katz = e.compareProportions({ n: 200, successes: 6 }, { n: 200, successes: 15 }, { relativeInterval: 'log' });
    const score = e.compareProportions({ n: 200, successes: 6 }, { n: 200, successes: 15 });
    expect(score.absolute.pValue).toBeLessThan(0.05);
    expect(katz.relative?.ci[0]).toBeLessThan(0);
    expect(score.relative?.ci[0]).toBeGreaterThan(0);
    expect(inputErrorOf(() => e.compareMeans({ n: 10, mean: 1, variance: 1 }, { n: 10, mean: 2, variance: 1 }, { relativeInterval: 'score' }))).toMatchObject({ reason: 'invalid_option', field: 'relativeInterval' });
  });

  it('zero treated successes (4/30 vs 0/25) give a valid interval with a note, never −100% with SE 0', () => {
    const r = e.compareProportions({ n: 30, successes: 4 }, { n: 25, successes: 0 }, { relativeInterval: 'log' });
    expect(r.relative?.standardError).toBeGreaterThan(0);
    expect(r.relative?.ci[0]).toBeGreaterThan(-1);
    expect(r.relative?.ci[1]).toBeGreaterThan(0);
    expect(r.relative?.pValue).toBeGreaterThan(r.absolute.pValue);
    expect(r.relativeNote).toMatch(/no successes/);
  });

  it('the lift interval agrees in direction with the test beside it (marketing-ab-like: 96/4 split)', () => {
    const r = e.compareProportions({ n: 23524, successes: 420 }, { n: 564577, successes: 14423 });
    expect(r.absolute.ci[0]).toBeGreaterThan(0);
    expect(r.relative?.ci[0]).toBeGreaterThan(0);
    const delta = e.compareProportions({ n: 23524, successes: 420 }, { n: 564577, successes: 14423 }, { relativeInterval: 'delta' });
    expect(delta.relativeMethod).toBe('delta');
  });

  it('means: log scale when the control mean is well away from 0, Fieller otherwise', () => {
    for (const c of fixture.relativeMeans) {
      const r = e.compareMeans(c.control, c.treated);
      expect(r.relativeMethod).toBe(c.expected.method);
      close(r.relative?.estimate, c.expected.estimate, 1e-12, 'lift');
      close(r.relative?.ci[0] ?? null, c.expected.ci[0], 1e-12, 'lower');
      close(r.relative?.ci[1] ?? null, c.expected.ci[1], 1e-12, 'upper');
      close(r.relative?.pValue, c.expected.pValue, 1e-12, 'p');
      const d = e.compareMeans(c.control, c.treated, { relativeInterval: 'delta' });
      close(d.relative?.ci[0], c.delta.ci[0], 1e-12, 'delta lower');
      close(d.relative?.standardError, c.delta.se, 1e-12, 'delta se');
    }
  });
});

describe('sequential testing', () => {
  it('half-width, rho and always-valid p-value follow the confidence-sequence formula', () => {
    for (const c of fixture.sequential) {
      // Closed forms: relative 1e-12.
      close(e.sequentialRho(c.alpha, c.tuning), c.rho, 1e-12, 'rho');
      close(e.sequentialHalfWidth(c.se, c.n, c.rho, c.alpha), c.half, 1e-12, 'half-width');
      close(e.sequentialPValue(c.estimate / c.se, c.n, c.rho, 'two-sided'), c.pValue, 1e-12, 'p');
    }
  });

  it('compareProportions with sequential carries the sequence as ci and says so', () => {
    const fixed = e.compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 });
    const r = e.compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 }, { sequential: { tuning: 5000 } });
    expect(fixed.method).toBe('fixed-horizon');
    expect(r.method).toBe('sequential');
    expect(r.sequential).toMatchObject({ tuning: 5000, n: 10000 });
    const half = ((r.absolute.ci[1] as number) - (r.absolute.ci[0] as number)) / 2;
    close(half, e.sequentialHalfWidth(r.absolute.standardError, 10000, r.sequential?.rho as number, 0.05), 1e-12, 'half');
    expect(half).toBeGreaterThan(((fixed.absolute.ci[1] as number) - (fixed.absolute.ci[0] as number)) / 2);
    expect(r.absolute.pValue).toBeGreaterThan(fixed.absolute.pValue);
    // The sequence excludes 0 exactly when the always-valid p-value is below alpha.
    expect((r.absolute.ci[0] as number) > 0).toBe(r.absolute.pValue < 0.05);
    expect((r.relative?.ci[0] as number) > 0).toBe((r.relative?.pValue as number) < 0.05);
    const oneSided = e.compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 }, { sequential: true, alternative: 'greater' });
    expect(oneSided.absolute.ci[1]).toBeNull();
    close(oneSided.absolute.pValue, r.absolute.pValue / 2, 1e-12, 'one-sided p halves');
  });

  it('works with CUPED', () => {
    const pre = Array.from({ length: 200 }, (_, i) => (i * 7919) % 101);
    const arm = pre.map((_, i) => i % 2);
    const post = pre.map((x, i) => 0.5 * x + ((i * 104729) % 13) + (arm[i] as number));
    const r = e.cuped(post, pre, arm, { sequential: true });
    expect(r.method).toBe('sequential');
    expect(r.cuped?.theta).toBeGreaterThan(0);
  });

  it('A/A data checked at 50 looks: any-false-rejection rate stays at or below alpha, the fixed-horizon test does not', () => {
    // Seeded LCG; 400 experiments of 50 looks, 200 new users per arm per look, conversion 10%.
    let state = 20231204;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    const simulations = 400;
    let sequentialRejections = 0;
    let fixedRejections = 0;
    for (let s = 0; s < simulations; s++) {
      let x0 = 0;
      let x1 = 0;
      let n = 0;
      let sequentialHit = false;
      let fixedHit = false;
      for (let look = 0; look < 50; look++) {
        for (let i = 0; i < 200; i++) {
          if (uniform() < 0.1) x0++;
          if (uniform() < 0.1) x1++;
        }
        n += 200;
        const seq = e.compareProportions({ n, successes: x0 }, { n, successes: x1 }, { sequential: true });
        if (seq.absolute.pValue < 0.05) sequentialHit = true;
        if (!fixedHit && e.compareProportions({ n, successes: x0 }, { n, successes: x1 }).absolute.pValue < 0.05) fixedHit = true;
      }
      if (sequentialHit) sequentialRejections++;
      if (fixedHit) fixedRejections++;
    }
    const se = Math.sqrt((0.05 * 0.95) / simulations);
    expect(sequentialRejections / simulations).toBeLessThanOrEqual(0.05 + 2 * se);
    expect(fixedRejections / simulations).toBeGreaterThan(0.05 + 3 * se);
  });
});

describe('Bayesian results', () => {
  it('posterior mean, interval, chance to win and risk agree with the closed forms', () => {
    for (const c of fixture.bayesian.cases) {
      const prior = { mean: c.priorMean, sd: c.priorSd, proper: c.priorSd !== null, scale: 'relative' as const };
      const r = e.effectPosterior(c.estimate, c.se, prior, 0.05);
      close(r.mean, c.mean, 1e-12, 'mean');
      close(r.sd, c.sd, 1e-12, 'sd');
      close(r.ci[0], c.ci[0], 1e-12, 'lower');
      close(r.chanceToWin, c.chanceToWin, 1e-12, 'chance to win');
      close(r.risk.control, c.risk.control, 1e-12, 'risk control');
      close(r.risk.treated, c.risk.treated, 1e-12, 'risk treated');
    }
  });

  it('the truncated-normal mean is stable at extreme z (mpmath, 1e-12)', () => {
    for (const c of fixture.bayesian.positivePartMean) close(e.positivePartMean(c.z), c.value, 1e-12, `z = ${c.z}`);
  });

  it('a flat prior on the relative lift is the normal around the estimate with its delta-method SE, as GrowthBook', () => {
    const r = e.compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 }, { bayesian: true });
    const delta = e.compareProportions({ n: 5000, successes: 500 }, { n: 5000, successes: 560 }, { relativeInterval: 'delta' });
    close(r.bayesian?.mean, delta.relative?.estimate as number, 1e-15, 'mean');
    close(r.bayesian?.sd, delta.relative?.standardError as number, 1e-12, 'sd');
    expect(r.bayesian?.prior).toEqual({ scale: 'relative', mean: 0, sd: null, proper: false });
    const absolute = e.compareMeans([1, 2, 3, 4, 5], [2, 3, 4, 5, 7], { bayesian: { prior: { scale: 'absolute', mean: 0, sd: 1 } } });
    expect(absolute.bayesian?.prior.proper).toBe(true);
    expect(absolute.bayesian?.mean).toBeLessThan(absolute.absolute.estimate);
    expect(e.MeanComparisonSchema.parse(JSON.parse(JSON.stringify(absolute)))).toEqual(absolute);
  });

  it('rejects malformed priors', () => {
    expect(inputErrorOf(() => e.compareMeans([1, 2], [2, 4], { bayesian: { prior: { sd: -1 } } }))).toMatchObject({ reason: 'invalid_option', field: 'bayesian.prior.sd' });
    expect(inputErrorOf(() => e.compareMeans([1, 2], [2, 4], { bayesian: { priors: {} } as never }))).toMatchObject({ reason: 'invalid_option', field: 'bayesian.priors' });
  });
});

describe('messages a person can act on', () => {
  it('spend × 1e200 and × 1e-300 compare like spend itself', () => {
    const control = [3, 5, 4, 9, 7, 10, 2];
    const treated = [6, 5, 8, 9, 12, 10, 7];
    const base = e.compareMeans(control, treated);
    for (const scale of [1e200, 1e-300]) {
      const r = e.compareMeans(control.map((v) => v * scale), treated.map((v) => v * scale));
      close(r.absolute.statistic, base.absolute.statistic, 1e-12, `statistic × ${scale}`);
      close(r.absolute.pValue, base.absolute.pValue, 1e-12, `p × ${scale}`);
      close(r.absolute.estimate, base.absolute.estimate * scale, 1e-12, `estimate × ${scale}`);
      close(r.relative?.estimate, base.relative?.estimate as number, 1e-12, `lift × ${scale}`);
    }
  });

  it('one row in an arm names the arm and the outcome', () => {
    const error = inputErrorOf(() => e.compareMeans([1], [2, 3], { labels: { outcome: 'spend', control: 'No E-Mail', treated: 'Mens' } }));
    expect(error).toMatchObject({ reason: 'empty', field: 'spend' });
    expect(error.message).toMatch(/'spend'.*'No E-Mail'.*1 value/);
  });

  it("missing pre-period values are reported under the user's column", () => {
    const error = inputErrorOf(() => e.cuped([1, 2, 3, 4], [1, Number.NaN, 2, 3], [0, 0, 1, 1], { covariate: 'spend_before' }));
    expect(error).toMatchObject({ reason: 'not_finite', field: 'spend_before', row: 1 });
  });
});
