import { z } from 'zod';
import { InputError } from '../errors.js';
import { describe, realArgument, rules } from '../internal/validate.js';

/**
 * The money side of one offer. Per customer given the offer, with μ₁ the
 * expected outcome if treated and μ₀ if not (τ = μ₁ − μ₀):
 *
 *   cost   = costPerTreated + costPerConversion · μ₁
 *   profit = valuePerUnit · τ − cost
 *
 * The conversion cost is paid on every treated conversion, also to those who
 * would have bought anyway (a coupon's discount), so it is charged on μ₁, not
 * on τ. `fixedCost` is paid once if the offer goes to anyone at all.
 */
export const ArmEconomicsSchema = z
  .object({
    /** Worth of one unit of the outcome: a conversion's margin, or for a revenue outcome the margin on 1 of revenue. Default 1. */
    valuePerUnit: z.number().finite().nonnegative().optional(),
    /** Cost of giving the offer to one customer (an e-mail, a mailer). Default 0. */
    costPerTreated: z.number().finite().nonnegative().optional(),
    /** Cost per unit of outcome among the treated: per conversion for a 0/1 outcome (a coupon), the share given back for a revenue outcome (0.1 for 10% off). Default 0. */
    costPerConversion: z.number().finite().nonnegative().optional(),
    /** Cost paid once if the offer goes to anyone (creative, set-up). Default 0. */
    fixedCost: z.number().finite().nonnegative().optional(),
    /** Currency of every amount, as an ISO 4217 code or a symbol, for reports. Default none. */
    currency: z.string().min(1).max(8).optional(),
  })
  .strict();
export type ArmEconomics = z.infer<typeof ArmEconomicsSchema>;

/** One set of economics for every arm, or a map from arm label to that arm's economics. */
export const CampaignEconomicsSchema = z.union([ArmEconomicsSchema, z.record(z.string(), ArmEconomicsSchema)]);
export type CampaignEconomics = z.infer<typeof CampaignEconomicsSchema>;

/** An arm's economics with every default filled in. */
export const ResolvedEconomicsSchema = z
  .object({
    arm: z.string(),
    valuePerUnit: z.number(),
    costPerTreated: z.number(),
    costPerConversion: z.number(),
    fixedCost: z.number(),
    currency: z.string().nullable(),
  })
  .strict();
export type ResolvedEconomics = z.infer<typeof ResolvedEconomicsSchema>;

/**
 * Throws `wrong_type` unless the economics are resolved (from
 * {@link resolveEconomics}): every amount a number. Cheap (no allocation),
 * for the per-customer loops.
 */
function checkResolved(economics: ResolvedEconomics): void {
  if (
    economics === null ||
    typeof economics !== 'object' ||
    typeof economics.valuePerUnit !== 'number' ||
    typeof economics.costPerTreated !== 'number' ||
    typeof economics.costPerConversion !== 'number'
  ) {
    throw new InputError('wrong_type', 'economics', `economics must be resolved economics (from resolveEconomics), got ${describe(economics)}`);
  }
}

const FIELDS = new Set(['valuePerUnit', 'costPerTreated', 'costPerConversion', 'fixedCost', 'currency']);

/**
 * The economics of each arm, defaults filled in, in the order of `arms`. A
 * map must name every arm and no other; one object applies to all arms.
 *
 * @throws InputError `invalid_option` (a bad amount, an arm the map lacks or an unknown arm, mixed currencies)
 * @example
 * resolveEconomics({ valuePerUnit: 30, costPerTreated: 0.1 }, ['email'])[0]?.costPerConversion; // => 0
 */
export function resolveEconomics(economics: CampaignEconomics | undefined, arms: readonly string[]): ResolvedEconomics[] {
  if (!rules.strings().test(arms)) throw new InputError('wrong_type', 'arms', `arms must be an array of arm names, got ${describe(arms)}`);
  if (economics === null) throw new InputError('invalid_option', 'economics', 'economics must be an object such as { valuePerUnit: 30, costPerTreated: 0.5 }, or left out, got null');
  const parsed = CampaignEconomicsSchema.safeParse(economics ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError('invalid_option', `economics${path ? `.${path}` : ''}`, `economics${path ? `.${path}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  const value = parsed.data;
  const single = Object.keys(value).every((key) => FIELDS.has(key));
  const byArm = single ? null : (value as Record<string, ArmEconomics>);
  if (byArm !== null) {
    for (const key of Object.keys(byArm)) {
      if (!arms.includes(key)) throw new InputError('invalid_option', `economics.${key}`, `economics names arm ${JSON.stringify(key)}, which is not one of ${arms.map((a) => JSON.stringify(a)).join(', ')}`);
    }
  }
  const resolved = arms.map((arm) => {
    const own = byArm === null ? (value as ArmEconomics) : byArm[arm];
    if (own === undefined) throw new InputError('invalid_option', `economics.${arm}`, `economics gives no entry for arm ${JSON.stringify(arm)}`);
    return {
      arm,
      valuePerUnit: own.valuePerUnit ?? 1,
      costPerTreated: own.costPerTreated ?? 0,
      costPerConversion: own.costPerConversion ?? 0,
      fixedCost: own.fixedCost ?? 0,
      currency: own.currency ?? null,
    };
  });
  const currencies = new Set(resolved.map((e) => e.currency).filter((c) => c !== null));
  if (currencies.size > 1) throw new InputError('invalid_option', 'economics.currency', `economics mixes currencies ${[...currencies].join(', ')}`);
  return resolved;
}

/** A real, finite argument: ±Infinity prices nothing (`not_finite`, naming it). */
function finiteArgument(name: string, value: unknown): asserts value is number {
  realArgument(name, value);
  if (!Number.isFinite(value)) throw new InputError('not_finite', name, `${name} must be finite, got ${value}`);
}

/**
 * Expected cost of giving the offer to a customer whose expected outcome if
 * treated is `treatedOutcome`: costPerTreated + costPerConversion · μ₁.
 *
 * @example
 * offerCost({ arm: 'coupon', valuePerUnit: 30, costPerTreated: 0.5, costPerConversion: 5, fixedCost: 0, currency: null }, 0.5); // => 3
 */
export function offerCost(economics: ResolvedEconomics, treatedOutcome: number): number {
  checkResolved(economics);
  finiteArgument('treatedOutcome', treatedOutcome);
  return economics.costPerTreated + economics.costPerConversion * treatedOutcome;
}

/**
 * Expected incremental profit of giving the offer: valuePerUnit · uplift − cost.
 *
 * @example
 * offerProfit({ arm: 'coupon', valuePerUnit: 30, costPerTreated: 0.5, costPerConversion: 5, fixedCost: 0, currency: null }, 0.25, 0.5); // => 4.5
 */
export function offerProfit(economics: ResolvedEconomics, uplift: number, treatedOutcome: number): number {
  checkResolved(economics);
  finiteArgument('uplift', uplift);
  return economics.valuePerUnit * uplift - offerCost(economics, treatedOutcome);
}
