/** Data layer: CSV parsing into typed columns. */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseCsv } from '../../src/data/index.js';
import { readCsv } from '../../src/node/index.js';
import { ensureData, readVector } from '../gen.js';
import { DATA_ROOT, operation } from '../harness.js';

/** A numeric CSV of the first 12 generated features, written once per size. */
function numericCsv(n: number): string {
  const path = join(DATA_ROOT, 'csv', `numeric12-${n}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(join(DATA_ROOT, 'csv'), { recursive: true });
  const X = readVector(ensureData(DATA_ROOT, n), 'X');
  const fd = openSync(`${path}.part`, 'w');
  const header = Array.from({ length: 12 }, (_, j) => `x${j}`).join(',');
  let lines: string[] = [header];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < 12; j++) cells.push(String(X[i * 20 + j]));
    lines.push(cells.join(','));
    if (lines.length === 50_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  renameSync(`${path}.part`, path); // only a complete file gets the final name
  return path;
}

function hillstromCsv(): string {
  const path = join(DATA_ROOT, 'csv', 'hillstrom.csv');
  if (!existsSync(path)) {
    mkdirSync(join(DATA_ROOT, 'csv'), { recursive: true });
    const fd = openSync(path, 'w');
    writeSync(fd, gunzipSync(readFileSync(new URL('../../examples/data/hillstrom.csv.gz', import.meta.url))));
    closeSync(fd);
  }
  return path;
}

export const operations = [
  operation({
    name: 'parseCsv numeric 12 cols (bytes in memory)',
    sizes: [100_000, 1_000_000],
    setup: (n) => ({ bytes: readFileSync(numericCsv(n)) }),
    run: ({ bytes }) => parseCsv(bytes).n,
    bytes: ({ bytes }) => bytes.byteLength,
    peer: (n) => ({ task: 'read_csv', args: ['--csv', numericCsv(n)] }),
  }),
  operation({
    name: 'readCsv numeric 12 cols (streamed file)',
    sizes: [1_000_000],
    setup: (n) => ({ path: numericCsv(n) }),
    run: async ({ path }) => (await readCsv(path)).n,
    bytes: ({ path }) => statSync(path).size,
  }),
  operation({
    name: 'parseCsv Hillstrom',
    sizes: [64_000],
    setup: () => ({ bytes: readFileSync(hillstromCsv()) }),
    run: ({ bytes }) => parseCsv(bytes).n,
    bytes: ({ bytes }) => bytes.byteLength,
    peer: () => ({ task: 'read_csv', args: ['--csv', hillstromCsv()] }),
  }),
];
