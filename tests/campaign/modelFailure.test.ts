import { describe, expect, it } from 'vitest';
import { CampaignReportSchema, type CampaignReport, evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { applyPolicy, parsePolicy } from 'promolens/policy';
import { renderHtml, renderMarkdown } from 'promolens/report';

const ALL = ['t', 's', 'x', 'dr', 'class_transformation'] as const;
const FITS_ONE_CLASS = ['s', 'class_transformation'] as const;

/**
 * A campaign over `arms` (the first is control) of `n` rows; `share[a]` of
 * the rows go to arm a, and `rate(a, x)` is the conversion chance of a row.
 */
function campaign(n: number, arms: readonly string[], share: readonly number[], rate: (a: number, x: number) => number) {
  const arm: string[] = [];
  const y: number[] = [];
  const x: number[] = [];
  const z: number[] = [];
  let state = 1;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    let u = random();
    let a = 0;
    while (a < arms.length - 1 && u >= share[a]!) u -= share[a++]!;
    const xi = random();
    arm.push(arms[a]!);
    x.push(xi);
    z.push(random());
    y.push(random() < rate(a, xi) ? 1 : 0);
  }
  return fromColumns({ arm, y, x, z });
}

const spec = (learners: readonly string[]) => ({
  treatment: { column: 'arm', control: 'ctl' },
  outcomes: [{ column: 'y', kind: 'binary' as const }],
  features: ['x', 'z'],
  learners: learners as (typeof ALL)[number][],
  economics: { valuePerUnit: 30, costPerTreated: 0.5 },
});

function expectWholeReport(report: CampaignReport) {
  expect(CampaignReportSchema.parse(JSON.parse(JSON.stringify(report)))).toBeTruthy();
  expect(renderMarkdown(report).length).toBeGreaterThan(0);
  expect(renderHtml(report)).toContain('<svg');
}

// Three arms; arm B converts nobody, so no model of B's outcome if treated can be fitted.
const deadArm = campaign(3000, ['ctl', 'A', 'B'], [1 / 3, 1 / 3, 1 / 3], (a, x) => (a === 2 ? 0 : 0.1 + 0.1 * x + (a === 1 ? 0.1 * x : 0)));

describe('evaluateCampaign skips what the data cannot support, learner by learner and arm by arm', () => {
  const report = evaluateCampaign(deadArm, spec(ALL), { resamples: 20 });

  it('produces the whole report when one of several arms converts nobody', () => {
    expectWholeReport(report);
    expect(report.effects.map((e) => e.arm).sort()).toEqual(['A', 'B']);
    expect(report.effects.find((e) => e.arm === 'B')?.treated.mean).toBe(0);
    expect(report.responseModels.map((m) => m.outcome)).toEqual(['y']);
  });

  it('runs every learner on the healthy arm and skips only the learners that need a model of the dead arm', () => {
    const a = report.uplift.find((u) => u.arm === 'A')!;
    const b = report.uplift.find((u) => u.arm === 'B')!;
    expect(a.learners.map((l) => l.learner)).toEqual([...ALL]);
    expect(a.skipped).toEqual([]);
    expect(b.learners.map((l) => l.learner)).toEqual([...FITS_ONE_CLASS]);
    expect(b.skipped.map((s) => s.learner)).toEqual(['t', 'x', 'dr']);
    for (const s of b.skipped) expect(s.reason).toMatch(/^all \d+ training rows of B have y = 0/);
    for (const learner of ['t', 'x', 'dr']) {
      expect(report.checks.warnings.some((w) => w.startsWith(`Uplift for B on y: learner ${learner} skipped: all `) && w.includes('have y = 0'))).toBe(true);
    }
    expect(report.checks.warnings.some((w) => w.startsWith('Uplift models and targeting could not be run'))).toBe(false);
  });

  it('gives the dead arm a blanket decision with the reason and still decides the healthy arm and the whole assignment', () => {
    const b = report.decisions.find((d) => d.arm === 'B')!;
    expect(b.action).toBe('treat_none');
    expect(b.reason).toMatch(/^B cannot be ranked: its outcome if treated cannot be modelled: all \d+ of its treated rows have y = 0/);
    expect(report.decisions.find((d) => d.arm === 'A')).toBeDefined();
    expect(report.decisions.find((d) => d.arm === null)).toBeDefined();
    const policy = parsePolicy(report.policy);
    const model = policy.models[1]!;
    expect(model.learner).toBeNull();
    expect(model.uplift).toBeNull();
    expect(model.unfitted).toMatch(/have y = 0/);
    expect(report.targeting.map((t) => t.arm).sort()).toEqual(['A', 'B']);
    // The stored policy is applied without the dead arm's models: B is never given.
    const { summary } = applyPolicy(policy, deadArm);
    expect(summary.perArm.find((p) => p.arm === 'B')?.customers).toBe(0);
  });

  it('gives each remaining learner the same numbers as a run without the failing ones', () => {
    const without = evaluateCampaign(deadArm, spec(FITS_ONE_CLASS), { resamples: 20 });
    const b = report.uplift.find((u) => u.arm === 'B')!;
    const bWithout = without.uplift.find((u) => u.arm === 'B')!;
    expect(bWithout.skipped).toEqual([]);
    expect(b.learners).toEqual(bWithout.learners);
    expect(report.effects).toEqual(without.effects);
    expect(report.responseModels).toEqual(without.responseModels);
    expect(report.decisions.find((d) => d.arm === 'B')).toEqual(without.decisions.find((d) => d.arm === 'B'));
  });
});

describe('evaluateCampaign on an arm where everyone converted', () => {
  const data = campaign(2000, ['ctl', 'A'], [0.5, 0.5], (a, x) => (a === 1 ? 1 : 0.2 + 0.2 * x));
  const report = evaluateCampaign(data, spec(ALL), { resamples: 20 });

  it('skips the learners that model the arm alone and decides to send the arm to everyone', () => {
    expectWholeReport(report);
    const a = report.uplift[0]!;
    expect(a.learners.map((l) => l.learner)).toEqual([...FITS_ONE_CLASS]);
    for (const s of a.skipped) expect(s.reason).toMatch(/^all \d+ training rows of A have y = 1/);
    const decision = report.decisions[0]!;
    expect(decision.action).toBe('treat_all');
    expect(decision.reason).toMatch(/^A cannot be ranked: its outcome if treated cannot be modelled: all \d+ of its treated rows have y = 1/);
    expect(decision.expectedProfit.estimate).toBeGreaterThan(0);
  });
});

describe('evaluateCampaign when no learner can be fitted', () => {
  it('drops the uplift of an arm with its reason when every learner given needs the dead arm alone', () => {
    const report = evaluateCampaign(deadArm, spec(['t', 'x']), { resamples: 20 });
    expectWholeReport(report);
    expect(report.uplift.map((u) => u.arm)).toEqual(['A']);
    expect(report.targeting.map((t) => t.arm)).toEqual(['A']);
    expect(report.checks.warnings).toContain('Uplift for B on y: no learner could be fitted and scored, so B has no uplift model or targeting curve.');
    expect(report.decisions.find((d) => d.arm === 'B')?.action).toBe('treat_none');
  });

  it('skips a response model whose outcome has one class and keeps the others', () => {
    const base = campaign(1500, ['ctl', 'A'], [0.5, 0.5], (a, x) => 0.2 + 0.2 * x + 0.1 * a);
    const arm = base.categorical('arm');
    const data = fromColumns({ arm: Array.from(arm.codes, (c) => arm.levels[c]!), y: base.numeric('y'), x: base.numeric('x'), z: base.numeric('z'), always: new Float64Array(base.n).fill(1) });
    const report = evaluateCampaign(data, { ...spec(['s']), outcomes: [{ column: 'y', kind: 'binary' }, { column: 'always', kind: 'binary' }] }, { resamples: 20 });
    expectWholeReport(report);
    expect(report.responseModels.map((m) => m.outcome)).toEqual(['y']);
    expect(report.checks.warnings.some((w) => /^Response model for always skipped: all \d+ training rows have always = 1\.$/.test(w))).toBe(true);
  });
});

describe('evaluateCampaign on a thin 99/1 split', () => {
  it('produces the report, skips the learner whose folds see one class and says why', () => {
    // About 30 rows in arm A and one or two conversions among them.
    const data = campaign(3000, ['ctl', 'A'], [0.99, 0.01], (_, x) => 0.02 + 0.02 * x);
    const report = evaluateCampaign(data, spec(ALL), { resamples: 20 });
    expectWholeReport(report);
    expect(report.effects.map((e) => e.arm)).toEqual(['A']);
    const a = report.uplift[0]!;
    // Every learner is accounted for: scored, or skipped with a reason.
    expect([...a.skipped.map((s) => s.learner), ...a.learners.map((l) => l.learner)].sort()).toEqual([...ALL].sort());
    expect(a.skipped.length).toBeGreaterThan(0);
    // A's training rows hold no conversion, or too few for every fold: the reason says which.
    for (const s of a.skipped) expect(s.reason).toMatch(/^(all \d+ training rows of A have y = 0|\d+ of \d+ training rows of A have y = 1, too few for every cross-fitting fold to see both values)/);
    expect(report.decisions[0]?.action).not.toBe('target');
    expect(report.decisions[0]?.reason).toMatch(/^(A cannot be ranked|too little data to rank customers for A)/);
  });
});
