import { z } from 'zod';
import type { PolicyEstimate } from '../policy/policyValue.js';
import { policyValue } from '../policy/policyValue.js';
import { scoreFeatures } from '../policy/applyPolicy.js';
import { transformRows } from '../features/pipeline.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { assignOffers } from '../policy/assignOffers.js';
import { type ArmAction, POLICY_LEARNERS, type PolicyLearnerName, type TargetingPolicy, TargetingPolicySchema, type TargetingSpec, fitTargetingPolicyOnRows, parsePolicy } from '../policy/targetingPolicy.js';
import { chosenLearnerTest } from '../policy/chosenLearnerTest.js';
import { isInputError } from '../errors.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';
import type { ArmLearnerChoice, UpliftStage } from './uplift.js';
import { roughNumber } from './roughNumber.js';

/** What to do with one arm (or, with `arm: null`, with all arms together), and why. */
export const DecisionSchema = z
  .object({
    /** The arm, or null for the assignment over all arms. */
    arm: z.string().nullable(),
    action: z.enum(['target', 'treat_all', 'treat_none']),
    /** Share of customers who get the arm (any arm, for the overall row). */
    share: z.number(),
    /** Expected incremental profit of the action over the campaign's customers, doubly robust on the holdout, with a bootstrap interval. */
    expectedProfit: z.object({ estimate: z.number(), ci: z.tuple([z.number(), z.number()]) }).readonly(),
    reason: z.string(),
  })
  .readonly();
export type Decision = z.infer<typeof DecisionSchema>;

/** The holdout evidence behind one decision. */
export const PolicyEvidenceSchema = z
  .object({
    arm: z.string().nullable(),
    /** The learner chosen by cross-fitting within the training rows, and its cross-fitted Qini per learner. */
    learner: z.string().nullable(),
    selection: z.array(z.object({ learner: z.string(), qini: z.number().nullable() })).nullable(),
    /**
     * The chosen learner's Qini on the holdout, seen once, with its permutation p-value against a random ranking that
     * allows for the choice among the learners compared (max over learners, see `chosenLearnerTest`), the p-value of
     * the chosen learner alone, the number of learners and of permutations.
     */
    holdoutQini: z.object({ estimate: z.number(), pValue: z.number(), unadjustedPValue: z.number(), learners: z.number(), permutations: z.number() }).nullable(),
    /** Targeting, each blanket arm, and targeting against the best blanket arm, on the holdout. */
    targeting: z.object({ estimate: z.number(), standardError: z.number(), ci: z.tuple([z.number(), z.number()]) }),
    treatAll: z.object({ arm: z.string(), estimate: z.number(), standardError: z.number(), ci: z.tuple([z.number(), z.number()]) }),
    versusTreatAll: z.object({ estimate: z.number(), standardError: z.number(), ci: z.tuple([z.number(), z.number()]) }),
    /** Holdout rows of the arm and of control, and their events for a 0/1 outcome. */
    rows: z.object({ treated: z.number(), control: z.number(), treatedEvents: z.number().nullable(), controlEvents: z.number().nullable() }),
  })
  .readonly();
export type PolicyEvidence = z.infer<typeof PolicyEvidenceSchema>;

export const DecisionsSectionSchema = z
  .object({
    decisions: z.array(DecisionSchema),
    evidence: z.array(PolicyEvidenceSchema),
    /** Share of holdout customers the policy gives each arm (the control label: nothing), from the cost-aware assignment. */
    bestArmShare: z.array(z.object({ arm: z.string(), share: z.number() })),
    policy: TargetingPolicySchema,
  })
  .readonly();
export type DecisionsSection = z.infer<typeof DecisionsSectionSchema>;

/** Fewest holdout rows per group, and events per group for a 0/1 outcome, before a ranking is judged. */
const MIN_ROWS = 200;
const MIN_EVENTS = 30;
/** Fewest rows per group, and events per group for a 0/1 outcome, on each side of a targeting cut. */
const MIN_SEGMENT_ROWS = 50;
const MIN_SEGMENT_EVENTS = 10;

/** How decisions are made, in words. */
export const DECISION_METHOD =
  'learners chosen per arm by cross-fitted Qini within the training rows (at most 200,000 rows of an arm and control, a seeded sample stratified by arm above that); the chosen policy evaluated once on the holdout by a doubly robust off-policy estimate with a stratified bootstrap interval; target only when targeting beats both sending to everyone and sending to no one with intervals excluding zero and the holdout has enough rows and events (200 rows and 30 events per group; 50 rows and 10 events per group on each side of the cut), else the better blanket choice, said to be unproven when its own interval includes zero';


/**
 * The targeting policy of the campaign fitted on its training rows, before
 * any decision: per arm the learner with the best cross-fitted Qini there
 * (the meta-learners only: tree learners are scored for reference in the
 * uplift section), its model refitted on all training rows, and the
 * treated-outcome model. The uplift stage reuses these fits.
 */
export function fitCampaignPolicy(context: CampaignContext, features: CampaignFeatures): TargetingPolicy {
  const { dataset, spec, upliftOutcome, seed } = context;
  context.progress('choosing a learner per arm on the training rows');
  const targetingSpec: TargetingSpec = {
    treatment: spec.treatment,
    outcomes: [{ column: upliftOutcome.column, kind: upliftOutcome.kind }],
    features: context.featureSpec,
    ...(spec.economics !== undefined ? { economics: spec.economics } : {}),
    ...(spec.validation?.unit !== undefined ? { unit: spec.validation.unit } : {}),
    learners: context.learners.filter((l): l is PolicyLearnerName => (POLICY_LEARNERS as readonly string[]).includes(l)),
    validation: { seed, ...(spec.validation?.selectionRows === undefined ? {} : { selectionRows: spec.validation.selectionRows }) },
  };
  // The campaign's pipeline and training matrix: the policy fitTargetingPolicy would fit on the training rows, without a second copy of them.
  return fitTargetingPolicyOnRows(dataset, targetingSpec, { rows: features.split.train, pipeline: features.pipeline, X: features.trainX });
}

/**
 * The policy's fitted uplift models as the uplift stage's learner choices,
 * each passed on for reuse only when the policy was fitted on exactly the
 * stage's features (the same fitted pipeline and arms), so the uplift
 * stage's model of the chosen learner is the policy's, not a second fit.
 */
export function policyChoices(policy: TargetingPolicy, context: CampaignContext, features: CampaignFeatures): ArmLearnerChoice[] {
  const same = JSON.stringify(policy.pipeline) === JSON.stringify(features.pipeline) && policy.arms.length === context.assignment.arms.length && policy.arms.every((arm, a) => arm === context.assignment.arms[a]);
  return policy.models.map((m) => ({ learner: m.learner, crossFittedQini: m.selection, ...(same && m.uplift !== null ? { model: m.uplift } : {}) }));
}

/**
 * The decisions stage: takes the targeting policy fitted on the training
 * rows (fits it when not given), evaluates it once on the untouched holdout
 * against sending each arm to everyone and to no one, tests the chosen
 * learner's holdout Qini against a random ranking allowing for the choice
 * among the learners compared (max-over-learners permutation test, with
 * every learner's holdout scores from the uplift stage when given), and
 * decides per arm — and with several arms for the whole assignment — with
 * the reason in words. The policy in the section carries the decisions as
 * its per-arm actions, ready for `applyPolicy`.
 */
export function decideTargeting(context: CampaignContext, features: CampaignFeatures, fitted?: { readonly policy: TargetingPolicy; readonly uplift: UpliftStage }): DecisionsSection {
  const { dataset, assignment, upliftOutcome, seed, resamples } = context;
  let policy = fitted?.policy ?? fitCampaignPolicy(context, features);
  context.progress('deciding whom to target');
  // The holdout's features: the campaign's matrix when the policy was fitted with the campaign's pipeline (as fitCampaignPolicy fits it).
  const testX = JSON.stringify(policy.pipeline) === JSON.stringify(features.pipeline) ? features.testX : transformRows(policy.pipeline, dataset, features.split.test).matrix;
  const scores = scoreFeatures(policy, testX);
  const codes = features.testCodes;
  const y = Float64Array.from(features.split.test, (i) => upliftOutcome.values[i]!);
  const binary = upliftOutcome.kind === 'binary';
  const population = dataset.n;
  const labels = (code: number) => (code < 0 ? assignment.control : assignment.arms[code]!);
  const minimum = policy.rule.minimumProfit;
  const evidence: PolicyEvidence[] = [];
  const decisions: Decision[] = [];
  const actions: ArmAction[] = [];
  assignment.arms.forEach((arm, a) => {
    const rows: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === -1 || codes[i] === a) rows.push(i);
    const ya = Float64Array.from(rows, (i) => y[i]!);
    const ta = rows.map((i) => labels(codes[i]!));
    const target = rows.map((i) => (scores.profit[a]![i]! > minimum ? arm : assignment.control));
    const predictions = { data: new Float64Array(rows.length * 2), rows: rows.length, cols: 2 };
    rows.forEach((i, j) => {
      predictions.data[j * 2] = scores.treatedOutcome[a]![i]! - scores.uplift[a]![i]!;
      predictions.data[j * 2 + 1] = scores.treatedOutcome[a]![i]!;
    });
    const e = policy.economics[a]!;
    const value = policyValue(ya, ta, target, {
      control: assignment.control,
      arms: [arm],
      economics: { [arm]: { valuePerUnit: e.valuePerUnit, costPerTreated: e.costPerTreated, costPerConversion: e.costPerConversion, fixedCost: e.fixedCost } },
      predictions,
      population,
      resamples: Math.max(200, resamples),
      seed,
    });
    // Rows and events per group: all holdout rows, the targeted ones and the others.
    const all = emptyCounts();
    const targeted = emptyCounts();
    const others = emptyCounts();
    rows.forEach((i, j) => {
      const treated = codes[i] === a;
      count(all, treated, y[i]!);
      count(target[j] === arm ? targeted : others, treated, y[i]!);
    });
    const model = policy.models[a]!;
    const ta01 = Float64Array.from(rows, (i) => (codes[i] === a ? 1 : 0));
    // The learners compared for the choice, with their holdout scores from the uplift stage (else the chosen one's alone).
    const compared = fitted?.uplift.chosen.find((c) => c.arm === arm)?.learnerScores.filter((l) => model.selection === null ? l.learner === model.learner : model.selection.some((s) => s.learner === l.learner)) ?? [];
    const usable = compared.length > 0 && compared.some((l) => l.learner === model.learner) && compared.every((l) => l.score.length === rows.length);
    const candidates = usable ? compared.map((l) => ({ learner: l.learner as string, score: l.score })) : [{ learner: model.learner as string, score: Float64Array.from(rows, (i) => scores.uplift[a]![i]!) }];
    let holdoutQini: PolicyEvidence['holdoutQini'] = null;
    // An arm without a fitted model (priced at its averages) has no ranking to test.
    if (model.learner !== null) try {
      const permutations = Math.max(200, resamples);
      const chosenAt = candidates.findIndex((c) => c.learner === model.learner);
      const q = chosenLearnerTest(ya, candidates.map((c) => c.score), ta01, chosenAt, { permutations, seed, normalize: binary });
      holdoutQini = { estimate: q.qini[chosenAt]!, pValue: q.pValue, unadjustedPValue: q.unadjustedPValue, learners: candidates.length, permutations };
    } catch (error) {
      if (!isInputError(error)) throw error;
      holdoutQini = null;
    }
    const decided = armDecision({ arm, model, value: { policy: value.policy.dr!, treatAll: value.treatAll[0]!.dr!, versus: value.versusTreatAll.dr!, alpha: value.alpha }, counts: { all, targeted, others }, holdoutQini, binary, currency: e.currency });
    actions.push(decided.decision.action);
    decisions.push(decided.decision);
    evidence.push(decided.evidence);
  });
  // The policy carries the decisions.
  policy = parsePolicy({ ...policy, models: policy.models.map((m, a) => ({ ...m, action: actions[a]! })) });
  const k = assignment.arms.length;
  const n = codes.length;
  let chosen = assignHoldout(policy, testX);
  if (k > 1) {
    const decided = scoreFeatures(policy, testX);
    const predictions = { data: new Float64Array(n * (k + 1)), rows: n, cols: k + 1 };
    for (let i = 0; i < n; i++) {
      // Control column: the first arm's implied untreated outcome (every arm's model implies one; they agree in expectation).
      predictions.data[i * (k + 1)] = decided.treatedOutcome[0]![i]! - decided.uplift[0]![i]!;
      for (let a = 0; a < k; a++) predictions.data[i * (k + 1) + a + 1] = decided.treatedOutcome[a]![i]!;
    }
    const value = policyValue(
      y,
      Array.from(codes, labels),
      Array.from(chosen, labels),
      {
        control: assignment.control,
        arms: [...assignment.arms],
        economics: Object.fromEntries(policy.economics.map((e) => [e.arm, { valuePerUnit: e.valuePerUnit, costPerTreated: e.costPerTreated, costPerConversion: e.costPerConversion, fixedCost: e.fixedCost }])),
        predictions,
        population,
        resamples: Math.max(200, resamples),
        seed,
      },
    );
    const targetedShare = chosen.reduce((sum, c) => sum + (c >= 0 ? 1 : 0), 0) / n;
    const blanketArm = value.versusTreatAll.arm;
    const overall = overallDecision({
      value: { policy: value.policy.dr!, versus: value.versusTreatAll.dr!, blanketArm, blanket: value.treatAll.find((t) => t.arm === blanketArm)!.dr!, alpha: value.alpha },
      targetedShare,
      anyTarget: actions.some((x) => x === 'target'),
      rows: n,
      currency: policy.economics.find((e) => e.arm === blanketArm)?.currency ?? null,
    });
    const decision = overall.decision;
    decisions.push(decision);
    evidence.push(overall.evidence);
    // Each customer gets one offer: the overall decision is the policy's. A blanket choice sends one arm (or none) to everyone.
    if (decision.action !== 'target') {
      policy = parsePolicy({ ...policy, models: policy.models.map((m) => ({ ...m, action: decision.action === 'treat_all' && m.arm === blanketArm ? ('treat_all' as const) : ('treat_none' as const) })) });
      chosen = assignHoldout(policy, testX);
    }
  }
  const counts = new Array<number>(k + 1).fill(0);
  for (let i = 0; i < n; i++) counts[chosen[i]! + 1]!++;
  const bestArmShare = [{ arm: assignment.control, share: counts[0]! / n }, ...assignment.arms.map((arm, a) => ({ arm, share: counts[a + 1]! / n }))];
  return { decisions, evidence, bestArmShare, policy };
}

/** The holdout values one arm's decision weighs: targeting, sending the arm to everyone, and the difference, with their interval level. @internal */
export interface ArmValues {
  readonly policy: PolicyEstimate;
  readonly treatAll: PolicyEstimate;
  readonly versus: PolicyEstimate;
  readonly alpha: number;
}

/**
 * One arm's decision and the evidence the report shows for it, from its
 * holdout values, the holdout's rows and events (all, targeted and the
 * others) and the chosen learner's holdout Qini test. @internal
 */
export function armDecision(input: {
  readonly arm: string;
  readonly model: TargetingPolicy['models'][number];
  readonly value: ArmValues;
  readonly counts: { readonly all: GroupCounts; readonly targeted: GroupCounts; readonly others: GroupCounts };
  readonly holdoutQini: PolicyEvidence['holdoutQini'];
  readonly binary: boolean;
  readonly currency: string | null;
}): { decision: Decision; evidence: PolicyEvidence } {
  const { arm, model, value, counts, holdoutQini, binary, currency } = input;
  const { all, targeted, others } = counts;
  const share = (targeted.treated + targeted.control) / (all.treated + all.control);
  const decision = decideArm({
    arm,
    blanketArm: arm,
    targeting: value.policy,
    versus: value.versus,
    blanket: value.treatAll,
    level: levelOf(value.alpha),
    // No model of the arm could be fitted on the training rows: a blanket choice, and why.
    shortage: model.unfitted !== undefined ? `${arm} cannot be ranked: ${model.unfitted}` : shortageOf(arm, all, null, binary),
    splitShortage: share > 0 && share < 1 ? shortageOf(arm, all, { share, targeted, others }, binary) : null,
    qini: holdoutQini === null ? null : { pValue: holdoutQini.pValue, learners: holdoutQini.learners },
    share,
    currency,
  });
  const evidence: PolicyEvidence = {
    arm,
    learner: model.learner,
    selection: model.selection,
    holdoutQini,
    targeting: estimateOf(value.policy),
    treatAll: { arm, ...estimateOf(value.treatAll) },
    versusTreatAll: estimateOf(value.versus),
    rows: { treated: all.treated, control: all.control, treatedEvents: binary ? all.treatedEvents : null, controlEvents: binary ? all.controlEvents : null },
  };
  return { decision, evidence };
}

/** The decision over all arms together (several arms) and its evidence, from the holdout values of the policy's assignment. @internal */
export function overallDecision(input: {
  readonly value: { readonly policy: PolicyEstimate; readonly versus: PolicyEstimate; readonly blanketArm: string; readonly blanket: PolicyEstimate; readonly alpha: number };
  readonly targetedShare: number;
  readonly anyTarget: boolean;
  readonly rows: number;
  readonly currency: string | null;
}): { decision: Decision; evidence: PolicyEvidence } {
  const { value, targetedShare, anyTarget, rows, currency } = input;
  const decision = decideArm({
    arm: null,
    blanketArm: value.blanketArm,
    targeting: value.policy,
    versus: value.versus,
    blanket: value.blanket,
    level: levelOf(value.alpha),
    shortage: anyTarget ? null : 'No offer is worth targeting on its own (see each arm), so the choice is between one offer for everyone and none.',
    qini: null,
    share: targetedShare,
    currency,
  });
  const evidence: PolicyEvidence = {
    arm: null,
    learner: null,
    selection: null,
    holdoutQini: null,
    targeting: estimateOf(value.policy),
    treatAll: { arm: value.blanketArm, ...estimateOf(value.blanket) },
    versusTreatAll: estimateOf(value.versus),
    rows: { treated: Math.round(targetedShare * rows), control: rows - Math.round(targetedShare * rows), treatedEvents: null, controlEvents: null },
  };
  return { decision, evidence };
}

/** The arm (−1 none) the policy's cost-aware assignment gives each holdout customer, without a budget. */
function assignHoldout(policy: TargetingPolicy, testX: DenseMatrix): Int32Array {
  const scores = scoreFeatures(policy, testX);
  const n = testX.rows;
  const minimum = policy.rule.minimumProfit;
  const columns = policy.arms.map((_, a) => a).filter((a) => policy.models[a]!.action !== 'treat_none');
  const chosen = new Int32Array(n).fill(-1);
  if (columns.length === 0) return chosen;
  const m = columns.length;
  const P = new Float64Array(n * m);
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    columns.forEach((a, j) => {
      P[i * m + j] = scores.profit[a]![i]! - minimum;
      C[i * m + j] = scores.cost[a]![i]!;
    });
  }
  const result = assignOffers({ data: P, rows: n, cols: m }, { data: C, rows: n, cols: m });
  for (let i = 0; i < n; i++) chosen[i] = result.arm[i]! >= 0 ? columns[result.arm[i]!]! : -1;
  return chosen;
}

/** Holdout rows and events (outcome 1, or the outcome's sum) of the treated arm and of control. */
export interface GroupCounts {
  treated: number;
  control: number;
  treatedEvents: number;
  controlEvents: number;
}

const emptyCounts = (): GroupCounts => ({ treated: 0, control: 0, treatedEvents: 0, controlEvents: 0 });

function count(counts: GroupCounts, treated: boolean, y: number): void {
  if (treated) {
    counts.treated++;
    counts.treatedEvents += y;
  } else {
    counts.control++;
    counts.controlEvents += y;
  }
}

/** A share as a whole percentage, "under 1%" or "over 99%" rather than a rounded 0% or 100%. */
const percentText = (share: number) => (share > 0 && share < 0.005 ? 'under 1%' : share < 1 && share > 0.995 ? 'over 99%' : `${Math.round(share * 100)}%`);

const levelOf = (alpha: number) => Math.round((1 - alpha) * 1000) / 10;

/**
 * Why the holdout is too small to rank customers for an arm, or null: each
 * group needs `MIN_ROWS` rows (and `MIN_EVENTS` events for a 0/1 outcome),
 * and when targeting splits the customers, the targeted and the other
 * customers each need `MIN_SEGMENT_ROWS` rows (and `MIN_SEGMENT_EVENTS`
 * events) per group, so that neither side of the cut rests on a handful.
 */
function shortageOf(arm: string, all: GroupCounts, split: { share: number; targeted: GroupCounts; others: GroupCounts } | null, binary: boolean): string | null {
  const describe = (c: GroupCounts) =>
    binary ? `${c.treatedEvents} events (outcome 1) among ${c.treated} ${arm} rows and ${c.controlEvents} among ${c.control} control rows` : `${c.treated} ${arm} rows and ${c.control} control rows`;
  const short = (c: GroupCounts, rows: number, events: number) => c.treated < rows || c.control < rows || (binary && (c.treatedEvents < events || c.controlEvents < events));
  if (short(all, MIN_ROWS, MIN_EVENTS)) {
    return `Too little data to rank customers for ${arm}: the holdout has ${describe(all)}; ranking needs at least ${binary ? `${MIN_EVENTS} events and ` : ''}${MIN_ROWS} rows in each group.`;
  }
  if (split === null) return null;
  for (const [name, c] of [[`the targeted ${percentText(split.share)}`, split.targeted], [`the other ${percentText(1 - split.share)}`, split.others]] as const) {
    if (short(c, MIN_SEGMENT_ROWS, MIN_SEGMENT_EVENTS)) {
      return `Too little data to judge targeting ${arm}: ${name} of the holdout has ${describe(c)}; the targeted and the other customers each need at least ${binary ? `${MIN_SEGMENT_EVENTS} events and ` : ''}${MIN_SEGMENT_ROWS} rows per group.`;
    }
  }
  return null;
}

function estimateOf(e: PolicyEstimate) {
  return { estimate: e.estimate, standardError: e.standardError, ci: e.ci };
}

/** What {@link decideArm} weighs for one arm (or, with `arm` null, for the assignment over all arms). @internal */
export interface DecisionEvidence {
  /** The arm, or null for the assignment over all arms. */
  readonly arm: string | null;
  /** The arm a blanket 'treat_all' sends to everyone (the arm itself, or overall the best blanket arm). */
  readonly blanketArm: string;
  /** Targeting's incremental profit against sending nothing. */
  readonly targeting: PolicyEstimate;
  /** Targeting minus sending `blanketArm` to everyone, paired over resamples. */
  readonly versus: PolicyEstimate;
  /** Sending `blanketArm` to everyone against sending nothing. */
  readonly blanket: PolicyEstimate;
  /** Interval level in percent, e.g. 95. */
  readonly level: number;
  /** Why the data are too few to rank on (a sentence), or null when there are enough. */
  readonly shortage: string | null;
  /** Why the two sides of the targeting cut are too thin to trust a 'target' (a sentence), or null; weighed only when targeting would otherwise win. */
  readonly splitShortage?: string | null;
  /** The chosen learner's holdout Qini p-value against a random ranking, and the learners it was chosen among. */
  readonly qini: { readonly pValue: number; readonly learners: number } | null;
  /** Share of customers targeting gives the arm (any arm overall). */
  readonly share: number;
  readonly currency: string | null;
}

/** An amount of money for a sentence, in the report's currency (see {@link roughNumber}). */
function amount(value: number, currency: string | null): string {
  return `${currency === null ? '' : `${currency} `}${roughNumber(value)}`;
}

function withInterval(e: PolicyEstimate, level: number, currency: string | null): string {
  return `${amount(e.estimate, currency)} (${level}% CI ${amount(e.ci[0], currency)} to ${amount(e.ci[1], currency)})`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** Where an interval lies against zero, in words. */
function side(ci: readonly [number, number]): string {
  return ci[0] > 0 ? 'an interval above zero' : ci[1] < 0 ? 'an interval below zero' : 'an interval that includes zero';
}

/**
 * The decision for one arm (or overall, arm null) from its holdout values:
 * 'target' only when the data suffice to rank and targeting beats both
 * sending nothing and sending the arm to everyone, both intervals excluding
 * zero; otherwise the better blanket choice by its point estimate, in
 * words that say when even that choice is not shown to pay (its interval
 * includes zero). The reason is whole sentences, each starting with a
 * capital letter and ending with a full stop.
 * @internal
 */
export function decideArm(evidence: DecisionEvidence): Decision {
  const { arm, blanketArm, targeting, versus, blanket, level, shortage, qini, share, currency } = evidence;
  const money = (e: PolicyEstimate) => withInterval(e, level, currency);
  const sendAll = `sending ${blanketArm} to everyone`;
  const SendAll = `Sending ${blanketArm} to everyone`;
  const targetingWords = arm === null ? 'giving each customer the offer of highest expected profit' : `targeting ${percentText(share)} of customers`;
  const Targeting = targetingWords.charAt(0).toUpperCase() + targetingWords.slice(1);
  const qiniWords =
    qini === null
      ? ''
      : ` The uplift model ${qini.pValue > 0.05 ? 'is no better than a random ranking' : 'beats a random ranking'} on the holdout (Qini ${pText(qini.pValue)}${qini.learners > 1 ? `, allowing for the choice among ${qini.learners} learners` : ''}).`;
  const blanketDecision = (why: string): Decision => {
    if (blanket.estimate > 0) {
      const outcome = blanket.ci[0] > 0
        ? `${SendAll} is expected to earn ${money(blanket)}.`
        : `${SendAll} is the better blanket choice but is not shown to pay: it is expected to earn ${money(blanket)}, an interval that includes zero.`;
      return { arm, action: 'treat_all', share: 1, expectedProfit: { estimate: blanket.estimate, ci: blanket.ci }, reason: `${why} ${outcome}` };
    }
    const outcome = blanket.ci[1] < 0
      ? `${SendAll} is expected to lose money: ${money(blanket)}.`
      : `${SendAll} is not shown to pay: it is expected to earn ${money(blanket)}, an interval that includes zero, so sending nothing is the safer choice.`;
    return { arm, action: 'treat_none', share: 0, expectedProfit: { estimate: 0, ci: [0, 0] }, reason: `${why} ${outcome}` };
  };
  if (shortage !== null) return blanketDecision(shortage);
  if (targeting.ci[0] > 0 && versus.ci[0] > 0) {
    if (evidence.splitShortage != null) return blanketDecision(evidence.splitShortage);
    return {
      arm,
      action: 'target',
      share,
      expectedProfit: { estimate: targeting.estimate, ci: targeting.ci },
      reason: `${Targeting} earns ${money(targeting)} against sending nothing, and ${money(versus)} more than ${sendAll}.${qiniWords}`,
    };
  }
  const why =
    versus.ci[0] <= 0
      ? `${versus.ci[1] < 0 ? `${SendAll} beats targeting` : `No ranking beats ${sendAll}`}: the profit of ${targetingWords} minus that of ${sendAll} is ${money(versus)}, ${side(versus.ci)}.${qiniWords}`
      : `${Targeting} beats ${sendAll} by ${money(versus)}, but is not shown to earn more than sending nothing: ${money(targeting)}, ${side(targeting.ci)}.${qiniWords}`;
  return blanketDecision(why);
}
