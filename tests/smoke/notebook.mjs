// The example notebook runs top to bottom: its JSON is a valid nbformat 4 notebook for the Deno kernel,
// and its code cells, in order, run as one Deno script against the built package. The script then
// checks what the kernel would display: the report's HTML and Vega-Lite MIME bundles.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const path = join(root, 'examples', 'hillstrom.ipynb');
const notebook = JSON.parse(readFileSync(path, 'utf8'));
const fail = (message) => {
  throw new Error(`examples/hillstrom.ipynb: ${message}`);
};
if (notebook.nbformat !== 4 || typeof notebook.nbformat_minor !== 'number') fail('not an nbformat 4 notebook');
if (notebook.metadata?.kernelspec?.name !== 'deno') fail('the kernel is not Deno');
if (!Array.isArray(notebook.cells) || notebook.cells.length === 0) fail('no cells');
const ids = new Set();
for (const cell of notebook.cells) {
  if (!['code', 'markdown', 'raw'].includes(cell.cell_type)) fail(`unknown cell type ${cell.cell_type}`);
  if (typeof cell.id !== 'string' || ids.has(cell.id)) fail('cell ids must be unique strings');
  ids.add(cell.id);
  if (!Array.isArray(cell.source) || !cell.source.every((line) => typeof line === 'string')) fail('a cell source is not a list of strings');
  if (cell.cell_type === 'code' && (!Array.isArray(cell.outputs) || !('execution_count' in cell))) fail('a code cell lacks outputs or execution_count');
}
const dist = pathToFileURL(join(root, 'dist', 'index.js')).href;
const cells = notebook.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.source.join(''));
const script = `${cells.join('\n;\n').replaceAll("'../dist/index.js'", `'${dist}'`)}
;
const bundle = reportDisplay(report)[Symbol.for('Jupyter.display')]();
if (!bundle['text/html'].startsWith('<div class="promolens-report">') || !bundle['text/html'].includes('<svg')) throw new Error('report display: no HTML with charts');
if (bundle['application/vnd.vegalite.v5+json']?.$schema !== 'https://vega.github.io/schema/vega-lite/v5.json') throw new Error('report display: no Vega-Lite');
if (!bundle['text/plain'].includes(report.summary.headline)) throw new Error('report display: no summary text');
const chart = chartDisplay(toVegaLite(report)[0])[Symbol.for('Jupyter.display')]();
if (!JSON.stringify(chart['application/vnd.vegalite.v5+json']).includes('"values"')) throw new Error('chart display: no inline data');
console.log('notebook: ' + ${cells.length} + ' code cells ran; displays ok');
`;
const file = join(mkdtempSync(join(tmpdir(), 'promolens-notebook-')), 'notebook.ts');
writeFileSync(file, script);
execFileSync('npx', ['--no-install', 'deno', 'run', '--quiet', '--no-prompt', '--allow-read', '--no-remote', '--no-lock', '--node-modules-dir=manual', file], { cwd: join(root, 'examples'), stdio: 'inherit' });
