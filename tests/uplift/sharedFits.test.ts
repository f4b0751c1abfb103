import { describe, expect, it } from 'vitest';
import { logisticLearner } from '../../src/models/learner.js';
import { sharingFits } from '../../src/uplift/learners/common.js';
import { fitTLearner, fitXLearner } from '../../src/uplift/metaLearners.js';

// The T- and X-learners fit the same outcome models (each arm's treated rows, and the control rows):
// inside a sharing scope they are fitted once, and the uplift models are those each would fit alone.
describe('sharingFits', () => {
  const n = 600;
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), (i % 5) / 5]);
  const arm = Array.from({ length: n }, (_, i) => ['none', 'mail', 'sms'][i % 3]!);
  const y = X.map(([a, b], i) => (Math.sin(i * 2.9) + (arm[i] === 'mail' ? a! : arm[i] === 'sms' ? b! : 0) > 0.3 ? 1 : 0));

  function counting(l2 = 1) {
    const base = logisticLearner({ l2 });
    let fits = 0;
    return { learner: { ...base, fit: (...args: Parameters<typeof base.fit>) => (fits++, base.fit(...args)) }, fits: () => fits };
  }

  it('fits each outcome model once for both learners, and gives the models each fits alone', () => {
    const alone = counting();
    const t = fitTLearner(X, y, arm, { control: 'none', learner: alone.learner });
    const x = fitXLearner(X, y, arm, { control: 'none', learner: alone.learner });
    // Two arms and a control shared by both: three fits each.
    expect(alone.fits()).toBe(6);
    const shared = counting();
    const [tShared, xShared] = sharingFits(() => [fitTLearner(X, y, arm, { control: 'none', learner: shared.learner }), fitXLearner(X, y, arm, { control: 'none', learner: shared.learner })]);
    expect(shared.fits()).toBe(3);
    expect(tShared).toEqual(t);
    expect(xShared).toEqual(x);
  });

  it('shares nothing across other outcomes, other learners or outside the scope', () => {
    const c = counting();
    const other = counting(2);
    const flipped = y.map((v) => 1 - v);
    sharingFits(() => {
      fitTLearner(X, y, arm, { control: 'none', learner: c.learner });
      fitTLearner(X, flipped, arm, { control: 'none', learner: c.learner });
      fitTLearner(X, y, arm, { control: 'none', learner: other.learner });
    });
    fitTLearner(X, y, arm, { control: 'none', learner: c.learner });
    // Three fits a learner: y, the flipped outcome, and again outside the scope; the other penalty its own three.
    expect(c.fits()).toBe(9);
    expect(other.fits()).toBe(3);
  });
});

// The DR-learner's folds hand a built-in learner its rows in three reused buffers; a host's learner
// (no built-in spec) gets fresh copies. Both must fit the same models.
describe('the DR-learner folds', () => {
  it('fit the same models from reused buffers as from fresh copies', async () => {
    const { fitDrLearner } = await import('../../src/uplift/metaLearners.js');
    const n = 900;
    const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), (i % 5) / 5]);
    const arm = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'none' : 'mail'));
    const y = X.map(([a], i) => (Math.sin(i * 2.9) + (arm[i] === 'mail' ? a! : 0) > 0.3 ? 1 : 0));
    const base = logisticLearner({ l2: 1 });
    const host = { name: base.name, fit: base.fit, predict: base.predict };
    for (const folds of [2, 3, 5]) {
      const reused = fitDrLearner(X, y, arm, { control: 'none', folds, learner: base });
      const copied = fitDrLearner(X, y, arm, { control: 'none', folds, learner: host });
      expect(reused.arms).toEqual(copied.arms);
    }
  });
});
