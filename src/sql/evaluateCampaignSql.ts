import { type CampaignSpec, CampaignSpecSchema, type EvaluateOptions, evaluateCampaign, noModels } from '../campaign/evaluateCampaign.js';
import { unitIds } from '../campaign/features.js';
import { type RatioOutcomeSpec, type ValueOutcomeSpec, outcomeName } from '../campaign/spec.js';
import { compareRatios, type RatioSums } from '../experiment/compareRatios.js';
import type { EffectOptions } from '../experiment/effect.js';
import { compareRatiosAdjusted } from '../experiment/compareRatiosAdjusted.js';
import { fromColumns } from '../data/fromColumns.js';
import { InputError } from '../errors.js';
import { planNextTest } from '../experiment/planNextTest.js';
import type { CampaignContext, PreparedOutcome } from '../campaign/context.js';
import { REPORT_VERSION } from '../campaign/reportSchema.js';
import { columnsOfSpec } from '../campaign/provenance.js';
import { describeSettings } from '../campaign/settings.js';
import { summarize } from '../campaign/summary.js';
import { TREE_DEFAULT_LEARNERS, TREE_DEFAULT_MIN_EVENTS, TREE_DEFAULT_MIN_ROWS } from '../campaign/spec.js';
import { META_LEARNERS } from '../uplift/learners/common.js';
import { LIBRARY_VERSION } from '../policy/targetingPolicy.js';
import { adjustPValues } from '../experiment/adjustPValues.js';
import { sampleRatioTest } from '../experiment/sampleRatioTest.js';
import { type FittedPipeline, type PipelineSpec, fitPipeline, transform } from '../features/pipeline.js';
import { fitLogistic } from '../models/fitLogistic.js';
import type { CampaignReport, EffectRow, SegmentEffectRow } from '../report/schema.js';
import { type ArmSums, mergeByArm, outcomeSumsSql } from './armSums.js';
import { balanceTableSql } from './balanceTableSql.js';
import { checkSums, compareFromSums } from './compareArmsSql.js';
import { adjustedRatioSumsSql, ratioSumsSql } from './clusterSumsSql.js';
import { groupedSums } from './groupedSums.js';
import { quantilesSql } from './quantilesSql.js';
import { clusterMomentsSql, clusterScoresSql, residualMoments } from './clusterMomentsSql.js';
import { unitChecksSql } from './unitChecksSql.js';
import { type AdjustedClusterMoments, adjustedCoefficients, compareClusteredAdjustedMoments, compareClusteredMoments } from '../experiment/compareClustered.js';
import { clusteredEffectRow } from '../campaign/effects.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';
import { holdoutMask, holdoutSql } from './holdout.js';
import { responseModelsSql } from './responseModelsSql.js';
import { profitCurveSql } from './profitCurveSql.js';
import { policyModelsSql } from './upliftModelsSql.js';
import { decisionsSql } from './decisionsSql.js';
import { sampledCurveSql } from './upliftCurveSql.js';
import { pipelineSql, upliftSql } from './policyToSql.js';
import type { Dataset } from '../data/dataset.js';
import { type SqlColumn, armCountsSql, missingCountsSql, sqlColumns } from './tableInfo.js';

/** The salt of the model sample's hash: `holdoutMask(ids, maxSampleRows / rows, { salt: '|sample' })` gives the same rows. */
export const SAMPLE_SALT = '|sample';

export interface EvaluateSqlOptions extends EvaluateOptions {
  /**
   * The unit (customer) id column: the model sample is drawn by its hash
   * (`holdoutMask` with the salt `'|sample'`) and ordered by it. Required when
   * the source has more rows than `maxSampleRows`. Default: the spec's `validation.unit`.
   */
  readonly unit?: string;
  /** Most rows the in-memory model stages see. Default 250,000 (about 0.9 GB peak with 20 features and two learners). */
  readonly maxSampleRows?: number;
}

function parseSpec(spec: unknown): CampaignSpec {
  const parsed = CampaignSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('invalid_option', path || 'spec', `campaign spec ${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Warnings the in-memory run gives for the stages recomputed here on every row. */
function isWholeTableWarning(text: string): boolean {
  return text.startsWith('Sample ratio mismatch') || text.includes('covariate comparison(s) have |SMD|') || text.startsWith('Segment ') || text.includes(' segment cell(s) of ') || text.includes(' have repeated rows (');
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `evaluateCampaign` where the campaign's rows live. The data checks (rows
 * per arm, sample-ratio test, covariate balance, NULL counts, the unit's
 * leakage and repeated rows), the effects on every outcome (proportions,
 * Welch, CUPED, ratios; capped outcomes; cluster-robust with a cluster
 * column; sequential and Bayesian results; Holm across arms) and the
 * segment effects (Benjamini–Hochberg) are computed from sums the engine
 * returns by GROUP BY over every row, and agree with `evaluateCampaign` to
 * 1e-9 relative. The stages that learn (feature pipeline, response models,
 * uplift learners, targeting) run in memory on a sample of at most
 * `maxSampleRows` rows drawn in the engine by the hash of the unit id
 * (`holdoutMask`'s hash, salted so that it is independent of the holdout)
 * and ordered by it. With `validation.unit` in the spec the holdout itself
 * is the hash split, so a customer is in the same part in every engine: when the source fits, the sample
 * is every row and the whole report equals `evaluateCampaign` on the rows
 * ordered by unit id (then by every column). With a sample, the targeting
 * profit is scaled to the sample's population and `data`, `checks`,
 * `effects` and `segments` still cover every row.
 *
 * @param source - `{ table }`, `{ query }`, or `{ file }` (DuckDB: CSV or Parquet)
 * @throws InputError as `evaluateCampaign`, and `invalid_option` (no `unit`
 *   for a source larger than `maxSampleRows`)
 */
export async function evaluateCampaignSql(engine: SqlEngine, source: SqlSource, specInput: CampaignSpec, options: EvaluateSqlOptions = {}): Promise<CampaignReport> {
  const spec = parseSpec(specInput);
  const valueOutcomes = spec.outcomes.filter((o): o is ValueOutcomeSpec => o.kind !== 'ratio');
  const ratioOutcomes = spec.outcomes.filter((o): o is RatioOutcomeSpec => o.kind === 'ratio');
  if (valueOutcomes.length === 0) throw new InputError('invalid_option', 'outcomes', 'give at least one binary or continuous outcome beside the ratios');
  const names = spec.outcomes.map(outcomeName);
  const repeated = names.find((name, k) => names.indexOf(name) !== k);
  if (repeated !== undefined) throw new InputError('invalid_option', 'outcomes', `outcome '${repeated}' is named twice`);
  const upliftName = spec.upliftOutcome ?? (valueOutcomes[0] as ValueOutcomeSpec).column;
  if (ratioOutcomes.some((r) => outcomeName(r) === upliftName)) throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${upliftName}' is a ratio: uplift models and targeting use a binary or continuous outcome`);
  const upliftOutcome = valueOutcomes.find((o) => o.column === upliftName);
  if (upliftOutcome === undefined) throw new InputError('invalid_option', 'upliftOutcome', `upliftOutcome '${upliftName}' is not one of the outcomes`);
  const { unit: unitOption, maxSampleRows = 250_000, ...evaluateOptions } = options;
  const unit = unitOption ?? spec.validation?.unit;
  if (!(Number.isInteger(maxSampleRows) && maxSampleRows >= 100)) throw new InputError('invalid_option', 'maxSampleRows', `maxSampleRows must be an integer ≥ 100, got ${maxSampleRows}`);
  const progress = options.onProgress ?? (() => undefined);
  const d = engineDialect(engine);
  progress('checking data');
  const columns = await sqlColumns(engine, source);
  const kinds = new Map(columns.map((c) => [c.name, c]));
  const need = (name: string) => {
    if (!kinds.has(name)) throw new InputError('missing_column', name, `column '${name}' is not in the source (columns: ${columns.map((c) => c.name).join(', ')})`);
  };
  need(spec.treatment.column);
  for (const o of valueOutcomes) {
    need(o.column);
    if (o.preperiod !== undefined) need(o.preperiod);
  }
  for (const r of ratioOutcomes) {
    for (const column of ratioColumns(r)) need(column);
  }
  const featureSpec: PipelineSpec = spec.features === undefined
    ? { numeric: {}, categorical: {} }
    : Array.isArray(spec.features)
    ? {
        numeric: Object.fromEntries(spec.features.filter((f) => (need(f), kinds.get(f)?.numeric)).map((f) => [f, {}])),
        categorical: Object.fromEntries(spec.features.filter((f) => !kinds.get(f)?.numeric).map((f) => [f, {}])),
      }
    : (spec.features as PipelineSpec);
  const numericFeatures = Object.keys(featureSpec.numeric ?? {});
  const categoricalFeatures = Object.keys(featureSpec.categorical ?? {});
  const featureColumns = [...numericFeatures, ...categoricalFeatures];
  for (const column of [...featureColumns, ...(spec.segments ?? [])]) need(column);
  if (unit !== undefined) need(unit);

  // 1. Data checks on every row.
  const counts = await armCountsSql(engine, source, spec.treatment.column);
  const control = String(spec.treatment.control);
  if (!counts.some((c) => c.arm === control)) {
    throw new InputError('invalid_option', 'treatment.control', `control level ${JSON.stringify(control)} is not in '${spec.treatment.column}' (levels: ${counts.map((c) => c.arm).join(', ')})`);
  }
  const arms = counts.map((c) => c.arm).filter((a) => a !== control);
  if (arms.length === 0) throw new InputError('single_class', spec.treatment.column, `'${spec.treatment.column}' holds only the control level: there is no treated arm to evaluate`);
  const armCounts = [control, ...arms].map((arm) => ({ arm, n: counts.find((c) => c.arm === arm)?.n as number }));
  const n = armCounts.reduce((total, a) => total + a.n, 0);
  const warnings: string[] = [];
  // The unit checks come first, as in memory: a leak stops the report; repeated rows are a warning.
  if (spec.unit !== undefined) {
    need(spec.unit);
    const repeated = await unitChecksSql(engine, source, { treatment: spec.treatment.column, unit: spec.unit, numeric: kinds.get(spec.unit)?.numeric ?? false, ...(spec.cluster === undefined ? {} : { cluster: spec.cluster }) });
    if (repeated !== null) warnings.push(repeated);
  }
  const shares = spec.expectedShares === undefined ? undefined : armCounts.map(({ arm }) => {
    const share = spec.expectedShares?.[arm];
    if (share === undefined) throw new InputError('invalid_option', 'expectedShares', `expectedShares has no share for arm '${arm}'`);
    return share;
  });
  const srm = sampleRatioTest(armCounts.map((a) => a.n), shares);
  if (srm.mismatch) warnings.push(`Sample ratio mismatch: arm sizes ${armCounts.map((a) => `${a.arm} ${a.n}`).join(', ')} are unlikely under the planned split (p = ${srm.pValue.toExponential(2)}); check assignment and logging before trusting effects.`);
  const balance = featureColumns.length > 0 ? await balanceTableSql(engine, source, spec.treatment.column, featureColumns, { control, categorical: categoricalFeatures }) : null;
  if (balance !== null && balance.flagged > 0) warnings.push(`${balance.flagged} covariate comparison(s) have |SMD| > ${balance.threshold}: the arms differ before treatment.`);
  const missing = await missingCountsSql(engine, source, columns.map((c) => c.name));
  for (const r of ratioOutcomes) {
    for (const column of ratioColumns(r)) {
      const count = missing.missing.find((m) => m.column === column)?.count ?? 0;
      if (count > 0) throw new InputError('not_finite', column, `outcome '${column}' is missing (NULL) in ${count} row(s)`);
    }
  }

  // 2–3. Effects and segment effects, from per-arm sums.
  progress('estimating effects');
  const pushed = await campaignEffectsSql(engine, source, {
    treatment: spec.treatment.column,
    control,
    outcomes: spec.outcomes,
    ...(spec.segments === undefined ? {} : { segments: spec.segments }),
    ...(spec.comparisons === undefined ? {} : { comparisons: spec.comparisons }),
    ...(spec.cluster === undefined ? {} : { cluster: spec.cluster }),
    // zod's optional keys may hold undefined; the comparisons treat an undefined option as absent (as estimateEffects).
    ...({ ...(spec.sequential === undefined ? {} : { sequential: spec.sequential }), ...(spec.bayesian === undefined ? {} : { bayesian: spec.bayesian }) } as Pick<EffectOptions, 'sequential' | 'bayesian'>),
  });
  warnings.push(...pushed.warnings);
  const { effects, segments } = pushed;

  const data = {
    rows: n,
    columns: columns.length,
    treatment: { column: spec.treatment.column, control, arms: armCounts.map((a) => ({ ...a, share: a.n / n })) },
    missing: missing.missing.filter((m) => m.count > 0),
  };
  const finishing = { spec, control, arms, armCounts, effects, valueOutcomes, upliftName, resamples: options.resamples ?? 100 };

  // Effects only: nothing to learn, so no row leaves the engine.
  if (spec.features === undefined) {
    const context = sumsContext(finishing, n);
    const checks = { srm, balance, warnings };
    return {
      kind: 'campaign_report',
      version: REPORT_VERSION,
      title: spec.title ?? `Campaign report: ${spec.treatment.column}`,
      scope: 'effects',
      summary: summarize(context, { checks, effects, responseModels: [], uplift: [], targeting: [], decisions: [] }),
      data,
      checks,
      effects,
      segments,
      ...noModels(),
      settings: describeSettings(context, null),
      provenance: {
        library: LIBRARY_VERSION,
        spec,
        data: { rows: n, columns: columnsOfSpec(spec, []), fingerprint: ENGINE_FINGERPRINT },
        createdAt: options.createdAt ?? null,
      },
    };
  }

  // 4. The learning stages in memory, on a hash sample drawn in the engine.
  progress('drawing the model sample');
  if (n > maxSampleRows && unit === undefined) {
    throw new InputError('invalid_option', 'unit', `the source has ${n} rows, more than maxSampleRows (${maxSampleRows}): name the unit id column to draw the model sample by its hash`);
  }
  const order = unit === undefined ? columns.map((_, k) => String(k + 1)) : [d.identifier(unit), ...columns.map((_, k) => String(k + 1))];
  // The sample's hash is salted, so it is independent of the holdout's (unsalted) hash of the same ids.
  const where = n > maxSampleRows ? ` WHERE ${holdoutSql(d, unit as string, maxSampleRows / n, true, { salt: SAMPLE_SALT })}` : '';
  const sampleSql = `SELECT * FROM ${fromClause(d, source)}${where} ORDER BY ${order.join(', ')}`;
  let sample;
  if (engine.queryColumns === undefined) {
    const sampleRows = await engine.query(sampleSql);
    sample = fromColumns(Object.fromEntries(columns.map((c) => [c.name, columnValues(c, sampleRows.map((row) => row[c.name]))])));
  } else {
    const byColumn = await engine.queryColumns(sampleSql);
    sample = fromColumns(Object.fromEntries(columns.map((c) => [c.name, columnValues(c, byColumn[c.name] ?? [])])));
  }
  const inMemory = evaluateCampaign(sample, spec, evaluateOptions);
  const sampled = sample.n < n;
  // With the hash split, the response models are fitted and scored in the engine on every training and holdout row.
  let responseModels = inMemory.responseModels;
  let modelWarnings: string[] | null = null;
  const splitUnit = spec.validation?.unit;
  const holdoutShare = spec.validation?.holdoutShare ?? 0.3;
  if (splitUnit !== undefined) {
    progress('fitting response models in the engine');
    const pipelineSpec: PipelineSpec = Array.isArray(spec.features)
      ? {
          numeric: Object.fromEntries(numericFeatures.map((f) => [f, (missing.missing.find((m) => m.column === f)?.count ?? 0) > 0 ? { impute: 'median', indicator: true, scale: 'standard' } : { scale: 'standard' }])),
          categorical: Object.fromEntries(categoricalFeatures.map((f) => [f, { unknown: 'ignore', drop: 'first' }])),
        }
      : featureSpec;
    const mask = holdoutMask(unitIds(sample, splitUnit), holdoutShare);
    let trainCount = 0;
    for (let i = 0; i < mask.length; i++) trainCount += mask[i] === 0 ? 1 : 0;
    const trainRows = new Int32Array(trainCount);
    for (let i = 0, k = 0; i < mask.length; i++) if (mask[i] === 0) trainRows[k++] = i;
    const trainData = sample.take(trainRows);
    const pipeline = fitPipeline(pipelineSpec, trainData);
    const pushedModels = await responseModelsSql(engine, source, {
      treatment: spec.treatment.column,
      control,
      arms,
      outcomes: valueOutcomes.map((o) => ({ column: o.column, kind: o.kind, label: o.label ?? o.column })),
      pipeline,
      unit: splitUnit,
      holdoutShare,
      ...(spec.responseModels?.l2 === undefined ? {} : { l2: spec.responseModels.l2 }),
      starts: logisticStarts(trainData, pipeline, spec.treatment.column, arms, valueOutcomes, spec.responseModels?.l2 ?? 0),
    });
    responseModels = responseModels.map((m, k) => pushedModels.models[k] ?? m);
    modelWarnings = pushedModels.warnings;
  }
  // With the hash split, each arm's profit curve over every holdout row, the policy's uplift model written as SQL.
  // With a sample, the policy's logistic T- and S-learners are refitted over every training row in the engine.
  let policy = inMemory.policy;
  let refitWarning: string | null = null;
  if (splitUnit !== undefined && policy !== null && sampled) {
    progress('fitting uplift models in the engine');
    const refit = await policyModelsSql(engine, source, policy, { treatment: spec.treatment.column, unit: splitUnit, holdoutShare });
    policy = refit.policy;
    const kept = refit.arms.filter((a) => !a.refitted && a.learner !== null);
    if (kept.length > 0) refitWarning = `Targeting models fitted on the sample, not in the engine: ${kept.map((a) => `${a.arm} (${a.reason})`).join('; ')}.`;
  }
  let targeting = inMemory.targeting;
  let uplift = inMemory.uplift;
  if (splitUnit !== undefined && policy !== null) {
    progress('profit curves in the engine');
    const features = pipelineSql(d, policy.pipeline).map((x) => `(${x})`);
    const holdout = holdoutSql(d, splitUnit, holdoutShare);
    const fitted = policy;
    targeting = await Promise.all(
      inMemory.targeting.map(async (entry) => {
        const a = fitted.arms.indexOf(entry.arm);
        const model = fitted.models[a];
        if (model === undefined || model.uplift === null || model.learner !== entry.learner) return entry;
        const profit = await profitCurveSql(engine, source, {
          score: upliftSql(d, model.uplift, 0, features, entry.arm),
          outcome: entry.outcome,
          treatment: spec.treatment.column,
          treated: entry.arm,
          control,
          tieBreak: unit as string,
          where: holdout,
          economics: entry.profit.economics,
          population: (armCounts[0]?.n as number) + (armCounts.find((c) => c.arm === entry.arm)?.n as number),
        });
        return { ...entry, profit };
      }),
    );
    // And the chosen learner's Qini curve over every holdout row, with the same model as SQL.
    uplift = await Promise.all(
      inMemory.uplift.map(async (entry) => {
        const model = fitted.models[fitted.arms.indexOf(entry.arm)];
        if (model === undefined || model.uplift === null || model.learner !== entry.chosen) return entry;
        const curve = await sampledCurveSql(engine, source, { kind: 'qini', score: upliftSql(d, model.uplift, 0, features, entry.arm), outcome: entry.outcome, treatment: spec.treatment.column, treated: entry.arm, control, where: holdout });
        const last = curve.value[curve.value.length - 1] as number;
        const learners = entry.learners.map((l) => (l.learner === entry.chosen ? { ...l, qiniCurve: curve, randomQini: { fraction: curve.fraction, value: curve.fraction.map((f) => f * last) } } : l));
        return { ...entry, learners };
      }),
    );
  }
  // With a sample, the decisions are judged on every holdout row in the engine, with the refitted models.
  let decided: Pick<CampaignReport, 'decisions' | 'policyEvidence' | 'bestArmShare'> = { decisions: inMemory.decisions, policyEvidence: inMemory.policyEvidence, bestArmShare: inMemory.bestArmShare };
  if (splitUnit !== undefined && policy !== null && sampled) {
    progress('valuing the policy in the engine');
    const judged = await decisionsSql(engine, source, policy, { treatment: spec.treatment.column, unit: splitUnit, holdoutShare, population: n, evidence: inMemory.policyEvidence });
    decided = { decisions: judged.decisions, policyEvidence: judged.evidence, bestArmShare: judged.bestArmShare };
    policy = judged.policy;
  }
  const sampleWarnings = inMemory.checks.warnings.filter((w) => !isWholeTableWarning(w) && (modelWarnings === null || !w.startsWith('Response model for ')));
  const checks = { srm, balance, warnings: [...warnings, ...sampleWarnings, ...(modelWarnings ?? []), ...(sampled ? [modelWarnings === null ? `Models, uplift and targeting were fitted on a hash sample of ${sample.n} of ${n} rows (by ${unit}); checks, effects and segments cover every row.` : `Uplift models were compared on a hash sample of ${sample.n} of ${n} rows (by ${unit}), and the holdout Qini tests are the sample's; checks, effects, segments, response models, the policy's logistic T- and S-learners, the profit and chosen Qini curves and the decisions' policy values cover every row.`] : []), ...(refitWarning === null ? [] : [refitWarning])] };
  // The summary again, from the effects on every row (the decisions' money is that of the sample's population, as the decisions state it).
  const summary = summarize(sumsContext(finishing, sampled && splitUnit !== undefined && inMemory.policy !== null ? n : sample.n), { checks, effects, responseModels, uplift, targeting, decisions: decided.decisions, policyEvidence: decided.policyEvidence });
  return { ...inMemory, summary, data, checks, effects, segments, responseModels, uplift, targeting, ...decided, policy };
}

/** A ratio outcome's columns: numerator and denominator, and its pre-period's when it has one. */
function ratioColumns(r: RatioOutcomeSpec): string[] {
  return [r.numerator, r.denominator, ...(r.preperiod === undefined ? [] : [r.preperiod.numerator, r.preperiod.denominator])];
}

/** What the summary and settings read, from the sums: arm sizes, and the events of each 0/1 outcome per arm from its effect rows. */
interface Finishing {
  readonly spec: CampaignSpec;
  readonly control: string;
  readonly arms: readonly string[];
  readonly armCounts: readonly { arm: string; n: number }[];
  readonly effects: readonly EffectRow[];
  readonly valueOutcomes: readonly ValueOutcomeSpec[];
  readonly upliftName: string;
  readonly resamples: number;
}

/** The fingerprint of a report whose rows never left the engine: the in-memory FNV-1a hash would need every value in row order. */
export const ENGINE_FINGERPRINT = 'not computed: the rows were read in the engine';

/** Events (outcome = 1) of a 0/1 outcome in control and each arm (arm order), from its arm-vs-control effect rows. */
function eventsOf(f: Finishing, column: string): number[] {
  const rows = f.effects.filter((e) => e.outcome === column && e.baseline === undefined);
  const controlRow = rows[0];
  return [controlRow === undefined ? 0 : Math.round(controlRow.control.mean * controlRow.control.n), ...f.arms.map((arm) => {
    const row = rows.find((e) => e.arm === arm);
    return row === undefined ? 0 : Math.round(row.treated.mean * row.treated.n);
  })];
}

/**
 * A campaign context built from the sums, for the stages that finish the
 * report (summary, settings): the arm sizes, and per 0/1 outcome a compact
 * stand-in for its rows — per arm as many rows as the most events of any
 * outcome, the first `events` of them 1 — that gives every per-arm event
 * count the summary reads. `population` is the rows the decisions' money
 * is stated for.
 */
function sumsContext(f: Finishing, population: number): CampaignContext {
  const events = new Map(f.valueOutcomes.filter((o) => o.kind === 'binary').map((o) => [o.column, eventsOf(f, o.column)]));
  const block = f.armCounts.map((_, k) => Math.max(0, ...[...events.values()].map((e) => e[k] as number)));
  const codes = new Int32Array(block.reduce((a, b) => a + b, 0));
  let at = 0;
  block.forEach((size, k) => {
    codes.fill(k - 1, at, at + size);
    at += size;
  });
  const outcomes: PreparedOutcome[] = f.valueOutcomes.map((o) => {
    const values = new Float64Array(codes.length);
    const counts = events.get(o.column);
    if (counts !== undefined) {
      let start = 0;
      block.forEach((size, k) => {
        values.fill(1, start, start + (counts[k] as number));
        start += size;
      });
    }
    return { column: o.column, kind: o.kind, label: o.label ?? o.column, values, pre: undefined };
  });
  const upliftOutcome = outcomes.find((o) => o.column === f.upliftName) as PreparedOutcome;
  const holdoutShare = f.spec.validation?.holdoutShare ?? 0.3;
  const upliftEvents = events.get(f.upliftName);
  // The default learners of `defaultLearners`, from the arm sizes and events.
  const trainShare = 1 - holdoutShare;
  const large = f.armCounts.reduce((a, c) => a + c.n, 0) * trainShare >= TREE_DEFAULT_MIN_ROWS && (upliftEvents === undefined || upliftEvents.every((e) => e * trainShare >= TREE_DEFAULT_MIN_EVENTS));
  const assignment = {
    control: f.control,
    arms: [...f.arms],
    codes,
    controlCount: f.armCounts[0]?.n as number,
    armCounts: f.arms.map((arm) => f.armCounts.find((c) => c.arm === arm)?.n as number),
  };
  return {
    dataset: { n: population },
    spec: f.spec,
    assignment,
    outcomes,
    ratios: [],
    upliftOutcome,
    featureSpec: { numeric: {}, categorical: {} },
    featureColumns: [],
    seed: f.spec.validation?.seed ?? 0,
    holdoutShare,
    learners: f.spec.learners ?? (large ? [...META_LEARNERS, ...TREE_DEFAULT_LEARNERS] : [...META_LEARNERS]),
    resamples: f.resamples,
    progress: () => undefined,
    warn: () => undefined,
  } as unknown as CampaignContext;
}


export interface CampaignEffectsOptions {
  readonly treatment: string;
  readonly control: string | number;
  /** The outcomes, as in a campaign spec: binary and continuous ones, and ratio metrics (delta method, no pre-period). */
  readonly outcomes: readonly (ValueOutcomeSpec | RatioOutcomeSpec)[];
  readonly segments?: readonly string[];
  /** `'control'` (default): each arm against control; `'all-pairs'`: also each later arm against each earlier one, in one Holm family per outcome. */
  readonly comparisons?: 'control' | 'all-pairs';
  /**
   * Cluster (randomisation unit) column: effects and segment cells with
   * cluster-robust CR1 errors and G − 1 degrees of freedom, as
   * `evaluateCampaign` with the spec's `cluster` (not with a pre-period or a
   * ratio outcome: those are refused).
   */
  readonly cluster?: string;
  /** As the campaign spec's `sequential`: always-valid intervals and p-values on the effects (not the segment cells, as in memory). */
  readonly sequential?: EffectOptions['sequential'];
  /** As the campaign spec's `bayesian`: Bayesian results beside each effect (not the segment cells, as in memory). */
  readonly bayesian?: EffectOptions['bayesian'];
}

/** The campaign report's effects and segment effects, with the warnings the segments raise. */
export interface CampaignEffects {
  readonly effects: EffectRow[];
  readonly segments: SegmentEffectRow[];
  readonly warnings: string[];
}

/**
 * The report's `effects` and `segments` from sums the engine computes: one
 * scan of the source per segment column (one in all without segments),
 * every outcome's n, Σy, Σy² (and Σx, Σx², Σxy for CUPED) by GROUP BY arm
 * and segment level; the overall effects are those sums added over the
 * levels. Proportions, Welch and CUPED with Holm across arms, segment cells
 * with Benjamini–Hochberg and small-group flags — as `evaluateCampaign`.
 *
 * @throws InputError `not_finite` (a NULL outcome, pre-period or arm), `not_binary`, `invalid_option` (control absent)
 */
export async function campaignEffectsSql(engine: SqlEngine, source: SqlSource, options: CampaignEffectsOptions): Promise<CampaignEffects> {
  if (options === null || typeof options !== 'object') throw new InputError('invalid_option', 'options', 'options must be { treatment, control, outcomes, … }');
  if (!Array.isArray(options.outcomes) || options.outcomes.some((o) => o === null || typeof o !== 'object')) {
    throw new InputError('invalid_option', 'outcomes', 'outcomes must be an array of { column, kind }');
  }
  engineDialect(engine);
  const control = String(options.control);
  const allPairs = options.comparisons === 'all-pairs';
  const outcomes = options.outcomes.filter((o): o is ValueOutcomeSpec => o.kind !== 'ratio').map((o) => ({ ...o, label: o.label ?? o.column }));
  const ratios = options.outcomes.filter((o): o is RatioOutcomeSpec => o.kind === 'ratio');
  if (options.cluster !== undefined) {
    if (ratios[0] !== undefined) throw new InputError('invalid_option', 'cluster', `ratio outcome '${outcomeName(ratios[0])}' has no cluster-robust comparison yet; leave out cluster or the ratio`);
  }
  // Caps as capValues sets them: a fixed value, or a quantile of the outcome over every row (numpy's linear interpolation).
  const caps = await Promise.all(
    outcomes.map(async (o) => {
      if (o.cap === undefined) return undefined;
      if (o.kind !== 'continuous') throw new InputError('invalid_option', 'cap', `outcome '${o.column}' is binary: only continuous outcomes are capped`);
      return 'value' in o.cap ? { quantile: null, threshold: o.cap.value } : { quantile: o.cap.quantile, threshold: (await quantilesSql(engine, source, o.column, [o.cap.quantile]))[0] as number };
    }),
  );
  const requests = outcomes.map((o, k) => ({ column: o.column, binary: o.kind === 'binary', ...(o.preperiod === undefined ? {} : { preperiod: o.preperiod }), ...(caps[k] === undefined ? {} : { cap: caps[k].threshold }) }));
  const segmentColumns = options.segments ?? [];
  // The effects (not the segment cells, as in memory) with the sequential and Bayesian results asked for.
  const inference = { ...(options.sequential === undefined ? {} : { sequential: options.sequential }), ...(options.bayesian === undefined ? {} : { bayesian: options.bayesian }) };
  const scans = await Promise.all((segmentColumns.length === 0 ? [undefined] : segmentColumns).map((segment) => outcomeSumsSql(engine, source, options.treatment, requests, segment === undefined ? [] : [segment])));
  const first = scans[0] as ArmSums[][];
  const warnings: string[] = [];
  const effects: EffectRow[] = [];
  // With a cluster column: the CR1 sandwich's moments by one statement over every row (and one per segment column).
  const clustered = options.cluster === undefined ? null : await clusterMoments(engine, source, options, options.cluster, control, outcomes, requests, first, segmentColumns);
  const compare = (o: (typeof outcomes)[number], k: number, level: string | null, baseline: ArmSums, treated: ArmSums, effectInference: typeof inference) =>
    clustered === null ? effectRow(treated.arm, o, compareFromSums(baseline, treated, o.kind, level === null ? o.preperiod : undefined, effectInference)) : clustered.row(o, k, level, baseline, treated, effectInference);
  let arms: string[] = [];
  outcomes.forEach((o, k) => {
    const sums = mergeByArm(first[k] as ArmSums[]);
    checkSums(sums, o.column, o.kind);
    const controlSums = sums.find((s) => s.arm === control);
    if (controlSums === undefined) throw new InputError('invalid_option', 'treatment.control', `control level ${JSON.stringify(control)} is not in '${options.treatment}' (levels: ${sums.map((s) => s.arm).sort(byText).join(', ')})`);
    arms = sums.map((s) => s.arm).filter((a) => a !== control).sort(byText);
    const armSums = (arm: string) => sums.find((s) => s.arm === arm) as ArmSums;
    const rows: Omit<EffectRow, 'adjustedPValue'>[] = arms.map((arm) => compare(o, k, null, controlSums, armSums(arm), inference));
    // All pairs: each later arm against each earlier one, the earlier as the baseline (as evaluateCampaign).
    if (allPairs) arms.forEach((baseline, b) => arms.forEach((arm, a) => a > b && rows.push({ ...compare(o, k, null, armSums(baseline), armSums(arm), inference), baseline })));
    const cap = caps[k];
    if (cap !== undefined) {
      // Every row counts, as in capValues (a NULL outcome was refused above).
      const cappedCount = sums.reduce((total, x) => total + (x.capped ?? 0), 0);
      const rowsCounted = sums.reduce((total, x) => total + x.n, 0);
      const summary = { method: cap.quantile === null ? ('value' as const) : ('quantile' as const), quantile: cap.quantile, threshold: cap.threshold, cappedCount, cappedShare: cappedCount / rowsCounted };
      rows.forEach((row, j) => (rows[j] = { ...row, cap: summary }));
    }
    const adjusted = adjustPValues(rows.map((r) => r.absolute.pValue), 'holm');
    rows.forEach((r, j) => effects.push({ ...r, adjustedPValue: adjusted[j] as number }));
  });
  // Ratio metrics: Σnum, Σden and their squares and cross-product per arm, by the delta method (compareRatios).
  const ratioScans = await Promise.all(ratios.map((r) => ratioSumsSql(engine, source, { treatment: options.treatment, numerator: r.numerator, denominator: r.denominator })));
  // With a pre-period: the regression-adjusted ratio from the four columns' sums and cross-products per arm.
  const adjustedScans = await Promise.all(
    ratios.map((r) => (r.preperiod === undefined ? null : adjustedRatioSumsSql(engine, source, { treatment: options.treatment, numerator: r.numerator, denominator: r.denominator, preNumerator: r.preperiod.numerator, preDenominator: r.preperiod.denominator }))),
  );
  ratios.forEach((r, k) => {
    const column = outcomeName(r);
    const label = r.label ?? column;
    const scan = ratioScans[k] as { arm: string; sums: RatioSums }[];
    const sumsOf = (arm: string) => {
      const found = scan.find((x) => x.arm === arm);
      if (found === undefined) throw new InputError('empty', column, `ratio '${column}' has no rows with both ${r.numerator} and ${r.denominator} in arm '${arm}'`);
      return found.sums;
    };
    const ratioArms = arms.length > 0 ? arms : scan.map((x) => x.arm).filter((a) => a !== control).sort(byText);
    const adjustedScan = adjustedScans[k];
    const adjustedOf = (arm: string) => {
      const found = adjustedScan?.find((x) => x.arm === arm);
      if (found === undefined) throw new InputError('empty', column, `ratio '${column}' has no rows with its four columns in arm '${arm}'`);
      return found.sums;
    };
    const row = (arm: string, baseline: string) => {
      if (adjustedScan === null || adjustedScan === undefined || r.preperiod === undefined) {
        const c = compareRatios(sumsOf(baseline), sumsOf(arm), inference);
        return { arm, outcome: column, label, kind: 'ratios' as const, control: c.control, treated: c.treated, absolute: c.absolute, relative: c.relative, relativeNote: c.relativeNote, cuped: null, method: c.method, sequential: c.sequential, bayesian: c.bayesian, plan: planNextTest(c) };
      }
      const c = compareRatiosAdjusted(adjustedOf(baseline), adjustedOf(arm), inference);
      const cuped = { covariate: `${r.preperiod.numerator}/${r.preperiod.denominator}`, theta: c.theta, varianceReduction: c.varianceReduction };
      return { arm, outcome: column, label, kind: 'ratios' as const, control: c.control, treated: c.treated, absolute: c.absolute, relative: c.relative, relativeNote: c.relativeNote, cuped, method: c.method, sequential: c.sequential, bayesian: c.bayesian, plan: planNextTest(c) };
    };
    const rows: Omit<EffectRow, 'adjustedPValue'>[] = ratioArms.map((arm) => row(arm, control));
    if (allPairs) ratioArms.forEach((baseline, b) => ratioArms.forEach((arm, a) => a > b && rows.push({ ...row(arm, baseline), baseline })));
    const adjusted = adjustPValues(rows.map((x) => x.absolute.pValue), 'holm');
    rows.forEach((x, j) => effects.push({ ...x, adjustedPValue: adjusted[j] as number }));
  });
  const segments: SegmentEffectRow[] = [];
  segmentColumns.forEach((segment, s) => {
    const scan = scans[s] as ArmSums[][];
    outcomes.forEach((o, k) => {
      const sums = (scan[k] as ArmSums[]).filter((x) => x.group[segment] !== null);
      const levels = [...new Set(sums.map((x) => x.group[segment] as string))].sort(byText);
      const cells: Omit<SegmentEffectRow, 'adjustedPValue'>[] = [];
      for (const level of levels) {
        const inLevel = sums.filter((x) => x.group[segment] === level);
        const empty = (arm: string): ArmSums => ({ arm, group: { [segment]: level }, n: 0, sum: 0, sumSquares: 0, missing: 0, nonBinary: 0, sumPre: null, sumPreSquares: null, sumCross: null });
        const controlSums = inLevel.find((x) => x.arm === control) ?? empty(control);
        for (const arm of arms) {
          const armSums = inLevel.find((x) => x.arm === arm) ?? empty(arm);
          if (controlSums.n < 2 || armSums.n < 2) {
            warnings.push(`Segment ${segment} = ${level}: too few rows (${controlSums.n} control, ${armSums.n} ${arm}) to compare ${o.label}.`);
            continue;
          }
          try {
            cells.push({ ...compare(o, k, `${s}:${level}`, controlSums, armSums, {}), segment, level, smallGroup: Math.min(controlSums.n, armSums.n) < 100 });
          } catch (error) {
            if (error instanceof InputError && error.reason === 'zero_variance') warnings.push(`Segment ${segment} = ${level}: ${o.label} does not vary in either arm.`);
            else if (error instanceof InputError && error.reason === 'out_of_range') warnings.push(`Segment ${segment} = ${level}: ${o.label} is not compared (${error.message}).`);
            else throw error;
          }
        }
      }
      const adjusted = adjustPValues(cells.map((c) => c.absolute.pValue), 'benjamini-hochberg');
      cells.forEach((c, j) => segments.push({ ...c, adjustedPValue: adjusted[j] as number } as SegmentEffectRow));
      const small = cells.filter((c) => c.smallGroup).length;
      if (small > 0) warnings.push(`${small} segment cell(s) of ${segment} for ${o.label} have fewer than 100 rows in an arm: read them with care.`);
    });
  });
  // Ratio metrics within each segment level, by the delta method (as evaluateCampaign), after the other outcomes of that segment.
  const ratioSegments = await Promise.all(segmentColumns.map((segment) => Promise.all(ratios.map((r) => ratioSegmentSums(engine, source, options.treatment, r, segment)))));
  segmentColumns.forEach((segment, s) => {
    ratios.forEach((r, k) => {
      const label = r.label ?? outcomeName(r);
      const sums = (ratioSegments[s] as RatioSegmentSums[][])[k] as RatioSegmentSums[];
      const levels = [...new Set(sums.map((x) => x.level))].sort(byText);
      const cells: Omit<SegmentEffectRow, 'adjustedPValue'>[] = [];
      for (const level of levels) {
        const sumsOf = (arm: string): RatioSums => sums.find((x) => x.level === level && x.arm === arm)?.sums ?? { n: 0, sumNum: 0, sumDen: 0, sumNum2: 0, sumDen2: 0, sumNumDen: 0 };
        const controlSums = sumsOf(control);
        for (const arm of arms) {
          const armSums = sumsOf(arm);
          if (controlSums.n < 2 || armSums.n < 2) {
            warnings.push(`Segment ${segment} = ${level}: too few rows (${controlSums.n} control, ${armSums.n} ${arm}) to compare ${label}.`);
            continue;
          }
          try {
            const c = compareRatios(controlSums, armSums);
            cells.push({ arm, outcome: outcomeName(r), label, kind: 'ratios', control: c.control, treated: c.treated, absolute: c.absolute, relative: c.relative, relativeNote: c.relativeNote, cuped: null, method: c.method, sequential: c.sequential, bayesian: c.bayesian, plan: planNextTest(c), segment, level, smallGroup: Math.min(controlSums.n, armSums.n) < 100 });
          } catch (error) {
            if (error instanceof InputError && error.reason === 'zero_variance') warnings.push(`Segment ${segment} = ${level}: ${label} does not vary in either arm.`);
            else if (error instanceof InputError && error.reason === 'out_of_range') warnings.push(`Segment ${segment} = ${level}: ${label} is not compared (${error.message}).`);
            else throw error;
          }
        }
      }
      const adjusted = adjustPValues(cells.map((c) => c.absolute.pValue), 'benjamini-hochberg');
      cells.forEach((c, j) => segments.push({ ...c, adjustedPValue: adjusted[j] as number } as SegmentEffectRow));
      const small = cells.filter((c) => c.smallGroup).length;
      if (small > 0) warnings.push(`${small} segment cell(s) of ${segment} for ${label} have fewer than 100 rows in an arm: read them with care.`);
    });
  });
  return { effects, segments, warnings };
}

/**
 * The clustered comparisons of `campaignEffectsSql`: the arms' centres (their
 * means over every row) from the first scan, the sandwich moments by
 * `clusterMomentsSql` over every row and per segment column, and a row
 * builder for a baseline and a treated arm over every row (level null) or
 * a segment level (`<segment index>:<level>`).
 */
async function clusterMoments(
  engine: SqlEngine,
  source: SqlSource,
  options: CampaignEffectsOptions,
  cluster: string,
  control: string,
  outcomes: readonly (ValueOutcomeSpec & { readonly label: string })[],
  requests: readonly { readonly column: string; readonly cap?: number }[],
  first: readonly ArmSums[][],
  segmentColumns: readonly string[],
) {
  const merged = outcomes.map((o, k) => {
    const sums = mergeByArm(first[k] as ArmSums[]);
    checkSums(sums, o.column, o.kind);
    return sums;
  });
  const names = (merged[0] ?? []).map((x) => x.arm);
  const arms = [control, ...names.filter((a) => a !== control).sort(byText)];
  const centres = merged.map((sums) => arms.map((arm) => {
    const x = sums.find((y) => y.arm === arm);
    return x === undefined || x.n === 0 ? 0 : x.sum / x.n;
  }));
  const request = (segment?: string) =>
    clusterMomentsSql(engine, source, {
      treatment: options.treatment,
      cluster,
      arms,
      outcomes: requests.map((r, k) => ({ column: r.column, ...(r.cap === undefined ? {} : { cap: r.cap }), centres: centres[k] as number[] })),
      ...(segment === undefined ? {} : { segment }),
    });
  const overall = (await request()).get(null);
  const bySegment = await Promise.all(segmentColumns.map((segment) => request(segment)));
  // Outcomes with a pre-period (over every row; segment cells are unadjusted, as in memory): per compared
  // pair the normal equations of y on [1, treated, x − x̄] from the first scan's sums, their solution
  // written into one statement that returns the cluster scores' meat.
  const pairs = arms.slice(1).map((arm) => [control, arm] as const);
  if (options.comparisons === 'all-pairs') arms.slice(1).forEach((baseline, b) => arms.slice(1).forEach((arm, a) => a > b && pairs.push([baseline, arm])));
  const adjusted = await Promise.all(
    outcomes.map(async (o, k) => {
      if (o.preperiod === undefined) return null;
      const sums = merged[k] as ArmSums[];
      const normal = pairs.map(([baseline, arm]) => adjustedNormalEquations(sums.find((x) => x.arm === baseline), sums.find((x) => x.arm === arm)));
      const usable = normal.map((eq) => (eq === null ? null : { ...eq, beta: adjustedCoefficients(eq.gram, eq.moment, o.preperiod as string) }));
      const asked = usable.flatMap((eq, p) => (eq === null ? [] : [{ baseline: (pairs[p] as readonly [string, string])[0], arm: (pairs[p] as readonly [string, string])[1], centre: eq.centre, beta: eq.beta }]));
      const meats = asked.length === 0 ? [] : await clusterScoresSql(engine, source, { treatment: options.treatment, cluster, outcome: o.column, ...(requests[k]?.cap === undefined ? {} : { cap: requests[k].cap }), preperiod: o.preperiod, pairs: asked });
      const byPair = new Map<string, AdjustedClusterMoments>();
      asked.forEach((pair, q) => {
        const eq = usable[pairs.findIndex(([b, a]) => b === pair.baseline && a === pair.arm)] as { gram: number[]; moment: number[] };
        byPair.set(`${pair.baseline}\u0000${pair.arm}`, { gram: eq.gram, moment: eq.moment, meat: meats[q] as number[] });
      });
      return byPair;
    }),
  );
  return {
    row(o: ValueOutcomeSpec & { readonly label: string }, k: number, level: string | null, baseline: ArmSums, treated: ArmSums, inference: Pick<EffectOptions, 'sequential' | 'bayesian'>): Omit<EffectRow, 'adjustedPValue'> {
      let moments = overall?.[k];
      if (level !== null) {
        const at = level.indexOf(':');
        moments = bySegment[Number(level.slice(0, at))]?.get(level.slice(at + 1))?.[k];
      }
      const jb = arms.indexOf(baseline.arm);
      const ja = arms.indexOf(treated.arm);
      if (moments === undefined || jb < 0 || ja < 0) throw new InputError('out_of_range', 'cluster', 'no clusters hold these rows');
      // Over a segment level, each arm's residuals are taken from its mean in the level, not over every row.
      const delta = (j: number, sums: ArmSums) => (level === null || sums.n === 0 ? 0 : sums.sum / sums.n - ((centres[k] as number[])[j] as number));
      const r = residualMoments(moments, jb, ja, delta(jb, baseline), delta(ja, treated));
      const unadjusted = compareClusteredMoments(
        { n0: baseline.n, n1: treated.n, sum0: baseline.sum, sum1: treated.sum, clusters0: moments.clusters[jb] as number, clusters1: moments.clusters[ja] as number, clusters: r.clusters, e00: r.e00, e11: r.e11, e01: r.e01 },
        { outcome: o.kind === 'binary' ? 'proportion' : 'mean', ...inference },
      );
      // With a pre-period, over every row: the OLS on [1, treated, x − x̄] and its CR1 sandwich.
      const adjustment = level === null && o.preperiod !== undefined ? adjusted[k]?.get(`${baseline.arm}\u0000${treated.arm}`) : undefined;
      const comparison = adjustment === undefined ? unadjusted : compareClusteredAdjustedMoments(unadjusted, adjustment, baseline.n + treated.n, { outcome: o.kind === 'binary' ? 'proportion' : 'mean', ...inference, covariate: o.preperiod as string });
      return clusteredEffectRow(treated.arm, o, comparison);
    },
  };
}

/**
 * The normal equations of y on [1, treated, x − x̄] over the rows of two arms,
 * from their sums (n, Σy, Σx, Σx², Σxy), x̄ the pooled mean of x; null when an
 * arm has no rows.
 */
function adjustedNormalEquations(baseline: ArmSums | undefined, treated: ArmSums | undefined): { gram: number[]; moment: number[]; centre: number } | null {
  if (baseline === undefined || treated === undefined || baseline.n + treated.n === 0) return null;
  const n = baseline.n + treated.n;
  const sx = (baseline.sumPre ?? 0) + (treated.sumPre ?? 0);
  const sxx = (baseline.sumPreSquares ?? 0) + (treated.sumPreSquares ?? 0);
  const sxy = (baseline.sumCross ?? 0) + (treated.sumCross ?? 0);
  const sy = baseline.sum + treated.sum;
  const centre = sx / n;
  // Σ(x − x̄) is zero up to rounding; Σ over the treated arm of (x − x̄), Σ(x − x̄)² and Σ(x − x̄)y from the sums.
  const c0 = sx - n * centre;
  const c1 = (treated.sumPre ?? 0) - treated.n * centre;
  const c2 = sxx - 2 * centre * sx + n * centre * centre;
  return {
    gram: [n, treated.n, c0, treated.n, treated.n, c1, c0, c1, c2],
    moment: [sy, treated.sum, sxy - centre * sy],
    centre,
  };
}

interface RatioSegmentSums {
  readonly arm: string;
  readonly level: string;
  readonly sums: RatioSums;
}

/** A ratio's sums per arm and level of a segment column, one GROUP BY; rows with a NULL numerator, denominator or level are left out. */
async function ratioSegmentSums(engine: SqlEngine, source: SqlSource, treatment: string, ratio: RatioOutcomeSpec, segment: string): Promise<RatioSegmentSums[]> {
  const d = engineDialect(engine);
  const num = d.double(d.identifier(ratio.numerator));
  const den = d.double(d.identifier(ratio.denominator));
  const rows = await groupedSums(engine, source, {
    groupBy: { arm: d.identifier(treatment), level: d.identifier(segment) },
    aggregates: { n: 'COUNT(*)', num: `SUM(${num})`, den: `SUM(${den})`, num2: `SUM(${num} * ${num})`, den2: `SUM(${den} * ${den})`, cross: `SUM(${num} * ${den})` },
    where: `${d.identifier(ratio.numerator)} IS NOT NULL AND ${d.identifier(ratio.denominator)} IS NOT NULL AND ${d.identifier(segment)} IS NOT NULL`,
  });
  return rows
    .filter((row) => row.keys.arm !== null && row.keys.level !== null)
    .map(({ keys, values }) => ({
      arm: keys.arm as string,
      level: keys.level as string,
      sums: { n: values.n ?? 0, sumNum: values.num ?? 0, sumDen: values.den ?? 0, sumNum2: values.num2 ?? 0, sumDen2: values.den2 ?? 0, sumNumDen: values.cross ?? 0 },
    }));
}

function effectRow(arm: string, o: { column: string; label: string }, r: ReturnType<typeof compareFromSums>): Omit<EffectRow, 'adjustedPValue'> {
  return {
    arm,
    outcome: o.column,
    label: o.label,
    kind: r.kind,
    control: r.control,
    treated: r.treated,
    absolute: r.absolute,
    relative: r.relative,
    relativeNote: r.relativeNote,
    cuped: 'cuped' in r ? r.cuped : null,
    method: r.method,
    sequential: r.sequential,
    bayesian: r.bayesian,
    plan: planNextTest(r),
  };
}

/**
 * Per outcome, a start for the engine's logistic fit: the same model fitted
 * in memory on the sample's training rows (features and arm indicators),
 * which puts Newton's method a step or two from the optimum over every
 * row; undefined for a continuous outcome or where the sample cannot fit it.
 */
function logisticStarts(trainData: Dataset, pipeline: FittedPipeline, treatment: string, arms: readonly string[], outcomes: readonly ValueOutcomeSpec[], l2: number): (number[] | undefined)[] {
  if (!outcomes.some((o) => o.kind === 'binary')) return outcomes.map(() => undefined);
  const X = transform(pipeline, trainData).matrix;
  const armColumn = trainData.column(treatment);
  const label = (i: number) => (armColumn.kind === 'numeric' ? String(armColumn.values[i]) : (armColumn.codes[i] as number) < 0 ? null : (armColumn.levels[armColumn.codes[i] as number] as string));
  const cols = X.cols + arms.length;
  const data = new Float64Array(X.rows * cols);
  for (let i = 0; i < X.rows; i++) {
    data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * cols);
    const a = arms.indexOf(label(i) as string);
    if (a >= 0) data[i * cols + X.cols + a] = 1;
  }
  return outcomes.map((o) => {
    if (o.kind !== 'binary') return undefined;
    try {
      const model = fitLogistic({ data, rows: X.rows, cols }, trainData.numeric(o.column), { l2 });
      return model.converged ? [model.intercept, ...model.coefficients] : undefined;
    } catch {
      return undefined;
    }
  });
}

/** One column of the sample as fromColumns takes it: numbers with NaN for NULL, or strings with null. */
function columnValues(column: SqlColumn, values: readonly unknown[]): Float64Array | (string | null)[] {
  if (column.numeric) return Float64Array.from(values, (v) => numberOf(v, column.name));
  return values.map((v) => (v === null || v === undefined ? null : String(v)));
}
