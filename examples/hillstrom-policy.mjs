// From evidence to action on the bundled Hillstrom e-mail campaign: evaluate it with per-arm costs,
// write the targeting policy, and apply it to customers who have only their feature columns.
// Run with `npm run build && node examples/hillstrom-policy.mjs`. Writes out/hillstrom-policy.json
// and out/hillstrom-targets.csv.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { applyPolicy, evaluateCampaign, formatCsv, parsePolicy } from 'promolens';
import { readCsv } from 'promolens/node';

const data = await readCsv(new URL('./data/hillstrom.csv.gz', import.meta.url).pathname);
const report = evaluateCampaign(data, {
  title: 'Hillstrom e-mail campaign',
  treatment: { column: 'segment', control: 'No E-Mail' },
  outcomes: [{ column: 'visit', kind: 'binary' }],
  features: ['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel'],
  // A visit is worth 3 in expected margin. The men's e-mail carries a 0.50 coupon redeemed on
  // visits (paid also to customers who would have visited anyway); the women's e-mail costs 0.10 to send.
  economics: {
    'Mens E-Mail': { valuePerUnit: 3, costPerTreated: 0.1, costPerConversion: 0.5, currency: 'USD' },
    'Womens E-Mail': { valuePerUnit: 3, costPerTreated: 0.1, currency: 'USD' },
  },
  validation: { holdoutShare: 0.3, seed: 1 },
});
for (const d of report.decisions) {
  const [lo, hi] = d.expectedProfit.ci;
  console.log(`${d.arm ?? 'all offers'}: ${d.action} (share ${(100 * d.share).toFixed(0)}%), expected profit ${d.expectedProfit.estimate.toFixed(0)} [${lo.toFixed(0)}, ${hi.toFixed(0)}]\n  ${d.reason}`);
}

mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
const policyFile = new URL('./out/hillstrom-policy.json', import.meta.url);
writeFileSync(policyFile, JSON.stringify(report.policy, null, 2));

// Next month's customers: the same people without their arm or outcome columns.
const customers = data.select(['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel']);
const policy = parsePolicy(JSON.parse(readFileSync(policyFile, 'utf8')));
const { assignments, summary } = applyPolicy(policy, customers, { budget: 2000 });
writeFileSync(new URL('./out/hillstrom-targets.csv', import.meta.url), formatCsv(assignments));
console.log(
  `Applied to ${summary.customers} customers within a budget of 2,000: ${summary.perArm.map((p) => `${p.arm} ${p.customers}`).join(', ')}; ` +
    `expected incremental profit ${summary.expectedProfit.toFixed(0)} for a cost of ${summary.totalCost.toFixed(0)} ${summary.currency}`,
);
