import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` builds before vitest runs; without a build there is nothing to check.
const entry = fileURLToPath(new URL('../../dist/report/index.js', import.meta.url));

/** The entry and every chunk it imports, transitively. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|export)\s*(?:[^'"]*?from\s*)?['"](\.[^'"]+)['"]/g)) closure(resolve(dirname(file), m[1] as string), seen);
  return seen;
}

describe.skipIf(!existsSync(entry))('the promolens/report bundle', () => {
  it('carries the renderers only (and InputError): no computing code and no packages', () => {
    const files = [...closure(entry)];
    const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const sources = [...text.matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1] as string);
    expect(sources.length).toBeGreaterThan(0);
    // src/errors.ts (the InputError class, no computing code): a malformed report is a typed error.
    expect(sources.filter((s) => !s.startsWith('src/report/') && s !== 'src/errors.ts')).toEqual([]);
    expect(text).not.toMatch(/from\s*["'](?!\.)/);
    // 88 kB before the stage split (with the experiment, uplift and policy schemas and their code).
    expect(files.reduce((n, f) => n + readFileSync(f).length, 0)).toBeLessThan(60_000);
  });
});
