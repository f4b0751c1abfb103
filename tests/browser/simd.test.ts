import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { describe, expect, it } from 'vitest';
import { fitGradientBoosting } from '../../src/trees/fitGradientBoosting.js';

// The library must run unchanged in browsers: this bundles tests/browser/page.ts for the
// browser and loads it in headless Chromium, where the WebAssembly SIMD kernels must
// build and agree bit for bit with their scalar twins.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (chromium === undefined) console.warn('Skipping the browser check of the SIMD kernels: no Chromium here (apt-get install chromium).');

describe('in a browser', () => {
  it.skipIf(chromium === undefined)('the SIMD kernels build in Chromium and give the scalar results bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promolens-browser-'));
    await build({
      entry: { page: fileURLToPath(new URL('./page.ts', import.meta.url)) },
      outDir: dir,
      format: ['iife'],
      platform: 'browser',
      target: 'es2022',
      bundle: true,
      sourcemap: false,
      dts: false,
      silent: true,
      config: false,
    });
    const script = readFileSync(join(dir, 'page.global.js'), 'utf8');
    const page = join(dir, 'page.html');
    writeFileSync(page, `<!doctype html><meta charset="utf-8"><body><script>${script}</script></body>`);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`];
    const dom = execFileSync(chromium as string, [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    const match = /<pre id="result">([^<]*)<\/pre>/.exec(dom);
    expect(match, dom.slice(0, 500)).not.toBeNull();
    const result = JSON.parse((match?.[1] ?? '').replaceAll('&quot;', '"')) as { simd: boolean; gramSame: boolean; passSame: boolean; treesKernel: boolean; treesSame: boolean; treesRows: (number | null)[][]; treesLabels: number[]; treesModel: string; line: number[] };
    // The trees' kernels run there too and fit and predict as the JavaScript passes do, bit for bit.
    expect(result).toMatchObject({ simd: true, gramSame: true, passSame: true, treesKernel: true, treesSame: true });
    // And the same model as Node fits on the same rows: the boosting's exp is the library's own, not
    // the engine's Math.exp (Chromium's differs from Node's in the last bit of some values).
    const rows = result.treesRows.map((row) => row.map((v) => v ?? Number.NaN));
    expect(JSON.stringify(fitGradientBoosting(rows, result.treesLabels, { maxIterations: 12, maxLeaves: 15, minSamplesLeaf: 5 }))).toBe(result.treesModel);
    const expected = [1, 2, 0, 0, -1, 0, 0, 0];
    result.line.forEach((b, j) => expect(Math.abs(b - (expected[j] as number))).toBeLessThan(1e-12));
  });
});
