import { InputError } from '../errors.js';
import type { MatrixInput } from '../linalg/denseMatrix.js';
import { checkOptions, rules } from '../internal/validate.js';
import { treeMatrix } from './binning.js';
import { type UpliftForestModel, UpliftForestModelSchema, type UpliftTreeModel, UpliftTreeModelSchema } from './fitUpliftForest.js';
import { leafOf, packTrees } from './treeSchema.js';

/**
 * Predicted uplift of every treated arm against control (one Float64Array
 * per arm, in `model.arms` order): the trees' mean rate of the arm minus
 * their mean rate of control, at the leaf each row reaches.
 * O(n · trees · depth).
 *
 * @throws InputError `incompatible` (a malformed model); as `toDenseMatrix` (NaN allowed); `length_mismatch` (wrong column count)
 */
export function predictUpliftTreesByArm(model: UpliftTreeModel | UpliftForestModel, X: MatrixInput): Float64Array[] {
  checkTreeModel(model);
  return predictChecked(model, X);
}

/** Throws `incompatible` unless the model is an uplift tree or forest its prediction can read (by its schema). */
function checkTreeModel(model: unknown): asserts model is UpliftTreeModel | UpliftForestModel {
  const schema = (model as { kind?: unknown } | null)?.kind === 'uplift_forest' ? UpliftForestModelSchema : UpliftTreeModelSchema;
  const parsed = schema.safeParse(model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError('incompatible', 'model', `the uplift tree model does not hold what its prediction reads: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
}

function predictChecked(model: UpliftTreeModel | UpliftForestModel, X: MatrixInput): Float64Array[] {
  const matrix = treeMatrix(X);
  const { data, rows, cols } = matrix;
  if (cols !== model.features) throw new InputError('length_mismatch', 'X', `X has ${cols} columns, the model was fitted on ${model.features}`);
  const per = model.arms.length + 1;
  const packed = packTrees(model.trees, per);
  const sums = new Float64Array(rows * per);
  // Blocks of rows, every tree over a block: X is read from memory once.
  for (let blockStart = 0; blockStart < rows; blockStart += 2048) {
    const blockEnd = Math.min(rows, blockStart + 2048);
    for (let t = 0; t < packed.roots.length; t++) {
      const root = packed.roots[t] as number;
      for (let i = blockStart; i < blockEnd; i++) {
        const leaf = leafOf(packed, root, data, i * cols) * per;
        for (let k = 0; k < per; k++) sums[i * per + k] = (sums[i * per + k] as number) + (packed.values[leaf + k] as number);
      }
    }
  }
  const trees = packed.roots.length;
  return model.arms.map((_, a) => {
    const uplift = new Float64Array(rows);
    for (let i = 0; i < rows; i++) uplift[i] = ((sums[i * per + a + 1] as number) - (sums[i * per] as number)) / trees;
    return uplift;
  });
}

const PREDICT_RULES = { arm: rules.string(true) } as const;

function oneArm(model: UpliftTreeModel | UpliftForestModel, X: MatrixInput, options: { readonly arm?: string }): Float64Array {
  checkTreeModel(model);
  const { arm } = checkOptions(options, PREDICT_RULES);
  const names = model.arms.map((a) => a.arm);
  const name = arm ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) throw new InputError('invalid_option', 'arm', `the model has arms ${names.join(', ')}; name one`);
  const index = names.indexOf(name);
  if (index < 0) throw new InputError('invalid_option', 'arm', `no arm '${name}'; arms are ${names.join(', ')}`);
  return predictChecked(model, X)[index] as Float64Array;
}

/**
 * Predicted uplift of one treated arm (the only one by default) of an uplift tree.
 * @throws InputError as {@link predictUpliftTreesByArm}; `invalid_option` for an unknown arm, or none named on a multi-arm model
 */
export function predictUpliftTree(model: UpliftTreeModel, X: MatrixInput, options: { readonly arm?: string } = {}): Float64Array {
  return oneArm(model, X, options);
}

/**
 * Predicted uplift of one treated arm (the only one by default) of an uplift forest.
 * @throws InputError as {@link predictUpliftTree}
 */
export function predictUpliftForest(model: UpliftForestModel, X: MatrixInput, options: { readonly arm?: string } = {}): Float64Array {
  return oneArm(model, X, options);
}
