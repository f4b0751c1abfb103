// Shared by the ESM, CJS and Deno smoke scripts: exercises the built core on a tiny table.
export function check(lib, runtime) {
  const data = lib.parseCsv('arm,spend,ok\r\n"A, first",1.25,TRUE\r\nB,,FALSE\r\n');
  const spend = data.numeric('spend');
  if (data.n !== 2 || spend[0] !== 1.25 || !Number.isNaN(spend[1])) throw new Error(`${runtime}: parseCsv gave wrong values`);
  if (data.categorical('arm').levels.join('|') !== 'A, first|B') throw new Error(`${runtime}: wrong levels`);
  let caught;
  try {
    data.numeric('nope');
  } catch (error) {
    caught = error;
  }
  if (!lib.isInputError(caught) || caught.reason !== 'missing_column') throw new Error(`${runtime}: expected an InputError`);
  if (typeof lib.fitLinear === 'function') checkModels(lib, runtime);
  if (typeof lib.fitGradientBoosting === 'function') checkTrees(lib, runtime);
  return `${runtime}: ok`;
}

// The WebAssembly SIMD kernels (or their scalar twins) in this runtime: an exact line, and a logistic fit's optimality.
function checkModels(lib, runtime) {
  const rows = 40;
  const X = { data: Float64Array.from({ length: rows * 3 }, (_, k) => Math.sin(0.37 * k * k) * 3), rows, cols: 3 };
  const y = Float64Array.from({ length: rows }, (_, i) => 1 + 2 * X.data[i * 3] - X.data[i * 3 + 1] + 0.5 * X.data[i * 3 + 2]);
  const line = lib.fitLinear(X, y);
  const expected = [2, -1, 0.5];
  if (Math.abs(line.intercept - 1) > 1e-12 || line.coefficients.some((b, j) => Math.abs(b - expected[j]) > 1e-12)) throw new Error(`${runtime}: fitLinear missed an exact line`);
  const labels = Float64Array.from({ length: rows }, (_, i) => (X.data[i * 3] + Math.cos(i) > 0 ? 1 : 0));
  const logistic = lib.fitLogistic(X, labels, { l2: 1 });
  if (!logistic.converged || !(logistic.gradientNorm < 1e-8)) throw new Error(`${runtime}: fitLogistic did not converge`);
}

// Gradient boosting through its WebAssembly kernels (or the JavaScript passes) in this runtime: 600 rows whose
// label is x₀ > 0 exactly, one feature missing on a fifth of the rows; the trees must separate them.
function checkTrees(lib, runtime) {
  const rows = Array.from({ length: 600 }, (_, i) => [Math.sin(1.7 * i), i % 5 === 0 ? Number.NaN : Math.cos(0.3 * i), i % 3]);
  const labels = rows.map(([a]) => (a > 0 ? 1 : 0));
  const model = lib.fitGradientBoosting(rows, labels, { maxIterations: 20, maxLeaves: 4, minSamplesLeaf: 5 });
  const p = lib.predictGradientBoosting(model, rows);
  if (!rows.every((_, i) => (p[i] > 0.5) === (labels[i] === 1))) throw new Error(`${runtime}: gradient boosting did not separate x0 > 0`);
  const again = lib.predictGradientBoosting(JSON.parse(JSON.stringify(model)), rows);
  if (!again.every((v, i) => Object.is(v, p[i]))) throw new Error(`${runtime}: a JSON round trip of the boosting model predicts differently`);
}
