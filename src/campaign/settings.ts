import type { EffectsContext } from './context.js';
import { ADJUSTMENT_NAMES, ARM_ADJUSTMENT, EFFECTS_METHOD } from './effects.js';
import { type CampaignFeatures, splitMethod } from './features.js';
import type { SettingsSection } from './reportSchema.js';
import { SEGMENT_ADJUSTMENT } from './segments.js';
import { PROFIT_METHOD } from './targeting.js';
import { UPLIFT_METHOD, uncertaintyMethod } from './uplift.js';

/** What an effects-only report says in place of the model stages. */
export const EFFECTS_ONLY_NOTE = 'no features were given: no response models, uplift models or targeting were run (effects only)';

/** The settings the stages ran with, and each stage's method in words (from the constants the stages use). */
export function describeSettings(context: EffectsContext, features: CampaignFeatures | null): SettingsSection {
  const { seed, holdoutShare, resamples } = context;
  return {
    seed,
    holdoutShare,
    learners: [...context.learners],
    features: features === null ? [] : features.pipeline.names,
    upliftOutcome: context.upliftOutcome?.column ?? null,
    conventions: {
      effects: EFFECTS_METHOD,
      adjustment: `${ADJUSTMENT_NAMES[ARM_ADJUSTMENT]} across arms per outcome; ${ADJUSTMENT_NAMES[SEGMENT_ADJUSTMENT]} across segment cells per outcome`,
      ...(features === null
        ? { models: EFFECTS_ONLY_NOTE }
        : { uplift: UPLIFT_METHOD, uncertainty: uncertaintyMethod(resamples, seed), split: splitMethod(holdoutShare, context.spec.validation?.unit), profit: PROFIT_METHOD }),
    },
  };
}
