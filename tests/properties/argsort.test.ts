import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descendingOrder, sortKeys, sortedAscending } from '../../src/internal/argsort.js';

// The sort takes the keys' high halves by radix, then the low halves within
// runs of equal high halves (insertion up to 32 values, radix beyond). Checked
// here against a plain stable comparator sort on values built to share high
// halves: a few bases, each with offsets in the last bits of the mantissa, so
// runs are short, long, shuffled, already sorted or all equal.
const close = fc
  .record({
    bases: fc.array(fc.constantFrom(1, -1, 0.5, -3.75, 1e-300, -1e300, 0, 123456.789), { minLength: 1, maxLength: 4 }),
    picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 5000 }), fc.boolean()), { minLength: 1, maxLength: 400 }),
  })
  .map(({ bases, picks }) =>
    Float64Array.from(picks, ([b, offset, negativeZero]) => {
      const base = bases[b % bases.length] as number;
      if (base === 0) return negativeZero ? -0 : 0;
      // base·(1 + offset·2^-52): the same high half for offsets below 2^20.
      return base * (1 + offset * 2 ** -52);
    }),
  );

function plainDescending(values: Float64Array): number[] {
  const rows = Array.from(values, (_, i) => i);
  // Ascending stable by value (−0 equal to +0), then reversed: later rows first among ties.
  rows.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  return rows.reverse();
}

describe('the radix sort under every ranking', () => {
  it('orders values that share high halves as a stable comparator sort does', () => {
    fc.assert(
      fc.property(close, (values) => {
        expect(Array.from(descendingOrder(values))).toEqual(plainDescending(values));
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the values sorted (sortedAscending), −0 as +0, from shared high halves to any finite double', () => {
    const anyDouble = fc.float64Array({ noNaN: true, minLength: 0, maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(close, anyDouble), (values) => {
        const expected = Float64Array.from(values, (v) => (Object.is(v, -0) ? 0 : v)).sort();
        expect(sortedAscending(values)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each of back-to-back large sorts its own right answer when the scratch is reused', () => {
    // Above 65,536 values the fused walks reuse one scratch set: a later, smaller or larger sort must not
    // disturb what an earlier one returned once it has been read, nor read stale keys.
    let state = 5;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const sizes = [70_000, 200_000, 66_000, 200_000];
    for (const n of sizes) {
      const values = Float64Array.from({ length: n }, () => Math.round((next() - 0.5) * 1e6) / 100);
      const expected = Float64Array.from(values).sort();
      expect(sortedAscending(values)).toEqual(expected);
      const labels = Uint8Array.from(values, (_, i) => i % 2);
      const { high, low, payload } = sortKeys(values, labels.slice(), true);
      const plain = sortKeys(values, labels.slice());
      expect(Array.from(high)).toEqual(Array.from(plain.high));
      expect(Array.from(low)).toEqual(Array.from(plain.low));
      expect(Array.from(payload)).toEqual(Array.from(plain.payload));
    }
  });

  it('carries one-byte payloads, and marks ties by equal keys', () => {
    fc.assert(
      fc.property(close, (values) => {
        const labels = Uint8Array.from(values, (_, i) => i % 251);
        const { high, low, payload } = sortKeys(values, labels);
        const ascending = plainDescending(values).reverse();
        expect(Array.from(payload)).toEqual(ascending.map((i) => i % 251));
        for (let k = 1; k < values.length; k++) {
          const tie = values[ascending[k] as number] === values[ascending[k - 1] as number];
          expect(high[k] === high[k - 1] && low[k] === low[k - 1]).toBe(tie);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('sorts long runs of one high half (the radix path within a run)', () => {
    const n = 5000;
    let state = 11;
    const values = Float64Array.from({ length: n }, () => 2 * (1 + ((state = (state * 16807) % 2147483647) % 100000) * 2 ** -52));
    expect(Array.from(descendingOrder(values))).toEqual(plainDescending(values));
  });
});
