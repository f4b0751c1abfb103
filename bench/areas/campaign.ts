/** The main job and the feature stage. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { evaluateCampaign } from '../../src/campaign/index.js';
import { Dataset, fromColumns, parseCsv } from '../../src/data/index.js';
import { aggregateEvents, fitPipeline, transform } from '../../src/features/index.js';
import { ensureData, readVector } from '../gen.js';
import { DATA_ROOT, operation } from '../harness.js';

function synthetic(n: number, features: number): Dataset {
  const dir = ensureData(DATA_ROOT, n);
  const X = readVector(dir, 'X');
  const t = readVector(dir, 't');
  const columns: Record<string, Float64Array | string[]> = {};
  for (let j = 0; j < features; j++) columns[`x${j}`] = Float64Array.from({ length: n }, (_, i) => X[i * 20 + j] as number);
  columns.arm = Array.from(t, (v) => (v === 1 ? 'offer' : 'control'));
  columns.y = readVector(dir, 'y');
  return fromColumns(columns);
}

export const operations = [
  operation({
    name: 'evaluateCampaign Hillstrom (3 outcomes, 5 learners)',
    sizes: [64_000],
    setup: () => parseCsv(gunzipSync(readFileSync(new URL('../../examples/data/hillstrom.csv.gz', import.meta.url)))),
    run: (data) =>
      evaluateCampaign(data, {
        treatment: { column: 'segment', control: 'No E-Mail' },
        outcomes: [{ column: 'visit', kind: 'binary' }, { column: 'conversion', kind: 'binary' }, { column: 'spend', kind: 'continuous' }],
        features: ['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel'],
        segments: ['channel'],
        economics: { valuePerUnit: 1.5, costPerTreated: 0.1 },
      }).targeting.length,
  }),
  operation({
    name: 'evaluateCampaign synthetic (20 features, 2 arms, t/s/class learners, 20 resamples)',
    sizes: [1_000_000],
    setup: (n) => synthetic(n, 20),
    run: (data) =>
      evaluateCampaign(data, {
        treatment: { column: 'arm', control: 'control' },
        outcomes: [{ column: 'y', kind: 'binary' }],
        features: Array.from({ length: 20 }, (_, j) => `x${j}`),
        learners: ['t', 's', 'class_transformation'],
      }, { resamples: 20 }).targeting.length,
  }),
  operation({
    // The main job with its defaults; the peer is the notebook pipeline of bench/peers/peer.py (campaign_pipeline):
    // scaling and one-hot, a logistic response model, two meta-learners, Qini with 100 bootstrap resamples, uplift by decile.
    name: 'evaluateCampaign synthetic (20 features, 2 arms, defaults)',
    sizes: [100_000, 1_000_000],
    setup: (n) => synthetic(n, 20),
    run: (data) =>
      evaluateCampaign(data, {
        treatment: { column: 'arm', control: 'control' },
        outcomes: [{ column: 'y', kind: 'binary' }],
        features: Array.from({ length: 20 }, (_, j) => `x${j}`),
      }).targeting.length,
    peer: () => ({ task: 'campaign_pipeline' }),
  }),
  operation({
    name: 'pipeline transform (10 numeric + 5 categorical)',
    sizes: [1_000_000],
    setup: (n) => {
      const dir = ensureData(DATA_ROOT, n);
      const X = readVector(dir, 'X');
      const columns: Record<string, Float64Array | { codes: Int32Array; levels: string[] }> = {};
      for (let j = 0; j < 10; j++) columns[`x${j}`] = Float64Array.from({ length: n }, (_, i) => X[i * 20 + j] as number);
      for (let j = 0; j < 5; j++) columns[`c${j}`] = { codes: Int32Array.from({ length: n }, (_, i) => Math.floor(Math.abs(X[i * 20 + 10 + j] as number) * 3) % 6), levels: ['a', 'b', 'c', 'd', 'e', 'f'] };
      const data = fromColumns(columns);
      const spec = {
        numeric: Object.fromEntries(Array.from({ length: 10 }, (_, j) => [`x${j}`, { impute: 'median' as const, scale: 'standard' as const }])),
        categorical: Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`c${j}`, { drop: 'first' as const }])),
      };
      return { data, fitted: fitPipeline(spec, data) };
    },
    run: ({ data, fitted }) => transform(fitted, data).matrix.rows,
  }),
  operation({
    name: 'aggregateEvents (10M events → 1M users, 3 windows)',
    sizes: [10_000_000],
    setup: (n) => {
      const users = n / 10;
      const codes = Int32Array.from({ length: n }, (_, i) => (i * 7919) % users);
      const levels = Array.from({ length: users }, (_, u) => `u${u}`);
      return fromColumns({
        user: { codes, levels },
        time: Float64Array.from({ length: n }, (_, i) => (i * 104729) % 365),
        amount: Float64Array.from({ length: n }, (_, i) => ((i * 31) % 100) + 0.5),
      });
    },
    run: (events) => aggregateEvents(events, { user: 'user', time: 'time', amount: 'amount', asOf: 360 }).n,
  }),
];
