import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossProducts } from '../../src/linalg/gram.js';
import { simdGram, simdGramModule } from '../../src/linalg/simdGram.js';

// The WebAssembly SIMD kernel must give the scalar kernel's sums bit for bit
// (same order of operations, no fused multiply-add), on every shape: widths
// around multiples of four, blocks cut short, weights or none, a shift.
describe('the SIMD Gram kernel', () => {
  it('assembles a valid module, which this runtime runs', () => {
    expect(WebAssembly.validate(simdGramModule())).toBe(true);
    expect(simdGram()).not.toBeNull();
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

  it('grows its memory for wide matrices and still agrees', () => {
    const p = 150;
    const n = 70;
    const data = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k));
    const X = { data, rows: n, cols: p };
    const scalar = crossProducts(X, undefined, undefined, true, null);
    const simd = crossProducts(X, undefined, undefined, true);
    expect(Array.from(simd.products)).toEqual(Array.from(scalar.products));
    // And a small one after the wide one (the views are laid out again).
    const small = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
    expect(Array.from(crossProducts(small, undefined, undefined, false).products)).toEqual(Array.from(crossProducts(small, undefined, undefined, false, null).products));
  });
});
