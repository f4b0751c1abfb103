import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROW_GROUP, accumulateRows, multiplyVector, multiplyVectors, predictRows } from '../../src/linalg/denseMatrix.js';
import { crossProducts } from '../../src/linalg/gram.js';
import { residualPass } from '../../src/models/fitLinear.js';
import { evaluate } from '../../src/models/fitLogistic.js';
import { simdKernels, simdModule } from '../../src/linalg/simd.js';

// The WebAssembly SIMD kernel must give the scalar kernel's sums bit for bit
// (same order of operations, no fused multiply-add), on every shape: widths
// around multiples of four, blocks cut short, weights or none, a shift.
describe('the SIMD kernels', () => {
  it('assembles a valid module, which this runtime runs', () => {
    expect(WebAssembly.validate(simdModule())).toBe(true);
    // Browsers compile modules up to 4 kB synchronously on the main thread (Chrome's limit).
    expect(simdModule().length).toBeLessThan(4096);
    expect(simdKernels()).not.toBeNull();
  });

  it("gives the scalar kernel's cross-products bit for bit", () => {
    const shape = fc.record({
      p: fc.integer({ min: 1, max: 13 }),
      n: fc.integer({ min: 1, max: 200 }),
      weighted: fc.boolean(),
      shift: fc.constantFrom<'first' | 'none' | 'means'>('first', 'none', 'means'),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    });
    fc.assert(
      fc.property(shape, ({ p, n, weighted, shift, seed }) => {
        let state = seed;
        const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 20;
        const data = Float64Array.from({ length: n * p }, (_, k) => next() + (k % p) * 100);
        const y = Float64Array.from({ length: n }, next);
        const w = weighted ? Float64Array.from({ length: n }, () => Math.abs(next()) + 0.1) : undefined;
        const shiftRows = shift === 'first' ? true : shift === 'none' ? false : Array.from({ length: p }, (_, j) => j * 100);
        const X = { data, rows: n, cols: p };
        const scalar = crossProducts(X, y, w, shiftRows, null);
        const simd = crossProducts(X, y, w, shiftRows);
        expect(Array.from(simd.products)).toEqual(Array.from(scalar.products));
        expect(Array.from(simd.sums)).toEqual(Array.from(scalar.sums));
        expect(simd.weightTotal).toBe(scalar.weightTotal);
      }),
      { numRuns: 200 },
    );
  });

  it("give the row passes' linear predictors and gradients bit for bit", () => {
    const kernels = simdKernels();
    if (kernels === null) throw new Error('no WebAssembly SIMD here');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 2 ** 30 }), (p, groups, seed) => {
        let state = seed;
        const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 8;
        const rows = groups * ROW_GROUP;
        const data = Float64Array.from({ length: rows * p }, next);
        const beta = Float64Array.from({ length: p }, next);
        const residuals = Float64Array.from({ length: rows }, next);
        const intercept = next();
        const [x, b, out, res, grad] = kernels.layout([rows * p, p, rows, rows, p]) as Float64Array[];
        x!.set(data);
        b!.set(beta);
        res!.set(residuals);
        kernels.dots(x!, b!, out!, p, groups, intercept);
        kernels.gradient(x!, res!, grad!, p, groups);
        const expected = new Float64Array(rows);
        const gradient = new Float64Array(p);
        const group = new Float64Array(ROW_GROUP);
        for (let start = 0; start < rows; start += ROW_GROUP) {
          predictRows(data, p, start, ROW_GROUP, beta, intercept, group);
          expected.set(group, start);
          accumulateRows(data, p, start, ROW_GROUP, residuals.subarray(start, start + ROW_GROUP), gradient, 0);
        }
        expect(Array.from(out!)).toEqual(Array.from(expected));
        expect(Array.from(grad!)).toEqual(Array.from(gradient));
      }),
      { numRuns: 200 },
    );
  });

  it('leave the logistic pass bit for bit as the scalar one, across chunks and a short last group', () => {
    for (const [n, p, weighted, fitIntercept] of [[8, 3, false, true], [5, 2, false, true], [1029, 7, false, true], [1029, 4, true, false], [300, 1, true, true]] as const) {
      let state = n * 31 + p;
      const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
      const data = Float64Array.from({ length: n * p }, next);
      const y = Float64Array.from({ length: n }, () => (next() > 0 ? 1 : 0));
      const w = weighted ? Float64Array.from({ length: n }, () => Math.abs(next()) + 0.5) : undefined;
      const problem = { X: { data, rows: n, cols: p }, y, w, l2: 0.5, l1: 0, fitIntercept };
      const theta = Float64Array.from({ length: p + 1 }, next);
      const runs = [null, simdKernels()].map((kernels) => {
        const gradient = new Float64Array(p + 1);
        const eta = new Float64Array(n);
        const objective = evaluate(problem, theta, gradient, eta, kernels);
        return { objective, gradient: Array.from(gradient), eta: Array.from(eta) };
      });
      expect(runs[1]).toEqual(runs[0]);
    }
  });

  it('leave the least-squares residual pass bit for bit as the scalar one', () => {
    for (const [n, p, weighted, scored] of [[9, 3, false, true], [1029, 7, true, true], [300, 1, false, false], [256, 20, true, false]] as const) {
      let state = 3 * n + p;
      const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
      const data = Float64Array.from({ length: n * p }, (_, k) => next() + 50 * (k % p));
      const X = { data, rows: n, cols: p };
      const y = Float64Array.from({ length: n }, next);
      const w = weighted ? Float64Array.from({ length: n }, () => Math.abs(next()) + 0.5) : undefined;
      const beta = Float64Array.from({ length: p }, next);
      const shift = Float64Array.from({ length: p }, (_, j) => 50 * j + 0.5);
      const runs = [null, simdKernels()].map((kernels) => {
        const gradient = new Float64Array(p);
        const squares = scored ? new Float64Array(n) : undefined;
        const rss = residualPass(X, y, w, beta, 0.75, shift, gradient, squares, kernels);
        return { rss, gradient: Array.from(gradient), squares: squares === undefined ? null : Array.from(squares) };
      });
      expect(runs[1]).toEqual(runs[0]);
    }
  });

  it('leave predictions (one model or several in one pass) bit for bit as the scalar sweep', () => {
    for (const [n, p] of [[7, 3], [8, 1], [389, 5], [1024, 20], [1030, 2]] as const) {
      let state = n + 17 * p;
      const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 6;
      const data = Float64Array.from({ length: n * p }, next);
      const X = { data, rows: n, cols: p };
      const betas = [Float64Array.from({ length: p }, next), Float64Array.from({ length: p }, next)];
      const expected = betas.map((beta, v) => {
        const out = new Float64Array(n);
        const group = new Float64Array(ROW_GROUP);
        for (let start = 0; start < n; start += ROW_GROUP) {
          const count = Math.min(ROW_GROUP, n - start);
          predictRows(data, p, start, count, beta, v + 0.25, group);
          out.set(group.subarray(0, count), start);
        }
        return Array.from(out);
      });
      expect(Array.from(multiplyVector(X, betas[0]!, 0.25))).toEqual(expected[0]);
      expect(multiplyVectors(X, betas, [0.25, 1.25]).map((out) => Array.from(out))).toEqual(expected);
    }
  });

  it('grows its memory for wide matrices and still agrees', () => {
    const p = 150;
    const n = 70;
    const data = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k));
    const X = { data, rows: n, cols: p };
    const scalar = crossProducts(X, undefined, undefined, true, null);
    const simd = crossProducts(X, undefined, undefined, true);
    expect(Array.from(simd.products)).toEqual(Array.from(scalar.products));
    // Too wide for the kernels' memory (capped at 16 MB, as it never shrinks): the scalar kernel runs, same result.
    expect(simdKernels()?.fits([2 ** 21 + 1])).toBe(false);
    const wide = { data: Float64Array.from({ length: 10 * 1500 }, (_, k) => Math.cos(k)), rows: 10, cols: 1500 };
    expect(Array.from(crossProducts(wide, undefined, undefined).products.subarray(0, 3000))).toEqual(Array.from(crossProducts(wide, undefined, undefined, true, null).products.subarray(0, 3000)));
    // And a small one after the wide one (the views are laid out again).
    const small = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
    expect(Array.from(crossProducts(small, undefined, undefined, false).products)).toEqual(Array.from(crossProducts(small, undefined, undefined, false, null).products));
  });
});
