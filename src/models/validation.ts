import { InputError } from '../errors.js';
import { createRandom } from '../internal/random.js';
import { type MatrixInput, takeRows, takeValues, toDenseMatrix } from '../linalg/denseMatrix.js';
import { checkOptions, checkScalar, finiteVector, rules, sameLength } from '../internal/validate.js';
import type { Learner } from './learner.js';

/** Row indices of one split. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export interface SplitOptions {
  /** Seed of the shuffle: the same seed gives the same split on every runtime. Default 0. */
  readonly seed?: number;
  /** Labels to stratify on: each class is spread over the parts in proportion. */
  readonly stratify?: ArrayLike<number>;
}

/**
 * The most rows a split accepts: its index arrays (Int32Array, several per
 * split) must fit in memory; beyond this they would need gigabytes.
 */
export const MAX_SPLIT_ROWS = 2 ** 28;

function splitRules() {
  return { seed: rules.integer(), stratify: rules.vector() };
}

/** The number of rows of a split: an integer in [2, MAX_SPLIT_ROWS]. */
function checkRows(n: number): number {
  return checkScalar('n', n, rules.integer({ min: 2, max: MAX_SPLIT_ROWS }));
}

/** Labels below this, whole and non-negative (0/1 treatment, arm codes), find their class by table. */
const SMALL_LABELS = 1024;

/** Row order shuffled (Fisher–Yates), class by class when stratifying, each class then dealt out in turn. */
function dealOrder(n: number, options: SplitOptions): Int32Array {
  const random = createRandom(options.seed ?? 0);
  const shuffle = <T extends { length: number; [index: number]: number }>(indices: T): T => {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = indices[i] as number;
      indices[i] = indices[j] as number;
      indices[j] = t;
    }
    return indices;
  };
  if (options.stratify === undefined) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return shuffle(order);
  }
  const labels = finiteVector('stratify', options.stratify);
  sameLength('stratify', labels, n, 'the rows');
  // Each row's class (labels in ascending order): small whole labels by table, others by map.
  const small = new Int32Array(SMALL_LABELS).fill(-1);
  const other = new Map<number, number>();
  const found: number[] = [];
  const classOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    const isSmall = label >= 0 && label < SMALL_LABELS && Math.floor(label) === label;
    let c = isSmall ? (small[label] as number) : (other.get(label) ?? -1);
    if (c < 0) {
      c = found.push(label) - 1;
      if (isSmall) small[label] = c;
      else other.set(label, c);
    }
    classOf[i] = c;
  }
  const rank = found.map((_, c) => c).sort((a, b) => (found[a] as number) - (found[b] as number));
  // Classes laid out in ascending label order, each's rows in row order, then each shuffled in place:
  // the same draws, in the same order, as shuffling each class's list of rows.
  const size = new Int32Array(found.length);
  for (let i = 0; i < n; i++) size[classOf[i] as number]!++;
  const start = new Int32Array(found.length);
  for (let k = 0, at = 0; k < rank.length; k++) {
    start[rank[k] as number] = at;
    at += size[rank[k] as number] as number;
  }
  const order = new Int32Array(n);
  const fill = Int32Array.from(start);
  for (let i = 0; i < n; i++) order[fill[classOf[i] as number]!++] = i;
  for (const c of rank) shuffle(order.subarray(start[c] as number, (start[c] as number) + (size[c] as number)));
  return order;
}

/**
 * k-fold splits of n rows: a seeded shuffle (stratified by `stratify` when
 * given) dealt out in turn, so fold sizes differ by at most one and every
 * row is tested exactly once. O(n).
 *
 * @throws InputError `invalid_option` (k < 2, k > n, k·n > 2^28, or a bad option), `out_of_range`
 *   (n not an integer in [2, 2^28]), `length_mismatch`
 * @example
 * kFold(10, 5, { seed: 1 }).map((fold) => fold.test.length); // => [2, 2, 2, 2, 2]
 */
export function kFold(n: number, k: number, options: SplitOptions = {}): Split[] {
  checkRows(n);
  checkOptions(options, splitRules());
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2 || k > n) throw new InputError('invalid_option', 'k', `k must be an integer in [2, ${n}], got ${String(k)}`);
  // The k splits hold k·n row indices between them: bound the memory and the time.
  if (k * n > MAX_SPLIT_ROWS) {
    throw new InputError('invalid_option', 'k', `${k} folds of ${n} rows need ${k * n} row indices, more than the ${MAX_SPLIT_ROWS} supported; use fewer folds`);
  }
  const order = dealOrder(n, options);
  const foldOf = new Int32Array(n);
  order.forEach((row, position) => {
    foldOf[row] = position % k;
  });
  return Array.from({ length: k }, (_, fold) => {
    let size = 0;
    for (let i = 0; i < n; i++) if (foldOf[i] === fold) size++;
    const test = new Int32Array(size);
    const train = new Int32Array(n - size);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (foldOf[i] === fold) test[a++] = i;
      else train[b++] = i;
    }
    return { train, test };
  });
}

/**
 * One seeded train/test split: ⌈testShare·n⌉ test rows (per class when
 * stratifying), the rest for training, both in row order.
 *
 * @throws InputError `invalid_option` (testShare outside (0, 1), or a part would be empty)
 * @example
 * trainTestSplit(8, { testShare: 0.25, seed: 3 }).test.length; // => 2
 */
export function trainTestSplit(n: number, options: SplitOptions & { readonly testShare?: number } = {}): Split {
  checkRows(n);
  checkOptions(options, { ...splitRules(), testShare: rules.fraction() });
  const share = options.testShare ?? 0.25;
  if (!(share > 0 && share < 1)) throw new InputError('invalid_option', 'testShare', `testShare must be in (0, 1), got ${share}`);
  const testSize = Math.ceil(share * n);
  if (testSize >= n) throw new InputError('invalid_option', 'testShare', `a test share of ${share} leaves no training rows out of ${n}`);
  const order = dealOrder(n, options);
  const isTest = new Uint8Array(n);
  if (options.stratify === undefined) {
    for (let k = 0; k < testSize; k++) isTest[order[k] as number] = 1;
  } else {
    // Every ⌈1/share⌉-th dealt row, which spreads the test rows over the classes in proportion.
    let taken = 0;
    for (let k = 0; k < n && taken < testSize; k++) {
      if (Math.floor((k + 1) * share) > Math.floor(k * share) || n - k <= testSize - taken) {
        isTest[order[k] as number] = 1;
        taken++;
      }
    }
  }
  const test = new Int32Array(testSize);
  const train = new Int32Array(n - testSize);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isTest[i]) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}

export interface CrossValidateOptions {
  /** Default 5. */
  readonly folds?: number;
  readonly seed?: number;
  /** Stratify the folds by y (for 0/1 outcomes). Default false. */
  readonly stratify?: boolean;
  /** Scores held-out predictions; e.g. `rocAuc` or `meanSquaredError`. */
  readonly metric: (yTrue: Float64Array, prediction: Float64Array) => number;
}

/**
 * k-fold cross-validation: fit the learner on each training part, score
 * its predictions on the held-out part. The learner never sees the rows it
 * is scored on.
 *
 * @throws InputError as `kFold`, `toDenseMatrix`, and whatever the learner or metric throws
 * @example
 * const result = crossValidate(linearLearner(), [[1], [2], [3], [4], [5], [6]], [2, 4, 6, 8, 10, 12], { folds: 3, metric: (a, b) => Math.abs(a[0] - b[0]) });
 * result.scores.length; // => 3
 */
export function crossValidate(learner: Learner, X: MatrixInput, y: ArrayLike<number>, options: CrossValidateOptions) {
  if (learner === null || typeof learner !== 'object' || typeof learner.fit !== 'function' || typeof learner.predict !== 'function') {
    throw new InputError('wrong_type', 'learner', 'learner must be a Learner { name, fit, predict } (e.g. linearLearner())');
  }
  if (options === null || typeof options !== 'object' || typeof (options as { metric?: unknown }).metric !== 'function') {
    throw new InputError('invalid_option', 'metric', 'crossValidate needs options.metric, a function (yTrue, prediction) => number (e.g. rocAuc)');
  }
  checkOptions(options, { folds: rules.integer({ min: 2 }), seed: rules.integer(), stratify: rules.boolean(), metric: rules.func() });
  const matrix = toDenseMatrix(X);
  const target = finiteVector('y', y);
  sameLength('y', target, matrix.rows, 'X');
  const folds = kFold(matrix.rows, options.folds ?? 5, { seed: options.seed ?? 0, ...(options.stratify ? { stratify: target } : {}) });
  const scores = folds.map(({ train, test }) => {
    const model = learner.fit(takeRows(matrix, train), takeValues(target, train));
    return options.metric(takeValues(target, test), learner.predict(model, takeRows(matrix, test)));
  });
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length - 1);
  return { kind: 'cross_validation' as const, learner: learner.name, scores, mean, standardDeviation: Math.sqrt(variance) };
}
