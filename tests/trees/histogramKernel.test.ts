import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitGradientBoosting } from 'promolens/trees';
import { binMatrix, binThresholds } from '../../src/trees/binning.js';
import { gradientHistogram, partitionRows } from '../../src/trees/histogram.js';
import { histogramKernel, histogramModule } from '../../src/trees/histogramKernel.js';
import { lossGradients } from '../../src/trees/fitGradientBoosting.js';

// The WebAssembly histogram pass must give the JavaScript pass's sums bit for bit
// (same rows in the same order per bin), on every shape: blocks of 1,024 rows cut short,
// all rows or a subset, missing values.
describe('the histogram kernel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('assembles a valid module, which this runtime runs', () => {
    expect(WebAssembly.validate(histogramModule())).toBe(true);
    // Browsers compile modules up to 4 kB synchronously on the main thread (Chrome's limit).
    expect(histogramModule().length).toBeLessThan(4096);
    expect(histogramKernel(10, 2, 1)).not.toBeNull();
  });

  it("gives the JavaScript loss gradients bit for bit (its exp is Math.exp's)", () => {
    // Raw predictions over the whole range exp meets (and beyond its overflow), weights or none,
    // a subset of the rows in any order, both losses.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 2 ** 30 }), fc.boolean(), fc.boolean(), (n, seed, logistic, weighted) => {
        let state = seed;
        const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
        const kernel = histogramKernel(n, 1, 1);
        if (kernel === null) throw new Error('no WebAssembly here');
        const scales = [1e-9, 0.3, 2, 40, 800];
        for (let i = 0; i < n; i++) {
          kernel.raw[i] = (next() - 0.5) * (scales[Math.floor(next() * scales.length)] as number);
          kernel.target[i] = logistic ? (next() < 0.4 ? 1 : 0) : next() * 10 - 3;
          kernel.weights[i] = next() * 3;
          kernel.training[i] = Math.floor(next() * n);
        }
        const count = Math.max(1, Math.floor(next() * n));
        kernel.gradient.fill(Number.NaN);
        kernel.hessian.fill(Number.NaN);
        kernel.gradients(count, logistic, weighted);
        const gradient = new Float64Array(n).fill(Number.NaN);
        const hessian = new Float64Array(n).fill(Number.NaN);
        lossGradients(kernel.training, kernel.raw, kernel.target, weighted ? kernel.weights : null, gradient, hessian, 0, count, logistic);
        expect(kernel.gradient).toEqual(gradient);
        expect(kernel.hessian).toEqual(hessian);
        kernel.close();
      }),
      { numRuns: 60 },
    );
  });

  it("gives the JavaScript passes' histograms and partitions bit for bit", () => {
    const shape = fc.record({
      n: fc.integer({ min: 1, max: 2600 }),
      cols: fc.integer({ min: 1, max: 7 }),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
    fc.assert(
      fc.property(shape, ({ n, cols, share, seed }) => {
        let state = seed;
        const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
        const data = Float64Array.from({ length: n * cols }, () => (next() < 0.1 ? Number.NaN : Math.floor(next() * 300)));
        const X = { data, rows: n, cols };
        const kernel = histogramKernel(n, cols, 1);
        if (kernel === null) throw new Error('no WebAssembly here');
        const binned = binMatrix(X, binThresholds(X, 255, 0), kernel.codes);
        for (let i = 0; i < n; i++) {
          kernel.gradient[i] = next() - 0.5;
          kernel.hessian[i] = next() * 0.25;
        }
        const subset: number[] = [];
        for (let i = 0; i < n; i++) if (next() < share) subset.push(i);
        const expected = new Float64Array(kernel.pool[0]!.length);
        // The kernel's positions are those of rows, in its first buffer (shift 0) or its second (n).
        const check = (rows: Int32Array, start: number, end: number, identity: boolean, shift = 0) => {
          gradientHistogram(expected, binned, rows, start, end, kernel.gradient, kernel.hessian, identity);
          kernel.fill(kernel.pool[0]!, start + shift, end + shift, identity);
          expect(Array.from(kernel.pool[0]!)).toEqual(Array.from(expected));
        };
        // The last split again with a wrong count of left rows, at the end (a refused partition may
        // have written past its node, so the kernel is not used after it).
        let refusal: (() => number) | null = null;
        for (const [rows, identity] of [[Int32Array.from({ length: n }, (_, i) => i), true], [Int32Array.from(subset), false]] as const) {
          kernel.rows.set(rows);
          const sums = new Float64Array(2);
          kernel.order(rows.length, sums);
          let g = 0;
          let h = 0;
          for (const i of rows) {
            g += kernel.gradient[i]!;
            h += kernel.hessian[i]!;
          }
          expect(Array.from(sums)).toEqual([g, h]);
          // Every row (identity) from 0, twice: the second pass takes the row counts kept from the first.
          const start = identity ? 0 : Math.min(rows.length, 3);
          check(kernel.rows, start, rows.length, identity);
          if (identity) check(kernel.rows, start, rows.length, identity);
          // A split of rows[start, end) into the kernel's other buffer, and of its left child back
          // into the first: the same rows on each side, in the same order, and each side's
          // histogram (from the gradients partitioned along) the JavaScript pass's.
          const js = Int32Array.from(rows);
          const split = (from: number, to: number, shift: number) => {
            refusal = null;
            // A tree's nodes are never empty.
            if (from === to) return from;
            const feature = Math.floor(next() * cols);
            const bin = Math.floor(next() * binned.bins[feature]!);
            const missingLeft = next() < 0.5;
            const middle = partitionRows(binned, js, new Int32Array(n), from, to, feature, bin, missingLeft);
            if (to - from >= 2) refusal = () => kernel.partition(from + shift, to + shift, feature, bin, missingLeft, middle - from + (middle > from ? -1 : 1));
            const other = shift === 0 ? n : 0;
            expect(kernel.partition(from + shift, to + shift, feature, bin, missingLeft, middle - from)).toBe(middle + other);
            expect(Array.from(kernel.rows.length === n ? new Int32Array(kernel.rows.buffer, kernel.rows.byteOffset, 2 * n).subarray(from + other, to + other) : [])).toEqual(Array.from(js.subarray(from, to)));
            check(js, from, middle, false, other);
            check(js, middle, to, false, other);
            return middle;
          };
          const middle = split(start, rows.length, 0);
          split(start, middle, n);
        }
        if (refusal !== null) expect(refusal).toThrow(/number of rows left/);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves fitGradientBoosting bit for bit the model of the JavaScript pass', () => {
    let state = 7;
    const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const X = Array.from({ length: 3000 }, () => [next(), next() < 0.2 ? Number.NaN : next(), Math.floor(next() * 5)]);
    const y = X.map(([a, , c]) => (next() < 0.3 + 0.4 * a! - 0.05 * c! ? 1 : 0));
    const options = { maxIterations: 5, subsample: 0.8, seed: 3 };
    const withKernel = fitGradientBoosting(X, y, options);
    vi.stubGlobal('WebAssembly', undefined);
    expect(histogramKernel(10, 2, 1)).toBeNull();
    expect(fitGradientBoosting(X, y, options)).toEqual(withKernel);
  });
});
