/**
 * `npm run bench [area ...] [--sizes 100000,1000000] [--only text]`: times each
 * operation (those whose name contains `text`, with --only) in a
 * fresh child process (median of several runs, peak RSS) and, where
 * /usr/bin/python3 has scikit-learn, the same work in Python on the same data.
 *
 * The child is bundled first into bench/.build/ (the same folder depth as
 * bench/areas/, so its relative URLs hold), as the published build is, and run by plain
 * Node: a TypeScript loader turns on source-map support, which alone slows
 * some hot loops here by half.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { areas } from './areas/index.js';
import { ensureData } from './gen.js';
import { DATA_ROOT, type Measurement } from './harness.js';

const args = process.argv.slice(2);
const sizesFlag = args.indexOf('--sizes');
const onlySizes = sizesFlag >= 0 ? new Set((args[sizesFlag + 1] ?? '').split(',').map(Number)) : undefined;
const onlyFlag = args.indexOf('--only');
const onlyText = onlyFlag >= 0 ? (args[onlyFlag + 1] ?? '') : undefined;
const chosen = args.filter((arg, i) => !arg.startsWith('--') && (sizesFlag < 0 || i !== sizesFlag + 1) && (onlyFlag < 0 || i !== onlyFlag + 1));
const names = chosen.length > 0 ? chosen : Object.keys(areas);
for (const name of names) if (!(name in areas)) throw new Error(`unknown bench area '${name}'; areas: ${Object.keys(areas).join(', ')}`);

const python = '/usr/bin/python3';
const peerScript = fileURLToPath(new URL('./peers/peer.py', import.meta.url));
const hasPeer = existsSync(python) && spawnSync(python, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasPeer) console.log('peer column missing: /usr/bin/python3 with scikit-learn not found (apt-get install python3-sklearn python3-pandas)');

const childDir = fileURLToPath(new URL('./.build/', import.meta.url));
await build({
  entry: { child: fileURLToPath(new URL('./child.ts', import.meta.url)) },
  outDir: childDir,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  bundle: true,
  splitting: false,
  sourcemap: false,
  dts: false,
  clean: true,
  silent: true,
  config: false,
});
const child = `${childDir}child.js`;

const rows: string[][] = [['area', 'operation', 'n', 'median ms', 'peak MB', 'MB/s', 'peer median ms', 'peer peak MB', 'ratio', 'result', 'peer result']];
for (const area of names) {
  const ops = areas[area] ?? [];
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index];
    if (op === undefined || (onlyText !== undefined && !op.name.includes(onlyText))) continue;
    for (const n of op.sizes) {
      if (onlySizes !== undefined && !onlySizes.has(n)) continue;
      const ours = JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', child, area, String(index), String(n)], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
          stdio: ['ignore', 'pipe', 'inherit'],
        }).trim().split('\n').pop() as string,
      ) as Measurement;
      let peer: { median_s: number; peak_rss_mb: number; result?: unknown } | undefined;
      if (hasPeer && op.peer !== undefined) {
        const task = op.peer(n);
        const dataDir = ensureData(DATA_ROOT, Math.max(n, 1));
        const out = spawnSync(python, [peerScript, '--task', task.task, '--n', String(n), '--data', DATA_ROOT, ...(task.args ?? [])], {
          encoding: 'utf8',
          maxBuffer: 1 << 26,
          env: process.env,
        });
        if (out.status === 0) peer = JSON.parse(out.stdout.trim().split('\n').pop() as string);
        else console.error(`peer ${task.task} failed: ${out.stderr.trim().split('\n').pop()} (${dataDir})`);
      }
      const row = [
        area,
        op.name,
        String(n),
        ours.medianMs.toFixed(1),
        ours.peakMb.toFixed(0),
        ours.mbPerSecond === undefined ? '' : ours.mbPerSecond.toFixed(0),
        peer === undefined ? '' : (peer.median_s * 1000).toFixed(1),
        peer === undefined ? '' : peer.peak_rss_mb.toFixed(0),
        peer === undefined ? '' : `${(ours.medianMs / (peer.median_s * 1000)).toFixed(2)}×`,
        // A quality figure where the operation returns one (a holdout loss), to compare with the peer's.
        typeof ours.result === 'number' ? ours.result.toPrecision(10) : '',
        typeof peer?.result === 'number' ? peer.result.toPrecision(10) : '',
      ];
      rows.push(row);
      console.error(row.join('  '));
    }
  }
}

const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |`;
console.log(line(rows[0] as string[]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows.slice(1)) console.log(line(row));
console.log('ratio = ours / peer median (below 1 is faster); peak MB is the process peak RSS, Node itself ~50 MB.');
