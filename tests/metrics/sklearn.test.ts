import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'promolens/data';
import * as m from 'promolens/metrics';
import { hasSharedData, sharedData } from '../helpers.js';

// References from scikit-learn via tests/fixtures/metrics/make.py (versions in the JSON).
// Tolerance: relative 1e-12 (closed forms; only summation order differs), with an
// absolute floor of 1e-15 for values that are 0.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/metrics/metrics.json', import.meta.url), 'utf8'));

function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.abs(expected) + 1e-15);
}
function closeAll(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  actual.forEach((value, i) => close(value, expected[i] as number, `${what}[${i}]`));
}

type Expected = Record<string, any>;

function checkClassification(yTrue: ArrayLike<number>, score: ArrayLike<number>, prob: ArrayLike<number>, weight: ArrayLike<number> | undefined, e: Expected): void {
  const w = weight === undefined ? {} : { sampleWeight: weight };
  close(m.rocAuc(yTrue, score, w), e.roc_auc, 'rocAuc');
  const roc = m.rocCurve(yTrue, score, w);
  closeAll(roc.fpr, e.roc_curve.fpr, 'rocCurve.fpr');
  closeAll(roc.tpr, e.roc_curve.tpr, 'rocCurve.tpr');
  expect(roc.thresholds[0]).toBeNull();
  closeAll(roc.thresholds.slice(1) as number[], e.roc_curve.thresholds, 'rocCurve.thresholds');
  const all = m.rocCurve(yTrue, score, { ...w, dropIntermediate: false });
  closeAll(all.fpr, e.roc_curve_all.fpr, 'rocCurve(all).fpr');
  closeAll(all.tpr, e.roc_curve_all.tpr, 'rocCurve(all).tpr');
  const pr = m.precisionRecallCurve(yTrue, score, w);
  closeAll(pr.precision, e.precision_recall_curve.precision, 'precision');
  closeAll(pr.recall, e.precision_recall_curve.recall, 'recall');
  closeAll(pr.thresholds, e.precision_recall_curve.thresholds, 'pr thresholds');
  close(m.averagePrecision(yTrue, score, w), e.average_precision, 'averagePrecision');
  close(m.prAuc(yTrue, score, w), e.pr_auc, 'prAuc');
  const cm = m.confusionMatrix(yTrue, prob, w);
  closeAll([cm.trueNegatives, cm.falsePositives, cm.falseNegatives, cm.truePositives], e.confusion_matrix, 'confusionMatrix');
  close(m.accuracyScore(yTrue, prob, w), e.accuracy, 'accuracy');
  close(m.precisionScore(yTrue, prob, w), e.precision, 'precision');
  close(m.recallScore(yTrue, prob, w), e.recall, 'recall');
  close(m.f1Score(yTrue, prob, w), e.f1, 'f1');
  close(m.fBetaScore(yTrue, prob, { ...w, beta: 2 }), e.f2, 'f2');
  close(m.fBetaScore(yTrue, prob, { ...w, beta: 0.5 }), e.f05, 'f0.5');
  close(m.balancedAccuracyScore(yTrue, prob, w), e.balanced_accuracy, 'balancedAccuracy');
  close(m.matthewsCorrcoef(yTrue, prob, w), e.mcc, 'mcc');
  close(m.logLoss(yTrue, prob, w), e.log_loss, 'logLoss');
  close(m.logLoss(yTrue, prob, { ...w, normalize: false }), e.log_loss_sum, 'logLoss sum');
  close(m.brierScore(yTrue, prob, w), e.brier, 'brier');
  for (const strategy of ['uniform', 'quantile'] as const) {
    for (const bins of [5, 10]) {
      const reference = e[`calibration_${strategy}_${bins}`];
      if (reference === undefined) continue;
      const curve = m.calibrationCurve(yTrue, prob, { bins, strategy });
      closeAll(curve.probTrue, reference.probTrue, `calibration ${strategy} ${bins} probTrue`);
      closeAll(curve.probPred, reference.probPred, `calibration ${strategy} ${bins} probPred`);
    }
  }
}

function checkRegression(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, weight: ArrayLike<number> | undefined, e: Expected): void {
  const w = weight === undefined ? {} : { sampleWeight: weight };
  close(m.meanSquaredError(yTrue, yPred, w), e.mse, 'mse');
  close(m.rootMeanSquaredError(yTrue, yPred, w), e.rmse, 'rmse');
  close(m.meanAbsoluteError(yTrue, yPred, w), e.mae, 'mae');
  close(m.meanAbsolutePercentageError(yTrue, yPred, w), e.mape, 'mape');
  close(m.r2Score(yTrue, yPred, w), e.r2, 'r2');
  close(m.explainedVarianceScore(yTrue, yPred, w), e.explained_variance, 'explainedVariance');
}

describe(`metrics agree with scikit-learn ${fixture.versions.sklearn}`, () => {
  for (const c of fixture.classification) {
    it(`on classification case "${c.name}"`, () => checkClassification(c.yTrue, c.score, c.prob, c.weight, c.expected));
  }
  for (const c of fixture.regression) {
    it(`on regression case "${c.name}"`, () => checkRegression(c.yTrue, c.yPred, c.weight, c.expected));
  }
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe.skipIf(!hasSharedData)('metrics agree with scikit-learn on real data', () => {
  const real = Object.fromEntries(fixture.real.map((c: { name: string }) => [c.name, c]));

  it('on bank-marketing with a fixed linear score', () => {
    const data = parseCsv(gunzipSync(readFileSync(`${sharedData}bank-marketing/bank-additional-full.csv.gz`)));
    const poutcome = data.categorical('poutcome');
    const success = poutcome.levels.indexOf('success');
    const euribor = data.numeric('euribor3m');
    const age = data.numeric('age');
    const score = new Float64Array(data.n);
    let total = 0;
    for (let i = 0; i < data.n; i++) {
      score[i] = 0.5 * (poutcome.codes[i] === success ? 1 : 0) - 0.3 * (euribor[i] as number) + 0.001 * (age[i] as number);
      total += score[i] as number;
    }
    const c = real['bank-marketing'];
    expect(data.n).toBe(c.n);
    close(total, c.score_sum, 'score checksum');
    checkClassification(data.numeric('y'), score, score.map(sigmoid), undefined, c.expected);
  });

  it('on online-shoppers-intention (PageValues: mostly tied at 0)', () => {
    const data = parseCsv(readFileSync(`${sharedData}online-shoppers-intention/online_shoppers_intention.csv`));
    const c = real['online-shoppers-intention'];
    const score = data.numeric('PageValues');
    checkClassification(data.numeric('Revenue'), score, score.map((s) => sigmoid(s / 10 - 2)), undefined, c.expected);
    const pages = data.numeric('ProductRelated').map((v) => 30 * v);
    checkRegression(data.numeric('ProductRelated_Duration'), pages, undefined, c.regression);
  });
});
