// Runs in headless Chromium (see simd.test.ts): the SIMD kernels against their
// scalar twins, two fits, and gradient boosting with and without its WebAssembly
// kernels, with the outcome written into the page as JSON.
import { crossProducts } from '../../src/linalg/gram.js';
import { simdKernels } from '../../src/linalg/simd.js';
import { fitLinear } from '../../src/models/fitLinear.js';
import { evaluate } from '../../src/models/fitLogistic.js';
import { fitGradientBoosting } from '../../src/trees/fitGradientBoosting.js';
import { histogramKernel } from '../../src/trees/histogramKernel.js';
import { predictGradientBoosting } from '../../src/trees/predictGradientBoosting.js';

function run(): Record<string, unknown> {
  let state = 12345;
  const next = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
  const n = 1029;
  const p = 7;
  const data = Float64Array.from({ length: n * p }, next);
  const X = { data, rows: n, cols: p };
  const y = Float64Array.from({ length: n }, () => (next() > 0 ? 1 : 0));
  const kernels = simdKernels();
  const scalarGram = crossProducts(X, y, undefined, true, null);
  const simdGram = crossProducts(X, y, undefined, true);
  const theta = Float64Array.from({ length: p + 1 }, next);
  const pass = [null, kernels].map((k) => {
    const gradient = new Float64Array(p + 1);
    const objective = evaluate({ X, y, w: undefined, l2: 1, l1: 0, fitIntercept: true }, theta, gradient, new Float64Array(n), k);
    return [objective, ...gradient];
  });
  const exact = Float64Array.from({ length: n }, (_, i) => 1 + 2 * (data[i * p] as number) - (data[i * p + 3] as number));
  const line = fitLinear(X, exact);
  // Gradient boosting through its WebAssembly kernels, then with WebAssembly hidden (the JavaScript passes).
  const rows = Array.from({ length: 2500 }, () => [next(), next() > 1.5 ? Number.NaN : next(), Math.round(next())]);
  const labels = rows.map(([a, b]) => (a! + (Number.isNaN(b!) ? 1 : b!) + next() > 0 ? 1 : 0));
  const boost = () => {
    const model = fitGradientBoosting(rows, labels, { maxIterations: 12, maxLeaves: 15, minSamplesLeaf: 5 });
    return { model: JSON.stringify(model), predictions: Array.from(predictGradientBoosting(model, rows, { output: 'raw' })) };
  };
  const treesKernel = histogramKernel(10, 2, 1) !== null;
  const withKernels = boost();
  const wasm = globalThis.WebAssembly;
  (globalThis as { WebAssembly?: unknown }).WebAssembly = undefined;
  let withoutKernels: ReturnType<typeof boost>;
  try {
    withoutKernels = boost();
  } finally {
    (globalThis as { WebAssembly?: unknown }).WebAssembly = wasm;
  }
  return {
    treesKernel,
    treesSame: withKernels.model === withoutKernels.model && withKernels.predictions.every((v, i) => Object.is(v, withoutKernels.predictions[i])),
    // The data and the model, for the same fit in Node (NaN as null in JSON).
    treesRows: rows,
    treesLabels: labels,
    treesModel: withKernels.model,
    simd: kernels !== null,
    gramSame: Array.from(scalarGram.products).every((v, i) => Object.is(v, simdGram.products[i])),
    passSame: pass[0]?.every((v, i) => Object.is(v, pass[1]?.[i])) ?? false,
    line: [line.intercept, ...line.coefficients],
  };
}

const out = document.createElement('pre');
out.id = 'result';
try {
  out.textContent = JSON.stringify(run());
} catch (error) {
  out.textContent = JSON.stringify({ error: String(error) });
}
document.body.append(out);
