import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const src = new URL('../src/', import.meta.url);

describe('package.json', () => {
  it('exports one subpath per src folder with an index.ts, and no other', () => {
    const folders = readdirSync(src).filter((name) => existsSync(new URL(`${name}/index.ts`, src)));
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== '.' && key !== './package.json');
    expect(subpaths.sort()).toEqual(folders.map((name) => `./${name}`).sort());
  });

  it('keeps sideEffects false, three runtime dependencies, and pins every version', () => {
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ml-matrix', 'simple-statistics', 'zod']);
    for (const version of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    }
    expect(pkg.files).toEqual(['dist', 'README.md', 'LICENSE']);
  });

  it('re-exports every folder from the root but node', () => {
    const index = readFileSync(new URL('index.ts', src), 'utf8');
    const folders = readdirSync(src).filter((name) => name !== 'node' && existsSync(new URL(`${name}/index.ts`, src)));
    for (const folder of folders) expect(index).toContain(`./${folder}/index.js`);
    expect(index).not.toContain('./node/');
  });

  it('keeps node:* imports out of the portable core', () => {
    const walk = (dir: URL): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (entry.name === 'node' ? [] : walk(new URL(`${entry.name}/`, dir))) : [new URL(entry.name, dir).pathname],
      );
    for (const file of walk(src)) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"]node:/);
  });
});
