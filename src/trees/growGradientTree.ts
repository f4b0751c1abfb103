import { BIN_STRIDE, type BinnedMatrix } from './binning.js';
import { type TreeArrays, addNode, allocateTree, gradientHistogram, partitionRows, setSplit, subtractHistogram } from './histogram.js';
import type { HistogramKernel } from './histogramKernel.js';

/** Settings of one regression tree on gradients and hessians. @internal */
export interface GradientTreeSettings {
  readonly maxLeaves: number;
  /** Largest depth (root at 0); Infinity for none. */
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  readonly learningRate: number;
}

/** scikit-learn's `min_hessian_to_split`: a child needs at least this much hessian. */
const MIN_HESSIAN = 1e-3;

/**
 * Scratch shared by the trees of one fit: a pool of histograms, the row
 * index array, and the partition buffer. Nothing is allocated per row or
 * per split.
 * @internal
 */
export interface GradientWorkspace {
  readonly binned: BinnedMatrix;
  /** Fills the histograms when WebAssembly runs (its gradients and hessians are then the fit's). */
  readonly kernel: HistogramKernel | null;
  readonly rows: Int32Array;
  readonly scratch: Int32Array;
  readonly pool: Float64Array[];
  readonly tree: TreeArrays;
  /** Per node: its histogram in the pool, or −1. */
  readonly histogramOf: Int32Array;
  /** Per node: best split found (feature −1 when none), its gain and its left child's sums. */
  readonly splitFeature: Int32Array;
  readonly splitBin: Int32Array;
  readonly splitMissingLeft: Uint8Array;
  readonly splitGain: Float64Array;
  readonly splitLeft: Float64Array;
  readonly sums: Float64Array;
  /** Leaf values of the last tree grown, by node. */
  readonly value: Float64Array;
}

/** Histograms a tree needs at most: one per leaf, and the two of the node being split. @internal */
export const histogramCount = (maxLeaves: number) => maxLeaves + 2;

export function gradientWorkspace(binned: BinnedMatrix, maxLeaves: number, kernel: HistogramKernel | null): GradientWorkspace {
  const capacity = 2 * maxLeaves;
  const size = binned.cols * BIN_STRIDE * 3;
  return {
    binned,
    kernel,
    rows: kernel?.rows ?? new Int32Array(binned.rows),
    scratch: new Int32Array(kernel === null ? binned.rows : 0),
    pool: kernel?.pool ?? Array.from({ length: histogramCount(maxLeaves) }, () => new Float64Array(size)),
    tree: allocateTree(capacity),
    histogramOf: new Int32Array(capacity),
    splitFeature: new Int32Array(capacity),
    splitBin: new Int32Array(capacity),
    splitMissingLeft: new Uint8Array(capacity),
    splitGain: new Float64Array(capacity),
    splitLeft: new Float64Array(capacity * 3),
    sums: new Float64Array(capacity * 3),
    value: new Float64Array(capacity),
  };
}

/**
 * Grows one tree, leaf-wise (best-first, as LightGBM and scikit-learn's
 * `HistGradientBoosting*`), on the rows `workspace.rows[0, count)` (ascending), which it
 * partitions: each leaf ends up owning a contiguous range. Split gain
 * G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ); leaf value
 * −learningRate · G/(H + λ).
 * @internal
 */
export function growGradientTree(workspace: GradientWorkspace, count: number, gradient: Float64Array, hessian: Float64Array, settings: GradientTreeSettings): TreeArrays {
  const { binned, rows, scratch, pool, tree, histogramOf, sums, value } = workspace;
  tree.size = 0;
  const free: number[] = [];
  for (let k = pool.length - 1; k >= 0; k--) free.push(k);
  const root = addNode(tree, 0, count, 0, count);
  if (workspace.kernel === null) {
    let g = 0;
    let h = 0;
    for (let k = 0; k < count; k++) {
      const i = rows[k] as number;
      g += gradient[i] as number;
      h += hessian[i] as number;
    }
    sums[0] = g;
    sums[1] = h;
  } else {
    workspace.kernel.order(count, sums);
  }
  sums[2] = count;
  const rootHistogram = free.pop() as number;
  histogramOf[root] = rootHistogram;
  // The rows come in ascending order: all of them (no subsample, no validation rows) means
  // rows[k] = k, and the root reads them without the index.
  fillHistogram(workspace, pool[rootHistogram] as Float64Array, 0, count, count === binned.rows, gradient, hessian);
  const splittable = (node: number) => (tree.depth[node] as number) < settings.maxDepth && (sums[node * 3 + 2] as number) >= 2 * settings.minSamplesLeaf;
  const candidates: number[] = [];
  if (splittable(root) && findSplit(workspace, root, settings)) candidates.push(root);
  else free.push(rootHistogram);
  let leaves = 1;
  while (leaves < settings.maxLeaves && candidates.length > 0) {
    let pick = 0;
    for (let c = 1; c < candidates.length; c++) {
      if ((workspace.splitGain[candidates[c] as number] as number) > (workspace.splitGain[candidates[pick] as number] as number)) pick = c;
    }
    const node = candidates[pick] as number;
    candidates.splice(pick, 1);
    const feature = workspace.splitFeature[node] as number;
    const bin = workspace.splitBin[node] as number;
    const missingLeft = workspace.splitMissingLeft[node] === 1;
    const start = tree.start[node] as number;
    const end = tree.end[node] as number;
    // In place in JavaScript; by the kernel, into the same positions of its other buffer of rows.
    const childStart = workspace.kernel === null ? start : start < binned.rows ? start + binned.rows : start - binned.rows;
    const childEnd = childStart + (end - start);
    const middle =
      workspace.kernel === null
        ? partitionRows(binned, rows, scratch, start, end, feature, bin, missingLeft)
        : workspace.kernel.partition(start, end, feature, bin, missingLeft, workspace.splitLeft[node * 3 + 2] as number);
    const depth = (tree.depth[node] as number) + 1;
    const left = addNode(tree, childStart, middle, depth, middle - childStart);
    const right = addNode(tree, middle, childEnd, depth, childEnd - middle);
    setSplit(tree, binned, node, feature, bin, missingLeft, workspace.splitGain[node] as number);
    tree.left[node] = left;
    tree.right[node] = right;
    for (let c = 0; c < 3; c++) {
      const leftSum = workspace.splitLeft[node * 3 + c] as number;
      sums[left * 3 + c] = leftSum;
      sums[right * 3 + c] = (sums[node * 3 + c] as number) - leftSum;
    }
    leaves++;
    const parentHistogram = histogramOf[node] as number;
    histogramOf[node] = -1;
    const splitLeft = leaves < settings.maxLeaves && splittable(left);
    const splitRight = leaves < settings.maxLeaves && splittable(right);
    if (!splitLeft && !splitRight) {
      free.push(parentHistogram);
      continue;
    }
    // The smaller child from its rows, the larger by subtraction in the parent's buffer.
    const small = middle - childStart <= childEnd - middle ? left : right;
    const large = small === left ? right : left;
    const smallHistogram = free.pop() as number;
    fillHistogram(workspace, pool[smallHistogram] as Float64Array, tree.start[small] as number, tree.end[small] as number, false, gradient, hessian);
    subtractHistogram(pool[parentHistogram] as Float64Array, pool[smallHistogram] as Float64Array);
    histogramOf[small] = smallHistogram;
    histogramOf[large] = parentHistogram;
    for (const child of [left, right]) {
      const wanted = child === left ? splitLeft : splitRight;
      if (wanted && findSplit(workspace, child, settings)) candidates.push(child);
      else free.push(histogramOf[child] as number);
    }
  }
  for (let node = 0; node < tree.size; node++) {
    if ((tree.feature[node] as number) >= 0) continue;
    const denominator = (sums[node * 3 + 1] as number) + settings.l2;
    value[node] = denominator > 0 ? (-settings.learningRate * (sums[node * 3] as number)) / denominator : 0;
  }
  return tree;
}

/** A node's histogram from rows[start, end) (rows start … end − 1 with `identity`): by the kernel when there is one. */
function fillHistogram(workspace: GradientWorkspace, hist: Float64Array, start: number, end: number, identity: boolean, gradient: Float64Array, hessian: Float64Array): void {
  if (workspace.kernel === null) gradientHistogram(hist, workspace.binned, workspace.rows, start, end, gradient, hessian, identity);
  else workspace.kernel.fill(hist, start, end, identity);
}

/**
 * The best split of a node from its histogram, scanning each feature's bins
 * left to right (missing values right) and, when the feature had missing
 * values in training, right to left (missing values left). Ties keep the
 * first found, as scikit-learn. Returns false when no split has positive gain.
 */
function findSplit(workspace: GradientWorkspace, node: number, settings: GradientTreeSettings): boolean {
  const { binned, sums, pool, histogramOf } = workspace;
  const hist = pool[histogramOf[node] as number] as Float64Array;
  const { l2, minSamplesLeaf } = settings;
  const G = sums[node * 3] as number;
  const H = sums[node * 3 + 1] as number;
  const N = sums[node * 3 + 2] as number;
  const parentScore = H + l2 > 0 ? (G * G) / (H + l2) : 0;
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft = false;
  let bestG = 0;
  let bestH = 0;
  let bestN = 0;
  for (let feature = 0; feature < binned.cols; feature++) {
    const bins = binned.bins[feature] as number;
    const hasMissing = binned.hasMissing[feature] === 1;
    const offset = feature * BIN_STRIDE;
    // Left to right: bins [0, b] left, the rest and missing values right.
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const last = bins - 1 + (hasMissing ? 1 : 0);
    for (let b = 0; b < last; b++) {
      const at = (offset + b) * 3;
      gl += hist[at] as number;
      hl += hist[at + 1] as number;
      nl += hist[at + 2] as number;
      const nr = N - nl;
      if (nl < minSamplesLeaf) continue;
      if (nr < minSamplesLeaf) break;
      const hr = H - hl;
      if (hl < MIN_HESSIAN || hr < MIN_HESSIAN) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = feature;
        bestBin = b;
        // Missing values unseen in training go to the larger child.
        bestMissingLeft = hasMissing ? false : nl > nr;
        bestG = gl;
        bestH = hl;
        bestN = nl;
      }
    }
    if (!hasMissing) continue;
    // Right to left: bins (b, bins) right, [0, b] and missing values left.
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = bins - 2; b >= 0; b--) {
      const at = (offset + b + 1) * 3;
      gr += hist[at] as number;
      hr += hist[at + 1] as number;
      nr += hist[at + 2] as number;
      const nlr = N - nr;
      if (nr < minSamplesLeaf) continue;
      if (nlr < minSamplesLeaf) break;
      const hlr = H - hr;
      if (hr < MIN_HESSIAN || hlr < MIN_HESSIAN) continue;
      const glr = G - gr;
      const gain = (glr * glr) / (hlr + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = feature;
        bestBin = b;
        bestMissingLeft = true;
        bestG = glr;
        bestH = hlr;
        bestN = nlr;
      }
    }
  }
  workspace.splitFeature[node] = bestFeature;
  if (bestFeature < 0) return false;
  workspace.splitBin[node] = bestBin;
  workspace.splitMissingLeft[node] = bestMissingLeft ? 1 : 0;
  workspace.splitGain[node] = bestGain;
  workspace.splitLeft[node * 3] = bestG;
  workspace.splitLeft[node * 3 + 1] = bestH;
  workspace.splitLeft[node * 3 + 2] = bestN;
  return true;
}

