import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as m from 'promolens/metrics';

// Invariants over all metrics (scikit-learn test_common style), on small integer
// scores so that ties are frequent and transforms stay exact.
const sample = fc.integer({ min: 2, max: 60 }).chain((n) =>
  fc.record({
    y: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    s: fc.array(fc.integer({ min: -8, max: 8 }), { minLength: n, maxLength: n }),
    w: fc.array(fc.constantFrom(1, 2), { minLength: n, maxLength: n }),
    p: fc.array(fc.integer({ min: 0, max: 20 }).map((k) => k / 20), { minLength: n, maxLength: n }),
  }),
).filter(({ y }) => y.includes(0) && y.includes(1));

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

type Scalar = (y: number[], s: number[], p: number[], options: { sampleWeight?: number[] }) => number;
const scalars: Record<string, Scalar> = {
  rocAuc: (y, s, _p, o) => m.rocAuc(y, s, o),
  averagePrecision: (y, s, _p, o) => m.averagePrecision(y, s, o),
  prAuc: (y, s, _p, o) => m.prAuc(y, s, o),
  accuracy: (y, _s, p, o) => m.accuracyScore(y, p, o),
  precision: (y, _s, p, o) => m.precisionScore(y, p, o),
  recall: (y, _s, p, o) => m.recallScore(y, p, o),
  f1: (y, _s, p, o) => m.f1Score(y, p, o),
  balancedAccuracy: (y, _s, p, o) => m.balancedAccuracyScore(y, p, o),
  mcc: (y, _s, p, o) => m.matthewsCorrcoef(y, p, o),
  logLoss: (y, _s, p, o) => m.logLoss(y, p, o),
  brier: (y, _s, p, o) => m.brierScore(y, p, o),
  ece: (y, _s, p, o) => m.expectedCalibrationError(y, p, o),
  mse: (y, _s, p, o) => m.meanSquaredError(y, p, o),
  mae: (y, _s, p, o) => m.meanAbsoluteError(y, p, o),
  r2: (y, s, _p, o) => m.r2Score(s, y, o),
  explainedVariance: (y, s, _p, o) => m.explainedVarianceScore(s, y, o),
};
const ranges: Record<string, [number, number]> = {
  rocAuc: [0, 1], averagePrecision: [0, 1], prAuc: [0, 1], accuracy: [0, 1], precision: [0, 1], recall: [0, 1],
  f1: [0, 1], balancedAccuracy: [0, 1], mcc: [-1, 1], logLoss: [0, 40], brier: [0, 1], ece: [0, 1], mse: [0, 1], mae: [0, 1],
  r2: [-Infinity, 1], explainedVariance: [-Infinity, 1],
};

describe('metric invariants', () => {
  for (const [name, metric] of Object.entries(scalars)) {
    it(`${name} is invariant to row order and within its range`, () => {
      fc.assert(
        fc.property(sample, fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), ({ y, s, p }, randoms) => {
          const order = y.map((_, i) => i);
          order.sort((a, b) => (randoms[a] as number) - (randoms[b] as number) || a - b);
          const pick = <T>(values: T[]) => order.map((i) => values[i] as T);
          const value = metric(y, s, p, {});
          const [low, high] = ranges[name] as [number, number];
          expect(value).toBeGreaterThanOrEqual(low - 1e-12);
          expect(value).toBeLessThanOrEqual(high + 1e-12);
          expect(near(metric(pick(y), pick(s), pick(p), {}), value)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });

    it(`${name} with weights of 2 equals duplicated rows`, () => {
      fc.assert(
        fc.property(sample, ({ y, s, w, p }) => {
          const repeat = <T>(values: T[]) => values.flatMap((value, i) => (w[i] === 2 ? [value, value] : [value]));
          expect(near(metric(y, s, p, { sampleWeight: w }), metric(repeat(y), repeat(s), repeat(p), {}))).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('rocAuc of reversed scores is 1 − rocAuc', () => {
    fc.assert(
      fc.property(sample, ({ y, s, w }) => {
        expect(near(m.rocAuc(y, s.map((v) => -v)), 1 - m.rocAuc(y, s))).toBe(true);
        expect(near(m.rocAuc(y, s.map((v) => -v), { sampleWeight: w }), 1 - m.rocAuc(y, s, { sampleWeight: w }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ranking metrics are unchanged by a strictly increasing transform of the score', () => {
    fc.assert(
      fc.property(sample, ({ y, s }) => {
        const t = s.map((v) => v * v * v + 3 * v + 100);
        expect(m.rocAuc(y, t)).toBe(m.rocAuc(y, s));
        expect(m.averagePrecision(y, t)).toBe(m.averagePrecision(y, s));
        expect(m.rocCurve(y, t).tpr).toEqual(m.rocCurve(y, s).tpr);
      }),
      { numRuns: 300 },
    );
  });

  it('rocAuc equals the Mann–Whitney count with ties as one half (O(n²) by hand)', () => {
    fc.assert(
      fc.property(sample, ({ y, s, w }) => {
        let wins = 0;
        let pairs = 0;
        for (let i = 0; i < y.length; i++) {
          if (y[i] !== 1) continue;
          for (let j = 0; j < y.length; j++) {
            if (y[j] !== 0) continue;
            const weight = (w[i] as number) * (w[j] as number);
            pairs += weight;
            wins += weight * ((s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0);
          }
        }
        expect(near(m.rocAuc(y, s, { sampleWeight: w }), wins / pairs)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('thresholds counts every row once, tied scores forming one threshold', () => {
    fc.assert(
      fc.property(sample, ({ y, s }) => {
        const counts = m.thresholds(y, s);
        expect(counts.thresholds.length).toBe(new Set(s).size);
        const last = counts.thresholds.length - 1;
        expect((counts.truePositives[last] as number) + (counts.falsePositives[last] as number)).toBe(y.length);
        for (let k = 1; k <= last; k++) expect(counts.thresholds[k] as number).toBeLessThan(counts.thresholds[k - 1] as number);
      }),
      { numRuns: 200 },
    );
  });
});
