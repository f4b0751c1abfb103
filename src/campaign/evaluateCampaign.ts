import type { Dataset } from '../data/dataset.js';
import { isInputError } from '../errors.js';
import { checkData, describeData } from './checks.js';
import { decideTargeting, fitCampaignPolicy, policyChoices } from './decisions.js';
import { assertModelContext, prepareEffects } from './context.js';
import { estimateEffects } from './effects.js';
import { buildFeatures } from './features.js';
import { type CampaignReport, REPORT_VERSION } from './reportSchema.js';
import { describeProvenance } from './provenance.js';
import { fitResponseModels } from './responseModels.js';
import { segmentEffects } from './segments.js';
import { describeSettings } from './settings.js';
import { summarize } from './summary.js';
import type { CampaignSpec, EvaluateOptions } from './spec.js';
import { targetArms } from './targeting.js';
import { compareUpliftLearners } from './uplift.js';

/** The model sections of a report without models (effects only, or models the data cannot support), fresh arrays each call. @internal */
export function noModels(): Pick<CampaignReport, 'responseModels' | 'uplift' | 'targeting' | 'bestArmShare' | 'decisions' | 'policyEvidence' | 'policy'> {
  return { responseModels: [], uplift: [], targeting: [], bestArmShare: null, decisions: [], policyEvidence: [], policy: null };
}

/**
 * The main job: from a campaign table to a typed, versioned, JSON-safe
 * report, one section per stage of the walk — assignment → checks →
 * effects → segments → features → response models → uplift → targeting.
 * Data checks (rows per arm, sample-ratio test, covariate balance, missing
 * values); per-arm effects on every outcome with intervals (CUPED with a
 * pre-period) and Holm-adjusted p-values across arms; effects by segment
 * with Benjamini–Hochberg adjustment and small-group flags; response models
 * (logistic or linear) scored on a seeded holdout; uplift learners compared
 * on the holdout by Qini (with bootstrap interval and a permutation
 * p-value), uplift AUC and uplift by decile, the chosen learner being the
 * policy's (chosen by cross-fitting within the training rows, so only its
 * holdout score is unbiased); and targeting: the
 * incremental-profit curve of the chosen learner under the economics, its
 * best cutoff (and within budget), against treat-all and treat-none, and
 * with several arms the best arm per customer. Every model is fitted on
 * training rows only. Without `features` the report is effects-only
 * (`scope: 'effects'`): checks, effects and segment effects, empty model
 * sections and no policy. A model the data cannot support (one class of
 * outcome in a group, a singular design) is skipped, not the report: a
 * learner per arm (listed in `uplift[].skipped` and the warnings), a
 * response model per outcome, and an arm no model can be fitted on gets a
 * blanket decision saying why. Nothing here renders; see `promolens/report`.
 *
 * @throws InputError for a bad spec (`invalid_option` naming the key), an
 *   unknown column (`missing_column`), a control level that is absent or
 *   the only one (`invalid_option`, `single_class`), an outcome declared
 *   binary that is not (`not_binary`, naming the row)
 */
export function evaluateCampaign(dataset: Dataset, spec: CampaignSpec, options: EvaluateOptions = {}): CampaignReport {
  const warnings: string[] = [];
  const context = prepareEffects(dataset, spec, options, (message) => warnings.push(message));
  context.progress('checking data');
  const data = describeData(context);
  const checks = checkData(context);
  context.progress('estimating effects');
  const effects = estimateEffects(context);
  const segments = segmentEffects(context);
  const head = { kind: 'campaign_report' as const, version: REPORT_VERSION as typeof REPORT_VERSION, title: context.spec.title ?? `Campaign report: ${context.spec.treatment.column}` };
  if (context.spec.features === undefined) {
    // Effects only: no features, so no models, uplift, targeting or policy.
    return {
      ...head,
      scope: 'effects',
      summary: summarize(context, { checks, effects, responseModels: [], uplift: [], targeting: [], decisions: [] }),
      data,
      checks: { ...checks, warnings },
      effects,
      segments,
      ...noModels(),
      settings: describeSettings(context, null),
      provenance: describeProvenance(context, options.createdAt),
    };
  }
  assertModelContext(context);
  context.progress('building features');
  const features = buildFeatures(context);
  context.progress('fitting response models');
  const responseModels = fitResponseModels(context, features);
  let modelled;
  try {
    // The policy chooses each arm's learner on the training rows; the uplift section reports that choice and reuses
    // its fits; the decisions weigh the chosen learner's holdout score against all learners compared.
    const policy = fitCampaignPolicy(context, features);
    const uplift = compareUpliftLearners(context, features, policyChoices(policy, context, features));
    const decided = decideTargeting(context, features, { policy, uplift });
    modelled = { decided, uplift, targeting: targetArms(context, uplift) };
  } catch (error) {
    // A model the data cannot support (an arm with one class of outcome, a singular design) stops
    // the uplift and targeting stages, not the report: the checks, effects, segments and response
    // models stand, and the report says why the rest is missing.
    if (!isInputError(error) || (error.reason !== 'single_class' && error.reason !== 'singular')) throw error;
    context.warn(`Uplift models and targeting could not be run: ${error.message}. The checks, effects, segments and response models above stand; no targeting decision is made.`);
    return {
      ...head,
      summary: summarize(context, { checks, effects, responseModels, uplift: [], targeting: [], decisions: [] }),
      data,
      checks: { ...checks, warnings },
      effects,
      segments,
      ...noModels(),
      responseModels,
      settings: describeSettings(context, features),
      provenance: describeProvenance(context, options.createdAt),
    };
  }
  const { decided, uplift, targeting } = modelled;
  const summary = summarize(context, { checks, effects, responseModels, uplift: uplift.section, targeting, decisions: decided.decisions, policyEvidence: decided.evidence });
  return {
    ...head,
    summary,
    data,
    checks: { ...checks, warnings },
    effects,
    segments,
    responseModels,
    uplift: uplift.section,
    targeting,
    // Several arms: the shares of the cost-aware assignment, not of raw uplift.
    bestArmShare: context.assignment.arms.length > 1 ? decided.bestArmShare : null,
    decisions: decided.decisions,
    policyEvidence: decided.evidence,
    policy: decided.policy,
    settings: describeSettings(context, features),
    provenance: describeProvenance(context, options.createdAt),
  };
}

// The spec's home is spec.ts; these names stay importable from here too.
export { type CampaignSpec, CampaignSpecSchema, type EvaluateOptions } from './spec.js';
