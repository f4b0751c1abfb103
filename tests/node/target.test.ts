import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'promolens/data';
import { parsePolicy } from 'promolens/policy';
import { examplesData } from '../helpers.js';

// The built CLI (npm test builds before it tests): evaluate writes a policy, target applies it.
const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'promolens-target-'));
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 300_000 });
const hillstrom = `${examplesData}hillstrom.csv.gz`;

describe.skipIf(!existsSync(cli))('promolens evaluate --policy-out and promolens target', () => {
  const policyPath = join(dir, 'policy.json');
  const evaluated = run([
    'evaluate', hillstrom, '--treatment', 'segment', '--control', 'No E-Mail', '--outcome', 'conversion:binary',
    '--features', 'recency,history,channel', '--learners', 't', '--value', '30', '--cost', '0.1', '--quiet',
    '--out', join(dir, 'report.json'), '--policy-out', policyPath,
  ]);

  it('writes a policy that loads', () => {
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const policy = parsePolicy(JSON.parse(readFileSync(policyPath, 'utf8')));
    expect(policy.arms).toEqual(['Mens E-Mail', 'Womens E-Mail']);
  });

  it('targets customers from their feature columns alone, within a budget and a capacity', () => {
    // Customers without outcome or arm columns.
    const customers = ['recency,history,channel', '1,500,Web', '10,30,Phone', '3,2000,Multichannel', '12,80.5,Web'].join('\n');
    const customersPath = join(dir, 'customers.csv');
    writeFileSync(customersPath, customers);
    const out = join(dir, 'targets.csv');
    const result = run(['target', policyPath, customersPath, '--out', out, '--budget', '0.25', '--capacity', 'Mens E-Mail=1']);
    expect(result.status, result.stderr).toBe(0);
    const targets = parseCsv(readFileSync(out));
    expect(targets.n).toBe(4);
    expect(targets.names).toEqual(['arm', 'expected_profit', 'uplift_Mens E-Mail', 'uplift_Womens E-Mail', 'profit_Mens E-Mail', 'profit_Womens E-Mail']);
    const arm = targets.categorical('arm');
    const given = Array.from(arm.codes, (c) => arm.levels[c]).filter((a) => a !== 'No E-Mail');
    expect(given.length).toBeLessThanOrEqual(2); // 0.25 buys two contacts at 0.1
    expect(given.filter((a) => a === 'Mens E-Mail').length).toBeLessThanOrEqual(1);
    expect(result.stderr).toMatch(/4 customers: No E-Mail \d, Mens E-Mail \d, Womens E-Mail \d/);
  });

  it('says clearly when the policy is stale or the customers lack a feature', () => {
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ ...JSON.parse(readFileSync(policyPath, 'utf8')), version: 99 }));
    const customersPath = join(dir, 'customers.csv');
    const old = run(['target', stale, customersPath]);
    expect(old.status).toBe(1);
    expect(old.stderr).toMatch(/version 99 .*incompatible/);
    const lacking = join(dir, 'lacking.csv');
    writeFileSync(lacking, 'recency,history\n1,2\n');
    const missing = run(['target', policyPath, lacking]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/needs column 'channel'.*missing_column/);
  });
});
