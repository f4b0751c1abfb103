import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignOffers } from 'promolens/policy';
import { inputErrorOf } from '../helpers.js';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let highs: Highs;
beforeAll(async () => {
  highs = await highsLoader();
});

/** A seeded generator for the instances (mulberry32). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Instance { profit: Float64Array; cost: Float64Array; n: number; k: number }

function instance(seed: number, n: number, k: number): Instance {
  const r = rng(seed);
  const profit = new Float64Array(n * k);
  const cost = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      // Costlier offers earn more on average; some offers lose money.
      cost[i * k + a] = 0.5 + a + r() * 2;
      profit[i * k + a] = (r() - 0.25) * (2 + a) * 3;
    }
  }
  return { profit, cost, n, k };
}

/** The linear-programming relaxation solved by HiGHS (CPLEX LP text). */
function lpOptimum({ profit, cost, n, k }: Instance, budget: number | undefined, capacity: number[] | undefined): number {
  const v = (i: number, a: number) => `x${i}_${a}`;
  const fmt = (x: number) => x.toPrecision(17);
  const lines: string[] = ['Maximize', ' obj:'];
  const terms: string[] = [];
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) terms.push(`${profit[i * k + a]! >= 0 ? '+' : '-'} ${fmt(Math.abs(profit[i * k + a]!))} ${v(i, a)}`);
  lines.push(terms.join('\n '));
  lines.push('Subject To');
  for (let i = 0; i < n; i++) lines.push(` one${i}: ${Array.from({ length: k }, (_, a) => v(i, a)).join(' + ')} <= 1`);
  if (budget !== undefined) {
    const spend: string[] = [];
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) spend.push(`+ ${fmt(cost[i * k + a]!)} ${v(i, a)}`);
    lines.push(` budget: ${spend.join('\n ')} <= ${fmt(budget)}`);
  }
  if (capacity !== undefined) {
    capacity.forEach((limit, a) => {
      if (Number.isFinite(limit)) lines.push(` cap${a}: ${Array.from({ length: n }, (_, i) => v(i, a)).join(' + ')} <= ${limit}`);
    });
  }
  lines.push('Bounds');
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) lines.push(` 0 <= ${v(i, a)} <= 1`);
  lines.push('End');
  const result = highs.solve(lines.join('\n'), { output_flag: false });
  expect(result.Status).toBe('Optimal');
  return result.ObjectiveValue;
}

function check(inst: Instance, budget: number | undefined, capacity: number[] | undefined) {
  const { profit, cost, n, k } = inst;
  const result = assignOffers({ data: profit, rows: n, cols: k }, { data: cost, rows: n, cols: k }, { ...(budget !== undefined ? { budget } : {}), ...(capacity !== undefined ? { capacity } : {}) });
  const lp = lpOptimum(inst, budget, capacity);
  // The dual bound is the relaxation's optimum (HiGHS's own tolerance is 1e-7 on feasibility).
  expect(Math.abs(result.bound - lp)).toBeLessThanOrEqual(1e-6 * Math.abs(lp));
  // The assignment is feasible and its totals are its own.
  let total = 0;
  let spend = 0;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const a = result.arm[i]!;
    if (a >= 0) {
      total += profit[i * k + a]!;
      spend += cost[i * k + a]!;
      counts[a]!++;
    }
  }
  expect(result.totalProfit).toBeCloseTo(total, 9);
  expect(result.totalCost).toBeCloseTo(spend, 9);
  expect(result.counts).toEqual(counts);
  if (budget !== undefined) expect(spend).toBeLessThanOrEqual(budget * (1 + 1e-12));
  if (capacity !== undefined) counts.forEach((c, a) => expect(c).toBeLessThanOrEqual(capacity[a]!));
  // Within the margin customers of the relaxation: at most one per binding constraint, each worth at most the largest profit.
  let largest = 0;
  for (const p of profit) largest = Math.max(largest, p);
  const constraints = (budget !== undefined ? 1 : 0) + (capacity?.filter(Number.isFinite).length ?? 0);
  expect(total).toBeLessThanOrEqual(lp * (1 + 1e-9));
  expect(lp - total).toBeLessThanOrEqual(constraints * largest + 1e-9);
  return { result, lp };
}

describe('assignOffers against the LP relaxation (HiGHS)', () => {
  it('matches the relaxation with a budget alone, on random instances', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const inst = instance(seed, 150 + seed * 20, 1 + (seed % 5));
      const { result } = check(inst, 40 + seed * 15, undefined);
      expect(result.budgetPrice).toBeGreaterThan(0);
    }
  });
  it('matches the relaxation with capacities alone and with both', () => {
    for (let seed = 20; seed < 32; seed++) {
      const k = 2 + (seed % 4);
      const n = 200;
      const inst = instance(seed, n, k);
      const capacity = Array.from({ length: k }, (_, a) => (a % 2 === 0 ? 10 + ((seed * 7 + a * 13) % 30) : Infinity));
      check(inst, undefined, capacity);
      check(inst, 60 + seed * 3, capacity);
    }
  });
  it('takes every profitable best offer when nothing binds, at prices 0', () => {
    const inst = instance(99, 100, 3);
    const { result, lp } = check(inst, 1e9, [1000, 1000, 1000]);
    expect(result.budgetPrice).toBe(0);
    expect(result.capacityPrices).toEqual([0, 0, 0]);
    expect(result.totalProfit).toBeCloseTo(lp, 9);
  });
  it('works a small case by hand', () => {
    // Customer 0: arm 0 earns 5 for 1, arm 1 earns 8 for 3; customer 1: 4 for 1 or 3 for 1; customer 2: 1 or 2 for 1.
    const profit = { data: Float64Array.of(5, 8, 4, 3, 1, 2), rows: 3, cols: 2 };
    const cost = { data: Float64Array.of(1, 3, 1, 1, 1, 1), rows: 3, cols: 2 };
    // Budget 2: customers 0 and 1 on arm 0 (profit 9); the relaxation adds half of 0's upgrade? No: 9 + (8 − 5)·0 … solved by HiGHS below.
    const result = assignOffers(profit, cost, { budget: 2 });
    expect(Array.from(result.arm)).toEqual([0, 0, -1]);
    expect(result.totalProfit).toBe(9);
    // Budget 5: every customer's best offer (8 + 4 + 2 = 14, cost 5).
    expect(Array.from(assignOffers(profit, cost, { budget: 5 }).arm)).toEqual([1, 0, 1]);
    // Capacity 1 on arm 0, no budget: customer 0 keeps arm 1, customer 1 arm 0, customer 2 arm 1.
    expect(Array.from(assignOffers(profit, cost, { capacity: [1, Infinity] }).arm)).toEqual([1, 0, 1]);
  });
  it('rejects bad input with reasons', () => {
    const m = { data: Float64Array.of(1, 2), rows: 1, cols: 2 };
    expect(inputErrorOf(() => assignOffers(m, { data: Float64Array.of(1, -1), rows: 1, cols: 2 })).reason).toBe('out_of_range');
    expect(inputErrorOf(() => assignOffers(m, { data: Float64Array.of(1), rows: 1, cols: 1 })).reason).toBe('length_mismatch');
    expect(inputErrorOf(() => assignOffers({ data: Float64Array.of(1, NaN), rows: 1, cols: 2 }, m)).reason).toBe('not_finite');
    expect(inputErrorOf(() => assignOffers(m, m, { budget: -1 })).reason).toBe('out_of_range');
    expect(inputErrorOf(() => assignOffers(m, m, { capacity: [1] })).reason).toBe('length_mismatch');
    expect(inputErrorOf(() => assignOffers({ data: new Float64Array(0), rows: 0, cols: 2 }, m)).reason).toBe('empty');
  });
});
