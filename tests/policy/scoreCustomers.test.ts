import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { applyPolicy, fitTargetingPolicy, scoreCustomers } from 'promolens/policy';
import { generate } from '../../bench/gen.js';
import { inputErrorOf } from '../helpers.js';

// scoreCustomers: per arm, every customer's predicted uplift, outcome if
// treated, offer cost and profit before any assignment — the numbers
// applyPolicy's uplift_<arm> and profit_<arm> columns report.
function campaign(n: number, offset = 0) {
  const data = generate(n + offset);
  const columns: Record<string, number[] | string[]> = { arm: [], converted: [] };
  for (let f = 0; f < 4; f++) columns[`x${f}`] = [];
  for (let i = offset; i < n + offset; i++) {
    const third = i % 3;
    (columns.arm as string[]).push(third === 0 ? 'none' : third === 1 ? 'mail' : 'sms');
    (columns.converted as number[]).push(data.vectors.y[i]!);
    for (let f = 0; f < 4; f++) (columns[`x${f}`] as number[]).push(data.X[i * 20 + f]!);
  }
  return fromColumns(columns);
}

describe('scoreCustomers', () => {
  const economics = { mail: { valuePerUnit: 20, costPerTreated: 0.4, costPerConversion: 3 }, sms: { valuePerUnit: 20, costPerTreated: 0.05 } };
  const policy = fitTargetingPolicy(campaign(6000), {
    treatment: { column: 'arm', control: 'none' },
    outcomes: [{ column: 'converted', kind: 'binary' }],
    features: ['x0', 'x1', 'x2', 'x3'],
    economics,
    learners: ['t'],
  });
  const customers = campaign(500, 6000).select(['x0', 'x1', 'x2', 'x3']);

  it('prices each arm as value × uplift − cost per treated − cost per conversion × P(y | treated), as applyPolicy reports', () => {
    const scores = scoreCustomers(policy, customers);
    const { assignments } = applyPolicy(policy, customers);
    expect(scores.uplift.length).toBe(2);
    policy.arms.forEach((arm, a) => {
      const e = economics[arm as 'mail' | 'sms'];
      const uplift = scores.uplift[a]!;
      const treated = scores.treatedOutcome[a]!;
      expect(uplift.length).toBe(500);
      expect(Array.from(uplift)).toEqual(Array.from(assignments.numeric(`uplift_${arm}`)));
      for (let i = 0; i < 500; i++) {
        expect(treated[i]!).toBeGreaterThan(0);
        expect(treated[i]!).toBeLessThan(1);
        const cost = e.costPerTreated + ('costPerConversion' in e ? e.costPerConversion : 0) * treated[i]!;
        expect(scores.cost[a]![i]!).toBeCloseTo(cost, 12);
        expect(scores.profit[a]![i]!).toBeCloseTo(e.valuePerUnit * uplift[i]! - cost, 12);
        expect(assignments.numeric(`profit_${arm}`)[i]!).toBeCloseTo(scores.profit[a]![i]!, 12);
      }
    });
  });

  it("predicts the outcome if treated only for arms with a conversion cost under 'when_priced'", () => {
    const scores = scoreCustomers(policy, customers, { treatedOutcome: 'when_priced' });
    const sms = policy.arms.indexOf('sms');
    const mail = policy.arms.indexOf('mail');
    expect(Array.from(scores.treatedOutcome[sms]!).every((v) => v === 0)).toBe(true);
    expect(Array.from(scores.treatedOutcome[mail]!).every((v) => v > 0)).toBe(true);
    expect(Array.from(scores.profit[mail]!)).toEqual(Array.from(scoreCustomers(policy, customers).profit[mail]!));
  });

  it('rejects unknown options and a dataset without the features', () => {
    expect(inputErrorOf(() => scoreCustomers(policy, customers, { treatedOutcome: 'sometimes' as 'always' }))).toMatchObject({ reason: 'invalid_option', field: 'treatedOutcome' });
    expect(inputErrorOf(() => scoreCustomers(policy, customers.select(['x0'])))).toMatchObject({ reason: 'missing_column', field: 'x1' });
  });
});
