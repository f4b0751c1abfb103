import { z } from 'zod';
import type { ChecksSection } from './checks.js';
import type { EffectsContext } from './context.js';
import type { EffectRow } from './effects.js';
import type { ResponseModel } from './responseModels.js';
import type { Targeting } from './targeting.js';
import type { UpliftArm } from './uplift.js';
import { roughNumber } from './roughNumber.js';

/** Adjusted p-values below this count as a clear effect in the summary and the charts. */
export const SIGNIFICANCE_LEVEL = 0.05;
/** Fewer rows than this in an arm is a small sample. */
const SMALL_ARM = 100;
/** Fewer events (1s of a 0/1 outcome) than this in an arm is too few to rank or compare with confidence. */
const FEW_EVENTS = 10;
/** A holdout AUC at or above this is near-perfect separation: a sign of leakage. */
const LEAKAGE_AUC = 0.99;

const IntervalSchema = z.tuple([z.number().nullable(), z.number().nullable()]);

/** One arm on one outcome, in numbers and in words. */
export const SummaryEffectSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    label: z.string(),
    /** `rate` for a 0/1 outcome (differences in percentage points), `mean` otherwise. */
    scale: z.enum(['rate', 'mean']),
    control: z.number(),
    treated: z.number(),
    absolute: z.object({ estimate: z.number(), ci: IntervalSchema }),
    relative: z.object({ estimate: z.number(), ci: IntervalSchema }).nullable(),
    adjustedPValue: z.number(),
    /** Adjusted p-value below the significance level. */
    significant: z.boolean(),
    /** Posterior chance that the arm beats control, when the effects are Bayesian; else null. */
    chanceToWin: z.number().nullable(),
    verdict: z.enum(['increase', 'decrease', 'unclear']),
    sentence: z.string(),
  })
  .readonly();
export type SummaryEffect = z.infer<typeof SummaryEffectSchema>;

/** What to do with an arm next time, and the money it is expected to make. */
export const SummaryDecisionSchema = z
  .object({
    arm: z.string(),
    outcome: z.string(),
    action: z.enum(['target', 'treat_all', 'treat_none']),
    /** Share of customers to treat (1 for treat all, 0 for none). */
    share: z.number(),
    /** Expected incremental profit over the arm's and control's customers, with its interval when the decision stage gives one. */
    expectedProfit: z.object({ estimate: z.number(), ci: IntervalSchema.nullable() }),
    /** The same per 1,000 customers. */
    profitPerThousand: z.number(),
    population: z.number(),
    /** Expected profit of sending to everyone; null when the decisions stage ran without a profit curve. */
    treatAllProfit: z.number().nullable(),
    /** Where the decision comes from: the decisions stage, or the holdout profit curve of the chosen learner. */
    source: z.enum(['decisions', 'profit_curve']),
    reason: z.string(),
    sentence: z.string(),
  })
  .readonly();
export type SummaryDecision = z.infer<typeof SummaryDecisionSchema>;

export const CaveatSchema = z
  .object({
    kind: z.enum(['sample_ratio_mismatch', 'imbalance', 'small_sample', 'leakage', 'random_ranking']),
    message: z.string(),
  })
  .readonly();
export type Caveat = z.infer<typeof CaveatSchema>;

/** The answer first: the effects, the decisions with their money, and the caveats that matter. */
export const SummarySectionSchema = z
  .object({
    headline: z.string(),
    effects: z.array(SummaryEffectSchema),
    decisions: z.array(SummaryDecisionSchema),
    caveats: z.array(CaveatSchema),
    /** The economics' currency, when the spec names one. */
    currency: z.string().nullable(),
    significanceLevel: z.number(),
  })
  .readonly();
export type SummarySection = z.infer<typeof SummarySectionSchema>;

/** A decision as the decisions stage states it (per arm). */
export interface DecisionInput {
  /** The arm, or null for the assignment over all arms. */
  readonly arm: string | null;
  readonly action: 'target' | 'treat_all' | 'treat_none';
  readonly share: number;
  readonly expectedProfit: { readonly estimate: number; readonly ci: readonly [number | null, number | null] | null };
  readonly reason: string;
}

/** The sections the summary reads. `decisions` is used when the decisions stage ran. */
export interface SummaryInputs {
  readonly checks: Omit<ChecksSection, 'warnings'>;
  readonly effects: readonly EffectRow[];
  readonly responseModels: readonly ResponseModel[];
  readonly uplift: readonly UpliftArm[];
  readonly targeting: readonly Targeting[];
  readonly decisions?: readonly DecisionInput[] | undefined;
  /** The decisions stage's evidence per arm: its holdout Qini p-value allows for the choice among learners. */
  readonly policyEvidence?: readonly { readonly arm: string | null; readonly holdoutQini: { readonly pValue: number; readonly learners: number } | null }[] | undefined;
}

/** A fixed-digit number without trailing zeros. */
const trim = (text: string) => String(Number(text));


function percent(value: number, digits = 1): string {
  const text = Math.abs(value * 100).toFixed(digits);
  return `${value < 0 ? '−' : ''}${text}%`;
}

function points(value: number): string {
  const a = Math.abs(value * 100);
  const digits = a >= 1 ? 1 : a >= 0.1 ? 2 : 3;
  return `${value < 0 ? '−' : '+'}${a.toFixed(digits)} points`;
}

function interval(ci: readonly [number | null, number | null], write: (v: number) => string): string {
  return `${ci[0] === null ? '−∞' : write(ci[0])} to ${ci[1] === null ? '+∞' : write(ci[1])}`;
}

function money(value: number, currency: string | null): string {
  return currency === null ? roughNumber(value) : `${currency} ${roughNumber(value)}`;
}

function pText(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${trim(p.toFixed(p < 0.01 ? 4 : 3))}`;
}

function summarizeEffect(e: EffectRow, control: string): SummaryEffect {
  const scale = e.kind === 'proportions' ? 'rate' : 'mean';
  const sig = e.adjustedPValue < SIGNIFICANCE_LEVEL;
  const verdict = !sig ? 'unclear' : e.absolute.estimate > 0 ? 'increase' : e.absolute.estimate < 0 ? 'decrease' : 'unclear';
  const bayes = (e as { bayesian?: { chanceToWin?: number } }).bayesian;
  const chanceToWin = typeof bayes?.chanceToWin === 'number' ? bayes.chanceToWin : null;
  const rateDigits = Math.min(e.control.mean, e.treated.mean) < 0.01 ? 2 : 1;
  const level = (v: number) => (scale === 'rate' ? percent(v, rateDigits) : roughNumber(v));
  const difference = scale === 'rate' ? points(e.absolute.estimate) : `${e.absolute.estimate >= 0 ? '+' : ''}${roughNumber(e.absolute.estimate)}`;
  const ciWrite = (v: number) => (scale === 'rate' ? `${(v * 100).toFixed(Math.abs(e.absolute.estimate * 100) >= 1 ? 1 : 2)}` : roughNumber(v));
  const relative = e.relative === null ? '' : `, ${e.relative.estimate >= 0 ? '+' : ''}${percent(e.relative.estimate)} relative`;
  const evidence = `${difference} (95% CI ${interval(e.absolute.ci, ciWrite)}${scale === 'rate' ? ' points' : ''})${relative}, adjusted ${pText(e.adjustedPValue)}${chanceToWin === null ? '' : `, ${percent(chanceToWin, 0)} chance to beat ${control}`}`;
  const verb = verdict === 'increase' ? 'raised' : verdict === 'decrease' ? 'lowered' : 'did not clearly change';
  const sentence = `${e.arm} ${verb} ${e.label} (${level(e.control.mean)} with ${control}, ${level(e.treated.mean)} with ${e.arm}): ${evidence}.`;
  return {
    arm: e.arm,
    outcome: e.outcome,
    label: e.label,
    scale,
    control: e.control.mean,
    treated: e.treated.mean,
    absolute: { estimate: e.absolute.estimate, ci: e.absolute.ci },
    relative: e.relative === null ? null : { estimate: e.relative.estimate, ci: e.relative.ci },
    adjustedPValue: e.adjustedPValue,
    significant: sig,
    chanceToWin,
    verdict,
    sentence,
  };
}

/** The arm label of the decision over all arms. */
const ALL_ARMS = 'all arms';

function decisionSentence(arm: string, action: SummaryDecision['action'], share: number, profit: SummaryDecision['expectedProfit'], perThousand: number, currency: string | null, reason: string): string {
  // A blanket send whose interval reaches zero or below is the better choice, not a sure gain: say so.
  const unproven = action === 'treat_all' && profit.ci !== null && !(profit.ci[0] !== null && profit.ci[0] > 0);
  const what = arm === ALL_ARMS
    ? action === 'target' ? `Give each customer the arm with the highest expected profit, ${percent(share, 0)} of customers getting one` : action === 'treat_all' ? (unproven ? 'Send one arm to everyone, if at all' : 'Send one arm to everyone') : 'Send no arm'
    : action === 'target' ? `Send ${arm} to the top ${percent(share, 0)} by predicted uplift` : action === 'treat_all' ? (unproven ? `Send ${arm} to everyone, if at all` : `Send ${arm} to everyone`) : `Do not send ${arm}`;
  const ci = profit.ci === null ? '' : ` (95% CI ${interval(profit.ci, (v) => money(v, currency))})`;
  // An unproven blanket send: the reason gives the amount and why it is not shown to pay; the head says it once, briefly.
  const gain = action === 'treat_none' ? '' : unproven ? `: about ${money(perThousand, currency)} per 1,000 customers, not shown to pay` : `: expected incremental profit ${money(profit.estimate, currency)}${ci}, about ${money(perThousand, currency)} per 1,000 customers`;
  return `${what}${gain}. ${reason}`;
}

/** The decision per arm from the holdout profit curve, when no decisions stage ran. */
function fromProfitCurve(t: Targeting, u: UpliftArm | undefined, currency: string | null): SummaryDecision {
  const p = t.profit;
  const chosen = u?.learners.find((l) => l.learner === u.chosen);
  const randomRanking = chosen !== undefined && chosen.qini.pValue > SIGNIFICANCE_LEVEL;
  let action: SummaryDecision['action'];
  let share: number;
  let estimate: number;
  let reason: string;
  const blanket = p.treatAll.profit > 0 ? 'treat_all' : 'treat_none';
  if (randomRanking) {
    // A ranking no better than random cannot be trusted to pick customers: the better blanket choice.
    action = blanket;
    share = blanket === 'treat_all' ? 1 : 0;
    estimate = blanket === 'treat_all' ? p.treatAll.profit : 0;
    reason = `The uplift ranking is no better than random on the holdout (p = ${trim((chosen?.qini.pValue ?? 1).toFixed(3))}), so it should not pick customers; ${blanket === 'treat_all' ? `sending to everyone is expected to earn ${money(p.treatAll.profit, currency)}` : `sending to everyone is expected to lose ${money(-p.treatAll.profit, currency)}`}.`;
  } else if (p.best.fraction >= 1) {
    action = 'treat_all';
    share = 1;
    estimate = p.treatAll.profit;
    reason = 'No smaller share of customers earns more than sending to everyone.';
  } else if (p.best.fraction <= 0 || p.best.profit <= 0) {
    action = 'treat_none';
    share = 0;
    estimate = 0;
    reason = `No share of customers is expected to make a profit (sending to everyone: ${money(p.treatAll.profit, currency)}).`;
  } else {
    action = 'target';
    share = p.best.fraction;
    estimate = p.best.profit;
    reason = `Against ${money(p.treatAll.profit, currency)} for sending to everyone and 0 for nobody, on the holdout profit curve of the chosen learner, ${t.learner} (no interval: the curve's best point is picked on the rows it is scored on).`;
  }
  const expectedProfit = { estimate, ci: null };
  const perThousand = (estimate / p.population) * 1000;
  return {
    arm: t.arm,
    outcome: t.outcome,
    action,
    share,
    expectedProfit,
    profitPerThousand: perThousand,
    population: p.population,
    treatAllProfit: p.treatAll.profit,
    source: 'profit_curve',
    reason,
    sentence: decisionSentence(t.arm, action, share, expectedProfit, perThousand, currency, reason),
  };
}

function fromDecision(d: DecisionInput, t: Targeting | undefined, outcome: string, population: number, currency: string | null): SummaryDecision {
  const arm = d.arm ?? ALL_ARMS;
  const expectedProfit = { estimate: d.expectedProfit.estimate, ci: d.expectedProfit.ci === null ? null : ([d.expectedProfit.ci[0], d.expectedProfit.ci[1]] as [number | null, number | null]) };
  const perThousand = (d.expectedProfit.estimate / population) * 1000;
  return {
    arm,
    outcome,
    action: d.action,
    share: d.share,
    expectedProfit,
    profitPerThousand: perThousand,
    population,
    treatAllProfit: t?.profit.treatAll.profit ?? null,
    source: 'decisions',
    reason: d.reason,
    sentence: decisionSentence(arm, d.action, d.share, expectedProfit, perThousand, currency, d.reason),
  };
}

function caveatsOf(context: EffectsContext, inputs: SummaryInputs): Caveat[] {
  const caveats: Caveat[] = [];
  const { srm, balance } = inputs.checks;
  const { assignment } = context;
  if (srm.mismatch) caveats.push({ kind: 'sample_ratio_mismatch', message: `The arms' sizes do not match the planned split (sample-ratio test p = ${srm.pValue.toExponential(1)}): assignment or logging may be broken, so every effect below is suspect.` });
  if (balance !== null && balance.flagged > 0) {
    const names = [...new Set(balance.rows.filter((r) => r.flagged).map((r) => (r.level === null ? r.covariate : `${r.covariate} = ${r.level}`)))];
    caveats.push({ kind: 'imbalance', message: `The arms differ before treatment on ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''} (|standardised difference| > ${balance.threshold}): randomisation may have failed, or these are measured after treatment.` });
  }
  const sizes = [{ arm: assignment.control, n: assignment.controlCount }, ...assignment.arms.map((arm, a) => ({ arm, n: assignment.armCounts[a] as number }))];
  const small = sizes.filter((s) => s.n < SMALL_ARM);
  if (small.length > 0) caveats.push({ kind: 'small_sample', message: `Few customers in ${small.map((s) => `${s.arm} (${s.n})`).join(', ')}: intervals are wide and approximations may not hold.` });
  for (const o of context.outcomes) {
    if (o.kind !== 'binary') continue;
    const events = new Array<number>(assignment.arms.length + 1).fill(0);
    for (let i = 0; i < o.values.length; i++) if (o.values[i] === 1) events[(assignment.codes[i] as number) + 1]! += 1;
    const few = events.map((count, k) => ({ arm: k === 0 ? assignment.control : (assignment.arms[k - 1] as string), count })).filter((e) => e.count < FEW_EVENTS);
    if (few.length > 0) caveats.push({ kind: 'small_sample', message: `Only ${few.map((f) => `${f.count} ${o.label} event${f.count === 1 ? '' : 's'} in ${f.arm}`).join(', ')}: too few to compare or rank with confidence.` });
  }
  for (const m of inputs.responseModels) {
    const auc = m.metrics.auc;
    if (typeof auc === 'number' && auc >= LEAKAGE_AUC) caveats.push({ kind: 'leakage', message: `The model of ${m.outcome} separates the holdout almost perfectly (AUC ${auc.toFixed(3)}): check that no feature is measured after the outcome or copies it.` });
  }
  for (const u of inputs.uplift) {
    const chosen = u.learners.find((l) => l.learner === u.chosen);
    if (chosen === undefined) continue;
    // The decisions' p-value allows for the choice among learners; the same number drives the decision.
    const adjusted = inputs.policyEvidence?.find((e) => e.arm === u.arm)?.holdoutQini ?? null;
    const p = adjusted?.pValue ?? chosen.qini.pValue;
    const which = adjusted !== null && adjusted.learners > 1 ? `permutation p = ${trim(p.toFixed(3))}, allowing for the choice among ${adjusted.learners} learners` : `permutation p = ${trim(p.toFixed(3))}`;
    if (p > SIGNIFICANCE_LEVEL) caveats.push({ kind: 'random_ranking', message: `For ${u.arm}, the best uplift ranking is no better than a random one on the holdout (${which}): targeting a share of customers by it is not supported.` });
  }
  return caveats;
}

/**
 * The summary: per arm and outcome the effect in numbers and words, per arm
 * the decision and its money (from the decisions stage when it ran, else
 * from the chosen learner's holdout profit curve, falling back to the
 * better blanket choice when the ranking is no better than random), and the
 * caveats that matter (sample-ratio mismatch, imbalance, small samples,
 * leakage, a random-looking ranking). Reads the other sections only.
 */
export function summarize(context: EffectsContext, inputs: SummaryInputs): SummarySection {
  const control = context.assignment.control;
  const currency = (context.spec.economics as { currency?: unknown } | undefined)?.currency;
  const currencyText = typeof currency === 'string' ? currency : null;
  const effects = inputs.effects.map((e) => summarizeEffect(e, control));
  const decisions = inputs.decisions !== undefined
    ? inputs.decisions.map((d) => {
        const t = inputs.targeting.find((x) => x.arm === d.arm);
        // The decisions stage states profit over all the campaign's customers.
        const population = context.dataset.n;
        // Decisions come only from the model stages, which ran on the uplift outcome.
        return fromDecision(d, t, context.upliftOutcome?.column ?? '', population, currencyText);
      })
    : inputs.targeting.map((t) => fromProfitCurve(t, inputs.uplift.find((u) => u.arm === t.arm), currencyText));
  const caveats = caveatsOf(context, inputs);
  const clear = effects.filter((e) => e.significant);
  const headline = clear.length === 0
    ? `No arm clearly changed ${[...new Set(effects.map((e) => e.label))].join(' or ')} against ${control}.`
    : `${clear.length} of ${effects.length} arm–outcome comparisons show a clear effect against ${control}${caveats.length > 0 ? `; ${caveats.length} caveat${caveats.length === 1 ? '' : 's'} below` : ''}.`;
  return { headline, effects, decisions, caveats, currency: currencyText, significanceLevel: SIGNIFICANCE_LEVEL };
}
