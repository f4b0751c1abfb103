import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { compareRatios } from 'promolens/experiment';
import { inputErrorOf } from '../helpers.js';

const n = 300;
const arm = Array.from({ length: n }, (_, i) => ['control', 'offer', 'bundle'][i % 3] as string);
const orders = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 4));
const revenue = orders.map((o, i) => o * (20 + ((i * 13) % 9)) + (i % 3 === 1 ? 6 : 0));
const bought = Array.from({ length: n }, (_, i) => ((i * 11) % 5 > 1 ? 1 : 0));
const x = Array.from({ length: n }, (_, i) => ((i * 29) % 31) / 31);
const data = fromColumns({ arm, orders, revenue, bought, x });

function sums(code: string) {
  const rows = arm.flatMap((a, i) => (a === code ? [i] : []));
  const s = (f: (i: number) => number) => rows.reduce((t, i) => t + f(i), 0);
  return {
    n: rows.length,
    sumNum: s((i) => revenue[i]!),
    sumDen: s((i) => orders[i]!),
    sumNum2: s((i) => revenue[i]! ** 2),
    sumDen2: s((i) => orders[i]! ** 2),
    sumNumDen: s((i) => revenue[i]! * orders[i]!),
  };
}

const spec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'bought', kind: 'binary' as const }, { kind: 'ratio' as const, numerator: 'revenue', denominator: 'orders', column: 'aov' }],
};

describe('ratio outcomes in the campaign', () => {
  it('revenue per order by the delta method, each arm against control, Holm across the arms', () => {
    const report = evaluateCampaign(data, spec);
    const rows = report.effects.filter((e) => e.outcome === 'aov');
    expect(rows.map((r) => [r.arm, r.kind])).toEqual([['bundle', 'ratios'], ['offer', 'ratios']]);
    for (const row of rows) {
      const reference = compareRatios(sums('control'), sums(row.arm));
      expect(row.control.mean).toBeCloseTo(reference.control.mean, 12);
      expect(row.absolute.estimate).toBeCloseTo(reference.absolute.estimate, 12);
      expect(row.absolute.ci[0]!).toBeCloseTo(reference.absolute.ci[0]!, 12);
      expect(row.absolute.pValue).toBeCloseTo(reference.absolute.pValue, 12);
    }
    const p = rows.map((r) => r.absolute.pValue);
    const holm = [Math.min(1, 2 * Math.min(...p)), Math.max(Math.min(1, 2 * Math.min(...p)), Math.max(...p))];
    expect(rows.map((r) => r.adjustedPValue).sort()).toEqual(holm.sort());
  });

  it('the ratio is named numerator/denominator by default, and all-pairs adds bundle vs offer', () => {
    const unnamed = { ...spec, outcomes: [spec.outcomes[0]!, { kind: 'ratio' as const, numerator: 'revenue', denominator: 'orders' }], comparisons: 'all-pairs' as const };
    const rows = evaluateCampaign(data, unnamed).effects.filter((e) => e.outcome === 'revenue/orders');
    expect(rows.map((r) => `${r.arm}/${r.baseline ?? 'control'}`)).toEqual(['bundle/control', 'offer/control', 'offer/bundle']);
    expect(rows[2]!.absolute.estimate).toBeCloseTo(compareRatios(sums('bundle'), sums('offer')).absolute.estimate, 12);
  });

  it('a ratio is not an uplift outcome, nor a feature; a spec needs one binary or continuous outcome', () => {
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, features: ['x'], upliftOutcome: 'aov' }))).toMatchObject({ reason: 'invalid_option', field: 'upliftOutcome' });
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, features: ['x', 'revenue'] }))).toMatchObject({ reason: 'leakage', field: 'revenue' });
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, outcomes: [spec.outcomes[1]!] }))).toMatchObject({ reason: 'invalid_option', field: 'outcomes' });
  });
});
