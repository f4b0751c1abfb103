import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kthLargest, kthLargestOf } from '../../src/internal/select.js';
import { selectedQuantile, sortedQuantile } from '../../src/internal/quantile.js';
import { createRandom } from '../../src/internal/random.js';

const descending = (values: ArrayLike<number>) => Float64Array.from(values).sort().reverse();

describe('selection without a sort', () => {
  it('kthLargestOf finds the k-th largest of many values, by sampling, for every kind of k', () => {
    const random = createRandom(7);
    const n = 200_000;
    const spread = Float64Array.from({ length: n }, () => random() * 2 - 1);
    // Heavy ties: 50 distinct values.
    const tied = Float64Array.from({ length: n }, () => Math.floor(random() * 50) / 7);
    for (const values of [spread, tied]) {
      const sorted = descending(values);
      for (const k of [1, 2, 100, 60_000, 100_000, 199_999, n]) expect(kthLargestOf(values, k)).toBe(sorted[k - 1]);
    }
  });

  it('kthLargestOf by sampling gives the sort\'s answer for any k, any number of ties, and values that fill its room', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.constantFrom(0, 2, 40, 3000), fc.double({ min: 0, max: 1, noNaN: true }), (seed, levels, share) => {
        const random = createRandom(seed);
        const n = 70_000;
        const values = Float64Array.from({ length: n }, () => (levels === 0 ? random() - 0.5 : Math.floor(random() * levels) - levels / 3));
        const k = Math.min(n, 1 + Math.floor(share * n));
        expect(kthLargestOf(values, k)).toBe(descending(values)[k - 1]);
      }),
      { numRuns: 30 },
    );
  });

  it('kthLargestOf within a group reads only that group and leaves the values untouched', () => {
    const random = createRandom(11);
    const n = 300_000;
    const values = Float64Array.from({ length: n }, () => random());
    const group = Float64Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0));
    const before = Float64Array.from(values);
    for (const member of [0, 1]) {
      const sorted = descending(values.filter((_, i) => group[i] === member));
      for (const k of [1, 30_000, sorted.length]) expect(kthLargestOf(values, k, group, member)).toBe(sorted[k - 1]);
    }
    expect(values.every((v, i) => v === before[i])).toBe(true);
  });

  it('kthLargestOf agrees with kthLargest on small inputs (the copy path)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }), fc.nat(), (list, pick) => {
        const values = Float64Array.from(list);
        const k = 1 + (pick % values.length);
        expect(kthLargestOf(values, k) === kthLargest(Float64Array.from(values), k)).toBe(true);
      }),
    );
  });

  it('selectedQuantile equals sortedQuantile of the sorted values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, -0)), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (list, q) => {
          const expected = sortedQuantile(Float64Array.from(list).sort(), q);
          const got = selectedQuantile(Float64Array.from(list), q);
          expect(Object.is(got, expected)).toBe(true);
        },
      ),
    );
    for (const n of [100_000, 100_001]) {
      const random = createRandom(n);
      const values = Float64Array.from({ length: n }, () => random() * 10);
      expect(selectedQuantile(Float64Array.from(values), 0.5)).toBe(sortedQuantile(Float64Array.from(values).sort(), 0.5));
    }
  });
});
