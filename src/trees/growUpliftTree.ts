import { BIN_STRIDE, type BinnedMatrix, MISSING_BIN } from './binning.js';
import { type TreeArrays, addNode, allocateTree, partitionRows, setSplit, subtractHistogram } from './histogram.js';
import { type UpliftCriterion, divergence, normalisation, splitGain, splitImportance } from './upliftCriteria.js';

/** Settings of one uplift tree. @internal */
export interface UpliftTreeSettings {
  readonly criterion: UpliftCriterion;
  readonly continuous: boolean;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly minSamplesTreatment: number;
  readonly nReg: number;
  readonly normalization: boolean;
  /** Features drawn (without replacement) for each node's split search. */
  readonly maxFeatures: number;
}

/**
 * The rows of one fit: arm per row (0 control), outcome, and per row its
 * multiplicity (a bootstrap count, 0 for rows left out) and weight
 * (multiplicity × sample weight). @internal
 */
export interface UpliftRows {
  readonly arm: Uint8Array;
  readonly y: Float64Array;
  readonly count: Uint16Array;
  readonly weight: Float64Array;
  readonly arms: number;
  /**
   * Sums per arm: 3 (count, weight, weighted outcome) with sample weights,
   * 2 (count, outcome sum) without, where the weight is the count.
   */
  readonly perArm: 2 | 3;
  /**
   * Histograms hold one number per (feature, bin, arm): count + 2²⁶ · outcome
   * sum, both integers (a 0/1 outcome, no sample weights, fewer than 2²⁶
   * rows), so a row adds one number per feature rather than two. Every such
   * sum is an integer below 2⁵³, so the packing, the subtraction of
   * histograms and the unpacking are exact.
   */
  readonly packed: boolean;
}

/** The multiplier of the outcome sum in a packed histogram cell. @internal */
export const PACK = 2 ** 26;

/** Scratch of the trees of one fit: the split search allocates nothing, per row or per node. @internal */
export interface UpliftWorkspace {
  readonly binned: BinnedMatrix;
  readonly rows: Int32Array;
  readonly scratch: Int32Array;
  readonly pool: Float64Array[];
  /** A packed histogram unpacked into `channels` sums per (feature, bin). */
  readonly unpacked: Float64Array | undefined;
  readonly channels: number;
  readonly featureOrder: Int32Array;
  readonly cumulative: Float64Array;
  readonly left: Float64Array;
  readonly right: Float64Array;
  readonly bestLeft: Float64Array;
  readonly rates: Float64Array;
  readonly leftRates: Float64Array;
  readonly rightRates: Float64Array;
  readonly counts: Float64Array;
  readonly leftCounts: Float64Array;
  /** The node's sums and rates, copied out of the tree's arrays for its split search. */
  readonly total: Float64Array;
  readonly parentRates: Float64Array;
  /** The best split found so far: feature, bin, missing values left (1/0), gain, split-gain importance. */
  readonly best: Float64Array;
}

export function upliftWorkspace(binned: BinnedMatrix, arms: number, perArm: 2 | 3, packed: boolean, maxDepth: number): UpliftWorkspace {
  const channels = perArm * arms;
  const size = binned.cols * BIN_STRIDE * channels;
  return {
    binned,
    rows: new Int32Array(binned.rows),
    scratch: new Int32Array(binned.rows),
    pool: Array.from({ length: Math.min(2 * maxDepth + 3, 64) }, () => new Float64Array(packed ? binned.cols * BIN_STRIDE * arms : size)),
    unpacked: packed ? new Float64Array(size) : undefined,
    channels,
    featureOrder: new Int32Array(binned.cols),
    cumulative: new Float64Array(channels),
    left: new Float64Array(channels),
    right: new Float64Array(channels),
    bestLeft: new Float64Array(channels),
    rates: new Float64Array(arms),
    leftRates: new Float64Array(arms),
    rightRates: new Float64Array(arms),
    counts: new Float64Array(arms),
    leftCounts: new Float64Array(arms),
    total: new Float64Array(channels),
    parentRates: new Float64Array(arms),
    best: new Float64Array(5),
  };
}

/**
 * Per (feature, bin, arm): multiplicity, weight (with sample weights) and
 * weighted outcome of rows[start, end). One pass over the rows, each row's
 * features in turn: a row's multiplicity, weight and outcome are read once,
 * and the codes it reads (one per feature column) advance in step, as the
 * rows are in increasing order.
 */
function upliftHistogram(hist: Float64Array, workspace: UpliftWorkspace, data: UpliftRows, start: number, end: number): void {
  hist.fill(0);
  const { codes, cols } = workspace.binned;
  const n = workspace.binned.rows;
  const { rows, channels } = workspace;
  const { arm, y, count, weight, perArm } = data;
  if (data.packed) {
    const arms = data.arms;
    const stride = BIN_STRIDE * arms;
    for (let k = start; k < end; k++) {
      const i = rows[k] as number;
      const c = count[i] as number;
      const add = c + c * (y[i] as number) * PACK;
      let at = arm[i] as number;
      for (let feature = 0, code = i; feature < cols; feature++, code += n, at += stride) {
        const cell = at + (codes[code] as number) * arms;
        hist[cell] = (hist[cell] as number) + add;
      }
    }
    return;
  }
  const featureStride = BIN_STRIDE * channels;
  if (perArm === 2) {
    for (let k = start; k < end; k++) {
      const i = rows[k] as number;
      const c = count[i] as number;
      const cy = c * (y[i] as number);
      let at = (arm[i] as number) * 2;
      for (let feature = 0, code = i; feature < cols; feature++, code += n, at += featureStride) {
        const cell = at + (codes[code] as number) * channels;
        hist[cell] = (hist[cell] as number) + c;
        hist[cell + 1] = (hist[cell + 1] as number) + cy;
      }
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const i = rows[k] as number;
    const c = count[i] as number;
    const w = weight[i] as number;
    const wy = w * (y[i] as number);
    let at = (arm[i] as number) * 3;
    for (let feature = 0, code = i; feature < cols; feature++, code += n, at += featureStride) {
      const cell = at + (codes[code] as number) * channels;
      hist[cell] = (hist[cell] as number) + c;
      hist[cell + 1] = (hist[cell + 1] as number) + w;
      hist[cell + 2] = (hist[cell + 2] as number) + wy;
    }
  }
}

/**
 * A histogram as `channels` sums per (feature, bin): itself, or, when packed,
 * unpacked into the workspace's buffer (count c and outcome sum s from
 * v = c + 2²⁶·s, exactly).
 */
function sumsView(workspace: UpliftWorkspace, hist: Float64Array): Float64Array {
  const out = workspace.unpacked;
  if (out === undefined) return hist;
  for (let cell = 0, at = 0; cell < hist.length; cell++, at += 2) {
    const value = hist[cell] as number;
    const sum = Math.floor(value / PACK);
    out[at] = value - sum * PACK;
    out[at + 1] = sum;
  }
  return out;
}

/**
 * Per-arm rates of a node from its sums per arm ([count, weight, weighted
 * sum], or [count, sum] when `perArm` is 2 and the weight is the count):
 * plain means at the root; elsewhere (S_k + parent_k·nReg)/(W_k + nReg)
 * when the arm has more than minSamplesTreatment rows, else the parent's
 * rate (CausalML's `tree_node_summary`).
 * @internal
 */
export function nodeRates(out: Float64Array, sums: Float64Array, parent: Float64Array | undefined, arms: number, perArm: 2 | 3, nReg: number, minSamplesTreatment: number): void {
  for (let k = 0, at = 0; k < arms; k++, at += perArm) {
    const n = sums[at] as number;
    const w = sums[at + perArm - 2] as number;
    const s = sums[at + perArm - 1] as number;
    if (parent === undefined) out[k] = w > 0 ? s / w : 0;
    else out[k] = n > minSamplesTreatment ? (s + (parent[k] as number) * nReg) / (w + nReg) : (parent[k] as number);
  }
}

/**
 * Grows one uplift tree depth-first on workspace.rows[0, count) (which it
 * partitions), keeping the regularised per-arm rates of every node in
 * `values` (arms per node). Each split is the best over every bin boundary
 * of the features drawn for the node, missing values sent to whichever side
 * gains more.
 * @internal
 */
export function growUpliftTree(
  workspace: UpliftWorkspace,
  data: UpliftRows,
  count: number,
  settings: UpliftTreeSettings,
  random: () => number,
  importance: Float64Array,
): { tree: TreeArrays; values: Float64Array } {
  const { binned, rows, scratch, pool, channels } = workspace;
  const arms = data.arms;
  const capacity = Math.min(2 ** (settings.maxDepth + 1), 2 * Math.ceil(count / Math.max(1, settings.minSamplesLeaf)) + 3);
  const tree = allocateTree(capacity);
  const values = new Float64Array(capacity * arms);
  const sums = new Float64Array(capacity * channels);
  const histogramOf = new Int32Array(capacity).fill(-1);
  const free: number[] = [];
  for (let k = pool.length - 1; k >= 0; k--) free.push(k);

  let rootCount = 0;
  for (let k = 0; k < count; k++) rootCount += data.count[rows[k] as number] as number;
  const root = addNode(tree, 0, count, 0, rootCount);
  const rootHistogram = free.pop() as number;
  histogramOf[root] = rootHistogram;
  upliftHistogram(pool[rootHistogram] as Float64Array, workspace, data, 0, count);
  // The root's sums: feature 0's bins, missing included.
  const rootHist = sumsView(workspace, pool[rootHistogram] as Float64Array);
  for (let b = 0; b < BIN_STRIDE; b++) for (let c = 0; c < channels; c++) sums[c] = (sums[c] as number) + (rootHist[b * channels + c] as number);
  nodeRates(workspace.rates, sums, undefined, arms, data.perArm, settings.nReg, settings.minSamplesTreatment);
  values.set(workspace.rates, 0);

  const splittable = (node: number) => (tree.depth[node] as number) < settings.maxDepth && (tree.count[node] as number) >= 2 * settings.minSamplesLeaf;
  const stack: number[] = [root];
  if (!splittable(root)) {
    free.push(rootHistogram);
    stack.pop();
  }
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const parentHistogram = histogramOf[node] as number;
    histogramOf[node] = -1;
    const found = findUpliftSplit(workspace, sumsView(workspace, pool[parentHistogram] as Float64Array), sums, values, node, tree.count[node] as number, arms, data.perArm, settings, random);
    if (!found) {
      free.push(parentHistogram);
      continue;
    }
    const best = workspace.best;
    const splitFeature = best[0] as number;
    const splitBin = best[1] as number;
    const splitMissingLeft = best[2] === 1;
    const start = tree.start[node] as number;
    const end = tree.end[node] as number;
    const middle = partitionRows(binned, rows, scratch, start, end, splitFeature, splitBin, splitMissingLeft);
    const depth = (tree.depth[node] as number) + 1;
    let leftCount = 0;
    for (let k = 0; k < arms; k++) leftCount += workspace.bestLeft[data.perArm * k] as number;
    const left = addNode(tree, start, middle, depth, leftCount);
    const right = addNode(tree, middle, end, depth, (tree.count[node] as number) - leftCount);
    setSplit(tree, binned, node, splitFeature, splitBin, splitMissingLeft, best[3] as number);
    importance[splitFeature] = (importance[splitFeature] as number) + (best[4] as number);
    tree.left[node] = left;
    tree.right[node] = right;
    for (let c = 0; c < channels; c++) {
      const l = workspace.bestLeft[c] as number;
      sums[left * channels + c] = l;
      sums[right * channels + c] = (sums[node * channels + c] as number) - l;
    }
    // Children's rates through the workspace's scratch (no views into the tree's arrays).
    const { parentRates, leftRates, rightRates, right: rightSums } = workspace;
    for (let k = 0; k < arms; k++) parentRates[k] = values[node * arms + k] as number;
    for (let c = 0; c < channels; c++) rightSums[c] = sums[right * channels + c] as number;
    nodeRates(leftRates, workspace.bestLeft, parentRates, arms, data.perArm, settings.nReg, settings.minSamplesTreatment);
    nodeRates(rightRates, rightSums, parentRates, arms, data.perArm, settings.nReg, settings.minSamplesTreatment);
    for (let k = 0; k < arms; k++) {
      values[left * arms + k] = leftRates[k] as number;
      values[right * arms + k] = rightRates[k] as number;
    }
    const splitLeft = splittable(left);
    const splitRight = splittable(right);
    if (!splitLeft && !splitRight) {
      free.push(parentHistogram);
      continue;
    }
    const small = middle - start <= end - middle ? left : right;
    const large = small === left ? right : left;
    const smallHistogram = free.pop() as number;
    upliftHistogram(pool[smallHistogram] as Float64Array, workspace, data, tree.start[small] as number, tree.end[small] as number);
    subtractHistogram(pool[parentHistogram] as Float64Array, pool[smallHistogram] as Float64Array);
    histogramOf[small] = smallHistogram;
    histogramOf[large] = parentHistogram;
    // Right pushed first: the left subtree is grown first.
    if (splitRight) stack.push(right);
    else free.push(histogramOf[right] as number);
    if (splitLeft) stack.push(left);
    else free.push(histogramOf[left] as number);
  }
  return { tree, values };
}

/**
 * The best split of a node under the criterion, over every bin boundary of
 * `maxFeatures` features drawn for it (all of them by default); candidates
 * with fewer than minSamplesLeaf rows on a side, or fewer than
 * minSamplesTreatment rows of some arm on a side, are skipped. Returns
 * whether one gains; the winner is left in workspace.best and its left sums
 * in workspace.bestLeft.
 */
function findUpliftSplit(
  workspace: UpliftWorkspace,
  hist: Float64Array,
  sums: Float64Array,
  values: Float64Array,
  node: number,
  n: number,
  arms: number,
  perArm: 2 | 3,
  settings: UpliftTreeSettings,
  random: () => number,
): boolean {
  const { binned, channels, featureOrder, cumulative, left, counts, total, parentRates: rates, best } = workspace;
  for (let c = 0; c < channels; c++) total[c] = sums[node * channels + c] as number;
  for (let k = 0; k < arms; k++) rates[k] = values[node * arms + k] as number;
  const d = divergence(settings.criterion, rates, arms, settings.continuous);
  for (let k = 0; k < arms; k++) counts[k] = total[perArm * k] as number;
  const p = binned.cols;
  for (let j = 0; j < p; j++) featureOrder[j] = j;
  const drawn = Math.min(settings.maxFeatures, p);
  if (drawn < p) {
    for (let j = 0; j < drawn; j++) {
      const other = j + Math.floor(random() * (p - j));
      const swap = featureOrder[j] as number;
      featureOrder[j] = featureOrder[other] as number;
      featureOrder[other] = swap;
    }
  }
  best.fill(0);
  best[0] = -1;
  for (let j = 0; j < drawn; j++) {
    const feature = featureOrder[j] as number;
    const bins = binned.bins[feature] as number;
    const hasMissing = binned.hasMissing[feature] === 1;
    const offset = feature * BIN_STRIDE;
    const missingAt = (offset + MISSING_BIN) * channels;
    cumulative.fill(0);
    for (let b = 0; b < bins - 1 + (hasMissing ? 1 : 0); b++) {
      const at = (offset + b) * channels;
      for (let c = 0; c < channels; c++) {
        cumulative[c] = (cumulative[c] as number) + (hist[at + c] as number);
        left[c] = cumulative[c] as number;
      }
      evaluateCandidate(workspace, feature, b, false, d, n, arms, perArm, settings);
      if (hasMissing && b < bins - 1) {
        for (let c = 0; c < channels; c++) left[c] = (cumulative[c] as number) + (hist[missingAt + c] as number);
        evaluateCandidate(workspace, feature, b, true, d, n, arms, perArm, settings);
      }
    }
  }
  return (best[0] as number) >= 0;
}

/**
 * Scores the candidate whose left sums are in workspace.left against the
 * node's (workspace.total, rates in workspace.parentRates, divergence d);
 * keeps it in workspace.best when it gains more than the best so far.
 */
function evaluateCandidate(workspace: UpliftWorkspace, feature: number, bin: number, missingLeft: boolean, d: number, n: number, arms: number, perArm: 2 | 3, settings: UpliftTreeSettings): void {
  const { binned, channels, left, right, total, leftRates, rightRates, counts, leftCounts, parentRates: rates, best } = workspace;
  const { criterion, continuous, minSamplesLeaf, minSamplesTreatment, nReg } = settings;
  let nLeft = 0;
  for (let k = 0; k < arms; k++) {
    const nk = left[perArm * k] as number;
    leftCounts[k] = nk;
    nLeft += nk;
  }
  const nRight = n - nLeft;
  if (nLeft < minSamplesLeaf || nRight < minSamplesLeaf) return;
  for (let c = 0; c < channels; c++) right[c] = (total[c] as number) - (left[c] as number);
  for (let k = 0; k < arms; k++) {
    if ((left[perArm * k] as number) < minSamplesTreatment || (right[perArm * k] as number) < minSamplesTreatment) return;
  }
  nodeRates(leftRates, left, rates, arms, perArm, nReg, minSamplesTreatment);
  nodeRates(rightRates, right, rates, arms, perArm, nReg, minSamplesTreatment);
  const dLeft = divergence(criterion, leftRates, arms, continuous);
  const dRight = divergence(criterion, rightRates, arms, continuous);
  const normalise = settings.normalization && (criterion === 'kl' || criterion === 'ed' || criterion === 'chi');
  const norm = normalise ? normalisation(counts, leftCounts, arms) : 1;
  const gain = splitGain(criterion, d, dLeft, dRight, n, nLeft, norm);
  if (gain > (best[3] as number)) {
    const seen = binned.hasMissing[feature] === 1;
    best[0] = feature;
    best[1] = bin;
    best[2] = (seen ? missingLeft : nLeft > nRight) ? 1 : 0;
    best[3] = gain;
    best[4] = splitImportance(criterion, d, dLeft, dRight, n, nLeft);
    workspace.bestLeft.set(left);
  }
}
