import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CampaignReportSchema, evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { readCsv } from 'promolens/node';
import { renderMarkdown } from 'promolens/report';
import { hasSharedData, inputErrorOf, sharedData } from '../helpers.js';

function toy(extra: Record<string, (string | number)[]> = {}) {
  const n = 80;
  const arm = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'control' : 'offer'));
  const x = Array.from({ length: n }, (_, i) => ((i * 37) % 17) / 17);
  const y = x.map((v, i) => (v + (i % 2) * 0.2 + ((i * 13) % 7) / 10 > 0.9 ? 1 : 0));
  return fromColumns({ arm, x, y, ...extra });
}

describe('leakage guards and units', () => {
  it('a feature that is the outcome, the treatment, the unit or the cluster is a leakage error naming both', () => {
    const data = toy({ store: Array.from({ length: 80 }, (_, i) => `s${Math.floor(i / 4)}`) });
    const base = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'y', kind: 'binary' as const }] };
    for (const [feature, role] of [['y', /outcome 'y'/], ['arm', /treatment/], ['store', /cluster/]] as const) {
      const error = inputErrorOf(() => evaluateCampaign(data, { ...base, features: ['x', feature], cluster: 'store' }, { resamples: 20 }));
      expect(error).toMatchObject({ reason: 'leakage', field: feature });
      expect(error.message).toMatch(role);
    }
  });

  it('a unit seen in two arms is a leakage error naming the unit; repeated rows in one arm are reported', () => {
    const leaked = toy({ customer: Array.from({ length: 80 }, (_, i) => (i === 1 ? 'c0' : `c${i}`)) });
    const spec = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x'], unit: 'customer' };
    const error = inputErrorOf(() => evaluateCampaign(leaked, spec, { resamples: 20 }));
    expect(error).toMatchObject({ reason: 'leakage', field: 'customer', row: 1 });
    expect(error.message).toMatch(/"c0".*'control'.*'offer'/);
    const repeated = toy({ customer: Array.from({ length: 80 }, (_, i) => `c${i % 40 === i ? i : i - 40}`) });
    const report = evaluateCampaign(repeated, spec, { resamples: 20 });
    expect(report.checks.warnings.join(' ')).toMatch(/40 unit\(s\) of 'customer' have repeated rows/);
  });
});

describe.skipIf(!hasSharedData)('WA marketing campaign with stores as clusters', () => {
  it('promotion 3 vs 1: p = 0.42 with 43 and 47 stores, not the 0.12 of independent rows', async () => {
    const data = await readCsv(`${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`);
    const report = evaluateCampaign(
      data,
      {
        treatment: { column: 'Promotion', control: 1 },
        outcomes: [{ column: 'SalesInThousands', kind: 'continuous' }],
        features: ['AgeOfStore', 'MarketSize'],
        cluster: 'LocationID',
        unit: 'LocationID',
      },
      { resamples: 20 },
    );
    const three = report.effects.find((e) => e.arm === '3');
    expect(three?.kind).toBe('clustered');
    // statsmodels OLS cov_type='cluster', use_t=True: p 0.4238986326040417, df 89
    expect(Math.abs((three?.absolute.pValue as number) - 0.4238986326040417)).toBeLessThan(1e-10);
    expect(three?.clusters).toEqual({ control: 43, treated: 47, df: 89 });
    expect(report.checks.warnings.join(' ')).toMatch(/137 unit\(s\) of 'LocationID' have repeated rows/);
    expect(CampaignReportSchema.parse(JSON.parse(JSON.stringify(report)))).toBeTruthy();
  });

  it('segment effects are cluster-robust too, and use the capped values', async () => {
    const data = await readCsv(`${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`);
    const spec = { treatment: { column: 'Promotion', control: 1 }, outcomes: [{ column: 'SalesInThousands', kind: 'continuous' as const }], cluster: 'LocationID', segments: ['MarketSize'] };
    const report = evaluateCampaign(data, spec);
    const cells = report.segments.filter((c) => c.arm === '3');
    // statsmodels OLS of sales on [1, promotion 3] within each market size, cov_type='cluster' over LocationID, use_t=True.
    const statsmodels: Record<string, [number, number, number, number, number]> = {
      Large: [1.9680654761904686, 5.668993012892229, 0.7313743088483702, 14, 12],
      Medium: [-2.203724856321835, 1.8634659421701496, 0.24234900392191247, 24, 29],
      Small: [-0.6483333333333348, 2.2127648440291487, 0.7755143513101526, 5, 6],
    };
    expect(cells.map((c) => c.level)).toEqual(['Large', 'Medium', 'Small']);
    for (const cell of cells) {
      const [estimate, se, p, control, treated] = statsmodels[cell.level]!;
      expect(cell.kind).toBe('clustered');
      expect(Math.abs(cell.absolute.estimate - estimate) / Math.abs(estimate)).toBeLessThan(1e-12);
      expect(Math.abs(cell.absolute.standardError - se) / se).toBeLessThan(1e-12);
      expect(Math.abs(cell.absolute.pValue - p)).toBeLessThan(1e-10);
      expect(cell.clusters).toEqual({ control, treated, df: control + treated - 1 });
    }
    // Capped at the pooled median over all rows: the cells compare the capped values.
    const capped = evaluateCampaign(data, { ...spec, outcomes: [{ ...spec.outcomes[0]!, cap: { quantile: 0.5 } }] });
    const threshold = capped.effects[0]!.cap!.threshold;
    const sales = data.numeric('SalesInThousands');
    const size = data.column('MarketSize');
    const promotion = data.column('Promotion');
    const rows = Array.from({ length: data.n }, (_, i) => i).filter((i) => size.kind === 'categorical' && size.levels[size.codes[i]!] === 'Medium');
    const levelOf = (i: number) => (promotion.kind === 'categorical' ? promotion.levels[promotion.codes[i]!] : String(promotion.values[i]));
    const chosen = rows.filter((i) => levelOf(i) === '1' || levelOf(i) === '3');
    const medium = capped.segments.find((c) => c.level === 'Medium' && c.arm === '3')!;
    expect(medium.treated.mean).toBeCloseTo(chosen.filter((i) => levelOf(i) === '3').reduce((t, i) => t + Math.min(sales[i]!, threshold), 0) / medium.treated.n, 12);
    expect(medium.treated.mean).not.toBeCloseTo(cells.find((c) => c.level === 'Medium')!.treated.mean, 6);
  });
});

describe('A/B options in the campaign', () => {
  it('sequential, bayesian, cap and planning reach every effect row; a post-treatment feature is flagged', () => {
    const n = 400;
    const arm = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'control' : 'offer'));
    const spend = Array.from({ length: n }, (_, i) => ((i * 7919) % 97) + (i % 2) * 8 + (i % 50 === 0 ? 5000 : 0));
    const after = spend.map((_, i) => (i % 2) * 3 + ((i * 13) % 5) / 5);
    const data = fromColumns({ arm, spend, after, x: Array.from({ length: n }, (_, i) => (i * 31) % 13) });
    const report = evaluateCampaign(
      data,
      {
        treatment: { column: 'arm', control: 'control' },
        outcomes: [{ column: 'spend', kind: 'continuous', cap: { quantile: 0.98 } }],
        features: ['x', 'after'],
        sequential: { tuning: 1000 },
        bayesian: { prior: { mean: 0, sd: 0.5 } },
      },
      { resamples: 20 },
    );
    const row = report.effects[0];
    expect(row?.method).toBe('sequential');
    expect(row?.sequential?.tuning).toBe(1000);
    expect(row?.bayesian?.prior).toEqual({ scale: 'relative', mean: 0, sd: 0.5, proper: true });
    expect(row?.cap?.cappedCount).toBe(8);
    expect(row?.plan?.minimumDetectableEffect).toBeGreaterThan(0);
    expect(report.checks.warnings.join(' ')).toMatch(/Feature 'after' differs between arms far beyond chance/);
    expect(CampaignReportSchema.parse(JSON.parse(JSON.stringify(report)))).toBeTruthy();
  });
});

describe.skipIf(!hasSharedData)('ab-data landing page: repeated users', () => {
  it('a user recorded in both groups stops the evaluation as an assignment leak naming the user', async () => {
    const data = await readCsv(`${sharedData}ab-data-landing-page/ab_data.csv.gz`);
    const error = inputErrorOf(() =>
      evaluateCampaign(
        data,
        { treatment: { column: 'group', control: 'control' }, outcomes: [{ column: 'converted', kind: 'binary' }], features: ['landing_page'], unit: 'user_id' },
        { resamples: 20 },
      ),
    );
    expect(error).toMatchObject({ reason: 'leakage', field: 'user_id' });
    expect(error.message).toMatch(/unit "\d+" of 'user_id' is in arm '(control|treatment)' \(row \d+\) and in arm '(control|treatment)'/);
  }, 60_000);
});

// References: tests/fixtures/experiment/make.py, clustered_adjusted_cases (statsmodels OLS of y on [1, T, pre − mean], cov_type='cluster').
const clusteredAdjusted = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8')).clusteredAdjusted;

describe('clusters and a pre-period together', () => {
  it('effects are CUPED by regression with CR1 errors, as statsmodels with the covariate as a column', () => {
    for (const c of clusteredAdjusted) {
      const data = fromColumns({ arm: c.arm.map((a: number) => (a === 1 ? 'offer' : 'none')), y: c.values, y_pre: c.pre, store: c.cluster.map(String) });
      const kind = c.outcome === 'proportion' ? ('binary' as const) : ('continuous' as const);
      const report = evaluateCampaign(data, { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind, preperiod: 'y_pre' }], cluster: 'store' });
      const [row] = report.effects;
      const x = c.expected;
      expect(row!.kind).toBe('clustered');
      expect(row!.clusters!.df).toBe(x.df);
      // A 3 × 3 solve and sums over clusters: relative 1e-10 (1e-9 for p-values and interval ends).
      for (const [actual, expected, what, tolerance] of [
        [row!.absolute.estimate, x.estimate, 'estimate', 1e-10],
        [row!.absolute.standardError, x.se, 'se', 1e-10],
        [row!.absolute.pValue, x.pValue, 'p', 1e-9],
        [row!.absolute.ci[0], x.ci[0], 'lower', 1e-9],
        [row!.cuped!.theta, x.theta, 'theta', 1e-10],
        [row!.cuped!.varianceReduction, x.varianceReduction, 'variance reduction', 1e-9],
        [row!.relative!.ci[1], x.relative.ci[1], 'lift upper', 1e-9],
      ] as const) {
        expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${c.name} ${what}`).toBeLessThanOrEqual(tolerance);
      }
      expect(row!.cuped!.covariate).toBe('y_pre');
      expect(report.checks.warnings.join(' ')).not.toMatch(/do not use the pre-period/);
      expect(renderMarkdown(report)).toMatch(/CUPED: offer \/ y: θ = /);
    }
  });
});
