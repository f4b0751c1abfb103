import { z } from 'zod';
import { InputError } from '../errors.js';
import type { MatrixInput } from '../linalg/denseMatrix.js';
import { createRandom } from '../internal/random.js';
import { type OptionRules, checkOptions, finiteVector, rules, sameLength, sampleWeights } from '../internal/validate.js';
import { binMatrix, binThresholds, treeMatrix } from './binning.js';
import { PACK, type UpliftRows, type UpliftTreeSettings, growUpliftTree, nodeRates, upliftWorkspace } from './growUpliftTree.js';
import { TreeNodesSchema, treeToJson } from './treeSchema.js';
import type { UpliftCriterion } from './upliftCriteria.js';

export type { UpliftCriterion } from './upliftCriteria.js';

/** Options of {@link fitUpliftTree}. */
export interface UpliftTreeOptions {
  /**
   * Split criterion (docs/trees.md): `'kl'`, `'ed'`, `'chi'`, `'cts'` or
   * `'ddp'`. Default `'kl'` for a 0/1 outcome, `'ed'` (squared difference of
   * arm means) for a continuous one, where `'kl'` and `'chi'` are undefined.
   */
  readonly criterion?: UpliftCriterion;
  /** Largest depth (root at 0). Default 3 for a tree, 5 for a forest (CausalML's defaults). */
  readonly maxDepth?: number;
  /** Fewest rows in a leaf. Default 100. */
  readonly minSamplesLeaf?: number;
  /** Fewest rows of each arm in a leaf. Default 10. */
  readonly minSamplesTreatment?: number;
  /** Weight, in rows, of the parent's rate in a child's regularised rate. Default 100 for a tree, 10 for a forest (CausalML). */
  readonly nReg?: number;
  /** Divide the KL, ED and Chi gains by CausalML's normalisation factor. Default true. */
  readonly normalization?: boolean;
  /** Split on one random half of the rows and estimate the leaves' rates on the other. Default false. */
  readonly honest?: boolean;
  /** Features drawn for each node's split search. Default: all for a tree, 10 for a forest. */
  readonly maxFeatures?: number;
  /** Most bins per feature, 2 … 255. Default 255. */
  readonly maxBins?: number;
  /** The control arm's label in `treatment`. Default 0. */
  readonly control?: number | string;
  readonly sampleWeight?: ArrayLike<number>;
  /** Seed of the honest split, feature draws and bootstrap. Default 0. */
  readonly seed?: number;
}

/** Options of {@link fitUpliftForest}: those of a tree and the number of trees. */
export interface UpliftForestOptions extends UpliftTreeOptions {
  /** Trees, each on a bootstrap sample (integer weights, no copied rows). Default 10. */
  readonly nEstimators?: number;
}

const TREE_RULES: OptionRules<UpliftTreeOptions> = {
  criterion: rules.oneOf(['kl', 'ed', 'chi', 'cts', 'ddp']),
  maxDepth: rules.integer({ min: 1, max: 30 }),
  minSamplesLeaf: rules.integer({ min: 1 }),
  minSamplesTreatment: rules.integer({ min: 0 }),
  nReg: rules.number({ min: 0 }),
  normalization: rules.boolean(),
  honest: rules.boolean(),
  maxFeatures: rules.integer({ min: 1 }),
  maxBins: rules.integer({ min: 2, max: 255 }),
  control: rules.either(rules.number(), rules.string()),
  sampleWeight: rules.vector(),
  seed: rules.integer({ min: 0, max: 0xffffffff }),
};
const FOREST_RULES: OptionRules<UpliftForestOptions> = { ...TREE_RULES, nEstimators: rules.integer({ min: 1, max: 10_000 }) };

const shape = {
  /** The control arm's label. */
  control: z.string(),
  /** The treated arms' labels, in order of first appearance; `values` hold control's rate first, then theirs. */
  arms: z.array(z.object({ arm: z.string() }).readonly()).min(1),
  features: z.number().int().positive(),
  criterion: z.enum(['kl', 'ed', 'chi', 'cts', 'ddp']),
  outcome: z.enum(['binary', 'continuous']),
  honest: z.boolean(),
  /** Per node, the regularised outcome rate (mean) of each arm, control first. */
  trees: z.array(TreeNodesSchema).min(1),
  /** Split-gain importance: each feature's share of the count-weighted gains of its splits (CausalML's `gain_for_imp`, summed over trees). */
  featureImportance: z.array(z.number()),
};

function checkShape(model: { arms: readonly unknown[]; features: number; trees: readonly z.infer<typeof TreeNodesSchema>[]; featureImportance: readonly number[] }, context: z.RefinementCtx): void {
  const per = model.arms.length + 1;
  if (model.featureImportance.length !== model.features) context.addIssue({ code: 'custom', path: ['featureImportance'], message: 'one importance per feature' });
  model.trees.forEach((tree, t) => {
    if (tree.values.length !== tree.feature.length * per) context.addIssue({ code: 'custom', path: ['trees', t, 'values'], message: `${per} values per node` });
    for (const f of tree.feature) if (f >= model.features) context.addIssue({ code: 'custom', path: ['trees', t, 'feature'], message: `feature ${f} beyond the model's ${model.features}` });
  });
}

export const UpliftTreeModelSchema = z.object({ kind: z.literal('uplift_tree'), ...shape }).readonly().superRefine(checkShape);
export type UpliftTreeModel = z.infer<typeof UpliftTreeModelSchema>;
export const UpliftForestModelSchema = z.object({ kind: z.literal('uplift_forest'), ...shape }).readonly().superRefine(checkShape);
export type UpliftForestModel = z.infer<typeof UpliftForestModelSchema>;

/**
 * An uplift tree (Rzepakowski & Jaroszewicz 2012), as CausalML's
 * `UpliftTreeClassifier`: each split maximises the criterion's gain between
 * the arms' outcome distributions in the children, rates regularised toward
 * the parent's with `nReg`; a leaf predicts each arm's regularised rate, and
 * the uplift of arm k is its rate minus control's. Candidate thresholds are
 * every boundary of the histogram bins (CausalML tries 11 percentiles).
 * Several treatment arms, 0/1 or continuous outcomes, sample weights,
 * missing values (to the side that gains more), honest estimation.
 * O(n · p · depth).
 *
 * @param X - n × p features; NaN marks a missing value
 * @param y - outcomes: 0/1 or real
 * @param treatment - arm labels; rows labelled `control` are the control arm
 * @throws InputError `empty`, `length_mismatch`, `not_finite`, `not_binary` (kl or chi on a continuous outcome), `single_class` (no control or no treated row), `out_of_range`, `invalid_option`
 * @example
 * const X = [[0], [0], [0], [0], [1], [1], [1], [1]];
 * const tree = fitUpliftTree(X, [0, 1, 0, 1, 0, 0, 1, 1], [0, 0, 1, 1, 0, 0, 1, 1], { criterion: 'ed', minSamplesLeaf: 1, minSamplesTreatment: 1, nReg: 0 });
 * predictUpliftTree(tree, [[0], [1]]); // => Float64Array [0, 1]
 */
export function fitUpliftTree(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: UpliftTreeOptions = {}): UpliftTreeModel {
  checkOptions<UpliftTreeOptions>(options, TREE_RULES, 'fitUpliftTree options');
  return fitForest('uplift_tree', X, y, treatment, options, 1) as UpliftTreeModel;
}

/**
 * An uplift random forest (Guelman et al. 2015), as CausalML's
 * `UpliftRandomForestClassifier`: `nEstimators` uplift trees (see
 * {@link fitUpliftTree}), each on a bootstrap sample drawn as integer
 * weights on the rows (no row is copied) and `maxFeatures` features drawn
 * at each node; the forest's rates are the trees' mean. The binned codes
 * (n · p bytes) are the only copy of X.
 *
 * @throws InputError as {@link fitUpliftTree}
 */
export function fitUpliftForest(X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: UpliftForestOptions = {}): UpliftForestModel {
  checkOptions<UpliftForestOptions>(options, FOREST_RULES, 'fitUpliftForest options');
  return fitForest('uplift_forest', X, y, treatment, options, options.nEstimators ?? 10) as UpliftForestModel;
}

/** Treatment labels → arm per row (0 control, 1 … K treated in order of first appearance). @internal */
export function armCodes(treatment: ArrayLike<number | string>, n: number, control: number | string): { codes: Uint8Array; names: string[] } {
  if (treatment === null || typeof treatment !== 'object' || typeof treatment.length !== 'number') {
    throw new InputError('wrong_type', 'treatment', 'treatment must be an array of arm labels');
  }
  sameLength('treatment', treatment, n, 'X');
  const controlLabel = String(control);
  const index = new Map<string, number>();
  const names: string[] = [];
  const codes = new Uint8Array(n);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const value = treatment[i];
    if ((typeof value !== 'number' && typeof value !== 'string') || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new InputError('not_finite', 'treatment', `treatment must be a finite number or a string, got ${String(value)} at row ${i}`, i);
    }
    const label = String(value);
    if (label === controlLabel) {
      controls++;
      continue;
    }
    let code = index.get(label);
    if (code === undefined) {
      if (names.length === 254) throw new InputError('out_of_range', 'treatment', 'treatment has more than 254 treated arms');
      names.push(label);
      code = names.length;
      index.set(label, code);
    }
    codes[i] = code;
  }
  if (controls === 0) throw new InputError('single_class', 'treatment', `no row has the control label ${JSON.stringify(control)}`);
  if (names.length === 0) throw new InputError('single_class', 'treatment', 'every row is control: uplift needs treated rows');
  return { codes, names };
}

function fitForest(kind: 'uplift_tree' | 'uplift_forest', X: MatrixInput, y: ArrayLike<number>, treatment: ArrayLike<number | string>, options: UpliftForestOptions, trees: number) {
  const forest = kind === 'uplift_forest';
  const matrix = treeMatrix(X);
  const n = matrix.rows;
  const outcome = finiteVector('y', y);
  sameLength('y', outcome, n, 'X');
  const weights = sampleWeights(options.sampleWeight, n, 'X');
  const control = options.control ?? 0;
  const { codes: arm, names } = armCodes(treatment, n, control);
  const arms = names.length + 1;
  const binary = outcome.every((v) => v === 0 || v === 1);
  const criterion = options.criterion ?? (binary ? 'kl' : 'ed');
  if (!binary && (criterion === 'kl' || criterion === 'chi')) {
    throw new InputError('not_binary', 'y', `criterion '${criterion}' needs a 0/1 outcome; use 'ed', 'cts' or 'ddp' for a continuous one`);
  }
  const settings: UpliftTreeSettings = {
    criterion,
    continuous: !binary,
    maxDepth: options.maxDepth ?? (forest ? 5 : 3),
    minSamplesLeaf: options.minSamplesLeaf ?? 100,
    minSamplesTreatment: options.minSamplesTreatment ?? 10,
    nReg: options.nReg ?? (forest ? 10 : 100),
    normalization: options.normalization ?? true,
    maxFeatures: options.maxFeatures ?? (forest ? 10 : matrix.cols),
  };
  const honest = options.honest ?? false;
  const seed = options.seed ?? 0;
  const random = createRandom(seed);
  const binned = binMatrix(matrix, binThresholds(matrix, options.maxBins ?? 255, seed));
  const perArm = weights === undefined ? 2 : 3;
  // One packed number per histogram cell when every count and outcome sum is an integer (see UpliftRows).
  const packed = perArm === 2 && binary && n < PACK;
  const workspace = upliftWorkspace(binned, arms, perArm, packed, settings.maxDepth);
  // Multiplicities: bootstrap counts stay far below 65,536.
  const count = new Uint16Array(n);
  const weight = new Float64Array(n);
  const data: UpliftRows = { arm, y: outcome, count, weight, arms, perArm, packed };
  const estimate = honest ? new Uint8Array(n) : undefined;
  const fitted: z.infer<typeof TreeNodesSchema>[] = [];
  const importance = new Float64Array(matrix.cols);
  for (let t = 0; t < trees; t++) {
    // Multiplicities: a bootstrap sample's counts for a forest, ones for a tree.
    if (forest) {
      count.fill(0);
      for (let k = 0; k < n; k++) {
        const i = Math.floor(random() * n);
        count[i] = (count[i] as number) + 1;
      }
    } else {
      count.fill(1);
    }
    if (estimate !== undefined) for (let i = 0; i < n; i++) estimate[i] = count[i] !== 0 && random() < 0.5 ? 1 : 0;
    let rows = 0;
    for (let i = 0; i < n; i++) {
      const c = count[i] as number;
      weight[i] = weights === undefined ? c : c * (weights[i] as number);
      if (c > 0 && (estimate === undefined || estimate[i] === 0)) workspace.rows[rows++] = i;
    }
    if (rows === 0) throw new InputError('empty', 'X', 'no row left to grow a tree on');
    const { tree, values } = growUpliftTree(workspace, data, rows, settings, random, importance);
    if (estimate !== undefined) honestRates(tree, values, binned.codes, binned.rows, data, estimate, settings);
    fitted.push(treeToJson(tree, values, arms));
  }
  return {
    kind,
    control: String(control),
    arms: names.map((name) => ({ arm: name })),
    features: matrix.cols,
    criterion,
    outcome: binary ? ('binary' as const) : ('continuous' as const),
    honest,
    trees: fitted,
    featureImportance: shares(importance),
  };
}

/** Each entry's share of the total (zeros when the total is not positive). */
function shares(values: Float64Array): number[] {
  let total = 0;
  for (const v of values) total += v;
  return Array.from(values, (v) => (total > 0 ? v / total : 0));
}

/**
 * Honest estimation: every node's rates re-estimated from the held-out rows
 * that reach it, regularised toward its parent's as in growth.
 */
function honestRates(
  tree: ReturnType<typeof growUpliftTree>['tree'],
  values: Float64Array,
  codes: Uint8Array,
  rows: number,
  data: UpliftRows,
  estimate: Uint8Array,
  settings: UpliftTreeSettings,
): void {
  const { arms, perArm } = data;
  const channels = perArm * arms;
  const sums = new Float64Array(tree.size * channels);
  for (let i = 0; i < estimate.length; i++) {
    if (estimate[i] === 0) continue;
    const a = (data.arm[i] as number) * perArm;
    const c = data.count[i] as number;
    const w = data.weight[i] as number;
    const wy = w * (data.y[i] as number);
    let node = 0;
    for (;;) {
      const at = node * channels + a;
      sums[at] = (sums[at] as number) + c;
      if (perArm === 3) sums[at + 1] = (sums[at + 1] as number) + w;
      sums[at + perArm - 1] = (sums[at + perArm - 1] as number) + wy;
      const feature = tree.feature[node] as number;
      if (feature < 0) break;
      const code = codes[feature * rows + i] as number;
      node = (code === 255 ? tree.missingLeft[node] === 1 : code <= (tree.bin[node] as number)) ? (tree.left[node] as number) : (tree.right[node] as number);
    }
  }
  // Parents precede children: one pass in node order.
  const parent = new Int32Array(tree.size).fill(-1);
  for (let node = 0; node < tree.size; node++) {
    if ((tree.feature[node] as number) >= 0) {
      parent[tree.left[node] as number] = node;
      parent[tree.right[node] as number] = node;
    }
  }
  for (let node = 0; node < tree.size; node++) {
    const up = parent[node] as number;
    nodeRates(
      values.subarray(node * arms, node * arms + arms),
      sums.subarray(node * channels, node * channels + channels),
      up < 0 ? undefined : values.subarray(up * arms, up * arms + arms),
      arms,
      perArm,
      settings.nReg,
      settings.minSamplesTreatment,
    );
  }
}
