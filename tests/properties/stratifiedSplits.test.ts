import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/internal/random.js';
import { kFold, trainTestSplit } from '../../src/models/validation.js';

/** The stratified deal written plainly: each class's rows (classes by ascending label) shuffled as a list, then concatenated. */
function plainOrder(labels: readonly number[], seed: number): number[] {
  const random = createRandom(seed);
  const classes = new Map<number, number[]>();
  labels.forEach((label, i) => classes.set(label, [...(classes.get(label) ?? []), i]));
  const order: number[] = [];
  for (const label of [...classes.keys()].sort((a, b) => a - b)) {
    const rows = classes.get(label)!;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    order.push(...rows);
  }
  return order;
}

describe('stratified splits', () => {
  it('deal the rows as the plain per-class shuffle does, for small, negative, fractional and large labels', () => {
    const label = fc.oneof(fc.constantFrom(0, 1, 2), fc.constantFrom(-1, 0.5, 1023, 1024, 1e9, -3.25));
    fc.assert(
      fc.property(fc.array(label, { minLength: 4, maxLength: 200 }), fc.integer({ min: 0, max: 1000 }), (labels, seed) => {
        const order = plainOrder(labels, seed);
        const k = Math.min(3, labels.length);
        const folds = kFold(labels.length, k, { seed, stratify: labels });
        folds.forEach((fold, f) => {
          const expected = order.filter((_, position) => position % k === f).sort((a, b) => a - b);
          expect(Array.from(fold.test)).toEqual(expected);
        });
        const split = trainTestSplit(labels.length, { seed, stratify: labels, testShare: 0.3 });
        expect(split.test.length + split.train.length).toBe(labels.length);
      }),
      { numRuns: 300 },
    );
  });
});
