import { describe, expect, it } from 'vitest';
import { fitGradientBoosting } from '../../src/trees/fitGradientBoosting.js';
import { predictGradientBoosting } from '../../src/trees/predictGradientBoosting.js';
import { addLeafValues, histogramThreads } from '../../src/trees/histogramHelper.js';

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

  it('walks every other chunk of a large prediction, with the same predictions to the bit', () => {
    // 37 trees (an odd count), rows not a multiple of the chunks, missing values in some chunks only.
    const model = fitGradientBoosting(X, binary, { maxIterations: 37, maxLeaves: 9 });
    const rows = 70_001;
    const data = new Float64Array(rows * X.cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < X.cols; j++) data[i * X.cols + j] = i < 30_000 && (i * 7 + j) % 13 === 0 ? Number.NaN : (X.data[((i * 31) % X.rows) * X.cols + j] as number);
    const fresh = { data, rows, cols: X.cols };
    histogramThreads(false);
    let alone: Float64Array;
    try {
      alone = predictGradientBoosting(model, fresh, { output: 'raw' });
    } finally {
      histogramThreads(true);
    }
    let helped = false;
    for (let attempt = 0; attempt < 5 && !helped; attempt++) {
      const before = histogramThreads();
      expect(predictGradientBoosting(model, fresh, { output: 'raw' })).toEqual(alone);
      helped = histogramThreads() > before;
    }
    expect(helped).toBe(true);
    // And as the trees walked one row at a time in JavaScript give them.
    const row = 12_345;
    const one = predictGradientBoosting(model, { data: data.slice(row * X.cols, (row + 1) * X.cols), rows: 1, cols: X.cols }, { output: 'raw' });
    expect(one[0]).toBe(alone[row]);
  });

  it('adds leaf values from its own source alone, shared between threads by row index', () => {
    // addLeafValues reads nothing outside its arguments (the helper runs its source text), and two
    // calls over the two halves of the row index add what one call over every row adds.
    const rebuilt = new Function(`return (${addLeafValues.toString()})`)() as typeof addLeafValues;
    const n = 11;
    const rows = Int32Array.from([0, 4, 9, 2, 3, 10, 1, 5, 6, 7, 8]);
    const starts = Int32Array.from([0, 3, 6]);
    const ends = Int32Array.from([3, 6, 11]);
    const values = Float64Array.from([0.25, -1.5, 3]);
    const start = Float64Array.from({ length: n }, (_, i) => i / 7);
    const whole = start.slice();
    addLeafValues(rows, whole, starts, ends, values, 3, 0, n);
    const halves = start.slice();
    rebuilt(rows, halves, starts, ends, values, 3, 0, 6);
    rebuilt(rows, halves, starts, ends, values, 3, 6, n);
    expect(halves).toEqual(whole);
    expect(Array.from(whole)).toEqual(Array.from(start, (v, i) => v + (values[[0, 4, 9].includes(i) ? 0 : [2, 3, 10].includes(i) ? 1 : 2] as number)));
  });
});
