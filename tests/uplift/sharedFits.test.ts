import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../src/models/fitLogistic.js';
import { linearLearner, logisticLearner } from '../../src/models/learner.js';
import { sharingFits } from '../../src/uplift/learners/common.js';
import { fitDrLearner, fitSLearner, fitTLearner, fitXLearner } from '../../src/uplift/metaLearners.js';

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

// The T-learner copies each group's rows into one buffer held for the next fit (built-in linear and
// logistic learners only): a fit after another on other data is the fit alone, and a learner whose
// fit might keep its rows gets copies of its own.
describe('T-learner row buffer', () => {
  const rowsOf = (n: number, seed: number) => Array.from({ length: n }, (_, i) => [Math.sin(i * seed), Math.cos(i * 0.7 * seed), ((i * seed) % 5) / 5]);
  const labels = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'ctl' : 'mail'));
  const outcome = (X: number[][], arm: string[]) => X.map(([a, b], i) => (a! + (arm[i] === 'mail' ? b! : 0) > 0.2 ? 1 : 0));

  it('gives the same model before and after fits on other data of other sizes', () => {
    const X1 = rowsOf(900, 1.3);
    const arm1 = labels(900);
    const y1 = outcome(X1, arm1);
    const first = fitTLearner(X1, y1, arm1, { control: 'ctl' });
    const X2 = rowsOf(2500, 2.1);
    const arm2 = labels(2500);
    fitTLearner(X2, outcome(X2, arm2), arm2, { control: 'ctl' });
    expect(fitTLearner(X1, y1, arm1, { control: 'ctl' })).toEqual(first);
    // Each model is the plain fit on that group's rows.
    const treated = X1.filter((_, i) => arm1[i] === 'mail');
    const model = first.arms[0]?.models as Record<string, { coefficients: number[] }>;
    expect(model.treated?.coefficients).toEqual(fitLogistic(treated, y1.filter((_, i) => arm1[i] === 'mail'), { l2: 1 }).coefficients);
  });

  it('gives a learner that keeps its rows copies of its own', () => {
    const base = logisticLearner({ l2: 1 });
    const kept: unknown[] = [];
    const keeping = { ...base, fit: (...args: Parameters<typeof base.fit>) => (kept.push(args[0]), base.fit(...args)) };
    const X = rowsOf(600, 1.7);
    const arm = labels(600);
    fitTLearner(X, outcome(X, arm), arm, { control: 'ctl', learner: keeping });
    expect(kept).toHaveLength(2);
    expect((kept[0] as { data: Float64Array }).data.buffer).not.toBe((kept[1] as { data: Float64Array }).data.buffer);
  });

  it('leaves every matrix a keeping learner was given as it was, in each meta-learner, though it carries a library spec', () => {
    const base = logisticLearner({ l2: 1 });
    for (const fit of [fitTLearner, fitXLearner, fitSLearner, fitDrLearner]) {
      // The learner keeps each X it is given, with a copy of its values at the time; its spec is the library's own.
      const kept: { X: { data: Float64Array }; values: Float64Array }[] = [];
      const keeping = { ...base, fit: (...args: Parameters<typeof base.fit>) => (kept.push({ X: args[0] as { data: Float64Array }, values: Float64Array.from((args[0] as { data: Float64Array }).data) }), base.fit(...args)) };
      const X = rowsOf(600, 1.7);
      const arm = labels(600);
      const y = outcome(X, arm);
      fit(X, y, arm, { control: 'ctl', learner: keeping, effectLearner: linearLearner({ l2: 1 }) });
      // A later fit by the library's learners (which borrows scratch buffers) must not write into them either.
      fit(rowsOf(600, 2.3), y, arm, { control: 'ctl' });
      expect(kept.length, fit.name).toBeGreaterThan(0);
      for (const { X: given, values } of kept) expect(given.data, fit.name).toEqual(values);
    }
  });
});
