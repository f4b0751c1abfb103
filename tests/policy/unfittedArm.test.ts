import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { applyPolicy, fitTargetingPolicy, parsePolicy } from 'promolens/policy';
import { policyToSql } from 'promolens/sql';

// Control and two arms: A converts like control plus a little, B converts nobody.
function data() {
  const arm: string[] = [];
  const y: number[] = [];
  const x: number[] = [];
  let state = 7;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 1500; i++) {
    const a = i % 3;
    const xi = random();
    arm.push(['none', 'A', 'B'][a]!);
    x.push(xi);
    y.push(a === 2 ? 0 : random() < 0.2 + 0.2 * xi + (a === 1 ? 0.1 : 0) ? 1 : 0);
  }
  return fromColumns({ arm, y, x });
}

describe('fitTargetingPolicy with an arm no model can be fitted on', () => {
  const spec = { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x'], economics: { valuePerUnit: 10, costPerTreated: 0.1 } };
  const policy = fitTargetingPolicy(data(), spec);

  it('stores the arm without models, says why, and prices it at its averages', () => {
    const [a, b] = policy.models;
    expect(a?.unfitted).toBeUndefined();
    expect(a?.uplift).not.toBeNull();
    expect(b?.learner).toBeNull();
    expect(b?.uplift).toBeNull();
    expect(b?.treatedOutcome).toBeNull();
    expect(b?.action).toBe('treat_all');
    expect(b?.unfitted).toBe('its outcome if treated cannot be modelled: all 500 of its treated rows have y = 0');
    expect(b?.averageTreatedOutcome).toBe(0);
    // Round trip through JSON.
    expect(parsePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
  });

  it('never gives the dead arm: its average uplift is negative', () => {
    const { summary, assignments } = applyPolicy(policy, data());
    expect(summary.perArm.find((p) => p.arm === 'B')?.customers).toBe(0);
    const upliftB = assignments.numeric('uplift_B');
    expect(new Set(upliftB).size).toBe(1);
    expect(upliftB[0]).toBeCloseTo(policy.models[1]!.averageUplift, 15);
    // The SQL prices the arm at the same constant.
    expect(policyToSql(policy, { dialect: 'duckdb', table: 'customers' })).toContain(`AS "uplift_B"`);
  });

  it('keeps a rule that withholds the arm, and refuses a stored policy that targets an arm without models', () => {
    const withheld = fitTargetingPolicy(data(), { ...spec, rule: { actions: { B: 'treat_none' } } });
    expect(withheld.models[1]?.action).toBe('treat_none');
    const tampered = { ...policy, models: policy.models.map((m, k) => (k === 1 ? { ...m, action: 'target' } : m)) };
    expect(() => parsePolicy(tampered)).toThrow(expect.objectContaining({ reason: 'incompatible', field: 'policy.models.1.action' }));
  });
});
