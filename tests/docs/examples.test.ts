import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from 'promolens';
import * as node from 'promolens/node';

// Runs every `@example` in the sources: a line `expr; // => value` (or the
// value on the next line as `// => value`) must evaluate to that value.
const root = fileURLToPath(new URL('../../src/', import.meta.url));
// Examples of the renderers use \`report\`: a small campaign evaluated once here.
const hillstrom = await node.readCsv(fileURLToPath(new URL('../../examples/data/hillstrom.csv.gz', import.meta.url)));
const report = core.evaluateCampaign(hillstrom.take(Array.from({ length: 6000 }, (_, i) => i * 10)), {
  treatment: { column: 'segment', control: 'No E-Mail' },
  outcomes: [{ column: 'visit', kind: 'binary' }],
  features: ['recency', 'history', 'channel'],
  learners: ['t'],
}, { resamples: 20 });
const library: Record<string, unknown> = { ...core, ...node, report };
const names = Object.keys(library);

interface Example {
  readonly file: string;
  readonly lines: string[];
}

function examplesIn(path: string): Example[] {
  const text = readFileSync(path, 'utf8');
  const found: Example[] = [];
  const pattern = /\/\*\*([\s\S]*?)\*\//g;
  for (const match of text.matchAll(pattern)) {
    const body = (match[1] as string).split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    const start = body.findIndex((line) => line.startsWith('@example'));
    if (start < 0) continue;
    const lines: string[] = [];
    for (const line of body.slice(start + 1)) {
      if (line.startsWith('@')) break;
      if (line.trim() !== '') lines.push(line);
    }
    found.push({ file: path.slice(root.length), lines });
  }
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `Float64Array [1, NaN]` → a Float64Array; anything else is a JS expression. */
function expected(text: string): unknown {
  const typed = /^(Float64Array|Int32Array|Uint32Array) (\[.*\])$/.exec(text.trim());
  const scope = new Function(`return (${typed ? (typed[2] as string) : text});`)();
  if (typed?.[1] === 'Float64Array') return Float64Array.from(scope as number[]);
  if (typed?.[1] === 'Int32Array') return Int32Array.from(scope as number[]);
  if (typed?.[1] === 'Uint32Array') return Uint32Array.from(scope as number[]);
  return scope;
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;

const examples = walk(root).flatMap(examplesIn);

describe('every @example in the sources', () => {
  it('finds examples', () => {
    expect(examples.length).toBeGreaterThan(20);
  });
  for (const [index, example] of examples.entries()) {
    it(`${example.file} example ${index}: ${example.lines[0]}`, async () => {
      const statements: string[] = [];
      const checks: { expression: string; value: string }[] = [];
      let last: string | undefined;
      for (const line of example.lines) {
        const arrow = line.indexOf('// =>');
        if (arrow === 0 && last !== undefined) {
          checks.push({ expression: last, value: line.slice(5) });
          statements.pop();
          last = undefined;
          continue;
        }
        if (arrow > 0) {
          const expression = line.slice(0, arrow).trim().replace(/;$/, '');
          checks.push({ expression, value: line.slice(arrow + 5) });
          statements.push(`__results.push(${expression});`);
          last = undefined;
          continue;
        }
        statements.push(line);
        last = line.trim().replace(/;$/, '');
      }
      // A value on its own line refers to the statement before it.
      const code = [...statements, ...checks.filter((check) => !statements.includes(`__results.push(${check.expression});`)).map((check) => `__results.push(${check.expression});`)];
      const results: unknown[] = [];
      const run = new AsyncFunction(...names, '__results', code.join('\n'));
      await run(...names.map((name) => library[name]), results);
      expect(results.length).toBe(checks.length);
      checks.forEach((check, i) => {
        const value = expected(check.value);
        if (typeof value === 'number') expect(results[i], check.expression).toBe(value);
        else expect(results[i], check.expression).toEqual(value);
      });
    });
  }
});
