import { InputError } from '../errors.js';
import { choleskyInverse, choleskySolve, pivotedCholesky } from '../linalg/cholesky.js';
import { type LinearModel, interceptVariances } from '../models/fitLinear.js';
import type { LogisticModel } from '../models/fitLogistic.js';
import type { Term } from '../models/term.js';
import { normalQuantile, normalSf } from '../stats/normal.js';
import { studentTQuantile, studentTSf } from '../stats/studentT.js';
import { finiteVector } from '../internal/validate.js';
import { type Dialect, requireDialect } from './dialect.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

/** A model input: a column, or a named SQL expression over the source's columns. */
export type SqlFeature = string | { readonly name: string; readonly sql: string };

export interface SqlFitOptions {
  /** The columns (or expressions) of X, in order. */
  readonly features: readonly SqlFeature[];
  /** The outcome column (0/1 for the logistic model). */
  readonly outcome: string;
  /** An extra SQL condition selecting the rows (a holdout split, an arm). */
  readonly where?: string;
  /** Interval coverage 1 − alpha for the terms. Default 0.05. */
  readonly alpha?: number;
}

export interface SqlLogisticOptions extends SqlFitOptions {
  /** L2 penalty λ on β (not the intercept), as `fitLogistic`. Default 0. */
  readonly l2?: number;
  /** Newton iterations (one pass over the rows each). Default 100. */
  readonly maxIterations?: number;
  /** Converged when max |gradient| ≤ tolerance · max(1, |objective|) and the last step was small. Default 1e-10. */
  readonly tolerance?: number;
  /**
   * Where Newton's method starts: the intercept, then one coefficient per
   * feature (e.g. a fit on a sample of the rows). A start near the optimum
   * saves passes over the rows; the optimum is the same. Default: the
   * intercept at the log-odds of the outcome, the coefficients 0.
   */
  readonly start?: readonly number[];
}

function featureSql(d: Dialect, feature: SqlFeature): string {
  return typeof feature === 'string' ? d.double(d.identifier(feature)) : d.double(`(${feature.sql})`);
}

function featureName(feature: SqlFeature): string {
  return typeof feature === 'string' ? feature : feature.name;
}

function checkOptions(options: SqlFitOptions): number {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.features)) throw new InputError('invalid_option', 'features', 'features must be an array of columns or { name, sql }');
  if (typeof options.outcome !== 'string') throw new InputError('invalid_option', 'outcome', 'outcome must be a column name');
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  return alpha;
}

/**
 * The rows of the fit as a subquery with columns x0…, y: every feature and
 * the outcome cast to double, with a flag for rows with a NULL anywhere.
 */
function inputs(d: Dialect, source: SqlSource, options: SqlFitOptions): string {
  const xs = options.features.map((f, j) => `${featureSql(d, f)} AS ${d.identifier(`x${j}`)}`);
  const where = options.where === undefined ? '' : ` WHERE ${options.where}`;
  return `SELECT ${[...xs, `${d.double(d.identifier(options.outcome))} AS ${d.identifier('y')}`].join(', ')} FROM ${fromClause(d, source)}${where}`;
}

/** Counts: rows, rows with a NULL, Σy, and rows whose y is not 0/1. */
async function countPass(engine: SqlEngine, d: Dialect, source: SqlSource, options: SqlFitOptions): Promise<{ n: number; sumY: number; nonBinary: number }> {
  const p = options.features.length;
  const nulls = [...Array.from({ length: p }, (_, j) => `${d.identifier(`x${j}`)} IS NULL`), `${d.identifier('y')} IS NULL`].join(' OR ');
  const y = d.identifier('y');
  const sql = `SELECT ${d.double('COUNT(*)')} AS ${d.identifier('n')}, ${d.double(`SUM(CASE WHEN ${nulls} THEN 1 ELSE 0 END)`)} AS ${d.identifier('nulls')}, ${d.double(`SUM(${y})`)} AS ${d.identifier('sum_y')}, ${d.double(`SUM(CASE WHEN ${y} = 0 OR ${y} = 1 THEN 0 ELSE 1 END)`)} AS ${d.identifier('non_binary')} FROM (${inputs(d, source, options)}) AS ${d.identifier('rows')}`;
  const row = (await engine.query(sql))[0] ?? {};
  const n = numberOf(row.n, 'n');
  const nulls_ = numberOf(row.nulls, 'nulls');
  if (n === 0) throw new InputError('empty', 'source', 'no rows to fit');
  if (nulls_ > 0) throw new InputError('not_finite', 'X', `${nulls_} row(s) have a NULL feature or outcome; impute or filter them first`);
  return { n, sumY: numberOf(row.sum_y, 'sum_y'), nonBinary: numberOf(row.non_binary, 'non_binary') };
}

/** η = b₀ + Σ βⱼxⱼ with the coefficients written into the query. */
function linearPredictor(d: Dialect, theta: Float64Array): string {
  const parts = [d.number(theta[0] as number)];
  for (let j = 1; j < theta.length; j++) parts.push(`${d.number(theta[j] as number)} * ${d.identifier(`x${j - 1}`)}`);
  return parts.join(' + ');
}

/** The columns of the design with the intercept: '1', x0, x1, … */
function designColumns(d: Dialect, p: number): string[] {
  return ['1', ...Array.from({ length: p }, (_, j) => d.identifier(`x${j}`))];
}

interface LogisticPass {
  objective: number;
  gradient: Float64Array;
  hessian: Float64Array;
  fitted: number;
  saturated: number;
  /** The rows of the pass, those with a NULL, Σy and the rows whose y is not 0/1 (the count pass's checks, read from any pass). */
  counts: { n: number; nulls: number; sumY: number; nonBinary: number };
}

/** The SQL of one Newton pass: the log-loss, X'(μ − y) and X'WX at θ. @internal */
export function logisticPassSql(d: Dialect, source: SqlSource, options: SqlFitOptions, theta: Float64Array): string {
  requireDialect(d);
  checkOptions(options);
  const q = finiteVector('theta', theta).length;
  if (q !== options.features.length + 1) throw new InputError('length_mismatch', 'theta', `theta has ${q} values; the intercept and ${options.features.length} features need ${options.features.length + 1}`);
  const cols = designColumns(d, q - 1);
  const [eta, mu, y, w, r] = ['eta', 'mu', 'y', 'w', 'r'].map((name) => d.identifier(name)) as [string, string, string, string, string];
  const xs = Array.from({ length: q - 1 }, (_, j) => d.identifier(`x${j}`));
  // Each level fenced: PostgreSQL would otherwise expand μ, η and every feature's expression into each of the q² sums.
  const withEta = `SELECT ${[...xs, y].join(', ')}, ${linearPredictor(d, theta)} AS ${eta} FROM (${d.fence(inputs(d, source, options))}) AS ${d.identifier('rows')}`;
  const sigmoid = `CASE WHEN ${eta} >= 0 THEN 1 / (1 + EXP(-${eta})) ELSE EXP(${eta}) / (1 + EXP(${eta})) END`;
  const withMu = `SELECT ${[...xs, y, eta].join(', ')}, ${sigmoid} AS ${mu} FROM (${d.fence(withEta)}) AS ${d.identifier('linear')}`;
  const terms = `SELECT ${[...xs, y, eta, mu].join(', ')}, ${mu} * (1 - ${mu}) AS ${w}, ${mu} - ${y} AS ${r}, GREATEST(${eta}, 0) + LN(1 + EXP(-ABS(${eta}))) - ${y} * ${eta} AS ${d.identifier('loss')} FROM (${d.fence(withMu)}) AS ${d.identifier('fitted')}`;
  const times = (a: string, b: string) => (a === '1' ? b : b === '1' ? a : `${a} * ${b}`);
  const select = [`${d.double(`SUM(${d.identifier('loss')})`)} AS ${d.identifier('objective')}`];
  cols.forEach((c, j) => select.push(`${d.double(`SUM(${times(r, c)})`)} AS ${d.identifier(`g${j}`)}`));
  for (let j = 0; j < q; j++) for (let k = j; k < q; k++) select.push(`${d.double(`SUM(${times(w, times(cols[j] as string, cols[k] as string))})`)} AS ${d.identifier(`h${j}_${k}`)}`);
  select.push(`${d.double(`SUM(CASE WHEN ABS(${mu} - ${y}) < ${d.number(1e-6)} THEN 1 ELSE 0 END)`)} AS ${d.identifier('fitted_rows')}`);
  select.push(`${d.double(`SUM(CASE WHEN ABS(${eta}) > 25 THEN 1 ELSE 0 END)`)} AS ${d.identifier('saturated')}`);
  select.push(...countColumns(d, xs, y));
  return `SELECT ${select.join(',\n  ')}\nFROM (${d.fence(terms)}) AS ${d.identifier('terms')}`;
}

/** A pass's row count, NULL rows, Σy and non-0/1 outcomes: the count pass's checks, computed alongside the sums. */
function countColumns(d: Dialect, xs: readonly string[], y: string): string[] {
  const nulls = [...xs, y].map((c) => `${c} IS NULL`).join(' OR ');
  return [
    `${d.double('COUNT(*)')} AS ${d.identifier('rows_n')}`,
    `${d.double(`SUM(CASE WHEN ${nulls} THEN 1 ELSE 0 END)`)} AS ${d.identifier('null_rows')}`,
    `${d.double(`SUM(${y})`)} AS ${d.identifier('sum_y')}`,
    `${d.double(`SUM(CASE WHEN ${y} = 0 OR ${y} = 1 THEN 0 ELSE 1 END)`)} AS ${d.identifier('non_binary')}`,
  ];
}

const countsOf = (row: Readonly<Record<string, unknown>>) => ({ n: numberOf(row.rows_n ?? 0, 'n'), nulls: numberOf(row.null_rows ?? 0, 'nulls'), sumY: numberOf(row.sum_y ?? 0, 'sum_y'), nonBinary: numberOf(row.non_binary ?? 0, 'non_binary') });

/** The sums one Newton pass returns, before the penalty: loss, X'(μ − y), X'WX, and the separation counts. */
type RawPass = (theta: Float64Array) => Promise<LogisticPass>;

/** The plain pass: one aggregate over the rows of the design [1, x]. */
function plainPass(engine: SqlEngine, d: Dialect, source: SqlSource, options: SqlFitOptions): RawPass {
  return async (theta) => {
    const q = theta.length;
    const row = (await engine.query(logisticPassSql(d, source, options, theta)))[0] ?? {};
    const gradient = new Float64Array(q);
    const hessian = new Float64Array(q * q);
    for (let j = 0; j < q; j++) gradient[j] = numberOf(row[`g${j}`], 'gradient');
    for (let j = 0; j < q; j++) {
      for (let k = j; k < q; k++) {
        const v = numberOf(row[`h${j}_${k}`], 'hessian');
        hessian[j * q + k] = v;
        hessian[k * q + j] = v;
      }
    }
    return { objective: numberOf(row.objective, 'objective'), gradient, hessian, fitted: numberOf(row.fitted_rows, 'fitted'), saturated: numberOf(row.saturated, 'saturated'), counts: countsOf(row) };
  };
}

/**
 * The pass of a design [1, x, t, t·x] (or [1, x, t]) with t ∈ {0, 1}: the
 * sums of the base design [1, x] grouped by t, from which every sum of the
 * full design follows (a product with t is the t = 1 group's sum) — about
 * half the sums of the plain pass, and no t·x column per row.
 */
function treatmentPass(engine: SqlEngine, d: Dialect, source: SqlSource, options: SqlFitOptions, treated: string, interactions: boolean): RawPass {
  const p = options.features.length;
  // Design column c → (its base column, whether it carries t).
  const design: [number, boolean][] = [...Array.from({ length: p + 1 }, (_, b) => [b, false] as [number, boolean]), [0, true], ...(interactions ? Array.from({ length: p }, (_, j) => [j + 1, true] as [number, boolean]) : [])];
  const id = (name: string) => d.identifier(name);
  return async (theta) => {
    const q = theta.length;
    const base = Float64Array.from({ length: p + 1 }, (_, b) => theta[b] as number);
    const shift = Float64Array.from({ length: p + 1 }, (_, b) => (b === 0 ? (theta[p + 1] as number) : interactions ? (theta[p + 1 + b] as number) : 0));
    const rows = `SELECT ${[...options.features.map((f, j) => `${featureSql(d, f)} AS ${id(`x${j}`)}`), `${d.double(id(options.outcome))} AS ${id('y')}`, `CASE WHEN ${treated} THEN 1 ELSE 0 END AS ${id('t')}`].join(', ')} FROM ${fromClause(d, source)}${options.where === undefined ? '' : ` WHERE ${options.where}`}`;
    const eta = `${linearPredictor(d, base)} + ${id('t')} * (${linearPredictor(d, shift)})`;
    const sql = groupedPassSql(d, rows, p, eta, id('t'));
    const result = await engine.query(sql);
    const group = (t: number) => result.find((r) => numberOf(r.t, 't') === t) ?? {};
    const sums = [group(0), group(1)].map((row) => ({
      objective: numberOf(row.objective ?? 0, 'objective'),
      g: Float64Array.from({ length: p + 1 }, (_, j) => numberOf(row[`g${j}`] ?? 0, 'gradient')),
      h: (j: number, k: number) => numberOf(row[`h${Math.min(j, k)}_${Math.max(j, k)}`] ?? 0, 'hessian'),
      fitted: numberOf(row.fitted_rows ?? 0, 'fitted'),
      saturated: numberOf(row.saturated ?? 0, 'saturated'),
      counts: countsOf(row),
    })) as [GroupSums, GroupSums];
    const [s0, s1] = sums;
    const gradient = new Float64Array(q);
    const hessian = new Float64Array(q * q);
    design.forEach(([b, withT], c) => {
      gradient[c] = withT ? (s1.g[b] as number) : (s0.g[b] as number) + (s1.g[b] as number);
      design.forEach(([b2, withT2], c2) => {
        hessian[c * q + c2] = withT || withT2 ? s1.h(b, b2) : s0.h(b, b2) + s1.h(b, b2);
      });
    });
    const counts = { n: s0.counts.n + s1.counts.n, nulls: s0.counts.nulls + s1.counts.nulls, sumY: s0.counts.sumY + s1.counts.sumY, nonBinary: s0.counts.nonBinary + s1.counts.nonBinary };
    return { objective: s0.objective + s1.objective, gradient, hessian, fitted: s0.fitted + s1.fitted, saturated: s0.saturated + s1.saturated, counts };
  };
}

interface GroupSums {
  objective: number;
  g: Float64Array;
  h: (j: number, k: number) => number;
  fitted: number;
  saturated: number;
  counts: LogisticPass['counts'];
}

/** The grouped pass's SQL: per value of `group`, the loss, Σ(μ − y)z and Σ w z zᵀ of the base design z = [1, x]. */
function groupedPassSql(d: Dialect, rows: string, p: number, eta: string, group: string): string {
  const id = (name: string) => d.identifier(name);
  const cols = designColumns(d, p);
  const xs = Array.from({ length: p }, (_, j) => id(`x${j}`));
  const [e, mu, y, w, r] = [id('eta'), id('mu'), id('y'), id('w'), id('r')];
  const withEta = `SELECT ${[...xs, y, group].join(', ')}, ${eta} AS ${e} FROM (${d.fence(rows)}) AS ${id('rows')}`;
  const sigmoid = `CASE WHEN ${e} >= 0 THEN 1 / (1 + EXP(-${e})) ELSE EXP(${e}) / (1 + EXP(${e})) END`;
  const withMu = `SELECT ${[...xs, y, group, e].join(', ')}, ${sigmoid} AS ${mu} FROM (${d.fence(withEta)}) AS ${id('linear')}`;
  const terms = `SELECT ${[...xs, y, group, e, mu].join(', ')}, ${mu} * (1 - ${mu}) AS ${w}, ${mu} - ${y} AS ${r}, GREATEST(${e}, 0) + LN(1 + EXP(-ABS(${e}))) - ${y} * ${e} AS ${id('loss')} FROM (${d.fence(withMu)}) AS ${id('fitted')}`;
  const times = (a: string, b: string) => (a === '1' ? b : b === '1' ? a : `${a} * ${b}`);
  const select = [`${group} AS ${id('t')}`, `${d.double(`SUM(${id('loss')})`)} AS ${id('objective')}`];
  cols.forEach((c, j) => select.push(`${d.double(`SUM(${times(r, c)})`)} AS ${id(`g${j}`)}`));
  for (let j = 0; j <= p; j++) for (let k = j; k <= p; k++) select.push(`${d.double(`SUM(${times(w, times(cols[j] as string, cols[k] as string))})`)} AS ${id(`h${j}_${k}`)}`);
  select.push(`${d.double(`SUM(CASE WHEN ABS(${mu} - ${y}) < ${d.number(1e-6)} THEN 1 ELSE 0 END)`)} AS ${id('fitted_rows')}`);
  select.push(`${d.double(`SUM(CASE WHEN ABS(${e}) > 25 THEN 1 ELSE 0 END)`)} AS ${id('saturated')}`);
  select.push(...countColumns(d, xs, y));
  return `SELECT ${select.join(',\n  ')}\nFROM (${d.fence(terms)}) AS ${id('terms')}\nGROUP BY ${group}`;
}

/** A raw pass with the L2 penalty ½λ‖β‖² (not the intercept) added. */
async function logisticPass(pass: RawPass, theta: Float64Array, l2: number): Promise<LogisticPass> {
  const q = theta.length;
  const raw = await pass(theta);
  let objective = raw.objective;
  const { gradient, hessian } = raw;
  for (let j = 1; j < q; j++) {
    const b = theta[j] as number;
    objective += 0.5 * l2 * b * b;
    gradient[j] = (gradient[j] as number) + l2 * b;
    hessian[j * q + j] = (hessian[j * q + j] as number) + l2;
  }
  return { objective, gradient, hessian, fitted: raw.fitted, saturated: raw.saturated, counts: raw.counts };
}

/** −H⁻¹g by pivoted Cholesky on the unit-diagonal scaling (dependent directions stay still). */
function newtonStep(h: Float64Array, g: Float64Array, q: number): Float64Array {
  const scale = new Float64Array(q);
  for (let j = 0; j < q; j++) scale[j] = Math.sqrt(Math.max(h[j * q + j] as number, 1e-300));
  const scaled = new Float64Array(q * q);
  for (let j = 0; j < q; j++) for (let k = 0; k < q; k++) scaled[j * q + k] = (h[j * q + k] as number) / ((scale[j] as number) * (scale[k] as number));
  const factor = pivotedCholesky(scaled, q, 1e-14);
  const rhs = new Float64Array(factor.rank);
  for (let k = 0; k < factor.rank; k++) {
    const j = factor.order[k] as number;
    rhs[k] = -(g[j] as number) / (scale[j] as number);
  }
  const solution = choleskySolve(factor.factor, factor.rank, rhs);
  const step = new Float64Array(q);
  for (let k = 0; k < factor.rank; k++) {
    const j = factor.order[k] as number;
    step[j] = (solution[k] as number) / (scale[j] as number);
  }
  return step;
}

function inverseSymmetric(h: Float64Array, q: number): Float64Array | undefined {
  const factor = pivotedCholesky(h, q, 1e-14);
  if (factor.rank < q) return undefined;
  const inverse = choleskyInverse(factor.factor, q);
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) out[(factor.order[a] as number) * q + (factor.order[b] as number)] = inverse[a * q + b] as number;
  return out;
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

function plainTerm(name: string, estimate: number): Term {
  return { name, estimate, standardError: null, robustStandardError: null, statistic: null, pValue: null, ci: [null, null], dropped: false };
}

/**
 * Logistic regression fitted where the rows live: Newton's method with
 * one pass over the rows per iteration, the current coefficients written
 * into the query as literals, the engine returning the log-loss, X'(μ − y)
 * and X'WX (W = μ(1 − μ)) by one aggregate SELECT; the step (with step
 * halving when the loss rises) is solved in memory. The same
 * `LogisticModel` as `fitLogistic` (coefficients, standard errors from the
 * inverse Hessian, z tests, separation), agreeing to 1e-9 relative; only
 * `iterations`, `gradientNorm` and `solver` describe this solver. O(n·p²)
 * per pass in the engine, O(p³) in memory.
 *
 * @throws InputError `empty`, `not_finite` (a NULL in X or y), `not_binary`,
 *   `single_class`, `invalid_option`
 */
export async function fitLogisticSql(engine: SqlEngine, source: SqlSource, options: SqlLogisticOptions): Promise<LogisticModel> {
  const d = engineDialect(engine);
  return fitLogisticCore(engine, d, source, options, options.features.map(featureName), plainPass(engine, d, source, options), options.features.length + 1);
}

/**
 * The logistic model of an S-learner's design — the features, then a 0/1
 * treatment indicator t (`treated`, a SQL condition), then t times each
 * feature when `interactions` — fitted as `fitLogisticSql` fits the design
 * written out, but with each pass's sums grouped by t over the features
 * alone (see `treatmentPass`). Coefficients in the design's order, named
 * as the features, `t`, `t*<feature>`. @internal
 */
export async function fitTreatmentLogisticSql(engine: SqlEngine, source: SqlSource, options: SqlLogisticOptions & { readonly treated: string; readonly interactions: boolean }): Promise<LogisticModel> {
  const d = engineDialect(engine);
  const names = options.features.map(featureName);
  const allNames = [...names, 't', ...(options.interactions ? names.map((n) => `t*${n}`) : [])];
  return fitLogisticCore(engine, d, source, options, allNames, treatmentPass(engine, d, source, options, options.treated, options.interactions), allNames.length + 1);
}

async function fitLogisticCore(engine: SqlEngine, d: Dialect, source: SqlSource, options: SqlLogisticOptions, names: readonly string[], pass: RawPass, q: number): Promise<LogisticModel> {
  const alpha = checkOptions(options);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new InputError('invalid_option', 'l2', `l2 must be ≥ 0, got ${l2}`);
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  if (options.start !== undefined && (options.start.length !== q || options.start.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new InputError('invalid_option', 'start', `start must hold ${q} finite numbers (the intercept, then one per feature), got ${options.start.length}`);
  }
  const check = ({ n, nulls, sumY, nonBinary }: LogisticPass['counts']) => {
    if (n === 0) throw new InputError('empty', 'source', 'no rows to fit');
    if (nulls > 0) throw new InputError('not_finite', 'X', `${nulls} row(s) have a NULL feature or outcome; impute or filter them first`);
    if (nonBinary > 0) throw new InputError('not_binary', options.outcome, `'${options.outcome}' has ${nonBinary} row(s) that are neither 0 nor 1`);
    if (sumY === 0 || sumY === n) throw new InputError('single_class', options.outcome, `'${options.outcome}' has only ${sumY === 0 ? '0s' : '1s'}; a logistic model needs both classes`);
  };
  let theta: Float64Array;
  let current: LogisticPass;
  if (options.start !== undefined) {
    // From a given start the first pass carries the count pass's checks: one scan fewer.
    theta = Float64Array.from(options.start);
    current = await logisticPass(pass, theta, l2);
    check(current.counts);
  } else {
    const counts = await countPass(engine, d, source, options);
    check({ ...counts, nulls: 0 });
    theta = new Float64Array(q);
    theta[0] = Math.log(counts.sumY / (counts.n - counts.sumY));
    current = await logisticPass(pass, theta, l2);
  }
  const n = current.counts.n;
  let iterations = 0;
  let converged = false;
  let lastStep = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations) {
    const gradientNorm = maxAbs(current.gradient);
    const thetaScale = Math.max(1, maxAbs(theta));
    if (gradientNorm <= tolerance * Math.max(1, Math.abs(current.objective)) && lastStep <= 1e-7 * thetaScale) {
      converged = true;
      break;
    }
    const step = newtonStep(current.hessian, current.gradient, q);
    // A penalised fit reports no standard errors, so when the next step is already negligible it is taken
    // without another pass (the quadratic convergence leaves an error of about its square).
    if (l2 > 0 && gradientNorm <= tolerance * Math.max(1, Math.abs(current.objective)) && maxAbs(step) <= 1e-7 * thetaScale) {
      theta = theta.map((t, j) => t + (step[j] as number));
      iterations++;
      converged = true;
      break;
    }
    let factor = 1;
    let next: LogisticPass;
    let candidate: Float64Array = theta;
    for (;;) {
      candidate = theta.map((t, j) => t + factor * (step[j] as number));
      next = await logisticPass(pass, candidate, l2);
      // Accept a step that does not raise the loss beyond its rounding; else halve it.
      if (next.objective <= current.objective + 1e-12 * Math.abs(current.objective) || factor < 1e-10) break;
      factor /= 2;
    }
    iterations++;
    lastStep = factor * maxAbs(step);
    theta = candidate;
    current = next;
  }
  const gradientNorm = maxAbs(current.gradient);
  let separation: 'complete' | 'quasi' | null = null;
  if (l2 === 0) {
    if (current.fitted === n) separation = 'complete';
    else if (current.saturated > 0 && !converged) separation = 'quasi';
  }
  const coefficientNames = ['(intercept)', ...names];
  let terms: Term[];
  if (l2 === 0 && separation === null) {
    const covariance = inverseSymmetric(current.hessian, q);
    const z = normalQuantile(1 - alpha / 2);
    terms = coefficientNames.map((name, k) => {
      const variance = covariance?.[k * q + k];
      const estimate = theta[k] as number;
      if (variance === undefined || !(variance > 0)) return plainTerm(name, estimate);
      const se = Math.sqrt(variance);
      const statistic = estimate / se;
      return { name, estimate, standardError: se, robustStandardError: null, statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))), ci: [estimate - z * se, estimate + z * se], dropped: false };
    });
  } else terms = coefficientNames.map((name, k) => plainTerm(name, theta[k] as number));
  return {
    kind: 'logistic',
    names: [...names],
    intercept: theta[0] as number,
    coefficients: Array.from(theta.subarray(1)),
    fitIntercept: true,
    l2,
    l1: 0,
    n,
    solver: 'newton',
    converged: converged && separation === null,
    iterations,
    gradientNorm,
    objective: current.objective,
    separation,
    warning:
      separation === null
        ? converged
          ? null
          : `did not converge in ${iterations} iterations (max |gradient| ${gradientNorm.toExponential(3)}); raise maxIterations or set l2`
        : `the classes are ${separation === 'complete' ? 'completely' : 'quasi-completely'} separable: the unpenalised coefficients diverge; set l2 (e.g. 1) for a finite fit`,
    terms,
  };
}

/**
 * Least squares fitted where the rows live, ordinary or ridge (`l2`: λ‖β‖²
 * added, the intercept unpenalised, as `fitLinear`), in three passes: the
 * rows (and their NULLs) and means; the centred X'X, X'y and y'y (means written into the query, so
 * large offsets cancel before squaring); and, with the coefficients written
 * in, the residual sum of squares and the HC1 meat Σ r² z zᵀ (ridge: the
 * residual sum of squares alone, a ridge fit has no standard errors). The
 * system is solved in memory as `fitLinear` solves it (pivoted Cholesky on
 * the correlation scale of X'X + λI, collinear columns dropped), giving the
 * same `LinearModel` — classical and robust standard errors, R² — to 1e-9
 * relative. O(n·p²) in the engine.
 *
 * @throws InputError `empty`, `not_finite` (a NULL), `singular` (too few rows), `invalid_option`
 */
export async function fitLinearSql(engine: SqlEngine, source: SqlSource, options: SqlFitOptions & { readonly rankTolerance?: number; readonly l2?: number }): Promise<LinearModel> {
  const d = engineDialect(engine);
  const alpha = checkOptions(options);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new InputError('invalid_option', 'l2', `l2 must be ≥ 0, got ${l2}`);
  const p = options.features.length;
  const q = p + 1;
  const rowsSql = `(${d.fence(inputs(d, source, options))}) AS ${d.identifier('rows')}`;
  const xs = Array.from({ length: p }, (_, j) => d.identifier(`x${j}`));
  const y = d.identifier('y');
  // Pass 1: the rows, those with a NULL, and the means.
  const nullRows = [...xs, y].map((c) => `${c} IS NULL`).join(' OR ');
  const meanRow = (await engine.query(`SELECT ${d.double('COUNT(*)')} AS ${d.identifier('n')}, ${d.double(`SUM(CASE WHEN ${nullRows} THEN 1 ELSE 0 END)`)} AS ${d.identifier('nulls')}, ${[...xs, y].map((c, j) => `${d.double(`AVG(${c})`)} AS ${d.identifier(`m${j}`)}`).join(', ')} FROM ${rowsSql}`))[0] ?? {};
  const n = numberOf(meanRow.n, 'n');
  const nulls = numberOf(meanRow.nulls ?? 0, 'nulls');
  if (n === 0) throw new InputError('empty', 'source', 'no rows to fit');
  if (nulls > 0) throw new InputError('not_finite', 'X', `${nulls} row(s) have a NULL feature or outcome; impute or filter them first`);
  if (l2 === 0 && n < p + 1) throw new InputError('singular', 'X', `${n} rows cannot determine ${p + 1} coefficients; add rows or set l2`);
  const means = Float64Array.from({ length: q }, (_, j) => numberOf(meanRow[`m${j}`], 'mean'));
  // Pass 2: centred cross products of [x, y].
  const centred = [...xs, y].map((c, j) => `(${c} - ${d.number(means[j] as number)})`);
  const products: string[] = [];
  for (let j = 0; j < q; j++) for (let k = j; k < q; k++) products.push(`${d.double(`SUM(${centred[j]} * ${centred[k]})`)} AS ${d.identifier(`s${j}_${k}`)}`);
  const scatterRow = (await engine.query(`SELECT ${products.join(', ')} FROM ${rowsSql}`))[0] ?? {};
  const scatter = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    for (let k = j; k < q; k++) {
      const v = numberOf(scatterRow[`s${j}_${k}`], 'scatter');
      scatter[j * q + k] = v;
      scatter[k * q + j] = v;
    }
  }
  // Solve on the unit-diagonal scale, as fitLinear.
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const v = (scatter[j * q + j] as number) + l2;
    scale[j] = v > 0 ? Math.sqrt(v) : 0;
  }
  const scaled = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) {
      const sj = scale[j] as number;
      const sk = scale[k] as number;
      scaled[j * p + k] = sj > 0 && sk > 0 ? ((scatter[j * q + k] as number) + (j === k ? l2 : 0)) / (sj * sk) : 0;
    }
  }
  const factor = pivotedCholesky(scaled, p, options.rankTolerance ?? 1e-10);
  const rank = factor.rank;
  const kept = Array.from(factor.order.slice(0, rank));
  const dropped = Array.from(factor.order.subarray(rank)).sort((a, b) => a - b);
  const df = n - rank - 1;
  if (l2 === 0 && df < 0) throw new InputError('singular', 'X', `${n} rows cannot determine ${rank + 1} coefficients; add rows or set l2`);
  const rhs = new Float64Array(rank);
  kept.forEach((j, k) => {
    rhs[k] = (scatter[j * q + p] as number) / (scale[j] as number);
  });
  const gamma = choleskySolve(factor.factor, rank, rhs);
  const beta = new Float64Array(p);
  kept.forEach((j, k) => {
    beta[j] = (gamma[k] as number) / (scale[j] as number);
  });
  let intercept = means[p] as number;
  for (const j of kept) intercept -= (beta[j] as number) * (means[j] as number);
  // Pass 3: residuals with the coefficients written in; RSS and the HC1 meat about the means.
  const m = rank + 1;
  const residual = `(${y} - (${[d.number(intercept), ...kept.map((j) => `${d.number(beta[j] as number)} * ${xs[j]}`)].join(' + ')}))`;
  const z = ['1', ...kept.map((j) => centred[j] as string)];
  const inference = l2 === 0 && df > 0;
  const meatParts = [`${d.double(`SUM(${residual} * ${residual})`)} AS ${d.identifier('rss')}`];
  // A ridge fit has no standard errors (as fitLinear): the residual sum of squares alone.
  if (inference) for (let a = 0; a < m; a++) for (let b = a; b < m; b++) meatParts.push(`${d.double(`SUM(${residual} * ${residual} * ${z[a]} * ${z[b]})`)} AS ${d.identifier(`r${a}_${b}`)}`);
  const meatRow = (await engine.query(`SELECT ${meatParts.join(', ')} FROM ${rowsSql}`))[0] ?? {};
  const rss = numberOf(meatRow.rss, 'rss');
  const meat = new Float64Array(m * m);
  for (let a = 0; a < m && inference; a++) {
    for (let b = a; b < m; b++) {
      const v = numberOf(meatRow[`r${a}_${b}`], 'meat');
      meat[a * m + b] = v;
      meat[b * m + a] = v;
    }
  }
  const tss = scatter[p * q + p] as number;
  const r2 = tss > 0 ? 1 - rss / tss : rss === 0 ? 1 : 0;
  const names = options.features.map(featureName);
  const terms: Term[] = [];
  const dropTerm = (name: string): Term => ({ name, estimate: 0, standardError: null, robustStandardError: null, statistic: null, pValue: null, ci: [null, null], dropped: true });
  if (inference) {
    const sigma2 = rss / df;
    const inverseScaled = choleskyInverse(factor.factor, rank);
    const covariance = new Float64Array(rank * rank);
    for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) covariance[a * rank + b] = (inverseScaled[a * rank + b] as number) / ((scale[kept[a] as number] as number) * (scale[kept[b] as number] as number));
    const bread = new Float64Array(m * m);
    bread[0] = 1 / n;
    for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) bread[(a + 1) * m + (b + 1)] = covariance[a * rank + b] as number;
    const robust = sandwich(bread, meat, m, n / df);
    const t = studentTQuantile(1 - alpha / 2, df);
    const term = (name: string, estimate: number, variance: number, robustVariance: number): Term => {
      const se = Math.sqrt(variance);
      const statistic = se > 0 ? estimate / se : null;
      return { name, estimate, standardError: se, robustStandardError: Math.sqrt(Math.max(0, robustVariance)), statistic, pValue: statistic === null ? null : Math.min(1, 2 * studentTSf(Math.abs(statistic), df)), ci: [estimate - t * se, estimate + t * se], dropped: false };
    };
    const { classical, sandwiched } = interceptVariances(sigma2, n, robust, covariance, means, kept, rank, m);
    terms.push(term('(intercept)', intercept, classical, sandwiched));
    names.forEach((name, j) => {
      const k = kept.indexOf(j);
      if (k < 0) terms.push(dropTerm(name));
      else terms.push(term(name, beta[j] as number, sigma2 * (covariance[k * rank + k] as number), robust[(k + 1) * m + (k + 1)] as number));
    });
  } else {
    terms.push(plainTerm('(intercept)', intercept));
    names.forEach((name, j) => terms.push(dropped.includes(j) ? dropTerm(name) : plainTerm(name, beta[j] as number)));
  }
  return {
    kind: 'linear',
    names,
    intercept,
    coefficients: Array.from(beta),
    fitIntercept: true,
    l2,
    n,
    rank,
    dropped,
    terms,
    r2,
    adjustedR2: df > 0 ? 1 - ((n - 1) / df) * (1 - r2) : null,
    residualStandardError: df > 0 ? Math.sqrt(rss / df) : null,
    dfResidual: df,
  };
}

/** B M B · factor for symmetric m × m B and M. */
function sandwich(bread: Float64Array, meat: Float64Array, m: number, factor: number): Float64Array {
  const left = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += (bread[a * m + c] as number) * (meat[c * m + b] as number);
    left[a * m + b] = s;
  }
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let c = 0; c < m; c++) s += (left[a * m + c] as number) * (bread[c * m + b] as number);
    out[a * m + b] = s * factor;
  }
  return out;
}
