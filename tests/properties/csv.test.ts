import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Column, type Dataset, fromColumns, formatCsv, parseCsv } from 'promolens/data';

/** Awkward texts: separators, quotes, line breaks, BOM-like and other non-ASCII characters, spaces, and words that read as numbers or booleans. */
const awkwardText = fc.oneof(
  fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r', ';', '\t', ' ', 'é', '\uFEFF', '0', '7', '.', 'e', '-', '+', '東', '😀') }),
  fc.constantFrom('', '007', '1e400', '-0', 'true', 'FALSE', 'Yes', 'no', 'NaN', 'Infinity', '-Infinity', ' 1 ', '0x10', '1,5', '\uFEFFabc', 'abc\uFEFF', 'NA', 'null'),
);

/** Every double, the edges named so that each run meets them. */
const anyNumber = fc.oneof(
  fc.double({ noDefaultInfinity: true }),
  fc.constantFrom(-0, 0, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308, 1e21, 1e-7, 0.1, 123456789012345680000, Number.NaN),
);

type Spec =
  | { kind: 'number'; values: number[] }
  | { kind: 'text'; values: (string | null)[] }
  | { kind: 'boolean'; values: (boolean | null)[] };

function columnOf(n: number): fc.Arbitrary<Spec> {
  return fc.oneof(
    fc.array(anyNumber, { minLength: n, maxLength: n }).map((values): Spec => ({ kind: 'number', values })),
    fc.array(fc.option(awkwardText, { nil: null, freq: 4 }), { minLength: n, maxLength: n }).map((values): Spec => ({ kind: 'text', values })),
    fc.array(fc.option(fc.boolean(), { nil: null, freq: 4 }), { minLength: n, maxLength: n }).map((values): Spec => ({ kind: 'boolean', values })),
  );
}

const datasets = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 4 }))
  .chain(([n, width]) =>
    fc.tuple(fc.uniqueArray(awkwardText, { minLength: width, maxLength: width }), fc.array(columnOf(n), { minLength: width, maxLength: width })),
  )
  .map(([names, specs]) => fromColumns(Object.fromEntries(names.map((name, k) => [name, (specs[k] as Spec).values]))));

/** A column's cells with numbers compared by Object.is (so −0 ≠ 0 and NaN = NaN). */
function cells(column: Column, n: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (column.kind === 'numeric') {
      const value = column.values[i] as number;
      out.push(Number.isNaN(value) ? null : column.boolean ? value === 1 : Object.is(value, -0) ? '-0' : value);
    } else {
      const code = column.codes[i] as number;
      out.push(code < 0 ? null : column.levels[code]);
    }
  }
  return out;
}

function hasValues(column: Column): boolean {
  return column.kind === 'numeric' ? column.values.some((v) => !Number.isNaN(v)) : column.codes.some((c) => c >= 0);
}

/** Same names and rows, each column of the same kind (a column with no values has no kind a CSV can tell) and the same cells. */
function expectSame(read: Dataset, original: Dataset): void {
  expect(read.names).toEqual(original.names);
  expect(read.n).toBe(original.n);
  for (const name of original.names) {
    const a = original.column(name);
    const b = read.column(name);
    if (hasValues(a)) {
      expect(b.kind).toBe(a.kind);
      if (a.kind === 'numeric' && b.kind === 'numeric') expect(b.boolean).toBe(a.boolean);
    }
    expect(cells(b, read.n)).toEqual(cells(a, original.n));
  }
}

describe('CSV round trip property', () => {
  it('parseCsv(formatCsv(d)) gives d back for arbitrary datasets', () => {
    fc.assert(
      fc.property(datasets, fc.constantFrom('\n' as const, '\r\n' as const), (original, lineEnd) => {
        expectSame(parseCsv(formatCsv(original, { lineEnd })), original);
      }),
      { numRuns: 400 },
    );
  });

  it('reads back from bytes as from the string', () => {
    fc.assert(
      fc.property(datasets, (original) => {
        expectSame(parseCsv(new TextEncoder().encode(formatCsv(original))), original);
      }),
      { numRuns: 100 },
    );
  });
});
