import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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
});
