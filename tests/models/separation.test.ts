import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitLogistic } from 'promolens/models';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let highs: Highs;
beforeAll(async () => {
  highs = await highsLoader();
});

/**
 * The linear-programming check of separability (Konis 2007, the test behind
 * R's safeBinaryRegression): with sᵢ = 2yᵢ − 1 and x̃ᵢ = (1, xᵢ), the
 * classes are (quasi-)completely separable exactly when some b ≠ 0 has
 * sᵢ x̃ᵢ·b ≥ 0 for every row and > 0 for some: maximise Σ sᵢ x̃ᵢ·b under
 * those constraints and |bⱼ| ≤ 1; an optimum above 0 means separation.
 * Complete separation: the LP with every constraint sᵢ x̃ᵢ·b ≥ 1 (b free) is feasible.
 */
function separability(X: number[][], y: number[]): 'complete' | 'quasi' | null {
  const p = (X[0] as number[]).length + 1;
  const row = (i: number) => [1, ...(X[i] as number[])].map((v) => (y[i] === 1 ? v : -v));
  const expression = (coefficients: number[]) => coefficients.map((c, j) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} b${j}`).join(' ');
  const total = Array.from({ length: p }, (_, j) => X.reduce((sum, _row, i) => sum + (row(i)[j] as number), 0));
  const weak = ['Maximize', ` obj: ${expression(total)}`, 'Subject To', ...X.map((_, i) => ` r${i}: ${expression(row(i))} >= 0`), 'Bounds', ...Array.from({ length: p }, (_, j) => ` -1 <= b${j} <= 1`), 'End'];
  const weakResult = highs.solve(weak.join('\n'), { output_flag: false });
  expect(weakResult.Status).toBe('Optimal');
  if (!(weakResult.ObjectiveValue > 1e-7)) return null;
  const strict = ['Minimize', ' obj: 0 b0', 'Subject To', ...X.map((_, i) => ` r${i}: ${expression(row(i))} >= 1`), 'Bounds', ...Array.from({ length: p }, (_, j) => ` b${j} free`), 'End'];
  const strictResult = highs.solve(strict.join('\n'), { output_flag: false });
  return strictResult.Status === 'Optimal' ? 'complete' : 'quasi';
}

describe('fitLogistic reports separation as the linear-programming check finds it', () => {
  it('quasi-complete separation with one tied row on the boundary (issue example)', () => {
    const X = [[1], [2], [3], [4], [4], [5], [6], [7]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    expect(separability(X, y)).toBe('quasi');
    const model = fitLogistic(X, y);
    expect(model.separation).toBe('quasi');
    expect(model.converged).toBe(false);
    expect(model.terms.every((term) => term.standardError === null)).toBe(true);
    expect(model.warning).toContain('quasi-completely separable');
  });

  it('complete separation, and none where the classes overlap', () => {
    expect(separability([[1], [2], [3], [4]], [0, 0, 1, 1])).toBe('complete');
    expect(fitLogistic([[1], [2], [3], [4]], [0, 0, 1, 1]).separation).toBe('complete');
    expect(separability([[1], [2], [3], [4], [5]], [0, 1, 0, 1, 1])).toBe(null);
    const overlap = fitLogistic([[1], [2], [3], [4], [5]], [0, 1, 0, 1, 1]);
    expect(overlap.separation).toBe(null);
    expect(overlap.converged).toBe(true);
  });

  it('agrees with the LP on random small designs with ties (separated or not)', () => {
    // Integer features on a small grid make ties, hence quasi-separation, frequent.
    const design = fc.integer({ min: 6, max: 14 }).chain((n) =>
      fc.record({
        X: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { minLength: n, maxLength: n }),
        noise: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
        cut: fc.integer({ min: 2, max: 8 }),
      }),
    );
    let separated = 0;
    let quasi = 0;
    fc.assert(
      fc.property(design, ({ X, noise, cut }) => {
        // Labels from a threshold on x₁ + x₂, flipped where noise is 0, or forced at ties (x₁ + x₂ = cut → 1 on odd rows).
        const y = X.map(([a, b], i) => {
          const s = a + b;
          const label = s > cut || (s === cut && i % 2 === 1) ? 1 : 0;
          return noise[i] === 0 ? 1 - label : label;
        });
        if (!y.includes(0) || !y.includes(1)) return;
        const rows = X.map(([a, b]) => [a, b]);
        const expected = separability(rows, y);
        const model = fitLogistic(rows, y);
        if (expected !== null) separated++;
        if (expected === 'quasi') quasi++;
        expect(model.separation === null, `X ${JSON.stringify(rows)} y ${JSON.stringify(y)}: LP says ${expected}, fit says ${model.separation}`).toBe(expected === null);
      }),
      { numRuns: 200, seed: 20261204 },
    );
    // The sample exercises both verdicts and quasi-separation in particular.
    expect(separated).toBeGreaterThan(20);
    expect(quasi).toBeGreaterThan(5);
  });
});
