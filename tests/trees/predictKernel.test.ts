import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitGradientBoosting, predictGradientBoosting } from 'promolens/trees';
import { predictModule } from '../../src/trees/predictKernel.js';

// The WebAssembly walk must give the JavaScript walk's sums bit for bit (every tree's leaf
// value added in tree order), over blocks cut short, groups of eight cut short, blocks with and without missing values, missing values
// on either side, and single-leaf trees.
describe('the prediction kernel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('assembles a valid module under the 4 kB that browsers compile synchronously', () => {
    expect(WebAssembly.validate(predictModule())).toBe(true);
    expect(predictModule().length).toBeLessThan(4096);
  });

  it("gives the JavaScript walk's predictions bit for bit", () => {
    let state = 11;
    const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const row = () => [next(), next() < 0.2 ? Number.NaN : next(), Math.floor(next() * 5), next() < 0.5 ? Number.NaN : next()];
    const X = Array.from({ length: 3000 }, row);
    const y = X.map(([a, b]) => (next() < 0.2 + 0.5 * a! + (Number.isNaN(b!) ? 0.2 : 0) ? 1 : 0));
    const model = fitGradientBoosting(X, y, { maxIterations: 20, maxLeaves: 15, minSamplesLeaf: 5 });
    // A stump that never split: a single leaf.
    const withLeaf = { ...model, trees: [...model.trees, { ...model.trees[0]!, feature: [-1], threshold: [0], missingLeft: [false], left: [-1], right: [-1], gain: [0], count: [1], values: [0.25] }] };
    const Xnew = Array.from({ length: 4103 }, row);
    // Blocks without a missing value run the kernel's finite twin; here one block of the three has a NaN.
    const mostlyFinite = Xnew.map((r, i) => (i === 1100 ? [r[0]!, Number.NaN, r[2]!, Number.NaN] : r.map((v) => (Number.isNaN(v) ? 0.5 : v))));
    const kernel = [predictGradientBoosting(withLeaf, Xnew, { output: 'raw' }), predictGradientBoosting(model, Xnew.slice(0, 7)), predictGradientBoosting(withLeaf, mostlyFinite, { output: 'raw' })];
    vi.stubGlobal('WebAssembly', undefined);
    expect(predictGradientBoosting(withLeaf, Xnew, { output: 'raw' })).toEqual(kernel[0]);
    expect(predictGradientBoosting(model, Xnew.slice(0, 7))).toEqual(kernel[1]);
    expect(predictGradientBoosting(withLeaf, mostlyFinite, { output: 'raw' })).toEqual(kernel[2]);
  });
});
