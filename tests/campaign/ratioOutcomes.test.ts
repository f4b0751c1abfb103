import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns, fromRows } from 'promolens/data';
import { compareRatios } from 'promolens/experiment';
import { renderMarkdown } from 'promolens/report';
import { inputErrorOf } from '../helpers.js';

// References: tests/fixtures/experiment/make.py, adjusted_ratio_campaign (numpy: the delta method on np.cov of each arm's rows).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8')).adjustedRatioCampaign;

function close(actual: number | null | undefined, expected: number, tolerance: number, what: string): void {
  expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

const n = 300;
const arm = Array.from({ length: n }, (_, i) => ['control', 'offer', 'bundle'][i % 3] as string);
const orders = Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 4));
const revenue = orders.map((o, i) => o * (20 + ((i * 13) % 9)) + (i % 3 === 1 ? 6 : 0));
const bought = Array.from({ length: n }, (_, i) => ((i * 11) % 5 > 1 ? 1 : 0));
const x = Array.from({ length: n }, (_, i) => ((i * 29) % 31) / 31);
const data = fromColumns({ arm, orders, revenue, bought, x });

function sums(code: string) {
  const rows = arm.flatMap((a, i) => (a === code ? [i] : []));
  const s = (f: (i: number) => number) => rows.reduce((t, i) => t + f(i), 0);
  return {
    n: rows.length,
    sumNum: s((i) => revenue[i]!),
    sumDen: s((i) => orders[i]!),
    sumNum2: s((i) => revenue[i]! ** 2),
    sumDen2: s((i) => orders[i]! ** 2),
    sumNumDen: s((i) => revenue[i]! * orders[i]!),
  };
}

const spec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'bought', kind: 'binary' as const }, { kind: 'ratio' as const, numerator: 'revenue', denominator: 'orders', column: 'aov' }],
};

describe('ratio outcomes in the campaign', () => {
  it('revenue per order by the delta method, each arm against control, Holm across the arms', () => {
    const report = evaluateCampaign(data, spec);
    const rows = report.effects.filter((e) => e.outcome === 'aov');
    expect(rows.map((r) => [r.arm, r.kind])).toEqual([['bundle', 'ratios'], ['offer', 'ratios']]);
    for (const row of rows) {
      const reference = compareRatios(sums('control'), sums(row.arm));
      expect(row.control.mean).toBeCloseTo(reference.control.mean, 12);
      expect(row.absolute.estimate).toBeCloseTo(reference.absolute.estimate, 12);
      expect(row.absolute.ci[0]!).toBeCloseTo(reference.absolute.ci[0]!, 12);
      expect(row.absolute.pValue).toBeCloseTo(reference.absolute.pValue, 12);
    }
    const p = rows.map((r) => r.absolute.pValue);
    const holm = [Math.min(1, 2 * Math.min(...p)), Math.max(Math.min(1, 2 * Math.min(...p)), Math.max(...p))];
    expect(rows.map((r) => r.adjustedPValue).sort()).toEqual(holm.sort());
  });

  it('the ratio is named numerator/denominator by default, and all-pairs adds bundle vs offer', () => {
    const unnamed = { ...spec, outcomes: [spec.outcomes[0]!, { kind: 'ratio' as const, numerator: 'revenue', denominator: 'orders' }], comparisons: 'all-pairs' as const };
    const rows = evaluateCampaign(data, unnamed).effects.filter((e) => e.outcome === 'revenue/orders');
    expect(rows.map((r) => `${r.arm}/${r.baseline ?? 'control'}`)).toEqual(['bundle/control', 'offer/control', 'offer/bundle']);
    expect(rows[2]!.absolute.estimate).toBeCloseTo(compareRatios(sums('bundle'), sums('offer')).absolute.estimate, 12);
  });

  it('a ratio is not an uplift outcome, nor a feature; models need one binary or continuous outcome', () => {
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, features: ['x'], upliftOutcome: 'aov' }))).toMatchObject({ reason: 'invalid_option', field: 'upliftOutcome' });
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, features: ['x', 'revenue'] }))).toMatchObject({ reason: 'leakage', field: 'revenue' });
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, outcomes: [spec.outcomes[1]!], features: ['x'] }))).toMatchObject({ reason: 'invalid_option', field: 'outcomes' });
  });

  it('a spec of ratios only is an effects-only report: effects, segment effects, no uplift outcome', () => {
    const report = evaluateCampaign(data, { ...spec, outcomes: [spec.outcomes[1]!], segments: ['bought'] });
    expect(report.scope).toBe('effects');
    expect(report.settings.upliftOutcome).toBeNull();
    expect(report.settings.learners).toEqual([]);
    expect(report.effects.map((e) => [e.arm, e.outcome])).toEqual([['bundle', 'aov'], ['offer', 'aov']]);
    expect(report.segments.map((e) => `${e.level}:${e.arm}`)).toEqual(['0:bundle', '0:offer', '1:bundle', '1:offer']);
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(/\| offer \| aov \|/);
    expect(markdown).not.toMatch(/uplift outcome/);
  });
});

describe('CUPED for ratio outcomes and ratios in segments', () => {
  const data = fromRows(fixture.rows);
  const spec = {
    treatment: { column: 'arm', control: 'control' },
    outcomes: [{ kind: 'ratio' as const, column: 'aov', numerator: 'revenue', denominator: 'orders', preperiod: { numerator: 'revenue_pre', denominator: 'orders_pre' } }],
    segments: ['segment'],
  };

  it('the pre-period numerator and denominator adjust the ratio as GrowthBook\'s regression-adjusted ratio', () => {
    const report = evaluateCampaign(data, spec);
    const [row] = report.effects;
    const x = fixture.adjusted;
    expect(row!.kind).toBe('ratios');
    expect(row!.cuped!.covariate).toBe('revenue_pre/orders_pre');
    // Sums of products lose digits to centring: relative 1e-9 (1e-8 for p-values and shares).
    close(row!.cuped!.theta, x.theta, 1e-9, 'theta');
    close(row!.cuped!.varianceReduction, x.varianceReduction, 1e-8, 'variance reduction');
    close(row!.absolute.estimate, x.estimate, 1e-9, 'estimate');
    close(row!.absolute.standardError, x.se, 1e-9, 'se');
    close(row!.absolute.ci[0], x.ci[0], 1e-9, 'ci low');
    close(row!.absolute.ci[1], x.ci[1], 1e-9, 'ci high');
    close(row!.absolute.pValue, x.pValue, 1e-6, 'p');
    close(row!.control.mean, x.control, 1e-12, 'control ratio');
    close(row!.treated.mean, x.treated, 1e-12, 'treated ratio');
    close(row!.relative!.estimate, x.relative.estimate, 1e-9, 'lift');
    close(row!.relative!.ci[0], x.relative.ci[0], 1e-9, 'lift low');
    close(row!.relative!.ci[1], x.relative.ci[1], 1e-9, 'lift high');
    close(row!.relative!.pValue, x.relative.pValue, 1e-6, 'lift p');
    // Without the pre-period: the plain delta method, a wider interval.
    const plain = evaluateCampaign(data, { ...spec, outcomes: [{ ...spec.outcomes[0]!, preperiod: undefined }] }).effects[0]!;
    expect(plain.cuped).toBeNull();
    close(plain.absolute.standardError, row!.absolute.standardError / Math.sqrt(1 - x.varianceReduction), 1e-8, 'unadjusted se');
    expect(renderMarkdown(report)).toMatch(/CUPED: coupon \/ aov: θ = 0\.698, variance reduced by 74\.2%/);
  });

  it('segment effects of a ratio: the delta method within each level, Benjamini–Hochberg across the cells', () => {
    const report = evaluateCampaign(data, spec);
    expect(report.segments.map((s) => s.level)).toEqual(['new', 'returning']);
    for (const cell of report.segments) {
      const x = fixture.segments[cell.level];
      expect([cell.control.n, cell.treated.n]).toEqual(x.n);
      expect(cell.cuped).toBeNull();
      close(cell.absolute.estimate, x.estimate, 1e-9, `${cell.level} estimate`);
      close(cell.absolute.standardError, x.se, 1e-9, `${cell.level} se`);
      close(cell.absolute.pValue, x.pValue, 1e-7, `${cell.level} p`);
      close(cell.relative!.ci[0], x.relative.ci[0], 1e-7, `${cell.level} lift low`);
      close(cell.relative!.ci[1], x.relative.ci[1], 1e-9, `${cell.level} lift high`);
    }
    const p = report.segments.map((s) => s.absolute.pValue);
    const bh = [Math.min(1, 2 * Math.min(...p)), Math.max(...p)];
    expect(report.segments.map((s) => s.adjustedPValue).sort()).toEqual([Math.min(bh[0]!, bh[1]!), bh[1]].sort());
    expect(inputErrorOf(() => evaluateCampaign(data, { ...spec, outcomes: [{ ...spec.outcomes[0]!, preperiod: { numerator: 'revenue_pre', denominator: 'nope' } }] }))).toMatchObject({ reason: 'missing_column', field: 'nope' });
  });
});
