/** Policy: offer assignment under a budget (and capacities) over customers × offers. */
import { assignOffers } from '../../src/policy/index.js';
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
