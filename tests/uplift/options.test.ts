import { describe, expect, it } from 'vitest';
import { profitCurve } from 'promolens/policy';
import * as u from 'promolens/uplift';
import { inputErrorOf } from '../helpers.js';

const y = [1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0];
const t = [1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1];
const s = y.map((_, i) => ((i * 7) % 11) / 10);

describe('uplift options are validated strictly', () => {
  const calls: [string, (options: unknown) => unknown, string, unknown][] = [
    ['upliftCurve', (o) => u.upliftCurve(y, s, t, o as never), 'convention', 'pandas'],
    ['qiniCurve', (o) => u.qiniCurve(y, s, t, o as never), 'normalize', 'yes'],
    ['perfectQiniCurve', (o) => u.perfectQiniCurve(y, t, o as never), 'negativeEffect', 0],
    ['upliftAuc', (o) => u.upliftAuc(y, s, t, o as never), 'normalize', 1],
    ['qiniAuc', (o) => u.qiniAuc(y, s, t, o as never), 'negativeEffect', 'false'],
    ['upliftAtK', (o) => u.upliftAtK(y, s, t, o as never), 'k', '0.3'],
    ['upliftByPercentile', (o) => u.upliftByPercentile(y, s, t, o as never), 'bins', '4'],
    ['weightedAverageUplift', (o) => u.weightedAverageUplift(y, s, t, (o === undefined ? { bins: 2 } : o) as never), 'strategy', 'all'],
    ['treatmentBalanceCurve', (o) => u.treatmentBalanceCurve(s, t, o as never), 'window', Number.NaN],
    ['scoreUncertainty', (o) => u.scoreUncertainty(u.qiniAuc, y, s, t, o as never), 'seed', Number.NaN],
    ['profitCurve', (o) => profitCurve(y, s, t, o as never), 'steps', '10'],
  ];
  for (const [name, call, key, bad] of calls) {
    it(`${name}: an unknown key, a wrong type, null options`, () => {
      expect(inputErrorOf(() => call({ sampleWeights: [1] }))).toMatchObject({ reason: 'invalid_option', field: 'sampleWeights' });
      expect(inputErrorOf(() => call({ [key]: bad }))).toMatchObject({ reason: 'invalid_option', field: key });
      expect(inputErrorOf(() => call(null))).toMatchObject({ reason: 'invalid_option', field: 'options' });
      expect(() => call(undefined)).not.toThrow();
    });
  }
  it('scoreUncertainty names a bad area metric field', () => {
    expect(inputErrorOf(() => u.scoreUncertainty({ score: 'qini' } as never, y, s, t))).toMatchObject({ reason: 'invalid_option', field: 'metric.score' });
    expect(inputErrorOf(() => u.scoreUncertainty({ score: 'qini_auc', normalise: true } as never, y, s, t))).toMatchObject({ reason: 'invalid_option', field: 'metric.normalise' });
  });
});

describe('uplift vectors take numbers only', () => {
  it('null, strings, booleans and arrays in any vector are not_numeric naming the row', () => {
    const bad = <T,>(values: T[], at: number, value: unknown) => values.map((v, i) => (i === at ? value : v)) as never;
    expect(inputErrorOf(() => u.qiniAuc(y, s, bad(t, 3, null)))).toMatchObject({ reason: 'not_numeric', field: 'treatment', row: 3 });
    expect(inputErrorOf(() => u.upliftAuc(bad(y, 5, '1'), s, t))).toMatchObject({ reason: 'not_numeric', field: 'yTrue', row: 5 });
    expect(inputErrorOf(() => u.upliftAtK(y, bad(s, 2, true), t))).toMatchObject({ reason: 'not_numeric', field: 'uplift', row: 2 });
    expect(inputErrorOf(() => u.upliftByPercentile(y, bad(s, 7, [1]), t, { bins: 2 }))).toMatchObject({ reason: 'not_numeric', field: 'uplift', row: 7 });
    expect(inputErrorOf(() => profitCurve(bad(y, 0, null), s, t))).toMatchObject({ reason: 'not_numeric', field: 'yTrue', row: 0 });
    expect(inputErrorOf(() => u.scoreUncertainty(u.qiniAuc, y, bad(s, 1, ''), t))).toMatchObject({ reason: 'not_numeric', field: 'uplift', row: 1 });
  });
});

describe('uplift results are never Infinity or NaN', () => {
  it('outcomes whose sums overflow are out_of_range on yTrue', () => {
    const huge = y.map((v, i) => (i % 2 === 0 ? 1.7e308 : -1.7e308 * v));
    for (const call of [
      () => u.upliftAuc(huge, s, t, { normalize: false }),
      () => u.qiniAuc(huge, s, t, { normalize: false }),
      () => u.upliftCurve(huge, s, t),
      () => u.qiniCurve(huge, s, t),
      () => u.upliftAtK(huge, s, t, { k: 0.5 }),
      () => u.upliftByPercentile(huge, s, t, { bins: 2 }),
      () => profitCurve(huge, s, t),
      () => u.scoreUncertainty({ score: 'qini_auc', normalize: false }, huge, s, t),
    ]) {
      expect(inputErrorOf(call)).toMatchObject({ reason: 'out_of_range', field: 'yTrue' });
    }
  });
});
