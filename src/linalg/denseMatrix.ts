import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';
import { checkScalar, describe, finiteVector, MAX_LENGTH, numericRows, numericVector, rules } from '../internal/validate.js';
import { type SimdKernels, simdKernels } from './simd.js';

/**
 * A row-major matrix over a Float64Array: element (i, j) is `data[i * cols + j]`.
 * A plain interface, so a caller can pass a literal over its own buffer without a copy.
 */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /**
   * `true` on a matrix whose first rows × cols values are known to be
   * finite: set by {@link toDenseMatrix} after its scan (and kept by the row
   * copies of such a matrix), so that a matrix passed on inside the library
   * is not scanned again. A caller who sets it vouches for the values.
   */
  readonly checked?: true;
}

/** A DenseMatrix whose values have been checked finite. */
export interface CheckedMatrix extends DenseMatrix {
  readonly checked: true;
}

/** True for a matrix {@link toDenseMatrix} has checked (or a row copy of one). */
export function isChecked(matrix: DenseMatrix): matrix is CheckedMatrix {
  return matrix.checked === true;
}

/**
 * What the models accept as X: a DenseMatrix, rows of numbers (arrays or
 * typed arrays), an ml-matrix `Matrix` (any `AbstractMatrix`: read through
 * its `get`, so views work too), or a Dataset with the feature columns to use.
 */
export type MatrixInput =
  | DenseMatrix
  | readonly (readonly number[])[]
  | readonly Float64Array[]
  | { readonly rows: number; readonly columns: number; get(row: number, column: number): number }
  | { readonly dataset: Dataset; readonly columns: readonly string[] };

/**
 * A DenseMatrix view of the input, checked: all values finite (missing values
 * must be imputed first, see `promolens/features`). A DenseMatrix is used
 * as is, without a copy; rows and datasets are copied once.
 *
 * @throws InputError `empty`, `length_mismatch` (ragged rows or a short buffer), `not_finite`,
 *   `missing_column`, `wrong_type` (a categorical column: encode it first)
 * @example
 * toDenseMatrix([[1, 2], [3, 4]]).data; // => Float64Array [1, 2, 3, 4]
 */
export function toDenseMatrix(input: MatrixInput, name = 'X', options: { readonly deferFiniteCheck?: boolean } = {}): DenseMatrix {
  if (input !== null && typeof input === 'object' && (input as DenseMatrix).checked === true && (input as DenseMatrix).data instanceof Float64Array) return input as DenseMatrix;
  let matrix: DenseMatrix;
  if (input === null || typeof input !== 'object') {
    throw new InputError('wrong_type', name, `${name} must be a DenseMatrix { data: Float64Array, rows, cols }, number[][], an ml-matrix Matrix or { dataset, columns }, got ${describe(input)}`);
  }
  if (Array.isArray(input)) {
    matrix = numericRows(name, input as readonly (readonly number[])[]);
  } else if (isMlMatrix(input)) {
    matrix = fromMlMatrix(input, name);
  } else if ('dataset' in input) {
    const { dataset, columns } = input;
    if (dataset === null || typeof dataset !== 'object' || typeof (dataset as { numeric?: unknown }).numeric !== 'function') {
      throw new InputError('wrong_type', `${name}.dataset`, `${name}.dataset must be a Dataset (fromRows, fromColumns, parseCsv), got ${describe(dataset)}`);
    }
    if (!Array.isArray(columns) || !columns.every((column) => typeof column === 'string')) {
      throw new InputError('wrong_type', `${name}.columns`, `${name}.columns must be an array of column names, got ${describe(columns)}`);
    }
    if (dataset.n * columns.length > MAX_LENGTH) {
      throw new InputError('out_of_range', name, `${name} has ${dataset.n} × ${columns.length} values, more than the ${MAX_LENGTH} supported`);
    }
    const cols = columns.length;
    const data = new Float64Array(dataset.n * cols);
    columns.forEach((column, j) => {
      const values = dataset.numeric(column);
      for (let i = 0; i < dataset.n; i++) data[i * cols + j] = values[i] as number;
    });
    matrix = { data, rows: dataset.n, cols };
  } else {
    // A fresh view of the caller's buffer, so the mark below is on an object only this library holds.
    const given = input as DenseMatrix;
    if (!(given.data instanceof Float64Array) || !Number.isSafeInteger(given.rows) || !Number.isSafeInteger(given.cols) || given.rows < 0 || given.cols < 0) {
      throw new InputError('wrong_type', name, `${name} must be a DenseMatrix { data: Float64Array, rows, cols }, number[][], an ml-matrix Matrix or { dataset, columns }`);
    }
    // Sizes as small integers (a caller's may be stored as doubles, e.g. Number('1000000')):
    // the hot loops compare indices with them, and a double there would cost a recompilation.
    matrix = { data: given.data, rows: smallInteger(given.rows), cols: smallInteger(given.cols) };
    if (matrix.data.length < matrix.rows * matrix.cols) {
      throw new InputError('length_mismatch', name, `${name}.data has ${matrix.data.length} values, fewer than rows × cols = ${matrix.rows * matrix.cols}`);
    }
  }
  if (matrix.rows === 0 || matrix.cols === 0) throw new InputError('empty', name, `${name} has no ${matrix.rows === 0 ? 'rows' : 'columns'}`);
  // A caller whose first pass over X would show a non-finite value anyway (a Gram's diagonal)
  // defers the check to requireFinite and saves a pass.
  if (options.deferFiniteCheck === true) return matrix;
  if (!allFinite(matrix.data, matrix.rows * matrix.cols)) requireFinite(matrix, name);
  return { data: matrix.data, rows: matrix.rows, cols: matrix.cols, checked: true };
}

/** The shape of an ml-matrix `Matrix` (or any of its views), read without importing ml-matrix. */
interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

function isMlMatrix(input: object): input is MlMatrixLike {
  const candidate = input as { get?: unknown; rows?: unknown; columns?: unknown };
  return typeof candidate.get === 'function' && typeof candidate.rows === 'number' && typeof candidate.columns === 'number';
}

/** An ml-matrix `Matrix` copied row-major; every entry must be a number. */
function fromMlMatrix(input: MlMatrixLike, name: string): DenseMatrix {
  const { rows, columns: cols } = input;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows * cols > MAX_LENGTH) {
    throw new InputError('out_of_range', name, `${name} is an ml-matrix Matrix of ${rows} × ${cols}, more than the ${MAX_LENGTH} values supported`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value: unknown = input.get(i, j);
      if (typeof value !== 'number') {
        throw new InputError('not_numeric', name, `${name}[${i}][${j}] must be a number, got ${describe(value)} at row ${i}`, i);
      }
      data[i * cols + j] = value;
    }
  }
  return { data, rows, cols };
}

function smallInteger(value: number): number {
  return value <= 0x7fffffff ? value | 0 : value;
}

/**
 * Throws `not_finite` naming the first non-finite value of X (row and
 * column); a copy's rows are named by their numbers in the source when
 * `rowNumbers` is given.
 * @internal
 */
export function requireFinite(matrix: DenseMatrix, name = 'X', rowNumbers?: ArrayLike<number>): void {
  const { data, rows, cols } = matrix;
  for (let k = 0; k < rows * cols; k++) {
    const value = data[k] as number;
    if (value - value !== 0) {
      const row = rowNumbers === undefined ? Math.floor(k / cols) : (rowNumbers[Math.floor(k / cols)] as number);
      throw new InputError('not_finite', name, `${name}[${row}][${k % cols}] must be finite, got ${value} at row ${row}`, row);
    }
  }
}


/**
 * True when the first `length` values are all finite: x·0 is 0 for finite x
 * and NaN otherwise, so four running sums of x·0 stay 0 exactly when every
 * value is finite — no branch per value.
 * @internal
 */
export function allFinite(data: Float64Array, length: number): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    a += (data[k] as number) * 0;
    b += (data[k + 1] as number) * 0;
    c += (data[k + 2] as number) * 0;
    d += (data[k + 3] as number) * 0;
  }
  for (; k < length; k++) a += (data[k] as number) * 0;
  return a + b + c + d === 0;
}

/** Rows per sweep of {@link predictRows} and of the passes built on it. @internal */
export const ROW_GROUP = 8;

/** Rows per chunk that a pass copies into the SIMD kernels' memory (whole groups). @internal */
export const ROW_CHUNK = 128;

/**
 * Linear predictors b₀ + xᵢβ of the `count` (≤ {@link ROW_GROUP}) rows from
 * `start` into `out`; a full group of eight rows goes in one sweep, so each
 * coefficient load feeds eight independent sums (eight accumulators still
 * fit the registers). @internal
 */
export function predictRows(data: Float64Array, p: number, start: number, count: number, beta: Float64Array, intercept: number, out: Float64Array): void {
  const b0 = start * p;
  if (count === ROW_GROUP) {
    let e0 = intercept;
    let e1 = intercept;
    let e2 = intercept;
    let e3 = intercept;
    let e4 = intercept;
    let e5 = intercept;
    let e6 = intercept;
    let e7 = intercept;
    for (let j = 0; j < p; j++) {
      const b = beta[j] as number;
      e0 += b * (data[b0 + j] as number);
      e1 += b * (data[b0 + p + j] as number);
      e2 += b * (data[b0 + 2 * p + j] as number);
      e3 += b * (data[b0 + 3 * p + j] as number);
      e4 += b * (data[b0 + 4 * p + j] as number);
      e5 += b * (data[b0 + 5 * p + j] as number);
      e6 += b * (data[b0 + 6 * p + j] as number);
      e7 += b * (data[b0 + 7 * p + j] as number);
    }
    out[0] = e0;
    out[1] = e1;
    out[2] = e2;
    out[3] = e3;
    out[4] = e4;
    out[5] = e5;
    out[6] = e6;
    out[7] = e7;
    return;
  }
  for (let r = 0; r < count; r++) {
    let e = intercept;
    for (let j = 0; j < p; j++) e += (beta[j] as number) * (data[b0 + r * p + j] as number);
    out[r] = e;
  }
}

/**
 * gradient[offset + j] += Σ_r residuals[r]·x_{start+r, j} over the `count`
 * rows of a group: a full group reads each gradient entry once. (Kept apart
 * from {@link accumulateCentredRows} so that each stays small enough for the
 * compiler to inline into its pass.) @internal
 */
export function accumulateRows(data: Float64Array, p: number, start: number, count: number, residuals: Float64Array, gradient: Float64Array, offset: number): void {
  const b0 = start * p;
  if (count === ROW_GROUP) {
    const r0 = residuals[0] as number;
    const r1 = residuals[1] as number;
    const r2 = residuals[2] as number;
    const r3 = residuals[3] as number;
    const r4 = residuals[4] as number;
    const r5 = residuals[5] as number;
    const r6 = residuals[6] as number;
    const r7 = residuals[7] as number;
    for (let j = 0; j < p; j++) {
      gradient[offset + j] =
        (gradient[offset + j] as number) +
        (r0 * (data[b0 + j] as number) + r1 * (data[b0 + p + j] as number) + r2 * (data[b0 + 2 * p + j] as number) + r3 * (data[b0 + 3 * p + j] as number)) +
        (r4 * (data[b0 + 4 * p + j] as number) + r5 * (data[b0 + 5 * p + j] as number) + r6 * (data[b0 + 6 * p + j] as number) + r7 * (data[b0 + 7 * p + j] as number));
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    const rr = residuals[r] as number;
    for (let j = 0; j < p; j++) gradient[offset + j] = (gradient[offset + j] as number) + rr * (data[b0 + r * p + j] as number);
  }
}

/**
 * gradient[j] += Σ_r residuals[r]·(x_{start+r, j} − shift_j) over the
 * `count` rows of a group; centred before multiplying, so that columns with
 * large means keep their digits. @internal
 */
export function accumulateCentredRows(data: Float64Array, p: number, start: number, count: number, residuals: Float64Array, gradient: Float64Array, shift: Float64Array): void {
  const b0 = start * p;
  if (count === ROW_GROUP) {
    const r0 = residuals[0] as number;
    const r1 = residuals[1] as number;
    const r2 = residuals[2] as number;
    const r3 = residuals[3] as number;
    const r4 = residuals[4] as number;
    const r5 = residuals[5] as number;
    const r6 = residuals[6] as number;
    const r7 = residuals[7] as number;
    for (let j = 0; j < p; j++) {
      const s = shift[j] as number;
      gradient[j] =
        (gradient[j] as number) +
        (r0 * ((data[b0 + j] as number) - s) +
          r1 * ((data[b0 + p + j] as number) - s) +
          r2 * ((data[b0 + 2 * p + j] as number) - s) +
          r3 * ((data[b0 + 3 * p + j] as number) - s)) +
        (r4 * ((data[b0 + 4 * p + j] as number) - s) +
          r5 * ((data[b0 + 5 * p + j] as number) - s) +
          r6 * ((data[b0 + 6 * p + j] as number) - s) +
          r7 * ((data[b0 + 7 * p + j] as number) - s));
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    const rr = residuals[r] as number;
    for (let j = 0; j < p; j++) gradient[j] = (gradient[j] as number) + rr * ((data[b0 + r * p + j] as number) - (shift[j] as number));
  }
}

/**
 * The whole groups of rows of X through the SIMD kernels, {@link ROW_CHUNK}
 * rows at a time copied into their memory: for each chunk, the linear
 * predictors b₀ + xβ (`dots`), then `visit(first, count, fits, residuals)`
 * to turn them into residuals (fits and residuals from index 0), then
 * Σ r·x — or Σ r·(x − shift) — added to gradient[offset…offset + p). The
 * sums are the scalar twins' in the same order. Returns the rows done (whole
 * groups; none when X is too wide for the kernels' memory); the caller
 * takes the rest with the scalar twins. @internal
 */
export function simdRowPass(
  simd: SimdKernels,
  matrix: DenseMatrix,
  beta: Float64Array,
  intercept: number,
  gradient: Float64Array,
  offset: number,
  shift: Float64Array | undefined,
  visit: (first: number, count: number, fits: Float64Array, residuals: Float64Array) => void,
): number {
  const { data, rows: n, cols: p } = matrix;
  const lengths = [ROW_CHUNK * p, p, ROW_CHUNK, ROW_CHUNK, p, p];
  if (!simd.fits(lengths)) return 0;
  const areas = simd.layout(lengths);
  const [x, b, fits, residuals, sums, shifts] = areas as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  b.set(beta);
  sums.set(gradient.subarray(offset, offset + p));
  if (shift !== undefined) shifts.set(shift);
  const whole = n - (n % ROW_GROUP);
  for (let first = 0; first < whole; first += ROW_CHUNK) {
    const count = Math.min(ROW_CHUNK, whole - first);
    x.set(data.subarray(first * p, (first + count) * p));
    simd.dots(x, b, fits, p, count / ROW_GROUP, intercept);
    visit(first, count, fits, residuals);
    if (shift === undefined) simd.gradient(x, residuals, sums, p, count / ROW_GROUP);
    else simd.centredGradient(x, residuals, sums, p, count / ROW_GROUP, shifts);
  }
  gradient.set(sums, offset);
  return whole;
}

/** Xβ (+ intercept) for every row. O(rows · cols). */
export function multiplyVector(matrix: DenseMatrix, vector: ArrayLike<number>, offset = 0, out?: Float64Array): Float64Array {
  const checkedMatrix = toDenseMatrix(matrix, 'matrix');
  const beta = finiteVector('vector', vector);
  if (beta.length !== checkedMatrix.cols) {
    throw new InputError('length_mismatch', 'vector', `vector has ${beta.length} values but the matrix has ${checkedMatrix.cols} columns`);
  }
  checkScalar('offset', offset, rules.number());
  if (out === undefined) out = new Float64Array(checkedMatrix.rows);
  else if (!(out instanceof Float64Array) || out.length < checkedMatrix.rows) {
    throw new InputError('wrong_type', 'out', `out must be a Float64Array of at least ${checkedMatrix.rows} values`);
  }
  matrix = checkedMatrix;
  sweepRows(matrix, [beta], [offset], [out]);
  return out;
}

/**
 * Xβₖ + offsetₖ for several coefficient vectors in one pass over X: each
 * group of rows comes from memory once and is swept once per vector (two
 * models on the same rows cost little more than one). When X is not known
 * to be finite, it is checked through the results: a non-finite value makes
 * every product of its row non-finite, so X is searched only when a result
 * is (and an overflow of finite values is left as it is). @internal
 */
export function multiplyVectors(matrix: DenseMatrix, vectors: readonly Float64Array[], offsets: readonly number[], name = 'X'): Float64Array[] {
  const outs = vectors.map(() => new Float64Array(matrix.rows));
  sweepRows(matrix, vectors, offsets, outs);
  if (!isChecked(matrix) && !outs.every((out) => allFinite(out, out.length))) requireFinite(matrix, name);
  return outs;
}

function sweepRows(matrix: DenseMatrix, vectors: readonly Float64Array[], offsets: readonly number[], outs: readonly Float64Array[], simd = simdKernels()): void {
  const { data, rows, cols } = matrix;
  let start = 0;
  const lengths = [ROW_CHUNK * cols, ROW_CHUNK, ...vectors.map(() => cols)];
  if (simd !== null && rows >= ROW_GROUP && simd.fits(lengths)) {
    // Whole groups by the SIMD kernel, on chunks of rows copied into its memory.
    const areas = simd.layout(lengths);
    const [x, out] = areas as [Float64Array, Float64Array];
    vectors.forEach((vector, v) => areas[v + 2]?.set(vector));
    const whole = rows - (rows % ROW_GROUP);
    for (let first = 0; first < whole; first += ROW_CHUNK) {
      const count = Math.min(ROW_CHUNK, whole - first);
      x.set(data.subarray(first * cols, (first + count) * cols));
      for (let v = 0; v < vectors.length; v++) {
        simd.dots(x, areas[v + 2] as Float64Array, out, cols, count / ROW_GROUP, offsets[v] as number);
        (outs[v] as Float64Array).set(out.subarray(0, count), first);
      }
    }
    start = whole;
  }
  const group = new Float64Array(ROW_GROUP);
  for (; start < rows; start += ROW_GROUP) {
    const count = Math.min(ROW_GROUP, rows - start);
    for (let v = 0; v < vectors.length; v++) {
      predictRows(data, cols, start, count, vectors[v] as Float64Array, offsets[v] as number, group);
      const out = outs[v] as Float64Array;
      for (let r = 0; r < count; r++) out[start + r] = group[r] as number;
    }
  }
}

/** The entries of a vector at these indices, in their order. @internal */
export function takeValues(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k] as number] as number;
  return out;
}

/** The rows at these indices, copied into a new matrix. O(k·cols). */
export function takeRows(matrix: DenseMatrix, indices: ArrayLike<number>): DenseMatrix {
  // The shape and the indices are checked; the values are copied as they are (finiteness is the caller's).
  if (!isChecked(matrix)) requireShape(matrix, 'matrix');
  requireRowIndices(indices, matrix.rows);
  const { taken } = copyRows(matrix, indices);
  return isChecked(matrix) ? { ...taken, checked: true } : taken;
}

/**
 * {@link takeRows} that gives back the matrix itself when the indices are
 * every row in order (a campaign's single arm and its control): no copy.
 * The result may share the input's buffer, so it is read, never written.
 * @internal
 */
export function rowsOf(matrix: DenseMatrix, indices: ArrayLike<number>): DenseMatrix {
  if (indices.length === matrix.rows) {
    let identity = true;
    for (let k = 0; k < indices.length && identity; k++) identity = indices[k] === k;
    if (identity) return matrix;
  }
  return takeRows(matrix, indices);
}

/**
 * The rows at these indices copied into the front of `buffer` (grown when
 * short): a loop that copies rows again and again (cross-fitting folds)
 * reuses one allocation instead of asking for fresh memory each time. The
 * result is a view of the buffer, valid until its next use. @internal
 */
export function takeRowsInto(matrix: DenseMatrix, indices: ArrayLike<number>, buffer: { data: Float64Array }): DenseMatrix {
  const { data, cols } = matrix;
  const size = indices.length * cols;
  if (buffer.data.length < size) buffer.data = new Float64Array(size);
  const out = buffer.data.subarray(0, size);
  for (let k = 0; k < indices.length; k++) {
    const base = (indices[k] as number) * cols;
    const at = k * cols;
    for (let j = 0; j < cols; j++) out[at + j] = data[base + j] as number;
  }
  return isChecked(matrix) ? { data: out, rows: indices.length, cols, checked: true } : { data: out, rows: indices.length, cols };
}

/** Throws unless the matrix is a DenseMatrix whose buffer holds rows × cols values. O(1). */
function requireShape(matrix: DenseMatrix, name: string): void {
  const given = matrix as Partial<DenseMatrix> | null;
  if (
    given === null ||
    typeof given !== 'object' ||
    !(given.data instanceof Float64Array) ||
    !Number.isSafeInteger(given.rows) ||
    !Number.isSafeInteger(given.cols) ||
    (given.rows as number) < 0 ||
    (given.cols as number) < 0 ||
    given.data.length < (given.rows as number) * (given.cols as number)
  ) {
    throw new InputError('wrong_type', name, `${name} must be a DenseMatrix { data: Float64Array, rows, cols } with rows × cols values (see toDenseMatrix)`);
  }
}

/** Throws unless every index is an integer row number in [0, rows). O(k), no copy for typed arrays. */
function requireRowIndices(indices: ArrayLike<number>, rows: number): void {
  const values = indices instanceof Int32Array || indices instanceof Uint32Array ? indices : numericVector('indices', indices, 0);
  for (let k = 0; k < values.length; k++) {
    const index = values[k] as number;
    if (!(index >= 0 && index < rows && Math.floor(index) === index)) {
      throw new InputError('out_of_range', 'indices', `indices must be row numbers in [0, ${rows}), got ${index} at position ${k}`, k);
    }
  }
}

/**
 * {@link takeRows} that also checks the copied values, so a matrix whose
 * check was deferred is checked row by row as its rows are copied (no pass
 * of its own): `not_finite` names the row of `matrix`. With `into` (long
 * enough), the rows are copied into its start and the result views it: the
 * caller owns that buffer and must not reuse it while the result is in use.
 * @internal
 */
export function takeFiniteRows(matrix: DenseMatrix, indices: ArrayLike<number>, name = 'X', into?: Float64Array): DenseMatrix {
  const { taken, finite } = copyRows(matrix, indices, into);
  if (!finite && !isChecked(matrix)) requireFinite(taken, name, indices);
  return { ...taken, checked: true };
}

function copyRows(matrix: DenseMatrix, indices: ArrayLike<number>, into?: Float64Array): { taken: DenseMatrix; finite: boolean } {
  const { data, cols } = matrix;
  const size = indices.length * cols;
  const out = into !== undefined && into.length >= size ? into.subarray(0, size) : new Float64Array(size);
  // x·0 is 0 for finite x and NaN otherwise: two running sums of it stay 0 exactly when every copied value is finite.
  let a = 0;
  let b = 0;
  for (let k = 0; k < indices.length; k++) {
    const base = (indices[k] as number) * cols;
    const at = k * cols;
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      const u = data[base + j] as number;
      const v = data[base + j + 1] as number;
      out[at + j] = u;
      out[at + j + 1] = v;
      a += u * 0;
      b += v * 0;
    }
    if (j < cols) {
      const u = data[base + j] as number;
      out[at + j] = u;
      a += u * 0;
    }
  }
  return { taken: { data: out, rows: indices.length, cols }, finite: a + b === 0 };
}
