import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { DatasetDescriptionSchema, describe, fromColumns, naturalBreaks, parseCsv } from 'promolens/data';
import { hasSharedData, inputErrorOf, sharedData } from '../helpers.js';

interface Reference {
  readonly files: readonly { file: string; rows: number; columns: readonly Record<string, unknown>[] }[];
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/data/describe.json', import.meta.url), 'utf8')) as Reference;

/** Relative 1e-12: pandas and simple-statistics sum in different orders. */
function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === null) return expect(actual, what).toBeNull();
  const a = actual as number;
  const e = expected as number;
  expect(Math.abs(a - e), `${what}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
}

suite('describe', () => {
  it('summarises numbers, 0/1 columns and text as worked by hand', () => {
    const summary = describe(fromColumns({ x: [4, 1, 3, 1, Number.NaN, 6], ok: ['No', 'Yes', 'Yes', null, 'No', 'Yes'].map((v) => v === 'Yes' ? true : v === null ? null : false), arm: ['b', 'a', 'b', null, 'c', 'b'] }));
    expect(DatasetDescriptionSchema.parse(summary)).toEqual(summary);
    const [x, ok, arm] = summary.columns;
    // x present: 1 1 3 4 6 → mean 3, deviations −2 −2 0 1 3, sum of squares 18 → std √4.5, quartiles at positions 1 and 3: 1 and 4, skew = n/((n−1)(n−2)) Σ z³.
    expect(x).toMatchObject({ kind: 'number', count: 5, missing: 1, distinct: 4, mean: 3, min: 1, q25: 1, median: 3, q75: 4, max: 6, mode: 1, integer: true, idLike: false });
    close((x as { std: number }).std, Math.sqrt(4.5), 'std');
    const z3 = [-2, -2, 0, 1, 3].reduce((sum, d) => sum + (d / Math.sqrt(4.5)) ** 3, 0);
    close((x as { skewness: number }).skewness, (5 / (4 * 3)) * z3, 'skewness');
    expect(ok).toEqual({ kind: 'binary', name: 'ok', count: 5, missing: 1, rate: 0.6, ones: 3, labels: ['false', 'true'] });
    expect(arm).toMatchObject({ kind: 'category', count: 5, missing: 1, distinct: 3, top: [{ level: 'b', count: 3, share: 0.6 }, { level: 'a', count: 1, share: 0.2 }, { level: 'c', count: 1, share: 0.2 }] });
  });

  it('flags id-like and date-like columns and keeps spellings of 0/1 columns', () => {
    const n = 40;
    const data = parseCsv(['id,code,day,sent', ...Array.from({ length: n }, (_, i) => `${1000 + i},C${i},2024-03-${String((i % 28) + 1).padStart(2, '0')},${i % 4 ? 'Yes' : 'No'}`)].join('\n'));
    const [id, code, day, sent] = describe(data).columns;
    expect(id).toMatchObject({ kind: 'number', idLike: true });
    expect(code).toMatchObject({ kind: 'category', idLike: true, dateLike: false });
    expect(day).toMatchObject({ kind: 'category', idLike: false, dateLike: true });
    expect(sent).toMatchObject({ kind: 'binary', labels: ['No', 'Yes'], rate: 0.75 });
  });

  it('rejects what is not a dataset and unknown options', () => {
    expect(inputErrorOf(() => describe(null as never))).toMatchObject({ reason: 'wrong_type', field: 'dataset' });
    expect(inputErrorOf(() => describe(fromColumns({ a: [1] }), { top: 3 } as never))).toMatchObject({ reason: 'invalid_option', field: 'top' });
  });

  for (const file of reference.files) {
    it.skipIf(!hasSharedData)(`agrees with pandas describe on ${file.file}`, () => {
      const summary = describe(parseCsv(readFileSync(`${sharedData}${file.file}`)));
      expect(summary.rows).toBe(file.rows);
      for (const expected of file.columns) {
        const actual = summary.columns.find((column) => column.name === expected.name) as Record<string, unknown>;
        const what = `${file.file} ${String(expected.name)}`;
        expect(actual.kind, what).toBe(expected.kind);
        expect([actual.count, actual.missing], what).toEqual([expected.count, expected.missing]);
        if (expected.kind === 'number') {
          for (const key of ['min', 'max', 'median', 'mode', 'distinct']) expect(actual[key], `${what} ${key}`).toBe(expected[key]);
          for (const key of ['mean', 'std', 'q25', 'q75', 'skewness']) close(actual[key], expected[key], `${what} ${key}`);
        } else if (expected.kind === 'binary') {
          expect(actual.ones, what).toBe(expected.ones);
          close(actual.rate, expected.rate, `${what} rate`);
        } else {
          expect(actual.distinct, what).toBe(expected.distinct);
          expect(actual.top, what).toEqual(expected.top);
        }
      }
    });
  }
});

suite('naturalBreaks', () => {
  it('cuts at the gaps that minimise the within-group sum of squares', () => {
    const breaks = naturalBreaks([52, 1, 11, 2, Number.NaN, 3, 10, 12, 50], 3);
    expect(breaks.thresholds).toEqual([10, 50]);
    expect(breaks.groups).toEqual([{ min: 1, max: 3, count: 3 }, { min: 10, max: 12, count: 3 }, { min: 50, max: 52, count: 2 }]);
  });

  it('agrees with an exhaustive search over two cuts', () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.round(100 * Math.abs(Math.sin(i * 1.7)) ** 2) / 10).sort((a, b) => a - b);
    const ss = (part: number[]) => {
      const m = part.reduce((s, v) => s + v, 0) / part.length;
      return part.reduce((s, v) => s + (v - m) ** 2, 0);
    };
    let best = Infinity;
    for (let a = 1; a < values.length - 1; a++) for (let b = a + 1; b < values.length; b++) best = Math.min(best, ss(values.slice(0, a)) + ss(values.slice(a, b)) + ss(values.slice(b)));
    const { thresholds } = naturalBreaks(values, 3);
    const groups = [0, 1, 2].map((g) => values.filter((v) => thresholds.filter((t) => t <= v).length === g));
    expect(groups.reduce((s, part) => s + ss(part), 0)).toBeCloseTo(best, 9);
  });

  it('gives fewer groups for fewer distinct values and rejects bad input', () => {
    expect(naturalBreaks([1, 1, 2, 2], 5).groups).toHaveLength(2);
    expect(inputErrorOf(() => naturalBreaks([1, 2], 0))).toMatchObject({ field: 'groups' });
    expect(inputErrorOf(() => naturalBreaks([Number.NaN], 2))).toMatchObject({ reason: 'empty' });
    expect(inputErrorOf(() => naturalBreaks([1, Infinity], 2))).toMatchObject({ reason: 'not_finite' });
  });
});
