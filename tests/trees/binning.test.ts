import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binMatrix, binThresholds } from '../../src/trees/binning.js';

/** The code of one value by a plain search: the number of edges below it, 255 for NaN. */
function referenceCode(value: number, edges: Float64Array): number {
  if (Number.isNaN(value)) return 255;
  let below = 0;
  while (below < edges.length && value > edges[below]!) below++;
  return below;
}

describe('binMatrix', () => {
  it('codes every value as the number of thresholds below it, whatever the spread of the values', () => {
    const value = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.integer({ min: -3, max: 3 }),
      // Heavy tails: most thresholds crowd into a few cells of the lookup grid.
      fc.double({ min: 0, max: 30, noNaN: true }).map((v) => Math.exp(v)),
      fc.constant(Number.NaN),
      fc.constant(Number.MAX_VALUE),
      fc.constant(-Number.MAX_VALUE),
    );
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 255 }), (rows, maxBins) => {
        const data = Float64Array.from(rows.flat());
        const X = { data, rows: rows.length, cols: 2 };
        const thresholds = binThresholds(X, maxBins, 0);
        // Values the thresholds were not fitted on too: edges themselves, their neighbours, out of range.
        const probes = thresholds.flatMap((edges) => Array.from(edges).flatMap((e) => [e, e * (1 + 1e-15), e - Math.abs(e) * 1e-15]));
        const extra = Float64Array.from([...probes, -1e300, 1e300, 0].flatMap((v) => [v, v]));
        for (const matrix of [X, { data: extra, rows: extra.length / 2, cols: 2 }]) {
          const binned = binMatrix(matrix, thresholds);
          for (let i = 0; i < matrix.rows; i++) {
            for (let j = 0; j < 2; j++) expect(binned.codes[j * matrix.rows + i]).toBe(referenceCode(matrix.data[i * 2 + j]!, thresholds[j]!));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
