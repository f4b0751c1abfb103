import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every public function can be found from its name: some test file names it,
// or its doc comment carries an `@example` that tests/docs/examples.test.ts
// runs. A new export without either fails here.
const root = fileURLToPath(new URL('..', import.meta.url));
const subpaths = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<string, unknown>;
const specifiers = Object.keys(subpaths)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'promolens' : `promolens/${key.slice(2)}`));

function filesUnder(dir: string, keep: (path: string) => boolean, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skip.includes(name)) out.push(...filesUnder(path, keep, skip));
    } else if (keep(path)) out.push(path);
  }
  return out;
}

const testText = filesUnder(join(root, 'tests'), (p) => /\.(ts|mjs|js|cjs)$/.test(p), ['fixtures'])
  .map((p) => readFileSync(p, 'utf8'))
  .join('\n');
// Names used inside an `@example` block of a doc comment under src/.
const exampleText = filesUnder(join(root, 'src'), (p) => p.endsWith('.ts'))
  .flatMap((p) => [...readFileSync(p, 'utf8').matchAll(/@example([\s\S]*?)(?:\n\s*\*\s*@|\*\/)/g)].map((m) => m[1] as string))
  .join('\n');

const named = (text: string, name: string): boolean => new RegExp(`(^|[^A-Za-z0-9_$])${name.replaceAll('$', '\\$')}([^A-Za-z0-9_$]|$)`).test(text);

describe('the public surface', () => {
  it.each(specifiers)('every function exported by %s is named by a test or a checked example', async (specifier) => {
    const module = (await import(specifier)) as Record<string, unknown>;
    const functions = Object.keys(module).filter((name) => typeof module[name] === 'function');
    expect(functions.length).toBeGreaterThan(0);
    const unfound = functions.filter((name) => !named(testText, name) && !named(exampleText, `${name}(`.slice(0, -1)));
    expect(unfound, `${specifier}: exported functions no test names`).toEqual([]);
  });
});
