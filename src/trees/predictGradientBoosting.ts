import { InputError } from '../errors.js';
import type { MatrixInput } from '../linalg/denseMatrix.js';
import { treeMatrix } from './binning.js';
import { type GradientBoostingModel, GradientBoostingModelSchema } from './fitGradientBoosting.js';
import { parseWith } from '../internal/validate.js';
import { predictKernel } from './predictKernel.js';
import { type PackedTrees, packTrees } from './treeSchema.js';

/** Rows per block of the prediction pass. */
const ROW_BLOCK = 2048;

/** Options of {@link predictGradientBoosting}. */
export interface PredictGradientBoostingOptions {
  /** `'response'` (default: probabilities for the logistic loss, means for squared) or `'raw'` (log-odds or means). */
  readonly output?: 'response' | 'raw';
}

/**
 * Predictions of a gradient-boosting model: P(y = 1 | x) for the logistic
 * loss, E[y | x] for the squared loss (or the raw sum of the trees with
 * `output: 'raw'`). Missing values (NaN) follow each split's learned side.
 * O(n · trees · depth).
 *
 * @throws InputError as `toDenseMatrix` (NaN allowed); `length_mismatch` when X has another number of columns than the model
 * @example
 * const model = fitGradientBoosting([[0], [1], [2], [3]], [1, 1, 3, 3], { minSamplesLeaf: 1, maxIterations: 1, learningRate: 1 });
 * predictGradientBoosting(model, [[0.5], [2.5]]); // => Float64Array [1, 3]
 */
export function predictGradientBoosting(modelInput: GradientBoostingModel, X: MatrixInput, options: PredictGradientBoostingOptions = {}): Float64Array {
  // A stored or tampered model is checked by its schema before any field is read.
  const model = parseWith(GradientBoostingModelSchema, modelInput, 'model', 'a GradientBoostingModel (from fitGradientBoosting)');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InputError('invalid_option', 'options', 'options must be an object');
  const output = options.output ?? 'response';
  if (output !== 'response' && output !== 'raw') throw new InputError('invalid_option', 'output', `output must be 'response' or 'raw', got ${JSON.stringify(output)}`);
  const matrix = treeMatrix(X);
  const { data, rows, cols } = matrix;
  if (cols !== model.features) throw new InputError('length_mismatch', 'X', `X has ${cols} columns, the model was fitted on ${model.features}`);
  const packed = packTrees(model.trees, 1);
  const out = new Float64Array(rows).fill(model.baseline);
  const kernel = predictKernel(packed, cols, rows);
  if (kernel !== null) kernel.addTrees(data, rows, out);
  else addTrees(packed, data, rows, cols, out);
  if (output === 'response' && model.loss === 'logistic') for (let i = 0; i < rows; i++) out[i] = 1 / (1 + Math.exp(-(out[i] as number)));
  return out;
}

/** out[i] += every tree's leaf value for row i, trees in order: the JavaScript twin of the kernel's walk. */
function addTrees(packed: PackedTrees, data: Float64Array, rows: number, cols: number, out: Float64Array): void {
  const { feature, threshold, missingLeft, left, right, values, roots } = packed;
  // Blocks of rows (a few hundred kB of X), every tree over a block: the block stays in cache
  // across the trees, and X is read from memory once.
  for (let blockStart = 0; blockStart < rows; blockStart += ROW_BLOCK) {
    const blockEnd = Math.min(rows, blockStart + ROW_BLOCK);
    for (let t = 0; t < roots.length; t++) {
      const root = roots[t] as number;
      for (let i = blockStart, base = blockStart * cols; i < blockEnd; i++, base += cols) {
        let node = root;
        let f = feature[node] as number;
        while (f >= 0) {
          const x = data[base + f] as number;
          node = x <= (threshold[node] as number) || (x !== x && missingLeft[node] === 1) ? (left[node] as number) : (right[node] as number);
          f = feature[node] as number;
        }
        out[i] = (out[i] as number) + (values[node] as number);
      }
    }
  }
}
