import { describe, expect, it } from 'vitest';
import { type DecisionEvidence, decideArm } from '../../src/campaign/decisions.js';

/** An estimate with its interval (the standard error is not read by the rule). */
const est = (estimate: number, low: number, high: number) => ({ estimate, standardError: (high - low) / 4, ci: [low, high] as [number, number] });

function evidence(over: Partial<DecisionEvidence>): DecisionEvidence {
  return {
    arm: 'mail',
    blanketArm: 'mail',
    targeting: est(500, 200, 800),
    versus: est(300, 100, 500),
    blanket: est(200, 50, 350),
    level: 95,
    shortage: null,
    splitShortage: null,
    qini: { pValue: 0.01, learners: 3 },
    share: 0.4,
    currency: null,
    ...over,
  };
}

/** Every sentence of a reason starts with a capital letter and the reason ends with a full stop. */
function wellFormed(reason: string) {
  expect(reason).toMatch(/^[A-Z]/);
  expect(reason).toMatch(/\.$/);
  expect(reason).not.toMatch(/\. [a-z]/);
}

describe('the decision rule follows the holdout evidence', () => {
  it("targets only when targeting beats sending nothing and sending to everyone, both intervals above zero", () => {
    const d = decideArm(evidence({}));
    expect(d).toMatchObject({ action: 'target', share: 0.4, expectedProfit: { estimate: 500, ci: [200, 800] } });
    expect(d.reason).toBe('Targeting 40% of customers earns 500 (95% CI 200 to 800) against sending nothing, and 300 (95% CI 100 to 500) more than sending mail to everyone. The uplift model beats a random ranking on the holdout (Qini p = 0.010, allowing for the choice among 3 learners).');
    wellFormed(d.reason);
  });

  it('sends to everyone when no ranking beats it, and says the gain is sure when its interval is above zero', () => {
    const d = decideArm(evidence({ versus: est(20, -10, 50), qini: { pValue: 0.42, learners: 5 } }));
    expect(d).toMatchObject({ action: 'treat_all', share: 1, expectedProfit: { estimate: 200, ci: [50, 350] } });
    expect(d.reason).toBe(
      'No ranking beats sending mail to everyone: the profit of targeting 40% of customers minus that of sending mail to everyone is 20.0 (95% CI −10.0 to 50.0), an interval that includes zero. The uplift model is no better than a random ranking on the holdout (Qini p = 0.420, allowing for the choice among 5 learners). Sending mail to everyone is expected to earn 200 (95% CI 50.0 to 350).',
    );
    wellFormed(d.reason);
  });

  it('says sending to everyone is not shown to pay when its own interval includes zero', () => {
    const d = decideArm(evidence({ versus: est(-5, -40, 30), blanket: est(120, -60, 300), currency: 'EUR' }));
    expect(d.action).toBe('treat_all');
    expect(d.reason).toContain('Sending mail to everyone is the better blanket choice but is not shown to pay: it is expected to earn EUR 120 (95% CI EUR −60.0 to EUR 300), an interval that includes zero.');
    wellFormed(d.reason);
  });

  it('sends nothing when sending to everyone loses, and says whether the loss is sure', () => {
    const sure = decideArm(evidence({ targeting: est(50, -20, 120), versus: est(250, 100, 400), blanket: est(-200, -300, -100) }));
    expect(sure).toMatchObject({ action: 'treat_none', share: 0, expectedProfit: { estimate: 0, ci: [0, 0] } });
    expect(sure.reason).toMatch(/^Targeting 40% of customers beats sending mail to everyone by 250 .*but is not shown to earn more than sending nothing: 50\.0 \(95% CI −20\.0 to 120\), an interval that includes zero\./);
    expect(sure.reason).toContain('Sending mail to everyone is expected to lose money: −200 (95% CI −300 to −100).');
    wellFormed(sure.reason);
    const unsure = decideArm(evidence({ targeting: est(10, -20, 40), versus: est(30, -5, 60), blanket: est(-20, -90, 50) }));
    expect(unsure.action).toBe('treat_none');
    expect(unsure.reason).toContain('Sending mail to everyone is not shown to pay: it is expected to earn −20.0 (95% CI −90.0 to 50.0), an interval that includes zero, so sending nothing is the safer choice.');
    wellFormed(unsure.reason);
  });

  it('says sending to everyone beats targeting when the difference is below zero', () => {
    const d = decideArm(evidence({ versus: est(-300, -500, -100) }));
    expect(d.action).toBe('treat_all');
    expect(d.reason).toMatch(/^Sending mail to everyone beats targeting: .* an interval below zero\./);
  });

  it('never targets on too little data, stating why, whatever the estimates', () => {
    const d = decideArm(evidence({ shortage: 'Too little data to rank customers for mail: few events.' }));
    expect(d.action).toBe('treat_all');
    expect(d.reason).toMatch(/^Too little data to rank customers for mail: few events\. Sending mail/);
    const split = decideArm(evidence({ splitShortage: 'Too little data to judge targeting mail: thin.' }));
    expect(split.action).toBe('treat_all');
    expect(split.reason).toMatch(/^Too little data to judge targeting mail/);
    // A thin side of the cut matters only when targeting would win.
    const notTarget = decideArm(evidence({ versus: est(1, -1, 3), splitShortage: 'Too little data to judge targeting mail: thin.' }));
    expect(notTarget.reason).toMatch(/^No ranking beats/);
  });

  it('words the overall assignment over several arms', () => {
    const d = decideArm(evidence({ arm: null, blanketArm: 'mens', qini: null, versus: est(-569, -1570, 425), blanket: est(6843, 4556, 8558) }));
    expect(d).toMatchObject({ arm: null, action: 'treat_all' });
    expect(d.reason).toBe(
      'No ranking beats sending mens to everyone: the profit of giving each customer the offer of highest expected profit minus that of sending mens to everyone is −569 (95% CI −1,570 to 425), an interval that includes zero. Sending mens to everyone is expected to earn 6,843 (95% CI 4,556 to 8,558).',
    );
  });
});
