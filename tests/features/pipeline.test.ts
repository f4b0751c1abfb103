import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromColumns, fromRows } from 'promolens/data';
import * as f from 'promolens/features';
import { inputErrorOf } from '../helpers.js';
import { transformRows } from '../../src/features/pipeline.js';

// References: scikit-learn SimpleImputer, StandardScaler, MinMaxScaler,
// KBinsDiscretizer(quantile, ordinal) and OneHotEncoder(min_frequency,
// handle_unknown), fitted on the first nTrain rows and applied to the rest
// (tests/fixtures/features/make.py). Tolerance: relative 1e-12.
const fx = JSON.parse(readFileSync(new URL('../fixtures/features/features.json', import.meta.url), 'utf8'));
const all = fromColumns({ spend: fx.spend.map((v: number | null) => (v === null ? Number.NaN : v)), age: fx.age, channel: fx.channel });
const rows = (from: number, to: number) => all.take(Array.from({ length: to - from }, (_, i) => from + i));
const train = rows(0, fx.nTrain);
const test = rows(fx.nTrain, all.n);
const near = (a: ArrayLike<number>, e: readonly number[]) => {
  expect(a.length).toBe(e.length);
  e.forEach((v, i) => expect(Math.abs((a[i] as number) - v), `[${i}] ${a[i]} vs ${v}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
};
const column = (m: { data: Float64Array; rows: number; cols: number }, j: number) => Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j] as number);

describe('feature pipeline agrees with scikit-learn, fitted on training rows only', () => {
  for (const strategy of ['mean', 'median'] as const) {
    it(`imputes the ${strategy} and standardises`, () => {
      const plain = f.transform(f.fitPipeline({ numeric: { spend: { impute: strategy, indicator: true } } }, train), test);
      expect(plain.names).toEqual(['spend', 'spend:missing']);
      near(column(plain.matrix, 0), fx[`impute_${strategy}`]);
      expect(column(plain.matrix, 1)).toEqual(fx.spend.slice(fx.nTrain).map((v: number | null) => (v === null ? 1 : 0)));
      const scaled = f.transform(f.fitPipeline({ numeric: { spend: { impute: strategy, scale: 'standard' } } }, train), test);
      expect(scaled.names).toEqual(['spend:std']);
      near(column(scaled.matrix, 0), fx[`impute_${strategy}_standard`]);
    });
  }

  it('min–max scales and bins at training quantiles', () => {
    near(column(f.transform(f.fitPipeline({ numeric: { age: { scale: 'minmax' } } }, train), test).matrix, 0), fx.minmax_age);
    const fitted = f.fitPipeline({ numeric: { age: { bins: 5 } } }, train);
    near(fitted.numeric[0]?.edges ?? [], fx.bins_age_edges);
    expect(column(f.transform(fitted, test).matrix, 0)).toEqual(fx.bins_age);
  });

  it('one-hot encodes, pooling rare levels into other and ignoring unseen ones when asked', () => {
    const pooled = f.fitPipeline({ categorical: { channel: { minFrequency: 60, unknown: 'ignore' } } }, train);
    expect(pooled.names).toEqual(['channel=Phone', 'channel=Web', 'channel=other']);
    const out = f.transform(pooled, test);
    fx.onehot_min60.values.forEach((row: number[], i: number) => {
      // scikit-learn puts an unseen level in 'infrequent' with infrequent_if_exist; here it is all zeros.
      if (test.toRows()[i]?.channel === 'Pager') expect(column(out.matrix, 2)[i]).toBe(0);
      else row.forEach((v, j) => expect(out.matrix.data[i * 3 + j]).toBe(v));
    });
    const plain = f.transform(f.fitPipeline({ categorical: { channel: { unknown: 'ignore' } } }, train), test);
    expect(plain.names).toEqual(fx.onehot_ignore.names.map((n: string) => n.replace('channel_', 'channel=')));
    fx.onehot_ignore.values.forEach((row: number[], i: number) => row.forEach((v, j) => expect(plain.matrix.data[i * 5 + j]).toBe(v)));
  });
});

describe('feature pipeline rules', () => {
  it('never reads the rows it transforms when fitting: refitting on train gives the same transform of any test rows', () => {
    const spec = { numeric: { spend: { impute: 'median' as const, scale: 'standard' as const } } };
    const fitted = f.fitPipeline(spec, train);
    const changed = fromColumns({ spend: Array.from(test.numeric('spend'), (v) => v * 1000), age: test.numeric('age'), channel: test.toRows().map((r) => r.channel as string) });
    expect(f.fitPipeline(spec, train)).toEqual(fitted);
    expect(f.transform(fitted, changed).matrix.data[0]).not.toBe(f.transform(fitted, test).matrix.data[0]);
    expect(JSON.parse(JSON.stringify(fitted))).toEqual(fitted);
    expect(f.FittedPipelineSchema.parse(JSON.parse(JSON.stringify(fitted)))).toEqual(fitted);
  });

  it('drops constant and all-missing columns and says so', () => {
    const data = fromColumns({ c: [5, 5, 5], m: [Number.NaN, Number.NaN, Number.NaN], x: [1, 2, 3] });
    const fitted = f.fitPipeline({ numeric: { c: { scale: 'standard' }, m: { impute: 'mean' }, x: { scale: 'standard' } } }, data);
    expect(fitted.dropped).toEqual([{ column: 'c', reason: 'constant' }, { column: 'm', reason: 'all_missing' }]);
    expect(fitted.names).toEqual(['x:std']);
  });

  it('builds interaction terms', () => {
    const data = fromColumns({ x: [1, 2, 3], t: [0, 1, 1] });
    const out = f.transform(f.fitPipeline({ numeric: { x: {}, t: {} }, interactions: [['x', 't']] }, data), data);
    expect(out.names).toEqual(['x', 't', 'x*t']);
    expect(column(out.matrix, 2)).toEqual([0, 2, 3]);
  });

  it('rejects unknown columns, missing values without imputation, unseen levels and bad specs', () => {
    expect(inputErrorOf(() => f.fitPipeline({ numeric: { nope: {} } }, train))).toMatchObject({ reason: 'missing_column', field: 'nope' });
    expect(inputErrorOf(() => f.transform(f.fitPipeline({ numeric: { spend: {} } }, train), test))).toMatchObject({ reason: 'not_finite', field: 'spend' });
    const strict = f.fitPipeline({ categorical: { channel: {} } }, train);
    const error = inputErrorOf(() => f.transform(strict, test));
    expect(error).toMatchObject({ reason: 'unknown_column', field: 'channel', row: 3 });
    expect(error.message).toContain('"Pager"');
    expect(inputErrorOf(() => f.featurePipeline({ numeric: { x: { scale: 'robust' } } } as never))).toMatchObject({ reason: 'invalid_option' });
    expect(inputErrorOf(() => f.transform(strict, fromColumns({ other: [1] })))).toMatchObject({ reason: 'missing_column', field: 'channel' });
  });
});

describe('transform over many rows', () => {
  it('writes each value as the steps define it, a block of rows at a time, and reports the error the steps meet first', () => {
    // 1,300 rows (more than two blocks of 512): imputed, clipped, log1p, binned, indicator and one-hot columns.
    const n = 1300;
    const a = Float64Array.from({ length: n }, (_, i) => (i % 97 === 5 ? Number.NaN : (i * 37) % 101));
    const b = Float64Array.from({ length: n }, (_, i) => ((i * 53) % 89) / 7);
    const c = Array.from({ length: n }, (_, i) => ['x', 'y', 'z'][(i * 7) % 3] as string);
    const data = fromColumns({ a, b, c });
    const spec = { numeric: { a: { impute: 'median', indicator: true, clip: [0.05, 0.95] }, b: { log1p: true, scale: 'standard' } }, categorical: { c: {} } } as const;
    const fitted = f.fitPipeline(spec as never, data);
    const { matrix, names } = f.transform(fitted, data);
    expect(names).toEqual(fitted.names);
    const [na, nb] = fitted.numeric as unknown as { fill: number; clip: [number, number]; center: number; scale: number }[];
    for (let i = 0; i < n; i++) {
      const raw = Number.isNaN(a[i]!) ? na!.fill : a[i]!;
      const clipped = Math.min(na!.clip[1], Math.max(na!.clip[0], raw));
      const row = Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols));
      expect(row[0]).toBe((clipped - na!.center) / na!.scale);
      expect(row[1]).toBe(Number.isNaN(a[i]!) ? 1 : 0);
      expect(row[2]).toBe((Math.log1p(b[i]!) - nb!.center) / nb!.scale);
      expect(row.slice(3)).toEqual(['x', 'y', 'z'].filter((level) => fitted.names.includes(`c=${level}`)).map((level) => (c[i] === level ? 1 : 0)));
    }
    // Two bad columns: a missing value in the first step's column late, in the second's early.
    // Step by step the first column's error comes first, and so it does here.
    const strict = f.fitPipeline({ numeric: { a: {}, b: {} } } as never, fromColumns({ a: Float64Array.from({ length: n }, (_, i) => i), b }));
    const late = Float64Array.from({ length: n }, (_, i) => (i === 1200 ? Number.NaN : i));
    const early = Float64Array.from(b, (v, i) => (i === 3 ? Number.NaN : v));
    expect(inputErrorOf(() => f.transform(strict, fromColumns({ a: late, b: early })))).toMatchObject({ reason: 'not_finite', field: 'a', row: 1200 });
    // Through a row index (repeats, any order): transform of the rows taken, errors at their positions.
    const rows = Int32Array.from({ length: 900 }, (_, k) => (k * 613) % n);
    expect(transformRows(fitted, data, rows)).toEqual(f.transform(fitted, data.take(rows)));
    const at = Int32Array.of(0, 1200, 2);
    expect(inputErrorOf(() => transformRows(strict, fromColumns({ a: late, b }), at))).toMatchObject({ reason: 'not_finite', field: 'a', row: 1 });
    // A missing column after a bad value: the bad value, as step by step.
    expect(inputErrorOf(() => f.transform(strict, fromColumns({ a: late })))).toMatchObject({ reason: 'not_finite', field: 'a', row: 1200 });
  });
});

describe('aggregateEvents', () => {
  // A hand-worked log in the Starbucks shape: time in hours, as of hour 240 (day 10).
  const log = fromRows([
    { person: 'p1', event: 'transaction', time: 0, value: 10 },
    { person: 'p1', event: 'offer received', time: 24, value: 0 },
    { person: 'p1', event: 'transaction', time: 192, value: 4 },
    { person: 'p2', event: 'offer received', time: 216, value: 0 },
    { person: 'p2', event: 'transaction', time: 239, value: 7.5 },
    { person: 'p1', event: 'transaction', time: 300, value: 99 }, // after asOf: never used
    { person: 'p3', event: 'transaction', time: 500, value: 1 }, // only after asOf
  ]);
  const features = f.aggregateEvents(log, {
    user: 'person', time: 'time', timeUnit: 'hours', asOf: 240, amount: 'value', type: 'event',
    orderTypes: ['transaction'], windows: [7], users: ['p1', 'p2', 'p4'],
  });

  it('computes recency, frequency, monetary and windowed counts by hand', () => {
    expect(features.toRows()).toEqual([
      { person: 'p1', recency_days: 2, tenure_days: 10, frequency: 2, monetary_sum: 14, monetary_mean: 7, frequency_7d: 1, monetary_sum_7d: 4, 'events_offer received_7d': 0, events_transaction_7d: 1 },
      { person: 'p2', recency_days: 1 / 24, tenure_days: 1, frequency: 1, monetary_sum: 7.5, monetary_mean: 7.5, frequency_7d: 1, monetary_sum_7d: 7.5, 'events_offer received_7d': 1, events_transaction_7d: 1 },
      { person: 'p4', recency_days: null, tenure_days: null, frequency: 0, monetary_sum: 0, monetary_mean: null, frequency_7d: 0, monetary_sum_7d: 0, 'events_offer received_7d': 0, events_transaction_7d: 0 },
    ]);
  });

  it('never uses events after asOf', () => {
    expect(features.categorical('person').levels).not.toContain('p3');
    const later = f.aggregateEvents(log, { user: 'person', time: 'time', timeUnit: 'hours', asOf: 1000, amount: 'value' });
    expect(later.categorical('person').levels).toContain('p3');
  });

  it('reads date-time text and per-category counts, and names an unparseable time', () => {
    const orders = fromRows([
      { user: 'u', at: '2024-01-01T00:00:00Z', category: 'shoes', amount: 50 },
      { user: 'u', at: '2024-01-20T12:00:00Z', category: 'bags', amount: 20 },
      { user: 'v', at: '2024-01-30T00:00:00Z', category: 'shoes', amount: 5 },
    ]);
    const out = f.aggregateEvents(orders, { user: 'user', time: 'at', asOf: '2024-01-31T00:00:00Z', amount: 'amount', category: 'category', windows: [14] });
    expect(out.numeric('recency_days')).toEqual(new Float64Array([10.5, 1]));
    expect(out.numeric('category_shoes_14d')).toEqual(new Float64Array([0, 1]));
    expect(out.numeric('distinct_categories')).toEqual(new Float64Array([2, 1]));
    const bad = fromRows([{ user: 'u', at: 'yesterday' }]);
    expect(inputErrorOf(() => f.aggregateEvents(bad, { user: 'user', time: 'at', asOf: '2024-01-31' }))).toMatchObject({ reason: 'parse_error', field: 'at', row: 0 });
  });
});
