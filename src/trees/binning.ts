import { InputError } from '../errors.js';
import { type DenseMatrix, type MatrixInput, allFinite, toDenseMatrix } from '../linalg/denseMatrix.js';
import { sortedAscending } from '../internal/argsort.js';
import { createRandom } from '../internal/random.js';

/** The code of a missing value (NaN): one past the largest non-missing bin. @internal */
export const MISSING_BIN = 255;
/** Bins per feature in a histogram: 255 non-missing and the missing one. @internal */
export const BIN_STRIDE = 256;
/** Rows drawn to place the bin thresholds when there are more (scikit-learn's `subsample=2e5`). @internal */
const THRESHOLD_SAMPLE = 200_000;
/** The largest double: the threshold of a split that sends every non-missing value left, JSON-safe. @internal */
export const ALMOST_INFINITE = Number.MAX_VALUE;

/**
 * A matrix binned once: each value replaced by its bin's code, column-major
 * (`codes[j * rows + i]`), so that a histogram pass reads one feature's codes
 * at a time into a histogram small enough for the first-level cache. Code b < 255 holds the values in
 * (thresholds[j][b − 1], thresholds[j][b]]; 255 holds NaN. The codes are
 * the only copy of X that training keeps.
 * @internal
 */
export interface BinnedMatrix {
  readonly codes: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  /** Per feature: the upper edges of its bins but the last, ascending. */
  readonly thresholds: readonly Float64Array[];
  /** Per feature: its number of non-missing bins (thresholds + 1). */
  readonly bins: Int32Array;
  /** Per feature: 1 when a training row had it missing. */
  readonly hasMissing: Uint8Array;
}

/**
 * X as a DenseMatrix in which NaN means missing: ±Infinity is rejected.
 * @throws InputError as `toDenseMatrix`, `not_finite` for ±Infinity
 * @internal
 */
export function treeMatrix(X: MatrixInput, name = 'X'): DenseMatrix {
  const matrix = toDenseMatrix(X, name, { deferFiniteCheck: true });
  const { data, rows, cols } = matrix;
  const size = rows * cols;
  // Most matrices are all finite: one branch-free pass says so; only others are searched for ±Infinity.
  if (allFinite(data, size)) return matrix;
  for (let k = 0; k < size; k++) {
    const value = data[k] as number;
    if (value === Infinity || value === -Infinity) {
      const row = Math.floor(k / cols);
      throw new InputError('not_finite', name, `${name} must be finite or NaN (missing), got ${value} at row ${row}, column ${k - row * cols}`, row);
    }
  }
  return matrix;
}

/**
 * Bin thresholds of each feature from the given rows (all rows when
 * omitted), as scikit-learn's `_BinMapper`: a feature with at most
 * `maxBins` distinct values gets the midpoints between consecutive ones;
 * otherwise the `'midpoint'` percentiles at 100·k/maxBins, k = 1 … maxBins − 1,
 * de-duplicated. Above 200,000 rows, the thresholds come from a seeded
 * sample of 200,000 of them.
 * @internal
 */
export function binThresholds(X: DenseMatrix, maxBins: number, seed: number, rows?: Int32Array): Float64Array[] {
  const available = rows === undefined ? X.rows : rows.length;
  let chosen: Int32Array | undefined = rows;
  if (available > THRESHOLD_SAMPLE) {
    // A partial Fisher–Yates shuffle: the first THRESHOLD_SAMPLE entries, sorted to read X in order.
    const pool = new Int32Array(available);
    for (let k = 0; k < available; k++) pool[k] = rows === undefined ? k : (rows[k] as number);
    const random = createRandom(seed);
    for (let k = 0; k < THRESHOLD_SAMPLE; k++) {
      const other = k + Math.floor(random() * (available - k));
      const swap = pool[k] as number;
      pool[k] = pool[other] as number;
      pool[other] = swap;
    }
    chosen = pool.subarray(0, THRESHOLD_SAMPLE).sort();
  }
  const count = chosen === undefined ? X.rows : chosen.length;
  const { data, cols } = X;
  // Row-major passes over the chosen rows into columns (NaN skipped), a few features per pass
  // so that the buffer stays near 8 MB whatever the width of X.
  const chunk = Math.max(1, Math.min(cols, Math.floor(1_048_576 / Math.max(1, count))));
  const columns = new Float64Array(count * chunk);
  const filled = new Int32Array(chunk);
  const thresholds: Float64Array[] = [];
  for (let first = 0; first < cols; first += chunk) {
    const width = Math.min(chunk, cols - first);
    filled.fill(0);
    for (let k = 0; k < count; k++) {
      const base = (chosen === undefined ? k : (chosen[k] as number)) * cols + first;
      for (let c = 0; c < width; c++) {
        const value = data[base + c] as number;
        if (value === value) {
          const m = filled[c] as number;
          columns[c * count + m] = value;
          filled[c] = m + 1;
        }
      }
    }
    for (let c = 0; c < width; c++) thresholds.push(featureThresholds(sortedAscending(columns.subarray(c * count, c * count + (filled[c] as number))), maxBins));
  }
  return thresholds;
}

/** The thresholds of one feature from its sorted non-missing values. */
function featureThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  let distinct = 0;
  for (let k = 0; k < m; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  if (distinct <= maxBins) {
    const edges = new Float64Array(Math.max(0, distinct - 1));
    let previous = sorted[0] as number;
    let e = 0;
    for (let k = 1; k < m; k++) {
      const value = sorted[k] as number;
      if (value !== previous) {
        edges[e++] = (previous + value) * 0.5;
        previous = value;
      }
    }
    return edges;
  }
  const edges: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    // numpy percentile at linspace(0, 100, maxBins + 1)[k], method 'midpoint': the mean of the
    // two order statistics around q·(m − 1).
    const position = ((k * (100 / maxBins)) / 100) * (m - 1);
    const below = Math.floor(position);
    const above = Math.ceil(position);
    const edge = ((sorted[below] as number) + (sorted[above] as number)) / 2;
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** Cells of the lookup grid that narrows each value's bin before the search. */
const GRID_CELLS = 4096;
/** Rows binned per block: a block of X (rows × cols doubles) stays in the second-level cache while each feature reads it. */
const BIN_BLOCK = 2048;

/**
 * Every row of X mapped to its bin codes under the given thresholds
 * (x ≤ thresholds[b] and above thresholds[b − 1] → b; NaN → 255).
 *
 * Each feature's range [first edge, last edge] is cut into 4096 equal cells
 * and each cell c holds the number of edges whose cell is below c: a value
 * in cell c has at least that many edges below it and at most the next
 * cell's count, because the cell index is a monotone function of the value
 * (a subtraction and a multiplication by a positive constant, both rounded
 * monotonically). The search between those two counts is usually empty or
 * one step, so a value costs a few operations rather than eight
 * unpredictable comparisons; the codes are exactly those of a binary search.
 * The codes go into `codes` when given (rows × cols entries).
 * @internal
 */
export function binMatrix(X: DenseMatrix, thresholds: readonly Float64Array[], codes: Uint8Array = new Uint8Array(X.rows * X.cols)): BinnedMatrix {
  const { data, rows, cols } = X;
  const hasMissing = new Uint8Array(cols);
  const bins = new Int32Array(cols);
  for (let j = 0; j < cols; j++) bins[j] = (thresholds[j] as Float64Array).length + 1;
  const grids = new Uint8Array(cols * (GRID_CELLS + 2));
  const lows = new Float64Array(cols);
  const scales = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const edges = thresholds[j] as Float64Array;
    const m = edges.length;
    if (m === 0) continue;
    const low = edges[0] as number;
    const high = edges[m - 1] as number;
    const scale = high > low ? GRID_CELLS / (high - low) : 0;
    lows[j] = low;
    scales[j] = Number.isFinite(scale) ? scale : 0;
    const grid = grids.subarray(j * (GRID_CELLS + 2), (j + 1) * (GRID_CELLS + 2));
    // grid[c] = edges whose cell is below c; grid[GRID_CELLS + 1] = m.
    let e = 0;
    for (let c = 0; c <= GRID_CELLS + 1; c++) {
      while (e < m && gridCell(edges[e] as number, low, scales[j] as number) < c) e++;
      grid[c] = e;
    }
  }
  for (let blockStart = 0; blockStart < rows; blockStart += BIN_BLOCK) {
    const blockEnd = Math.min(rows, blockStart + BIN_BLOCK);
    for (let j = 0; j < cols; j++) {
      const edges = thresholds[j] as Float64Array;
      const gridAt = j * (GRID_CELLS + 2);
      const low = lows[j] as number;
      const scale = scales[j] as number;
      const out = j * rows;
      for (let i = blockStart, at = blockStart * cols + j; i < blockEnd; i++, at += cols) {
        const value = data[at] as number;
        if (value !== value) {
          codes[out + i] = MISSING_BIN;
          hasMissing[j] = 1;
          continue;
        }
        const cell = gridAt + gridCell(value, low, scale);
        // The bin is the number of edges below the value, between these two counts.
        let below = grids[cell] as number;
        let above = grids[cell + 1] as number;
        while (below < above) {
          const middle = (below + above) >>> 1;
          if (value > (edges[middle] as number)) below = middle + 1;
          else above = middle;
        }
        codes[out + i] = below;
      }
    }
  }
  return { codes, rows, cols, thresholds, bins, hasMissing };
}

/** The grid cell of a value, clamped to [0, GRID_CELLS]: monotone in the value. */
function gridCell(value: number, low: number, scale: number): number {
  const cell = (value - low) * scale;
  return cell > 0 ? (cell < GRID_CELLS ? cell | 0 : GRID_CELLS) : 0;
}
