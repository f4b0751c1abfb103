import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CampaignReportSchema } from 'promolens/campaign';
import { examplesData } from '../helpers.js';

// Runs the built CLI (npm test builds before it tests) as a user would.
const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'promolens-cli-'));
const run = (args: string[], input?: string | Buffer) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, timeout: 120_000 });
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const hillstrom = `${examplesData}hillstrom.csv.gz`;
const basic = ['--treatment', 'segment', '--control', 'No E-Mail', '--outcome', 'conversion:binary', '--outcome', 'spend:continuous', '--features', 'recency,history,channel', '--learners', 't', '--quiet'];

describe.skipIf(!existsSync(cli))('promolens command line', () => {
  it('evaluates the Hillstrom file into JSON that validates, exit 0', () => {
    const result = run(['evaluate', hillstrom, ...basic]);
    expect(result.status, result.stderr).toBe(0);
    const report = CampaignReportSchema.parse(JSON.parse(result.stdout));
    expect(report.effects[0]?.treated.mean.toFixed(6)).toBe('0.012531');
    expect(result.stderr).toBe(''); // progress only on a terminal
  });

  it('writes HTML and Markdown to --out, the format taken from the extension', () => {
    const html = join(dir, 'report.html');
    expect(run(['evaluate', hillstrom, ...basic, '--out', html]).status).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    const md = run(['evaluate', hillstrom, ...basic, '--format', 'md']);
    expect(md.stdout).toMatch(/^# Campaign report/);
  });

  it('reads a spec file and standard input', () => {
    const spec = file('spec.json', JSON.stringify({ treatment: { column: 'arm', control: 'c' }, outcomes: [{ column: 'y', kind: 'continuous' }], features: ['x'], learners: ['t'] }));
    const rows = ['arm,x,y', ...Array.from({ length: 400 }, (_, i) => `${i % 2 ? 't' : 'c'},${(i * 37) % 101},${((i * 13) % 17) + (i % 2) * 3}`)].join('\n');
    const result = run(['evaluate', '-', '--spec', spec, '--quiet'], rows);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).effects[0].absolute.estimate).toBeGreaterThan(0);
  });

  it('describes a file', () => {
    const result = run(['describe', hillstrom]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('segment: category, 0 missing, 3 levels: Womens E-Mail 33.4% (21387), Mens E-Mail 33.3% (21307), No E-Mail 33.3% (21306)');
    expect(result.stdout).toContain('recency: number, 0 missing, mean 5.764, sd 3.508, min 1, q25 2, median 6, q75 9, max 12');
    expect(result.stdout).toContain('conversion: 0/1, 0 missing, rate 0.9% (578 of 64000)');
    const spec = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(spec.treatment).toEqual({ column: 'segment', control: 'No E-Mail' });
    expect(spec.outcomes.map((outcome: { column: string }) => outcome.column)).toEqual(['visit', 'conversion', 'spend']);
    expect(spec.features).not.toContain('segment');
  });

  it('exits 1 with one line naming the line, column or reason for bad data', () => {
    const quote = run(['evaluate', file('quote.csv', 'segment,visit,x\nA,1,"open\nB,0,2\n'), ...basic]);
    expect(quote.status).toBe(1);
    expect(quote.stderr.trim().split('\n')).toHaveLength(1);
    expect(quote.stderr).toContain('unbalanced quote');
    const unknown = run(['evaluate', hillstrom, ...basic.map((a) => (a === 'recency,history,channel' ? 'recency,nope' : a))]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no column 'nope'");
    const empty = run(['evaluate', file('empty.csv', ''), ...basic]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('empty');
    const binary = run(['evaluate', hillstrom, ...basic.map((a) => (a === 'conversion:binary' ? 'spend:binary' : a))]);
    expect(binary.status).toBe(1);
    expect(binary.stderr).toMatch(/spend.*declared binary.*row \d+/);
  });

  it('exits 2 for bad usage and prints help and version', () => {
    expect(run(['evaluate', hillstrom, '--bogus']).status).toBe(2);
    expect(run(['evaluate', hillstrom, '--treatment', 'segment']).status).toBe(2);
    expect(run(['evaluate', hillstrom, ...basic.map((a) => (a === 'No E-Mail' ? 'Nobody' : a))]).status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);
    for (const command of ['evaluate', 'describe']) {
      const help = run([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Example');
    }
    expect(run(['--help']).stdout).toContain('Usage');
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  const small = () =>
    file('small.csv', ['arm,x,y', ...Array.from({ length: 200 }, (_, i) => `${i % 2 ? 'Yes' : 'No'},${(i * 37) % 101},${((i * 13) % 17) + (i % 2) * 3}`)].join('\n'));
  const smallArgs = ['--treatment', 'arm', '--control', 'No', '--outcome', 'y:continuous', '--features', 'x', '--learners', 't', '--quiet'];

  it('stops quietly when the reader closes the pipe', () => {
    const errors = join(dir, 'epipe.txt');
    const shell = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" evaluate "${hillstrom}" ${basic.map((a) => `'${a}'`).join(' ')} 2>"${errors}" | head -c 20`], { encoding: 'utf8', timeout: 120_000 });
    expect(shell.stdout).toHaveLength(20);
    expect(readFileSync(errors, 'utf8')).toBe('');
  });

  it('exits 3 with one line for a file that cannot be read or written', () => {
    for (const args of [
      ['evaluate', join(dir, 'none.csv'), ...smallArgs],
      ['evaluate', dir, ...smallArgs],
      ['describe', join(dir, 'none.csv')],
      ['evaluate', small(), ...smallArgs, '--out', join(dir, 'no', 'such', 'folder', 'r.json')],
      ['evaluate', small(), ...smallArgs.slice(0, 2), '--spec', join(dir, 'nospec.json')],
    ]) {
      const result = run(args);
      expect(result.status, result.stderr).toBe(3);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('[io_error]');
      expect(result.stderr).not.toContain('    at ');
    }
    const whole = gzipSync(Buffer.from('a,b\n' + '1,2\n'.repeat(5000)));
    const cut = run(['describe', '-'], whole.subarray(0, whole.length - 20));
    expect(cut.status, cut.stderr).toBe(3);
    expect(cut.stderr).toContain('truncated');
  });

  it('takes only decimal integers as seeds and only .json, .md or .html as --out', () => {
    expect(run(['evaluate', small(), ...smallArgs, '--seed', '0x10']).status).toBe(2);
    expect(run(['evaluate', small(), ...smallArgs, '--seed', '1.5']).status).toBe(2);
    expect(run(['evaluate', small(), ...smallArgs, '--value', '0x10']).status).toBe(2);
    const pdf = join(dir, 'r.pdf');
    expect(run(['evaluate', small(), ...smallArgs, '--out', pdf]).status).toBe(2);
    expect(existsSync(pdf)).toBe(false);
    expect(run(['evaluate', small(), ...smallArgs, '--out', join(dir, 'r.md'), '--format', 'html']).status).toBe(2);
    const ok = run(['evaluate', small(), ...smallArgs, '--seed', '16', '--out', join(dir, 'r.md')]);
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('reports arms as the file spells them, and reads a column as text on request', () => {
    const report = JSON.parse(run(['evaluate', small(), ...smallArgs]).stdout);
    expect(report.effects[0].arm).toBe('Yes');
    const coded = file('coded.csv', ['promo,x,y', ...Array.from({ length: 300 }, (_, i) => `${(i % 3) + 1},${(i * 37) % 101},${(i * 13) % 7}`)].join('\n'));
    const byType = run(['evaluate', coded, '--treatment', 'promo', '--control', '1', '--outcome', 'y:continuous', '--features', 'x', '--learners', 't', '--quiet', '--type', 'promo:category']);
    expect(byType.status, byType.stderr).toBe(0);
    expect(JSON.parse(byType.stdout).effects.map((effect: { arm: string }) => effect.arm)).toEqual(['2', '3']);
    expect(run(['describe', coded, '--type', 'promo:category']).stdout).toMatch(/promo: category/);
    expect(run(['describe', coded, '--type', 'promo:text']).status).toBe(2);
  });
});
