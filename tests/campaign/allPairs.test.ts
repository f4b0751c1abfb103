import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens/campaign';
import { compareAllPairs } from 'promolens/experiment';
import { readCsv } from 'promolens/node';
import { renderMarkdown } from 'promolens/report';
import { hasSharedData, sharedData } from '../helpers.js';

describe.skipIf(!hasSharedData)("comparisons: 'all-pairs' on the WA marketing campaign (three promotions)", () => {
  it('adds promotion 3 vs 2 to the arms-vs-control rows, with one Holm correction across the three pairs', async () => {
    const data = await readCsv(`${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`);
    const spec = { treatment: { column: 'Promotion', control: 1 }, outcomes: [{ column: 'SalesInThousands', kind: 'continuous' as const }] };
    const plain = evaluateCampaign(data, spec);
    expect(plain.effects).toHaveLength(2);
    const report = evaluateCampaign(data, { ...spec, comparisons: 'all-pairs' });
    expect(report.effects.map((e) => [e.arm, e.baseline])).toEqual([['2', undefined], ['3', undefined], ['3', '2']]);
    // README: mean sales 58.099012 (1), 47.329415 (2), 55.364468 (3).
    expect(report.effects[2]?.absolute.estimate).toBeCloseTo(55.364468 - 47.329415, 5);
    // Reference: compareAllPairs (Welch t, Holm) on the same values, pairs (1, 2), (1, 3), (2, 3).
    const sales = data.numeric('SalesInThousands');
    const promotion = data.numeric('Promotion');
    const arm = (p: number) => Array.from(sales).filter((_, i) => promotion[i] === p);
    const reference = compareAllPairs({ 1: arm(1), 2: arm(2), 3: arm(3) });
    reference.forEach((pair, k) => {
      const row = report.effects[k]!;
      expect(row.absolute.estimate).toBeCloseTo(pair.comparison.absolute.estimate, 12);
      expect(row.absolute.pValue).toBeCloseTo(pair.comparison.absolute.pValue, 12);
      expect(row.adjustedPValue).toBeCloseTo(pair.adjustedPValue, 12);
    });
    // The correction now spans three comparisons: 2 vs 1's adjusted p grows.
    expect(report.effects[0]!.adjustedPValue).toBeGreaterThan(plain.effects[0]!.adjustedPValue);
    expect(renderMarkdown(report)).toMatch(/\| 3 vs 2 \| SalesInThousands \|/);
  });
});
