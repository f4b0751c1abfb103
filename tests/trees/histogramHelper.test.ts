import { describe, expect, it } from 'vitest';
import { fitGradientBoosting } from '../../src/trees/fitGradientBoosting.js';
import { histogramThreads, lossGradients } from '../../src/trees/histogramHelper.js';

/** 60,000 rows (enough for the helper thread) of 6 features, some missing, and a 0/1 and a real outcome. */
function data() {
  const n = 60_000;
  const cols = 6;
  const X = new Float64Array(n * cols);
  const binary = new Float64Array(n);
  const real = new Float64Array(n);
  const weight = new Float64Array(n);
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const values = Array.from({ length: cols }, (_, j) => next() * (j + 1));
    for (let j = 0; j < cols; j++) X[i * cols + j] = next() < 0.03 ? Number.NaN : values[j]!;
    const signal = values[0]! - values[1]! + 0.5 * Math.sin(values[2]!);
    binary[i] = next() < 1 / (1 + Math.exp(-signal)) ? 1 : 0;
    real[i] = signal + next();
    weight[i] = 0.5 + next();
  }
  return { X: { data: X, rows: n, cols }, binary, real, weight };
}

describe('the histogram helper thread', () => {
  const { X, binary, real, weight } = data();
  const fits = [
    () => fitGradientBoosting(X, binary, { maxIterations: 8, maxLeaves: 15 }),
    () => fitGradientBoosting(X, real, { maxIterations: 6, maxLeaves: 12, loss: 'squared', sampleWeight: weight, subsample: 0.7, seed: 3 }),
    () => fitGradientBoosting(X, binary, { maxIterations: 20, earlyStopping: true, validationShare: 0.2, patience: 2, sampleWeight: weight }),
  ];

  it('runs half of the passes and gradients and leaves every tree as one thread grows it, to the bit', () => {
    // The worker starts with the first fit that wants it, which runs alone until it is up.
    fits[0]!();
    for (const fit of fits) {
      histogramThreads(false);
      let alone: string;
      try {
        alone = JSON.stringify(fit());
      } finally {
        histogramThreads(true);
      }
      // Node runs the helper: a fit of 60,000 rows splits its large passes with it once the worker has taken up
      // the fit's memory (on a busy machine a fit may end first, so up to five tries), and every fit is the same.
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = histogramThreads();
        expect(JSON.stringify(fit())).toBe(alone);
        if (histogramThreads() > before) break;
        expect(attempt).toBeLessThan(4);
      }
    }
  });

  it('is handed back when a fit throws, and serves the next fit', () => {
    expect(() => fitGradientBoosting(X, binary, { maxIterations: 2, sampleWeight: new Float64Array(X.rows) })).toThrow();
    const before = histogramThreads();
    const first = JSON.stringify(fits[0]!());
    for (let attempt = 0; attempt < 5 && histogramThreads() === before; attempt++) expect(JSON.stringify(fits[0]!())).toBe(first);
    expect(histogramThreads()).toBeGreaterThan(before);
  });

  it('computes the gradients from its own source alone (the helper runs that source)', () => {
    // lossGradients reads nothing outside its arguments: rebuilt from its source text, it gives the same values.
    const rebuilt = new Function(`return (${lossGradients.toString()})`)() as typeof lossGradients;
    const rows = Int32Array.from([3, 0, 2]);
    const raw = Float64Array.from([0.3, -1.2, 2.5, 0]);
    const target = Float64Array.from([1, 0, 1, 0]);
    const weights = Float64Array.from([1, 2, 0.5, 3]);
    for (const logistic of [true, false]) {
      const a = [new Float64Array(4), new Float64Array(4)] as const;
      const b = [new Float64Array(4), new Float64Array(4)] as const;
      lossGradients(rows, raw, target, weights, a[0], a[1], 0, 3, logistic);
      rebuilt(rows, raw, target, weights, b[0], b[1], 0, 3, logistic);
      expect(b).toEqual(a);
      // Row 3: p = 1/2, weight 3.
      if (logistic) expect([a[0][3], a[1][3]]).toEqual([3 * (0.5 - 0), 3 * 0.25]);
      else expect([a[0][2], a[1][2]]).toEqual([0.5 * (2.5 - 1), 0.5]);
    }
  });
});
