import { describe, expect, it } from 'vitest';
import * as m from 'promolens/metrics';
import { inputErrorOf } from '../helpers.js';

describe('metrics reject bad input with a reason, field and row', () => {
  it('rocAuc: single class, labels, lengths, non-finite scores, weights', () => {
    expect(inputErrorOf(() => m.rocAuc([1, 1, 1], [0.1, 0.2, 0.3]))).toMatchObject({ reason: 'single_class', field: 'yTrue' });
    expect(inputErrorOf(() => m.rocAuc([0, 2, 1], [0.1, 0.2, 0.3]))).toMatchObject({ reason: 'not_binary', field: 'yTrue', row: 1 });
    expect(inputErrorOf(() => m.rocAuc([0, 1], [0.1]))).toMatchObject({ reason: 'length_mismatch', field: 'score' });
    expect(inputErrorOf(() => m.rocAuc([0, 1], [0.1, Number.NaN]))).toMatchObject({ reason: 'not_finite', field: 'score', row: 1 });
    expect(inputErrorOf(() => m.rocAuc([], []))).toMatchObject({ reason: 'empty', field: 'yTrue' });
    expect(inputErrorOf(() => m.rocAuc([0, 1], [0.1, 0.2], { sampleWeight: [1, -1] }))).toMatchObject({ reason: 'out_of_range', field: 'sampleWeight', row: 1 });
    expect(inputErrorOf(() => m.rocAuc([0, 1], [0.1, 0.2], { sampleWeight: [0, 0] }))).toMatchObject({ reason: 'empty', field: 'sampleWeight' });
    // A class whose rows all weigh 0 is absent.
    expect(inputErrorOf(() => m.rocAuc([0, 1, 0], [0.1, 0.2, 0.3], { sampleWeight: [1, 0, 1] }))).toMatchObject({ reason: 'single_class' });
  });

  it('precision–recall needs a positive; ROC needs both classes', () => {
    expect(inputErrorOf(() => m.averagePrecision([0, 0], [0.1, 0.2]))).toMatchObject({ reason: 'single_class' });
    expect(inputErrorOf(() => m.rocCurve([0, 0], [0.1, 0.2]))).toMatchObject({ reason: 'single_class' });
    expect(m.averagePrecision([1, 1], [0.1, 0.2])).toBe(1);
  });

  it('zero division follows the option, never NaN', () => {
    expect(m.precisionScore([0, 1], [0, 0])).toBe(0);
    expect(m.precisionScore([0, 1], [0, 0], { zeroDivision: 1 })).toBe(1);
    expect(inputErrorOf(() => m.precisionScore([0, 1], [0, 0], { zeroDivision: 'error' }))).toMatchObject({ reason: 'empty' });
    expect(m.recallScore([0, 0], [1, 0], { zeroDivision: 1 })).toBe(1);
    expect(m.f1Score([0, 0], [0, 0])).toBe(0);
    expect(m.matthewsCorrcoef([0, 1], [1, 1])).toBe(0);
  });

  it('probabilities must lie in [0, 1]; options are checked', () => {
    expect(inputErrorOf(() => m.logLoss([0, 1], [0.5, 1.2]))).toMatchObject({ reason: 'out_of_range', field: 'probability', row: 1 });
    expect(inputErrorOf(() => m.brierScore([0, 1], [-0.1, 0.5]))).toMatchObject({ reason: 'out_of_range', row: 0 });
    expect(inputErrorOf(() => m.logLoss([0, 1], [0.5, 0.5], { eps: 0 }))).toMatchObject({ reason: 'invalid_option', field: 'eps' });
    expect(inputErrorOf(() => m.calibrationCurve([0, 1], [0.5, 0.5], { bins: 0 }))).toMatchObject({ reason: 'invalid_option', field: 'bins' });
    expect(inputErrorOf(() => m.fBetaScore([0, 1], [0, 1], { beta: 0 }))).toMatchObject({ reason: 'invalid_option', field: 'beta' });
  });

  it('logLoss is finite at probabilities 0 and 1 (clipped at 2^-52)', () => {
    expect(m.logLoss([1], [0])).toBeCloseTo(-Math.log(2 ** -52), 12);
  });

  it('regression metrics reject non-finite values', () => {
    expect(inputErrorOf(() => m.meanSquaredError([1, Infinity], [1, 2]))).toMatchObject({ reason: 'not_finite', field: 'yTrue', row: 1 });
    expect(inputErrorOf(() => m.r2Score([1, 2], [1]))).toMatchObject({ reason: 'length_mismatch', field: 'yPred' });
  });
});
