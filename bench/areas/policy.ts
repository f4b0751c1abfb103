/** Policy: offer assignment under a budget (and capacities) over customers × offers. */
import { fromColumns } from '../../src/data/index.js';
import { applyPolicy, assignOffers, fitTargetingPolicy } from '../../src/policy/index.js';
import { generate } from '../gen.js';
import { operation } from '../harness.js';

/** Profits and costs of 5 offers per customer, from a seeded generator (costlier offers earn more on average). */
function offers(n: number, k: number) {
  const profit = new Float64Array(n * k);
  const cost = new Float64Array(n * k);
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      cost[i * k + a] = 0.5 + a + next() * 2;
      profit[i * k + a] = (next() - 0.25) * (2 + a) * 3;
    }
  }
  let spend = 0;
  for (let i = 0; i < n; i++) spend += cost[i * k + k - 1]!;
  return { profit: { data: profit, rows: n, cols: k }, cost: { data: cost, rows: n, cols: k }, budget: spend / 10 };
}

export const operations = [
  operation({ name: 'assignOffers (5 offers, budget)', sizes: [1_000_000, 10_000_000], setup: (n) => offers(n, 5), run: ({ profit, cost, budget }) => assignOffers(profit, cost, { budget }).totalProfit }),
  operation({
    name: 'assignOffers (5 offers, budget and 2 capacities)',
    sizes: [1_000_000, 10_000_000],
    setup: (n) => offers(n, 5),
    run: ({ profit, cost, budget }) => assignOffers(profit, cost, { budget, capacity: [profit.rows / 20, Infinity, profit.rows / 50, Infinity, Infinity] }).totalProfit,
  }),
];

/** A three-arm policy fitted on 30,000 generated rows, and n customers with its 5 feature columns. */
function policyAndCustomers(n: number) {
  const train = generate(30_000);
  const arms = ['none', 'mail', 'coupon', 'sms'];
  const columns: Record<string, number[] | string[]> = { arm: [], y: [] };
  for (let f = 0; f < 5; f++) columns[`x${f}`] = [];
  for (let i = 0; i < train.n; i++) {
    (columns.arm as string[]).push(train.vectors.t[i] === 1 ? arms[1 + (i % 3)]! : 'none');
    (columns.y as number[]).push(train.vectors.y[i]!);
    for (let f = 0; f < 5; f++) (columns[`x${f}`] as number[]).push(train.X[i * 20 + f]!);
  }
  const policy = fitTargetingPolicy(fromColumns(columns), {
    treatment: { column: 'arm', control: 'none' },
    outcomes: [{ column: 'y', kind: 'binary' }],
    features: ['x0', 'x1', 'x2', 'x3', 'x4'],
    economics: { mail: { valuePerUnit: 20, costPerTreated: 1 }, coupon: { valuePerUnit: 20, costPerTreated: 0.2, costPerConversion: 3 }, sms: { valuePerUnit: 20, costPerTreated: 0.5 } },
    learners: ['t'],
  });
  const customers: Record<string, Float64Array> = {};
  let s = 99;
  for (let f = 0; f < 5; f++) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      values[i] = (s / 4294967296 - 0.5) * 3.4;
    }
    customers[`x${f}`] = values;
  }
  return { policy, customers: fromColumns(customers) };
}

operations.push(
  operation({
    name: 'applyPolicy (3 arms)',
    sizes: [1_000_000, 10_000_000],
    setup: (n) => policyAndCustomers(n),
    run: ({ policy, customers }) => applyPolicy(policy, customers).summary.expectedProfit,
  }),
  operation({
    name: 'applyPolicy (3 arms, budget)',
    sizes: [1_000_000, 10_000_000],
    setup: (n) => policyAndCustomers(n),
    run: ({ policy, customers }) => applyPolicy(policy, customers, { budget: customers.n / 10 }).summary.expectedProfit,
  }),
);
