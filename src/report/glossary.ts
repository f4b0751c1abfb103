import { learnerWords } from './format.js';

/** One term and its one-sentence definition. */
export interface GlossaryEntry {
  readonly term: string;
  readonly definition: string;
}

/**
 * "How to read this report": one sentence per term the report uses.
 * @internal
 */
export function glossary(learners: readonly string[]): GlossaryEntry[] {
  return [
    { term: 'Effect (difference)', definition: 'The treated arm’s average outcome minus the control’s; for a yes/no outcome such as a visit it is in percentage points (18.3% against 10.6% is +7.7 points).' },
    { term: 'Relative lift', definition: 'The difference divided by the control’s average: +72% means the arm’s rate is 1.72 times the control’s.' },
    { term: '95% interval (CI)', definition: 'The range of true effects the data are consistent with; if it leaves out zero the effect is significant at the 5% level. Repeated experiments would cover the true effect 95 times in 100.' },
    { term: 'Adjusted p', definition: 'The chance of an effect at least this large if the arm did nothing, corrected for comparing several arms (Holm) or many segments (Benjamini–Hochberg); below 0.05 counts as clear.' },
    { term: 'Holdout', definition: 'Customers set aside before any model is fitted; every model score in this report is measured on them, never on the customers a model learned from.' },
    { term: 'Uplift', definition: 'For one customer, how much the treatment changes their outcome; a model predicts it, so that the customers it moves most can be treated first.' },
    { term: 'Qini curve', definition: 'The extra outcome gained on the holdout when the top share of customers, ranked by predicted uplift, is treated, against the share treated.' },
    { term: 'Random baseline', definition: 'What a ranking drawn at random would gain: the straight dashed line from nobody to everybody treated. A useful ranking stays above it.' },
    { term: 'Qini AUC', definition: 'The area between the Qini curve and the random line, divided by that of a perfect ranking: 0 is no better than random, 1 is perfect.' },
    { term: 'p vs random', definition: 'The share of random shuffles of the model’s scores that score a Qini AUC at least as high: a large value (above 0.05) means the ranking may be no better than chance.' },
    { term: 'Uplift AUC', definition: 'The area under the uplift curve (treated minus control rate among the top share, times that share), normalised like the Qini AUC.' },
    { term: 'Uplift at 30%', definition: 'The treated minus control rate among the 30% of holdout customers with the highest predicted uplift.' },
    { term: 'Incremental profit', definition: 'Value per unit of the outcome times the extra outcome caused, minus the cost of treating (and of coupons redeemed), against sending nothing.' },
    ...learners.map((l) => ({ term: `Learner “${l}”`, definition: `${learnerWords(l)}: ${LEARNER_DEFINITIONS[l] ?? 'an uplift model.'}` })),
  ];
}

const LEARNER_DEFINITIONS: Readonly<Record<string, string>> = {
  t: 'one model of the outcome for the treated, one for the control; the uplift is the difference of their predictions.',
  s: 'one model with the arm as a feature (and its interactions); the uplift is its prediction treated minus untreated.',
  x: 'models each arm’s outcome, then learns the imputed individual effects in each arm and blends them by the propensity.',
  dr: 'learns a doubly robust pseudo-outcome (outcome models corrected by inverse-propensity weights) with cross-fitting.',
  class_transformation: 'transforms the outcome so that a single model of it estimates the uplift (for yes/no outcomes: a reweighted classifier).',
  t_gbm: 'the two-models learner with gradient-boosted trees in place of logistic or linear models, so that thresholds and interactions are captured.',
  s_gbm: 'the one-model learner with gradient-boosted trees, which split on the arm where it matters.',
  x_gbm: 'the cross-fitted-effects learner with gradient-boosted trees for the outcome and effect models.',
  dr_gbm: 'the doubly robust learner with gradient-boosted trees for the outcome and pseudo-outcome models.',
  class_transformation_gbm: 'the transformed-outcome learner with a gradient-boosted tree model of the transformed outcome.',
  forest: 'an ensemble of uplift trees, each split to separate customers whose treated and control outcomes differ most (KL divergence for yes/no outcomes, squared distance otherwise), on bootstrap samples; the uplift is the trees’ average.',
};
