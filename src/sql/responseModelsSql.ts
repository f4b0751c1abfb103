import { PERFECT_SEPARATION, type ResponseModel } from '../campaign/responseModels.js';
import { InputError } from '../errors.js';
import type { FittedPipeline } from '../features/pipeline.js';
import { sortedQuantile } from '../internal/quantile.js';
import type { LinearModel } from '../models/fitLinear.js';
import type { LogisticModel } from '../models/fitLogistic.js';
import type { Term } from '../models/term.js';
import type { Dialect } from './dialect.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';
import { fitLinearSql, fitLogisticSql } from './fitSql.js';
import { holdoutSql } from './holdout.js';
import { pipelineSql } from './policyToSql.js';

/** Float64 epsilon, 2⁻⁵²: the probability clip of `logLoss`. */
const EPSILON = 2 ** -52;
/** Bins of the response models' calibration curve (quantile strategy), as the in-memory stage. */
const CALIBRATION_BINS = 10;

export interface ResponseModelsSqlOptions {
  readonly treatment: string;
  readonly control: string;
  /** The treated arms, in the report's order: one 0/1 indicator column each is appended to the features. */
  readonly arms: readonly string[];
  readonly outcomes: readonly { readonly column: string; readonly kind: 'binary' | 'continuous'; readonly label: string }[];
  /** The fitted feature pipeline, written into the queries as expressions. */
  readonly pipeline: FittedPipeline;
  /** The unit id column: the holdout is its hash (`holdoutSql`), as the campaign's split with `validation.unit`. */
  readonly unit: string;
  readonly holdoutShare: number;
  /** L2 penalty of the models (the spec's `responseModels.l2`). Default 0. */
  readonly l2?: number;
  /** Per outcome, where the logistic fit starts (a fit on a sample of the training rows), or undefined. */
  readonly starts?: readonly (readonly number[] | undefined)[];
}

/** The ten terms with the largest |statistic| (|estimate| without standard errors), intercept and dropped terms left out. */
function topTerms(terms: readonly Term[]): Term[] {
  return [...terms]
    .filter((t) => t.name !== '(intercept)' && !t.dropped)
    .sort((a, b) => Math.abs(b.statistic ?? b.estimate) - Math.abs(a.statistic ?? a.estimate))
    .slice(0, 10);
}

/** b₀ + Σ bⱼ·xⱼ as SQL (zero coefficients left out). */
function linearSql(d: Dialect, intercept: number, coefficients: readonly number[], x: readonly string[]): string {
  return [d.number(intercept), ...coefficients.map((b, j) => (b === 0 ? null : `${d.number(b)} * ${x[j]}`)).filter((t): t is string => t !== null)].join(' + ');
}

/**
 * The campaign's response models fitted where the rows live: per outcome a
 * logistic model (a 0/1 outcome; refitted with l2 = 1 under separation or
 * non-convergence unless `l2` is set) or least squares, on the features
 * written as SQL by the fitted pipeline plus one indicator per treated arm,
 * over every training row (`holdoutSql(unit, holdoutShare)` false) by
 * `fitLogisticSql` / `fitLinearSql` passes; then scored on every holdout row
 * in the engine with the model written as an expression: AUC (one GROUP BY
 * on the score with running sums), log loss (clipped as `logLoss`), Brier,
 * F1 at the training base rate, and the quantile calibration curve (its 11
 * edges read from the ranked scores, the bins by CASE); MSE, MAE and R²
 * (about the holdout mean) for a continuous outcome. The same
 * `ResponseModel`s as the in-memory stage on the same rows and pipeline, to
 * 1e-9 relative (a continuous outcome with `l2 > 0` by ridge passes).
 * @internal
 *
 * @returns per outcome the model, or null where it was not pushed down, and the warnings
 */
export async function responseModelsSql(engine: SqlEngine, source: SqlSource, options: ResponseModelsSqlOptions): Promise<{ models: (ResponseModel | null)[]; warnings: string[] }> {
  const d = engineDialect(engine);
  const l2 = options.l2 ?? 0;
  const arm = d.text(d.identifier(options.treatment));
  const inputs = [
    ...pipelineSql(d, options.pipeline).map((sql, j) => ({ name: options.pipeline.names[j] as string, sql })),
    ...options.arms.map((a) => ({ name: `arm=${a}`, sql: `CASE WHEN ${arm} = ${d.string(a)} THEN 1 ELSE 0 END` })),
  ];
  const train = holdoutSql(d, options.unit, options.holdoutShare, false);
  const holdout = holdoutSql(d, options.unit, options.holdoutShare, true);
  const from = fromClause(d, source);
  const warnings: string[] = [];
  const models: (ResponseModel | null)[] = [];
  // Rows and outcome sums of the training rows and the holdout, every outcome, in one scan.
  const part = `CASE WHEN ${holdout} THEN 1 ELSE 0 END`;
  const split = await engine.query(`SELECT ${part} AS ${d.identifier('held')}, ${d.double('COUNT(*)')} AS ${d.identifier('n')}, ${options.outcomes.map((o, k) => `${d.double(`SUM(${d.double(d.identifier(o.column))})`)} AS ${d.identifier(`s${k}`)}`).join(', ')} FROM ${from} GROUP BY 1`);
  const trainPart = split.find((r) => numberOf(r.held, 'held') === 0) ?? {};
  const trainRows = numberOf(trainPart.n ?? 0, 'n');
  const holdoutRows = numberOf(split.find((r) => numberOf(r.held, 'held') === 1)?.n ?? 0, 'n');
  for (const [k, o] of options.outcomes.entries()) {
    const y = d.double(d.identifier(o.column));
    if (trainRows === 0 || holdoutRows === 0) throw new InputError('empty', options.unit, `the hash split by '${options.unit}' leaves ${trainRows} training and ${holdoutRows} holdout rows`);
    const fitOptions = { features: inputs, outcome: o.column, where: train };
    const x = inputs.map((f) => `(${f.sql})`);
    if (o.kind === 'binary') {
      const start = options.starts?.[k];
      let model: LogisticModel = await fitLogisticSql(engine, source, { ...fitOptions, l2, ...(start === undefined ? {} : { start }) });
      let warning: string | null = null;
      if (l2 === 0 && (model.separation !== null || !model.converged)) {
        warning = `${model.warning ?? 'not converged'}; refitted with l2 = 1 (no standard errors)`;
        model = await fitLogisticSql(engine, source, { ...fitOptions, l2: 1 });
      } else if (l2 > 0) warning = model.warning;
      const threshold = numberOf(trainPart[`s${k}`], 's') / trainRows;
      const p = `(1 / (1 + EXP(-(${linearSql(d, model.intercept, model.coefficients, x)}))))`;
      const scored = `(${d.fence(`SELECT ${d.double(p)} AS ${d.identifier('p')}, ${y} AS ${d.identifier('y')} FROM ${from} WHERE ${holdout}`)}) AS ${d.identifier('scored')}`;
      const metrics = await binaryMetrics(engine, d, scored, threshold, holdoutRows);
      if (metrics.auc === 1) {
        warning = warning === null ? PERFECT_SEPARATION : `${PERFECT_SEPARATION}; ${warning}`;
        warnings.push(`Response model for ${o.label}: holdout AUC is 1, ${PERFECT_SEPARATION}.`);
      }
      models.push({
        outcome: o.column,
        kind: 'binary',
        model: 'logistic',
        trainRows,
        holdoutRows,
        metrics: { auc: metrics.auc, logLoss: metrics.logLoss, brier: metrics.brier, f1: metrics.f1, baseRate: threshold },
        threshold,
        calibration: metrics.calibration,
        topTerms: topTerms(model.terms),
        warning,
      });
      continue;
    }
    const model: LinearModel = await fitLinearSql(engine, source, { ...fitOptions, l2 });
    const prediction = `(${linearSql(d, model.intercept, model.coefficients, x)})`;
    const scored = `(${d.fence(`SELECT ${d.double(prediction)} AS ${d.identifier('p')}, ${y} AS ${d.identifier('y')} FROM ${from} WHERE ${holdout}`)}) AS ${d.identifier('scored')}`;
    const [p, yy] = [d.identifier('p'), d.identifier('y')];
    const first = (await engine.query(`SELECT ${d.double(`AVG(${yy})`)} AS ${d.identifier('mean')}, ${d.double(`SUM((${yy} - ${p}) * (${yy} - ${p}))`)} AS ${d.identifier('sse')}, ${d.double(`SUM(ABS(${yy} - ${p}))`)} AS ${d.identifier('sae')} FROM ${scored}`))[0] ?? {};
    const mean = numberOf(first.mean, 'mean');
    const spread = numberOf((await engine.query(`SELECT ${d.double(`SUM((${yy} - ${d.number(mean)}) * (${yy} - ${d.number(mean)}))`)} AS ${d.identifier('sst')} FROM ${scored}`))[0]?.sst, 'sst');
    const sse = numberOf(first.sse, 'sse');
    models.push({
      outcome: o.column,
      kind: 'continuous',
      model: 'linear',
      trainRows,
      holdoutRows,
      metrics: { mse: sse / holdoutRows, mae: numberOf(first.sae, 'sae') / holdoutRows, r2: spread === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / spread },
      threshold: null,
      calibration: null,
      topTerms: topTerms(model.terms),
      warning: model.dropped.length > 0 ? `${model.dropped.length} collinear or constant feature(s) dropped` : null,
    });
  }
  return { models, warnings };
}

interface BinaryMetrics {
  readonly auc: number | null;
  readonly logLoss: number;
  readonly brier: number;
  readonly f1: number;
  readonly calibration: { probTrue: number[]; probPred: number[]; counts: number[] };
}

/** The holdout metrics of a probability `p` against a 0/1 `y` over the rows of `scored` (a FROM item), in the engine. */
async function binaryMetrics(engine: SqlEngine, d: Dialect, scored: string, threshold: number, rows: number): Promise<BinaryMetrics> {
  const [p, y] = [d.identifier('p'), d.identifier('y')];
  const eps = d.number(EPSILON);
  const upper = d.number(1 - EPSILON);
  // logLoss: p and 1 − p clipped to [eps, 1 − eps] and renormalised, as scikit-learn.
  const one = `CASE WHEN ${p} < ${eps} THEN ${eps} WHEN ${p} > ${upper} THEN ${upper} ELSE ${p} END`;
  const zero = `CASE WHEN 1 - ${p} < ${eps} THEN ${eps} WHEN 1 - ${p} > ${upper} THEN ${upper} ELSE 1 - ${p} END`;
  const loss = `-LN(CASE WHEN ${y} = 1 THEN ${one} ELSE ${zero} END / ((${zero}) + (${one})))`;
  const predicted = `CASE WHEN ${p} >= ${d.number(threshold)} THEN 1 ELSE 0 END`;
  const sums = (await engine.query(
    `SELECT ${[
      `${d.double(`SUM(${y})`)} AS ${d.identifier('positives')}`,
      `${d.double(`SUM(${loss})`)} AS ${d.identifier('loss')}`,
      `${d.double(`SUM((${p} - ${y}) * (${p} - ${y}))`)} AS ${d.identifier('brier')}`,
      `${d.double(`SUM(${predicted} * ${y})`)} AS ${d.identifier('tp')}`,
      `${d.double(`SUM(${predicted} * (1 - ${y}))`)} AS ${d.identifier('fp')}`,
    ].join(', ')} FROM ${scored}`,
  ))[0] ?? {};
  const positives = numberOf(sums.positives, 'positives');
  const tp = numberOf(sums.tp, 'tp');
  const fp = numberOf(sums.fp, 'fp');
  const fn = positives - tp;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  // AUC: per distinct score (descending) the negatives times the positives ranked above plus half the tied ones.
  let auc: number | null = null;
  if (positives > 0 && positives < rows) {
    const groups = `SELECT ${p}, ${d.double(`SUM(${y})`)} AS ${d.identifier('pos')}, ${d.double(`SUM(1 - ${y})`)} AS ${d.identifier('neg')} FROM ${scored} GROUP BY ${p}`;
    const above = `${d.double(`SUM(${d.identifier('pos')}) OVER (ORDER BY ${p} DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`)} - ${d.identifier('pos')}`;
    const row = (await engine.query(`SELECT ${d.double(`SUM(${d.identifier('neg')} * (${d.identifier('above')} + ${d.identifier('pos')} / 2))`)} AS ${d.identifier('pairs')} FROM (SELECT ${d.identifier('pos')}, ${d.identifier('neg')}, ${above} AS ${d.identifier('above')} FROM (${groups}) AS ${d.identifier('groups')}) AS ${d.identifier('ranked')}`))[0] ?? {};
    auc = numberOf(row.pairs, 'pairs') / (positives * (rows - positives));
  }
  // Calibration, quantile bins: the edges are the linearly interpolated quantiles of the ranked scores (as `sortedQuantile`).
  const positions = new Set<number>();
  const wanted = Array.from({ length: CALIBRATION_BINS + 1 }, (_, b) => (b === CALIBRATION_BINS ? 1 : b / CALIBRATION_BINS));
  for (const q of wanted) {
    const at = q * (rows - 1);
    positions.add(Math.floor(at));
    positions.add(Math.min(Math.floor(at) + 1, rows - 1));
  }
  const ranked = await engine.query(`SELECT ${d.identifier('rank')}, ${p} FROM (SELECT ${p}, ROW_NUMBER() OVER (ORDER BY ${p}) - 1 AS ${d.identifier('rank')} FROM ${scored}) AS ${d.identifier('ranked')} WHERE ${d.identifier('rank')} IN (${[...positions].sort((a, b) => a - b).join(', ')})`);
  const byRank = new Map(ranked.map((r) => [numberOf(r.rank, 'rank'), numberOf(r.p, 'p')]));
  const edges = wanted.map((q) => {
    const at = q * (rows - 1);
    const below = Math.floor(at);
    // Only the two order statistics sortedQuantile reads, in a two-element stand-in for the sorted scores.
    const pair = Float64Array.of(byRank.get(below) as number, byRank.get(Math.min(below + 1, rows - 1)) as number);
    return below + 1 <= rows - 1 ? sortedQuantile(pair, at - below) : (pair[0] as number);
  });
  // The bin: the inner edges strictly below the score (numpy searchsorted, side 'left').
  const bin = `CASE ${edges.slice(1, -1).map((e, k) => `WHEN ${p} <= ${d.number(e)} THEN ${k}`).join(' ')} ELSE ${CALIBRATION_BINS - 1} END`;
  const binned = await engine.query(`SELECT ${bin} AS ${d.identifier('bin')}, ${d.double('COUNT(*)')} AS ${d.identifier('n')}, ${d.double(`SUM(${p})`)} AS ${d.identifier('sp')}, ${d.double(`SUM(${y})`)} AS ${d.identifier('sy')} FROM ${scored} GROUP BY 1 ORDER BY 1`);
  const calibration = { probTrue: [] as number[], probPred: [] as number[], counts: [] as number[] };
  for (const row of binned) {
    const n = numberOf(row.n, 'n');
    calibration.probTrue.push(numberOf(row.sy, 'sy') / n);
    calibration.probPred.push(numberOf(row.sp, 'sp') / n);
    calibration.counts.push(n);
  }
  return { auc, logLoss: numberOf(sums.loss, 'loss') / rows, brier: numberOf(sums.brier, 'brier') / rows, f1, calibration };
}
