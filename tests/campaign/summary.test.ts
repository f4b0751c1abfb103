import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CampaignReportSchema, evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';

/** A seeded two-arm campaign: visits 10% in control, 20% treated; `leak` copies the outcome. */
function campaign(n: number, seed = 1) {
  let state = seed;
  const next = () => ((state = (state * 16807) % 2147483647) / 2147483647);
  const arm: string[] = [];
  const visit: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < n; i++) {
    const treated = i % 2 === 1;
    arm.push(treated ? 'mail' : 'none');
    x.push(next());
    visit.push(next() < (treated ? 0.2 : 0.1) ? 1 : 0);
  }
  return fromColumns({ arm, visit, x, leak: visit.slice() });
}

const spec = {
  treatment: { column: 'arm', control: 'none' },
  outcomes: [{ column: 'visit', kind: 'binary' as const }],
  features: ['x'],
  economics: { valuePerUnit: 10, costPerTreated: 0.5 },
  learners: ['t' as const],
};

describe('report.summary', () => {
  const report = evaluateCampaign(campaign(4000), spec, { resamples: 20 });

  it('states each effect in numbers and words: rates, points, interval, relative lift and adjusted p', () => {
    const [effect] = report.summary.effects;
    const row = report.effects[0];
    expect(effect).toMatchObject({ arm: 'mail', outcome: 'visit', scale: 'rate', verdict: 'increase', significant: true, chanceToWin: null });
    expect(effect?.absolute.estimate).toBe(row?.absolute.estimate);
    expect(effect?.adjustedPValue).toBe(row?.adjustedPValue);
    const points = ((row?.absolute.estimate ?? 0) * 100).toFixed(1);
    expect(effect?.sentence).toContain(`mail raised visit`);
    expect(effect?.sentence).toContain(`+${points} points (95% CI`);
    expect(report.summary.headline).toContain('1 of 1');
  });

  it('gives one decision per arm with its money, from the decisions stage', () => {
    const [decision] = report.summary.decisions;
    const stated = report.decisions.find((d) => d.arm === 'mail');
    expect(decision).toMatchObject({ arm: 'mail', source: 'decisions', action: stated?.action, share: stated?.share, population: 4000 });
    expect(decision?.expectedProfit.estimate).toBe(stated?.expectedProfit.estimate);
    expect(decision?.profitPerThousand).toBeCloseTo(((stated?.expectedProfit.estimate ?? 0) / 4000) * 1000, 12);
    expect(decision?.sentence).toContain(stated?.reason ?? '');
  });

  it('names the caveats that matter: small samples and few events, a mismatched split, leakage', () => {
    const small = evaluateCampaign(campaign(160, 3), { ...spec, features: ['x', 'leak'], expectedShares: { none: 0.9, mail: 0.1 } }, { resamples: 20 });
    const kinds = small.summary.caveats.map((c) => c.kind);
    expect(kinds).toContain('small_sample');
    expect(kinds).toContain('sample_ratio_mismatch');
    expect(kinds).toContain('leakage');
    expect(report.summary.caveats.map((c) => c.kind)).not.toContain('small_sample');
  });

  it('picks up the decisions stage when it gives decisions', async () => {
    const { summarize } = await import('../../src/campaign/summary.js');
    const { prepareCampaign } = await import('../../src/campaign/context.js');
    const context = prepareCampaign(campaign(400), spec, {}, () => undefined);
    const summary = summarize(context, {
      checks: report.checks,
      effects: report.effects,
      responseModels: [],
      uplift: [],
      targeting: [],
      decisions: [{ arm: 'mail', action: 'treat_all', share: 1, expectedProfit: { estimate: 120, ci: [40, 200] }, reason: 'Sending to everyone beats targeting.' }],
    });
    expect(summary.decisions[0]).toMatchObject({ source: 'decisions', action: 'treat_all', expectedProfit: { estimate: 120, ci: [40, 200] }, population: 400, profitPerThousand: 300, treatAllProfit: null });
    expect(summary.decisions[0]?.sentence).toContain('Sending to everyone beats targeting.');
  });
});

describe('report.provenance', () => {
  it('records the library, the spec and a fingerprint of the columns read; equal inputs give byte-for-byte equal reports', () => {
    const data = campaign(1000);
    const a = JSON.stringify(evaluateCampaign(data, spec, { resamples: 20 }));
    const b = JSON.stringify(evaluateCampaign(campaign(1000), spec, { resamples: 20 }));
    expect(a).toBe(b);
    const report = CampaignReportSchema.parse(JSON.parse(a));
    expect(report.provenance).toMatchObject({ library: expect.stringMatching(/^promolens \d+\.\d+\.\d+$/), spec, createdAt: null, data: { rows: 1000, columns: ['arm', 'visit', 'x'] } });
    expect(report.provenance.data.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(report.provenance.library).toBe(`promolens ${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version}`);
    const other = evaluateCampaign(campaign(1000, 2), spec, { resamples: 20 });
    expect(other.provenance.data.fingerprint).not.toBe(report.provenance.data.fingerprint);
    expect(evaluateCampaign(data, spec, { resamples: 20, createdAt: '2026-12-04T17:00:00Z' }).provenance.createdAt).toBe('2026-12-04T17:00:00Z');
  });
});

describe('the random-ranking caveat', () => {
  it('states the p-value that allows for the choice among learners, the one the decision uses', () => {
    // x is noise: no ranking can beat random, whichever of three learners is chosen.
    const report = evaluateCampaign(campaign(6000, 3), { ...spec, learners: ['t', 's', 'x'] }, { resamples: 40 });
    const evidence = report.policyEvidence.find((e) => e.arm === 'mail');
    expect(evidence?.holdoutQini).not.toBeNull();
    const adjusted = evidence!.holdoutQini!;
    expect(adjusted.learners).toBe(3);
    expect(adjusted.pValue).toBeGreaterThanOrEqual(adjusted.unadjustedPValue);
    const caveat = report.summary.caveats.find((c) => c.kind === 'random_ranking');
    expect(adjusted.pValue, 'a noise feature: the ranking is no better than random').toBeGreaterThan(0.05);
    if (adjusted.pValue > 0.05) {
      expect(caveat?.message).toContain(`permutation p = ${Number(adjusted.pValue.toFixed(3))}, allowing for the choice among 3 learners`);
    } else {
      expect(caveat).toBeUndefined();
    }
    // The uplift stage's warning names its p-value as the chosen learner's alone.
    for (const w of report.checks.warnings.filter((m) => m.includes('does not beat a random ranking'))) expect(w).toContain('for this learner alone');
  });
});
