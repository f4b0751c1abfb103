import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Dataset, fromColumns, fromRows } from 'promolens/data';
import { inputErrorOf } from '../helpers.js';

describe('fromRows', () => {
  it('builds numeric, categorical and boolean columns, missing as NaN or −1', () => {
    const data = fromRows([
      { arm: 'B', spend: 3, ok: true },
      { arm: 'A', spend: null, ok: false },
      { arm: null, spend: Number.NaN },
    ]);
    expect(data.n).toBe(3);
    expect(data.names).toEqual(['arm', 'spend', 'ok']);
    expect([...data.numeric('spend')]).toEqual([3, Number.NaN, Number.NaN]);
    expect(data.categorical('arm')).toMatchObject({ levels: ['A', 'B'] });
    expect([...data.categorical('arm').codes]).toEqual([1, 0, -1]);
    expect(data.column('ok')).toMatchObject({ kind: 'numeric', boolean: true });
    expect(data.toRows()).toEqual([
      { arm: 'B', spend: 3, ok: true },
      { arm: 'A', spend: null, ok: false },
      { arm: null, spend: null, ok: null },
    ]);
  });

  it('rejects a key the first row lacks, naming key and row', () => {
    const error = inputErrorOf(() => fromRows([{ a: 1 }, { a: 2, b: 3 }]));
    expect(error).toMatchObject({ reason: 'unknown_column', field: 'b', row: 1 });
  });

  it('rejects mixed types, infinities and objects', () => {
    expect(inputErrorOf(() => fromRows([{ a: 1 }, { a: 'x' }]))).toMatchObject({ reason: 'mixed_types', field: 'a', row: 1 });
    expect(inputErrorOf(() => fromRows([{ a: 1 }, { a: Infinity }]))).toMatchObject({ reason: 'not_finite', field: 'a', row: 1 });
    expect(inputErrorOf(() => fromRows([{ a: {} }]))).toMatchObject({ reason: 'wrong_type', field: 'a', row: 0 });
  });

  it('applies a schema map, converting only what it declares', () => {
    const data = fromRows([{ zip: 2134, flag: 1 }, { zip: 10001, flag: 0 }], { schema: { zip: 'category', flag: 'boolean' } });
    expect(data.categorical('zip').levels).toEqual(['10001', '2134']);
    expect(data.column('flag')).toMatchObject({ boolean: true });
    expect(inputErrorOf(() => fromRows([{ x: '1' }], { schema: { x: 'number' } }))).toMatchObject({ reason: 'not_numeric', field: 'x', row: 0 });
    expect(inputErrorOf(() => fromRows([{ x: 2 }], { schema: { x: 'boolean' } }))).toMatchObject({ reason: 'not_binary' });
    expect(inputErrorOf(() => fromRows([{ x: 2 }], { schema: { y: 'number' } }))).toMatchObject({ reason: 'missing_column', field: 'y' });
  });

  it('validates rows with a zod schema, mapping the issue to field and row', () => {
    const schema = z.object({ arm: z.enum(['A', 'B']), spend: z.number().nonnegative() });
    const data = fromRows([{ arm: 'A', spend: 1 }], { schema });
    expect(data.column('arm').kind).toBe('categorical');
    const error = inputErrorOf(() => fromRows([{ arm: 'A', spend: 1 }, { arm: 'A', spend: -2 }], { schema }));
    expect(error).toMatchObject({ reason: 'wrong_type', field: 'spend', row: 1 });
    expect(error.message).toContain('row 1');
    expect(inputErrorOf(() => fromRows([{ arm: 'A' }], { schema }))).toMatchObject({ reason: 'missing_column', field: 'spend', row: 0 });
  });

  it('gives an empty dataset for no rows', () => {
    expect(fromRows([]).n).toBe(0);
  });
});

describe('fromColumns', () => {
  it('copies numbers, encodes strings and booleans, takes codes as given', () => {
    const spend = new Float64Array([1, 2, 3]);
    const data = fromColumns({ spend, arm: ['x', 'y', 'x'], ok: [true, null, false], level: { codes: [1, -1, 0], levels: ['lo', 'hi'] } });
    spend[0] = 99;
    expect(data.numeric('spend')[0]).toBe(1);
    expect([...data.numeric('ok')]).toEqual([1, Number.NaN, 0]);
    expect(data.toRows()[0]).toEqual({ spend: 1, arm: 'x', ok: true, level: 'hi' });
  });

  it('rejects columns of different lengths and bad codes', () => {
    expect(inputErrorOf(() => fromColumns({ a: [1, 2], b: [1] }))).toMatchObject({ reason: 'length_mismatch', field: 'b' });
    expect(inputErrorOf(() => fromColumns({ a: { codes: [0, 2], levels: ['u', 'v'] } }))).toMatchObject({ reason: 'out_of_range', row: 1 });
  });
});

describe('Dataset', () => {
  const data = fromColumns({ x: [10, 20, 30, 40], g: ['a', 'b', 'a', 'c'] });

  it('selects, filters and takes rows without changing the original', () => {
    expect(data.select(['g']).names).toEqual(['g']);
    expect(data.filter([1, 0, 1, 0]).toRows()).toEqual([{ x: 10, g: 'a' }, { x: 30, g: 'a' }]);
    expect(data.filter([true, false, false, true]).numeric('x')).toEqual(new Float64Array([10, 40]));
    expect(data.take([3, 0, 0]).toRows().map((row) => row.x)).toEqual([40, 10, 10]);
    expect(data.take([3]).categorical('g').levels).toEqual(['a', 'b', 'c']);
    expect(data.n).toBe(4);
  });

  it('adds and replaces columns', () => {
    const more = data.withColumn('y', [1, 2, 3, 4]).withColumn('x', ['p', 'q', 'p', 'q']);
    expect(more.names).toEqual(['x', 'g', 'y']);
    expect(more.column('x').kind).toBe('categorical');
    expect(data.column('x').kind).toBe('numeric');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(data)).toBe(true);
    expectTypeOf(data.n).toEqualTypeOf<number>();
    expectTypeOf(data.names).toEqualTypeOf<readonly string[]>();
  });

  it('throws typed errors for unknown columns, wrong kinds and bad rows', () => {
    expect(inputErrorOf(() => data.column('nope'))).toMatchObject({ reason: 'missing_column', field: 'nope' });
    expect(inputErrorOf(() => data.numeric('g'))).toMatchObject({ reason: 'wrong_type', field: 'g' });
    expect(inputErrorOf(() => data.categorical('x'))).toMatchObject({ reason: 'wrong_type', field: 'x' });
    expect(inputErrorOf(() => data.filter([1]))).toMatchObject({ reason: 'length_mismatch' });
    expect(inputErrorOf(() => data.take([0, 4]))).toMatchObject({ reason: 'out_of_range', row: 1 });
    expect(inputErrorOf(() => data.withColumn('y', [1]))).toMatchObject({ reason: 'length_mismatch', field: 'y' });
    expect(inputErrorOf(() => data.select(['x', 'x']))).toMatchObject({ reason: 'duplicate_column' });
    expect(data).toBeInstanceOf(Dataset);
  });
});
