import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The folder import table of ../shared/DESIGN.md, enforced on every import and
// re-export under src/. `types` lists what a folder may import for its types only
// (erased from the build); `runtime` what it may also call.
const src = fileURLToPath(new URL('../src/', import.meta.url));

interface Rule {
  readonly runtime: readonly string[];
  readonly types?: readonly string[];
}

const core = ['errors', 'internal', 'stats', 'data', 'linalg', 'metrics', 'features', 'models', 'trees', 'experiment', 'uplift', 'policy'];
const TABLE: Readonly<Record<string, Rule>> = {
  errors: { runtime: [] },
  internal: { runtime: ['errors'] },
  stats: { runtime: ['errors', 'internal'] },
  data: { runtime: ['errors', 'internal'] },
  linalg: { runtime: ['errors', 'internal'], types: ['data'] },
  metrics: { runtime: ['errors', 'internal'] },
  features: { runtime: ['errors', 'internal', 'data', 'linalg'] },
  models: { runtime: ['errors', 'internal', 'stats', 'linalg'], types: ['data'] },
  trees: { runtime: ['errors', 'internal', 'linalg', 'models'] },
  experiment: { runtime: ['errors', 'internal', 'stats'], types: ['data'] },
  uplift: { runtime: ['errors', 'internal', 'stats', 'linalg', 'models', 'trees'], types: ['data'] },
  policy: { runtime: ['errors', 'internal', 'data', 'linalg', 'features', 'models', 'uplift', 'trees'] },
  campaign: { runtime: core },
  report: { runtime: ['errors'], types: ['campaign'] },
  sql: { runtime: [...core, 'campaign'], types: ['report'] },
  node: { runtime: [...core, 'campaign', 'report', 'sql'] },
  index: { runtime: [...core, 'campaign', 'report', 'sql'] },
};

/** The folder of a file under src/: `uplift` for src/uplift/learners/t.ts, `errors` for src/errors.ts, `index` for src/index.ts. */
function folderOf(file: string): string {
  const path = relative(src, file);
  const first = path.split(/[\\/]/)[0] as string;
  return first.replace(/\.(ts|js)$/, '');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface ImportEdge {
  readonly file: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

/** Every static import, re-export and dynamic import of a file, and whether it is erased (types only). */
function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(/\b(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const clause = (m[3] as string).trim();
    const braces = /^\{([\s\S]*)\}$/.exec(clause);
    const allTypes = braces !== null && braces[1]?.split(',').map((s) => s.trim()).filter((s) => s !== '').every((s) => s.startsWith('type ')) === true;
    edges.push({ file, target: m[4] as string, typeOnly: m[2] !== undefined || allTypes });
  }
  for (const m of text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) edges.push({ file, target: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) edges.push({ file, target: m[1] as string, typeOnly: false });
  return edges;
}

const files = walk(src);
const edges = files.flatMap(importsOf);

describe('the folder import table of DESIGN.md', () => {
  it('knows every folder under src/', () => {
    for (const file of files) expect(Object.keys(TABLE), relative(src, file)).toContain(folderOf(file));
  });

  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.target.startsWith('.')).length).toBeGreaterThan(200);
    expect(edges.some((e) => folderOf(e.file) === 'report' && e.typeOnly)).toBe(true);
  });

  it('holds for every relative import under src/: each folder imports only what its row allows', () => {
    const violations: string[] = [];
    for (const edge of edges) {
      if (!edge.target.startsWith('.')) continue;
      const from = folderOf(edge.file);
      const to = folderOf(resolve(dirname(edge.file), edge.target));
      if (from === to) continue;
      const rule = TABLE[from] as Rule;
      const allowed = rule.runtime.includes(to) || (edge.typeOnly && rule.types?.includes(to) === true);
      if (!allowed) violations.push(`${relative(src, edge.file)} imports ${edge.target}${edge.typeOnly ? ' (types)' : ''}: ${from}/ may not import ${to}/${rule.types?.includes(to) ? ' at run time' : ''}`);
    }
    expect(violations).toEqual([]);
  });

  it('keeps report/ free of packages at run time: it renders from the report type alone', () => {
    const packages = edges.filter((e) => folderOf(e.file) === 'report' && !e.target.startsWith('.') && !e.typeOnly);
    expect(packages.map((e) => `${relative(src, e.file)} → ${e.target}`)).toEqual([]);
  });

  it('keeps node:* imports in src/node only', () => {
    const offenders = edges.filter((e) => e.target.startsWith('node:') && folderOf(e.file) !== 'node');
    expect(offenders.map((e) => relative(src, e.file))).toEqual([]);
  });
});
