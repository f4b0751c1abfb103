import { describe, expect, it } from 'vitest';
import { toDenseMatrix } from 'promolens/linalg';
import { Matrix } from 'ml-matrix';
import {
  binaryVector,
  checkOptions,
  checkScalar,
  finiteVector,
  numericRows,
  numericVector,
  rules,
  sampleWeights,
} from '../../src/internal/validate.js';
import { inputErrorOf } from '../helpers.js';

describe('vectors take numbers only', () => {
  it('a Float64Array passes as is, other typed arrays are copied', () => {
    const values = new Float64Array([1, 2, 3]);
    expect(finiteVector('x', values)).toBe(values);
    expect(Array.from(finiteVector('x', new Int32Array([1, -2])))).toEqual([1, -2]);
    expect(Array.from(finiteVector('x', [0.5, -0]))).toEqual([0.5, -0]);
  });

  it.each([null, '', '1', true, [1], undefined, {}, 1n])('%s in a vector is not_numeric naming the row', (bad) => {
    expect(inputErrorOf(() => finiteVector('score', [1, bad as number, 3]))).toMatchObject({ reason: 'not_numeric', field: 'score', row: 1 });
  });

  it('holes, BigInt arrays, strings and non-arrays are rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(inputErrorOf(() => finiteVector('x', [1, , 3] as never))).toMatchObject({ reason: 'not_numeric', row: 1 });
    expect(inputErrorOf(() => finiteVector('x', new BigInt64Array(2) as never))).toMatchObject({ reason: 'not_numeric', field: 'x' });
    expect(inputErrorOf(() => finiteVector('x', '123' as never))).toMatchObject({ reason: 'wrong_type', field: 'x' });
    expect(inputErrorOf(() => finiteVector('x', null as never))).toMatchObject({ reason: 'wrong_type', field: 'x' });
    expect(inputErrorOf(() => finiteVector('x', { length: 2 ** 40 } as never))).toMatchObject({ reason: 'out_of_range', field: 'x' });
    expect(inputErrorOf(() => finiteVector('x', { length: -1 } as never))).toMatchObject({ reason: 'wrong_type', field: 'x' });
  });

  it('NaN is kept by numericVector and rejected by finiteVector; labels must be 0/1', () => {
    expect(Number.isNaN(numericVector('x', [Number.NaN])[0])).toBe(true);
    expect(inputErrorOf(() => finiteVector('x', [1, Number.POSITIVE_INFINITY]))).toMatchObject({ reason: 'not_finite', row: 1 });
    expect(inputErrorOf(() => binaryVector('y', [0, Number.NaN]))).toMatchObject({ reason: 'not_finite', row: 1 });
    expect(inputErrorOf(() => binaryVector('y', [0, 2]))).toMatchObject({ reason: 'not_binary', row: 1 });
    expect(inputErrorOf(() => finiteVector('x', [1], 2))).toMatchObject({ reason: 'empty', field: 'x' });
  });
});

describe('sample weights', () => {
  it('in the ordinary range are returned as given', () => {
    const weights = new Float64Array([1, 2]);
    expect(sampleWeights(weights, 2, 'y')).toBe(weights);
    expect(sampleWeights(undefined, 2, 'y')).toBeUndefined();
  });

  it('that overflow or are subnormal are rescaled on request, else out_of_range', () => {
    expect(Array.from(sampleWeights([1e308, 1e308], 2, 'y', { rescale: true }) ?? [])).toEqual([1, 1]);
    expect(Array.from(sampleWeights([1e-320, 2e-320], 2, 'y', { rescale: true }) ?? [])).toEqual([0.5, 1]);
    expect(inputErrorOf(() => sampleWeights([1e308, 1e308], 2, 'y'))).toMatchObject({ reason: 'out_of_range', field: 'sampleWeight' });
    expect(inputErrorOf(() => sampleWeights([1, -1], 2, 'y'))).toMatchObject({ reason: 'out_of_range', row: 1 });
    expect(inputErrorOf(() => sampleWeights([0, 0], 2, 'y'))).toMatchObject({ reason: 'empty' });
    expect(inputErrorOf(() => sampleWeights([1], 2, 'y'))).toMatchObject({ reason: 'length_mismatch' });
  });
});

describe('rows of a matrix', () => {
  it('copy numbers row-major and name the bad cell', () => {
    expect(numericRows('X', [[1, 2], new Float64Array([3, 4])])).toEqual({ data: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2 });
    expect(inputErrorOf(() => numericRows('X', [[1], [null as never], [3]]))).toMatchObject({ reason: 'not_numeric', field: 'X', row: 1 });
    expect(inputErrorOf(() => numericRows('X', [[1, 2], [3]]))).toMatchObject({ reason: 'length_mismatch', row: 1 });
    expect(inputErrorOf(() => numericRows('X', [[1], 'a' as never]))).toMatchObject({ reason: 'wrong_type', row: 1 });
    expect(inputErrorOf(() => numericRows('X', [[1], new BigInt64Array(1) as never]))).toMatchObject({ reason: 'not_numeric', row: 1 });
  });

  it('toDenseMatrix reads an ml-matrix Matrix and rejects non-numbers and non-finite values', () => {
    const matrix = toDenseMatrix(new Matrix([[1, 2], [3, 4]]) as never);
    expect({ ...matrix, data: Array.from(matrix.data) }).toMatchObject({ data: [1, 2, 3, 4], rows: 2, cols: 2 });
    expect(inputErrorOf(() => toDenseMatrix([[1], [true as never]]))).toMatchObject({ reason: 'not_numeric', field: 'X', row: 1 });
    expect(inputErrorOf(() => toDenseMatrix([[1], [Number.NaN]]))).toMatchObject({ reason: 'not_finite', field: 'X', row: 1 });
    expect(inputErrorOf(() => toDenseMatrix(null as never))).toMatchObject({ reason: 'wrong_type', field: 'X' });
    expect(inputErrorOf(() => toDenseMatrix(new Matrix([[1, Number.NaN]]) as never))).toMatchObject({ reason: 'not_finite', row: 0 });
  });
});

describe('options are checked strictly', () => {
  const spec = {
    bins: rules.integer({ min: 1, max: 1000 }),
    tolerance: rules.number({ min: 0, minExclusive: true }),
    strategy: rules.oneOf(['uniform', 'quantile']),
    sampleWeight: rules.vector(),
  };
  type Options = { bins?: number; tolerance?: number; strategy?: 'uniform' | 'quantile'; sampleWeight?: ArrayLike<number> };

  it('absent options read as {}, a key set to undefined as absent', () => {
    expect(checkOptions<Options>(undefined, spec)).toEqual({});
    expect(checkOptions<Options>({ bins: undefined } as never, spec)).toEqual({ bins: undefined });
  });

  it('null, arrays and non-objects are invalid_option', () => {
    for (const bad of [null, [], 5, 'x', true]) {
      expect(inputErrorOf(() => checkOptions<Options>(bad as never, spec))).toMatchObject({ reason: 'invalid_option', field: 'options' });
    }
  });

  it('an unknown key names the key and the nearest known one', () => {
    const error = inputErrorOf(() => checkOptions<Options>({ sampleWeights: [1] } as never, spec));
    expect(error).toMatchObject({ reason: 'invalid_option', field: 'sampleWeights' });
    expect(error.message).toContain('did you mean "sampleWeight"');
    expect(inputErrorOf(() => checkOptions<Options>({ toString: 1 } as never, spec))).toMatchObject({ reason: 'invalid_option', field: 'toString' });
  });

  it.each([
    ['bins', '10'],
    ['bins', 0],
    ['bins', 1e9],
    ['bins', Number.NaN],
    ['bins', 2.5],
    ['bins', Number.POSITIVE_INFINITY],
    ['tolerance', 0],
    ['tolerance', -1],
    ['tolerance', Number.NaN],
    ['strategy', 'median'],
    ['sampleWeight', 'abc'],
    ['sampleWeight', null],
  ])('%s = %j is invalid_option naming the key', (key, value) => {
    expect(inputErrorOf(() => checkOptions<Options>({ [key]: value } as never, spec))).toMatchObject({ reason: 'invalid_option', field: key });
  });

  it('scalar arguments: wrong type is not_numeric, NaN not_finite, outside the rule out_of_range', () => {
    expect(checkScalar('k', 3, rules.integer({ min: 2 }))).toBe(3);
    expect(inputErrorOf(() => checkScalar('k', '3', rules.integer({ min: 2 })))).toMatchObject({ reason: 'not_numeric', field: 'k' });
    expect(inputErrorOf(() => checkScalar('k', Number.NaN, rules.integer({ min: 2 })))).toMatchObject({ reason: 'not_finite', field: 'k' });
    expect(inputErrorOf(() => checkScalar('k', 1, rules.integer({ min: 2 })))).toMatchObject({ reason: 'out_of_range', field: 'k' });
  });
});
