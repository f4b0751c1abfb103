import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../helpers.js';

const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

describe.skipIf(!hasSharedData)('the command line for A/B evaluation', () => {
  it('marketing-ab: the planned 96/4 split is no mismatch; sequential and Bayesian results reach the report', () => {
    const result = run([
      'evaluate', `${sharedData}marketing-ab-sample/marketing_AB.csv`,
      '--treatment', 'test group', '--control', 'psa', '--outcome', 'converted:binary', '--features', 'total ads,most ads hour',
      '--learners', 't', '--expected-shares', 'psa=0.04,ad=0.96', '--sequential', '--bayesian', '--quiet',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.checks.srm.mismatch).toBe(false);
    expect(report.checks.warnings.join(' ')).not.toMatch(/Sample ratio mismatch/);
    expect(report.effects[0].method).toBe('sequential');
    expect(report.effects[0].bayesian.prior).toEqual({ scale: 'relative', mean: 0, sd: null, proper: false });
  });

  it('WA campaign: promotions as categories, stores as clusters, a capped outcome; one line says where the report went', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'promolens-ab-')), 'report.md');
    const result = run([
      'evaluate', `${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`,
      '--type', 'Promotion:category', '--treatment', 'Promotion', '--control', '1', '--outcome', 'SalesInThousands:continuous',
      '--features', 'AgeOfStore', '--learners', 't', '--cluster', 'LocationID', '--cap', 'SalesInThousands=0.99', '--out', out,
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`promolens: report written to ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/Cluster-robust \(CR1\) standard errors: .*47 clusters vs 43 in control, 89 degrees of freedom/);
    expect(run(['evaluate', 'x.csv', '--treatment', 'a', '--control', 'b', '--outcome', 'y:binary', '--features', 'f', '--cap', 'z']).stderr).toMatch(/--cap z: 'z' is not an --outcome/);
  });

  it('cookie cats without --features: effects only, in JSON and in Markdown; --policy-out needs features', () => {
    const file = `${sharedData}cookie-cats/cookie_cats.csv`;
    const args = ['evaluate', file, '--treatment', 'version', '--control', 'gate_30', '--outcome', 'retention_1:binary', '--quiet'];
    const json = run(args);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.scope).toBe('effects');
    // README: 20,034 of 44,700 (gate_30) and 20,119 of 45,489 (gate_40) came back after a day.
    expect(report.effects[0].absolute.estimate).toBeCloseTo(20_119 / 45_489 - 20_034 / 44_700, 12);
    expect(report.policy).toBeNull();
    const markdown = run([...args, '--format', 'md']);
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/no response models, uplift models or targeting were run/);
    expect(markdown.stdout).not.toMatch(/## (Uplift models|Targeting)/);
    const policy = run([...args, '--policy-out', join(mkdtempSync(join(tmpdir(), 'promolens-ab-')), 'policy.json')]);
    expect(policy.status).not.toBe(0);
    expect(policy.stderr).toMatch(/--policy-out needs --features/);
  });

  it('--pairs compares every pair of the three WA promotions', () => {
    const result = run([
      'evaluate', `${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`,
      '--treatment', 'Promotion', '--control', '1', '--outcome', 'SalesInThousands:continuous', '--pairs', '--quiet',
    ]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.effects.map((e: { arm: string; baseline?: string }) => `${e.arm}/${e.baseline ?? '1'}`)).toEqual(['2/1', '3/1', '3/2']);
  });

  it('--ratio adds a ratio outcome: WA sales per store-week of store age', () => {
    const result = run([
      'evaluate', `${sharedData}wa-marketing-campaign/WA_Marketing-Campaign.csv`,
      '--treatment', 'Promotion', '--control', '1', '--outcome', 'SalesInThousands:continuous', '--ratio', 'per_age=SalesInThousands/AgeOfStore', '--quiet',
    ]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const ratio = report.effects.filter((e: { outcome: string }) => e.outcome === 'per_age');
    expect(ratio.map((e: { kind: string }) => e.kind)).toEqual(['ratios', 'ratios']);
    // README: promotion 1 has 172 rows with total sales 9,993.03.
    expect(ratio[0].control.n).toBe(172);
    expect(run(['evaluate', 'x.csv', '--treatment', 'a', '--control', 'b', '--outcome', 'y:binary', '--ratio', 'bad']).stderr).toMatch(/--ratio bad: write name=numerator\/denominator/);
  });

  it('--unit sets the spec\'s unit: ab-data\'s users in both groups are a leak; on the aligned rows the repeated user is reported', () => {
    const file = `${sharedData}ab-data-landing-page/ab_data.csv.gz`;
    const args = ['--treatment', 'group', '--control', 'control', '--outcome', 'converted:binary', '--unit', 'user_id', '--quiet'];
    const leaked = run(['evaluate', file, ...args]);
    expect(leaked.status).not.toBe(0);
    // 1,895 users are in both groups (pandas: groupby('user_id').group.nunique() > 1); user 899953 at data rows 3489 and 7500 is the first.
    expect(leaked.stderr).toMatch(/unit "899953" of 'user_id' is in arm 'treatment' \(row 3489\) and in arm 'control' \(row 7500\), and 1894 more unit\(s\) are in two arms: the assignment leaked \[leakage, user_id, row 7500\]/);
    // README: dropping the rows whose group and page disagree leaves 290,585 rows of 290,584 users (773192 twice).
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    const aligned = lines.filter((line, k) => k === 0 || /,control,old_page,|,treatment,new_page,/.test(line));
    const path = join(mkdtempSync(join(tmpdir(), 'promolens-ab-')), 'aligned.csv');
    writeFileSync(path, aligned.join('\n'));
    const result = run(['evaluate', path, ...args]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.checks.warnings.join(' ')).toMatch(/^1 unit\(s\) of 'user_id' have repeated rows \(1 extra rows, up to 2 per unit; e\.g\. "773192"\)/);
    // README: control 145,274 users with 17,489 conversions, treatment 145,311 with 17,264.
    expect(report.effects[0].control).toEqual({ n: 145_274, mean: 17_489 / 145_274 });
    expect(report.effects[0].treated).toEqual({ n: 145_311, mean: 17_264 / 145_311 });
  });

  it('--preperiod adjusts an outcome by CUPED, and a ratio by its pre-period numerator and denominator', () => {
    // Rows and numpy references: tests/fixtures/experiment/make.py, adjusted_ratio_campaign.
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/experiment/experiment.json', import.meta.url), 'utf8')).adjustedRatioCampaign;
    const columns = ['arm', 'revenue', 'orders', 'revenue_pre', 'orders_pre', 'segment'];
    const path = join(mkdtempSync(join(tmpdir(), 'promolens-ab-')), 'orders.csv');
    writeFileSync(path, [columns.join(','), ...fixture.rows.map((r: Record<string, unknown>) => columns.map((c) => String(r[c])).join(','))].join('\n'));
    const base = ['evaluate', path, '--treatment', 'arm', '--control', 'control', '--ratio', 'aov=revenue/orders', '--quiet'];
    const result = run([...base, '--outcome', 'revenue:continuous', '--preperiod', 'aov=revenue_pre/orders_pre', '--preperiod', 'revenue=revenue_pre']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const aov = report.effects.find((e: { outcome: string }) => e.outcome === 'aov');
    expect(aov.cuped.covariate).toBe('revenue_pre/orders_pre');
    expect(Math.abs(aov.absolute.estimate - fixture.adjusted.estimate) / fixture.adjusted.estimate).toBeLessThan(1e-9);
    expect(Math.abs(aov.absolute.standardError - fixture.adjusted.se) / fixture.adjusted.se).toBeLessThan(1e-9);
    expect(report.effects.find((e: { outcome: string }) => e.outcome === 'revenue').cuped.covariate).toBe('revenue_pre');
    expect(run([...base, '--preperiod', 'nope=x']).stderr).toMatch(/--preperiod nope=x: 'nope' is not an --outcome or --ratio/);
    expect(run([...base, '--preperiod', 'aov=revenue_pre']).stderr).toMatch(/a ratio's pre-period is numerator\/denominator/);
  });
});
