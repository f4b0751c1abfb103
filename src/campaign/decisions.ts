import { z } from 'zod';
import type { PolicyEstimate, PolicyValue } from '../policy/policyValue.js';
import { policyValue } from '../policy/policyValue.js';
import { scoreCustomers } from '../policy/applyPolicy.js';
import { assignOffers } from '../policy/assignOffers.js';
import { type ArmAction, POLICY_LEARNERS, type PolicyLearnerName, type TargetingPolicy, TargetingPolicySchema, type TargetingSpec, fitTargetingPolicy, parsePolicy } from '../policy/targetingPolicy.js';
import { scoreUncertainty } from '../uplift/scoreUncertainty.js';
import type { CampaignContext } from './context.js';
import type { CampaignFeatures } from './features.js';

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
    /** The chosen learner's Qini on the holdout, seen once, with its permutation p-value against a random ranking. */
    holdoutQini: z.object({ estimate: z.number(), pValue: z.number() }).nullable(),
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

/** How decisions are made, in words. */
export const DECISION_METHOD =
  'learners chosen per arm by cross-fitted Qini within the training rows; the chosen policy evaluated once on the holdout by a doubly robust off-policy estimate with a stratified bootstrap interval; target only when targeting beats both sending to everyone and sending to no one with intervals excluding zero, else the better blanket choice';

const money = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
const interval = (ci: readonly [number, number]) => `[${money(ci[0])}, ${money(ci[1])}]`;

/**
 * The decisions stage: fits the targeting policy on the training rows
 * (learner per arm chosen by cross-fitting there), evaluates it once on the
 * untouched holdout against sending each arm to everyone and to no one, and
 * decides per arm — and with several arms for the whole assignment — with
 * the reason in words. The policy in the section carries the decisions as
 * its per-arm actions, ready for `applyPolicy`.
 */
export function decideTargeting(context: CampaignContext, features: CampaignFeatures): DecisionsSection {
  const { dataset, spec, assignment, upliftOutcome, seed, resamples } = context;
  context.progress('deciding whom to target');
  const train = dataset.take(features.split.train);
  const test = dataset.take(features.split.test);
  const targetingSpec: TargetingSpec = {
    treatment: spec.treatment,
    outcomes: [{ column: upliftOutcome.column, kind: upliftOutcome.kind }],
    features: context.featureSpec,
    ...(spec.economics !== undefined ? { economics: spec.economics } : {}),
    ...(spec.validation?.unit !== undefined ? { unit: spec.validation.unit } : {}),
    // The policy holds linear models only: it chooses among the meta-learners; tree learners are scored for reference in the uplift section.
    learners: context.learners.filter((l): l is PolicyLearnerName => (POLICY_LEARNERS as readonly string[]).includes(l)),
    validation: { seed },
  };
  let policy = fitTargetingPolicy(train, targetingSpec);
  const scores = scoreCustomers(policy, test);
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
    let treated = 0;
    let control = 0;
    let treatedEvents = 0;
    let controlEvents = 0;
    for (const i of rows) {
      if (codes[i] === a) {
        treated++;
        treatedEvents += y[i]!;
      } else {
        control++;
        controlEvents += y[i]!;
      }
    }
    const model = policy.models[a]!;
    const ta01 = Float64Array.from(rows, (i) => (codes[i] === a ? 1 : 0));
    let holdoutQini: { estimate: number; pValue: number } | null = null;
    try {
      const q = scoreUncertainty({ score: 'qini_auc', normalize: binary }, ya, Float64Array.from(rows, (i) => scores.uplift[a]![i]!), ta01, { resamples, permutations: resamples, seed });
      holdoutQini = { estimate: q.estimate, pValue: q.pValue };
    } catch {
      holdoutQini = null;
    }
    const enough = model.unfitted === undefined && treated >= MIN_ROWS && control >= MIN_ROWS && (!binary || (treatedEvents >= MIN_EVENTS && controlEvents >= MIN_EVENTS));
    const decision = decideArm(arm, value, enough, holdoutQini, { treated, control, treatedEvents, controlEvents, binary }, target.filter((t) => t === arm).length / rows.length, model.unfitted);
    actions.push(decision.action);
    decisions.push(decision);
    evidence.push({
      arm,
      learner: model.learner,
      selection: model.selection,
      holdoutQini,
      targeting: estimateOf(value.policy.dr!),
      treatAll: { arm, ...estimateOf(value.treatAll[0]!.dr!) },
      versusTreatAll: estimateOf(value.versusTreatAll.dr!),
      rows: { treated, control, treatedEvents: binary ? treatedEvents : null, controlEvents: binary ? controlEvents : null },
    });
  });
  // The policy carries the decisions.
  policy = parsePolicy({ ...policy, models: policy.models.map((m, a) => ({ ...m, action: actions[a]! })) });
  const decided = scoreCustomers(policy, test);
  const k = assignment.arms.length;
  const n = codes.length;
  const usable = assignment.arms.map((_, a) => actions[a] !== 'treat_none');
  const columns = assignment.arms.map((_, a) => a).filter((a) => usable[a]);
  const chosen = new Int32Array(n).fill(-1);
  if (columns.length > 0) {
    const m = columns.length;
    const P = new Float64Array(n * m);
    const C = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      columns.forEach((a, j) => {
        P[i * m + j] = decided.profit[a]![i]! - minimum;
        C[i * m + j] = decided.cost[a]![i]!;
      });
    }
    const result = assignOffers({ data: P, rows: n, cols: m }, { data: C, rows: n, cols: m });
    for (let i = 0; i < n; i++) chosen[i] = result.arm[i]! >= 0 ? columns[result.arm[i]!]! : -1;
  }
  const counts = new Array<number>(k + 1).fill(0);
  for (let i = 0; i < n; i++) counts[chosen[i]! + 1]!++;
  const bestArmShare = [{ arm: assignment.control, share: counts[0]! / n }, ...assignment.arms.map((arm, a) => ({ arm, share: counts[a + 1]! / n }))];
  if (k > 1) {
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
    const anyTarget = actions.some((x) => x === 'target');
    const decision = decideArm(null, value, anyTarget, null, null, 1 - counts[0]! / n);
    decisions.push(decision);
    evidence.push({
      arm: null,
      learner: null,
      selection: null,
      holdoutQini: null,
      targeting: estimateOf(value.policy.dr!),
      treatAll: { arm: value.versusTreatAll.arm, ...estimateOf(value.treatAll.find((t) => t.arm === value.versusTreatAll.arm)!.dr!) },
      versusTreatAll: estimateOf(value.versusTreatAll.dr!),
      rows: { treated: n - counts[0]!, control: counts[0]!, treatedEvents: null, controlEvents: null },
    });
  }
  return { decisions, evidence, bestArmShare, policy };
}

function estimateOf(e: PolicyEstimate) {
  return { estimate: e.estimate, standardError: e.standardError, ci: e.ci };
}

/**
 * The decision for one arm (or overall, arm null) from its holdout value:
 * 'target' only when targeting beats sending nothing and the best blanket
 * arm, both intervals excluding zero; otherwise the better blanket choice.
 */
function decideArm(
  arm: string | null,
  value: PolicyValue,
  enough: boolean,
  qini: { estimate: number; pValue: number } | null,
  rows: { treated: number; control: number; treatedEvents: number; controlEvents: number; binary: boolean } | null,
  targetedShare: number,
  unfitted?: string,
): Decision {
  const targeting = value.policy.dr!;
  const versus = value.versusTreatAll.dr!;
  const blanketArm = value.versusTreatAll.arm;
  const blanket = value.treatAll.find((t) => t.arm === blanketArm)!.dr!;
  const name = arm === null ? 'the offers' : arm;
  const blanketDecision = (why: string): Decision =>
    blanket.estimate > 0
      ? {
          arm,
          action: 'treat_all',
          share: 1,
          expectedProfit: { estimate: blanket.estimate, ci: blanket.ci },
          reason: `${why}; sending ${arm === null ? blanketArm : name} to everyone is expected to earn ${money(blanket.estimate)} ${interval(blanket.ci)}${blanket.ci[0] > 0 ? '' : ', an interval that includes zero'}`,
        }
      : {
          arm,
          action: 'treat_none',
          share: 0,
          expectedProfit: { estimate: 0, ci: [0, 0] },
          reason: `${why}; sending ${arm === null ? blanketArm : name} to everyone is expected to lose: ${money(blanket.estimate)} ${interval(blanket.ci)}`,
        };
  if (!enough) {
    // No model of the arm could be fitted on the training rows: a blanket choice, and why.
    if (unfitted !== undefined) return blanketDecision(`${name} cannot be ranked: ${unfitted}`);
    if (rows === null) return blanketDecision('no arm can be targeted on this evidence');
    const detail = rows.binary
      ? `${rows.treatedEvents} events (outcome 1) among ${rows.treated} treated and ${rows.controlEvents} among ${rows.control} control holdout rows; ranking needs at least ${MIN_EVENTS} events and ${MIN_ROWS} rows in each`
      : `${rows.treated} treated and ${rows.control} control holdout rows; ranking needs at least ${MIN_ROWS} of each`;
    return blanketDecision(`too little data to rank customers for ${name} (${detail})`);
  }
  if (targeting.ci[0] > 0 && versus.ci[0] > 0) {
    return {
      arm,
      action: 'target',
      share: targetedShare,
      expectedProfit: { estimate: targeting.estimate, ci: targeting.ci },
      reason: `targeting ${money(targetedShare * 100)}% of customers earns ${money(targeting.estimate)} ${interval(targeting.ci)}, ${money(versus.estimate)} ${interval(versus.ci)} more than sending ${arm === null ? blanketArm : name} to everyone${qini === null ? '' : `; the uplift model beats a random ranking on the holdout (Qini p = ${qini.pValue.toFixed(3)})`}`,
    };
  }
  const qiniText = qini === null ? '' : `, and the uplift model ${qini.pValue > 0.05 ? 'is no better than random' : 'beats a random ranking'} on the holdout (Qini p = ${qini.pValue.toFixed(3)})`;
  const why =
    versus.ci[0] <= 0
      ? `no ranking beats sending ${arm === null ? blanketArm : name} to everyone: targeting earns ${money(versus.estimate)} ${interval(versus.ci)} more, an interval that includes zero${qiniText}`
      : `targeting is not shown to earn more than sending nothing: ${money(targeting.estimate)} ${interval(targeting.ci)}${qiniText}`;
  return blanketDecision(why);
}
