import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { applyPolicy, parsePolicy } from 'promolens/policy';
import { generate } from '../../bench/gen.js';

/** A randomised campaign from the bench generator (true uplift known per customer); `informative` features carry the effect, the others do not. */
function campaign(n: number, offset = 0) {
  const data = generate(n + offset);
  const columns: Record<string, number[] | string[]> = { id: [], arm: [], y: [] };
  for (const f of [0, 2, 5, 11, 12, 13]) columns[`x${f}`] = [];
  for (let i = offset; i < n + offset; i++) {
    (columns.id as string[]).push(`u${i}`);
    (columns.arm as string[]).push(data.vectors.t[i] === 1 ? 'offer' : 'none');
    (columns.y as number[]).push(data.vectors.y[i]!);
    for (const f of [0, 2, 5, 11, 12, 13]) (columns[`x${f}`] as number[]).push(data.X[i * 20 + f]!);
  }
  return { dataset: fromColumns(columns), tau: data.vectors.tau_true.subarray(offset, offset + n) };
}

const { dataset, tau } = campaign(40_000);
let meanTau = 0;
for (let i = 0; i < dataset.n; i++) meanTau += tau[i]!;
meanTau /= dataset.n;
const base = {
  treatment: { column: 'arm', control: 'none' },
  outcomes: [{ column: 'y', kind: 'binary' as const }],
  validation: { unit: 'id' },
  learners: ['t' as const, 's' as const],
};

describe('decisions follow the evidence on known-truth campaigns', () => {
  it('targets when the effect varies with the features and costs make half the customers unprofitable', () => {
    // Cost per contact near the value of the average uplift: targeting the high-uplift half pays, sending to all does not.
    const economics = { valuePerUnit: 20, costPerTreated: 20 * meanTau };
    const report = evaluateCampaign(dataset, { ...base, features: ['x0', 'x2', 'x5'], economics }, { resamples: 100 });
    const decision = report.decisions[0]!;
    expect(decision.action).toBe('target');
    expect(decision.share).toBeGreaterThan(0.2);
    expect(decision.share).toBeLessThan(0.8);
    expect(decision.expectedProfit.ci[0]).toBeGreaterThan(0);
    expect(report.policy!.models[0]!.action).toBe('target');
    expect(report.policy!.unit).toBe('id');
    // The chosen learner's holdout Qini is tested allowing for the choice between the two learners compared.
    const qini = report.policyEvidence[0]!.holdoutQini!;
    expect(qini).toMatchObject({ learners: 2, permutations: 200 });
    expect(qini.pValue).toBeGreaterThanOrEqual(qini.unadjustedPValue);
    expect(qini.pValue).toBeLessThan(0.05);
    expect(decision.reason).toContain('allowing for the choice among 2 learners');
    // One fit of the chosen learner serves the policy and the uplift section: the same holdout Qini to the last digit.
    const section = report.uplift[0]!;
    expect(section.chosen).toBe(report.policyEvidence[0]!.learner);
    expect(section.learners.find((l) => l.learner === section.chosen)!.qini.estimate).toBe(qini.estimate);
  });

  it('sends to everyone when the features carry nothing about the effect and the offer pays on average', () => {
    const economics = { valuePerUnit: 20, costPerTreated: 0.25 * 20 * meanTau };
    const report = evaluateCampaign(dataset, { ...base, features: ['x11', 'x12', 'x13'], economics }, { resamples: 100 });
    const decision = report.decisions[0]!;
    expect(decision.action).toBe('treat_all');
    expect(decision.share).toBe(1);
    expect(decision.reason).toMatch(/No ranking beats sending offer to everyone/);
  });

  it('sends to no one when the offer costs more than any customer gains', () => {
    const report = evaluateCampaign(dataset, { ...base, features: ['x0', 'x2', 'x5'], economics: { valuePerUnit: 20, costPerTreated: 20 } }, { resamples: 50 });
    expect(report.decisions[0]!.action).toBe('treat_none');
    expect(report.decisions[0]!.share).toBe(0);
    expect(applyPolicy(report.policy!, dataset).summary.perArm[1]!.customers).toBe(0);
  });

  it('refuses to rank on too few events, and says so', () => {
    const small = dataset.take(Int32Array.from({ length: 1000 }, (_, i) => i));
    const report = evaluateCampaign(small, { ...base, features: ['x0', 'x2', 'x5'], economics: { valuePerUnit: 20, costPerTreated: 1 } }, { resamples: 30 });
    expect(report.decisions[0]!.action).not.toBe('target');
    expect(report.decisions[0]!.reason).toMatch(/Too little data to (rank|judge)/);
  });

  it('states an expected profit whose interval covers the true incremental profit of the decision (8 independent campaigns)', () => {
    const blocks = 8;
    let covered = 0;
    let targeted = 0;
    for (let b = 0; b < blocks; b++) {
      const { dataset: block, tau: blockTau } = campaign(20_000, 40_000 + b * 20_000);
      const economics = { valuePerUnit: 20, costPerTreated: 20 * meanTau };
      const report = evaluateCampaign(block, { ...base, learners: ['t'], features: ['x0', 'x2', 'x5'], economics }, { resamples: 50 });
      const decision = report.decisions[0]!;
      // The truth of what was decided, from each customer's true uplift.
      const { assignments } = applyPolicy(parsePolicy(JSON.parse(JSON.stringify(report.policy!))), block);
      const arm = assignments.categorical('arm');
      let truth = 0;
      let truthAll = 0;
      for (let i = 0; i < block.n; i++) {
        truthAll += 20 * blockTau[i]! - economics.costPerTreated;
        if (arm.levels[arm.codes[i]!] === 'offer') truth += 20 * blockTau[i]! - economics.costPerTreated;
      }
      if (decision.expectedProfit.ci[0] <= truth && truth <= decision.expectedProfit.ci[1]) covered++;
      // The decision follows the truth: a 'target' truly beats both sending to everyone and sending nothing.
      if (decision.action === 'target') targeted++;
      if (decision.action === 'target') expect(truth).toBeGreaterThan(Math.max(truthAll, 0));
    }
    // Nominal 95% each: 8 of 8 with probability 0.66, at least 6 with 0.994.
    expect(covered).toBeGreaterThanOrEqual(6);
    // Targeting the high-uplift customers is worth it here: the rule finds it on (nearly) every campaign.
    expect(targeted).toBeGreaterThanOrEqual(7);
  }, 240_000);

  it('never targets on campaigns whose features are pure noise (4 independent campaigns)', () => {
    // The generator's features share a common factor, so even x11–x13 say a little about the effect; these columns say nothing.
    let state = 12345;
    const noise = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 4294967296 - 0.5;
    };
    for (let b = 0; b < 4; b++) {
      const { dataset: raw } = campaign(10_000, 200_000 + b * 10_000);
      const block = fromColumns({
        id: Array.from({ length: raw.n }, (_, i) => `u${i}`),
        arm: Array.from(raw.categorical('arm').codes, (c) => raw.categorical('arm').levels[c]!),
        y: Array.from(raw.numeric('y')),
        n1: Array.from({ length: raw.n }, noise),
        n2: Array.from({ length: raw.n }, noise),
        n3: Array.from({ length: raw.n }, noise),
      });
      const report = evaluateCampaign(block, { ...base, learners: ['t', 's'], features: ['n1', 'n2', 'n3'], economics: { valuePerUnit: 20, costPerTreated: 20 * meanTau } }, { resamples: 50 });
      const decision = report.decisions[0]!;
      expect(decision.action).not.toBe('target');
      expect(decision.reason).toMatch(/^[A-Z]/);
      expect(decision.reason).not.toMatch(/\. [a-z]/);
    }
  }, 180_000);

  it('says sending to everyone is not shown to pay when it only breaks even, in the decision and the summary', () => {
    // The contact costs the value of the average uplift: sending to everyone earns about 0 in truth.
    const { dataset: block } = campaign(10_000, 300_000);
    const report = evaluateCampaign(block, { ...base, features: ['x11', 'x12', 'x13'], economics: { valuePerUnit: 20, costPerTreated: 20 * meanTau } }, { resamples: 50 });
    const decision = report.decisions[0]!;
    const evidence = report.policyEvidence[0]!;
    expect(evidence.treatAll.ci[0]).toBeLessThan(0);
    expect(evidence.treatAll.ci[1]).toBeGreaterThan(0);
    expect(decision.reason).toMatch(/not shown to pay: it is expected to earn .* an interval that includes zero/);
    const sentence = report.summary.decisions[0]!.sentence;
    expect(sentence).toMatch(/^Send offer to everyone, if at all: about .* per 1,000 customers, not shown to pay\. /);
    expect(sentence).not.toMatch(/^Send offer to everyone: /);
    expect(sentence).not.toMatch(/\. [a-z]/);
  });
});
