import { z } from 'zod';
import { ALMOST_INFINITE } from './binning.js';
import type { TreeArrays } from './histogram.js';

function finiteNumber(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * An array whose every entry passes `test`, checked by one loop: a model of
 * a hundred trees holds some 50,000 entries, and a schema per entry made
 * checking it cost more than a hundred thousand predictions. The issue
 * names the first bad entry.
 */
function arrayOf<T>(what: string, test: (x: unknown) => boolean) {
  return z.custom<T[]>().superRefine((value, context) => {
    if (!Array.isArray(value)) {
      context.addIssue({ code: 'custom', message: `expected an array of ${what}` });
      return;
    }
    for (let k = 0; k < value.length; k++) {
      if (!test(value[k])) {
        context.addIssue({ code: 'custom', path: [k], message: `expected ${what}, got ${JSON.stringify(value[k]) ?? String(value[k])}` });
        return;
      }
    }
  });
}

/**
 * One fitted tree as plain arrays, node 0 the root. Node k is a leaf when
 * `feature[k]` is −1; otherwise a row goes to `left[k]` when its value of
 * that feature is ≤ `threshold[k]` (or is missing and `missingLeft[k]`),
 * else to `right[k]`. Children come after their parent, so every walk ends.
 * `values` holds `valuesPerNode` numbers per node (a leaf's prediction(s)).
 */
export const TreeNodesSchema = z
  .object({
    feature: arrayOf<number>('whole numbers ≥ −1', (x) => typeof x === 'number' && Number.isInteger(x) && x >= -1),
    threshold: arrayOf<number>('finite numbers', finiteNumber),
    missingLeft: arrayOf<boolean>('booleans', (x) => typeof x === 'boolean'),
    left: arrayOf<number>('whole numbers', (x) => typeof x === 'number' && Number.isInteger(x)),
    right: arrayOf<number>('whole numbers', (x) => typeof x === 'number' && Number.isInteger(x)),
    /** Split gain at internal nodes (0 at leaves). */
    gain: arrayOf<number>('finite numbers', finiteNumber),
    /** Training rows (weights) at each node. */
    count: arrayOf<number>('finite numbers', finiteNumber),
    values: arrayOf<number>('finite numbers', finiteNumber),
  })
  .readonly()
  .superRefine((tree, context) => {
    const size = tree.feature.length;
    if (size === 0) context.addIssue({ code: 'custom', message: 'a tree has at least its root' });
    for (const key of ['threshold', 'missingLeft', 'left', 'right', 'gain', 'count'] as const) {
      if (tree[key].length !== size) context.addIssue({ code: 'custom', path: [key], message: `${key} has ${tree[key].length} entries, feature has ${size}` });
    }
    if (size === 0 || tree.values.length % size !== 0) context.addIssue({ code: 'custom', path: ['values'], message: 'values must hold the same number of entries per node' });
    for (let node = 0; node < size; node++) {
      if (tree.feature[node] === -1) continue;
      const left = tree.left[node] as number;
      const right = tree.right[node] as number;
      if (!(left > node && left < size && right > node && right < size)) {
        context.addIssue({ code: 'custom', path: ['left', node], message: `node ${node}'s children must come after it, within the tree` });
        return;
      }
    }
  });
export type TreeNodes = z.infer<typeof TreeNodesSchema>;

/** The JSON form of a grown tree with `per` values per node taken from `values`. @internal */
export function treeToJson(tree: TreeArrays, values: Float64Array, per: number): TreeNodes {
  const size = tree.size;
  const out = {
    feature: Array.from(tree.feature.subarray(0, size)),
    threshold: Array.from(tree.threshold.subarray(0, size), (t) => (t === Infinity ? ALMOST_INFINITE : t)),
    missingLeft: Array.from(tree.missingLeft.subarray(0, size), (m) => m === 1),
    left: Array.from(tree.left.subarray(0, size)),
    right: Array.from(tree.right.subarray(0, size)),
    gain: Array.from(tree.gain.subarray(0, size)),
    count: Array.from(tree.count.subarray(0, size)),
    values: Array.from(values.subarray(0, size * per)),
  };
  for (let node = 0; node < size; node++) {
    if ((out.feature[node] as number) < 0) {
      out.left[node] = -1;
      out.right[node] = -1;
    }
  }
  return out;
}

/** Many trees packed in typed arrays for prediction: node k of tree t at offsets[t] + k, children as absolute indices. @internal */
export interface PackedTrees {
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly values: Float64Array;
  readonly per: number;
}

/** Packs trees for prediction. @internal */
export function packTrees(trees: readonly TreeNodes[], per: number): PackedTrees {
  let total = 0;
  for (const tree of trees) total += tree.feature.length;
  const packed: PackedTrees = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    missingLeft: new Uint8Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    values: new Float64Array(total * per),
    per,
  };
  let at = 0;
  trees.forEach((tree, t) => {
    packed.roots[t] = at;
    for (let k = 0; k < tree.feature.length; k++) {
      packed.feature[at + k] = tree.feature[k] as number;
      packed.threshold[at + k] = tree.threshold[k] as number;
      packed.missingLeft[at + k] = tree.missingLeft[k] === true ? 1 : 0;
      packed.left[at + k] = at + (tree.left[k] as number);
      packed.right[at + k] = at + (tree.right[k] as number);
    }
    packed.values.set(tree.values, at * per);
    at += tree.feature.length;
  });
  return packed;
}

/** The leaf (absolute index) that row `base / cols` of X reaches in the tree rooted at `root`. @internal */
export function leafOf(packed: PackedTrees, root: number, data: Float64Array, base: number): number {
  const { feature, threshold, missingLeft, left, right } = packed;
  let node = root;
  let f = feature[node] as number;
  while (f >= 0) {
    const x = data[base + f] as number;
    node = x <= (threshold[node] as number) || (x !== x && missingLeft[node] === 1) ? (left[node] as number) : (right[node] as number);
    f = feature[node] as number;
  }
  return node;
}
