/**
 * Warehouse scale: the campaign in embedded DuckDB with a 1 GB memory limit.
 *
 * The data are written once to a Parquet file by DuckDB itself (the process
 * never holds them): the bench generator's specification — 20 correlated
 * features (0.8·triangular + 0.6·a shared factor), a 50/50 treatment, a
 * binary outcome with a heterogeneous effect τ = 0.25 + 0.5x₀ − 0.4x₂ + 0.3x₅,
 * revenue — with DuckDB's `hash(64·i + stream)` as the random source instead of
 * splitmix64, so the values are not the Python files' but the shape is.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbEngine } from '../../src/node/index.js';
import { campaignEffectsSql, evaluateCampaignSql } from '../../src/sql/index.js';
import { DATA_ROOT, operation } from '../harness.js';

const BETA = [0.6, -0.5, 0.4, -0.3, 0.25, -0.2, 0.15, -0.1, 0.1, -0.05, 0.05, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const FEATURES = Array.from({ length: 20 }, (_, j) => `x${j}`);

async function parquet(n: number): Promise<string> {
  const dir = join(DATA_ROOT, 'sql');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `campaign-${n}.parquet`);
  if (existsSync(file)) return file;
  const u = (s: number) => `(CAST(hash(i * 64 + ${s}) >> 11 AS DOUBLE) + 0.5) * 1.1102230246251565e-16`;
  const tri = (s: number) => `((${u(s)} + ${u(s + 1)} - 1.0) * 2.449489742783178)`;
  const xs = FEATURES.map((name, j) => `0.8 * ${tri(2 * j)} + 0.6 * f AS ${name}`);
  const eta0 = `-1.5 + ${BETA.map((b, j) => `${b} * x${j}`).join(' + ')}`;
  const sigmoid = (e: string) => `1 / (1 + exp(-(${e})))`;
  const sql = `COPY (
    SELECT customer_id, CASE WHEN t = 1 THEN 'offer' ELSE 'control' END AS arm, ${FEATURES.join(', ')},
      CASE WHEN u43 < ${sigmoid(`${eta0} + t * (0.25 + 0.5 * x0 - 0.4 * x2 + 0.3 * x5)`)} THEN 1 ELSE 0 END AS y,
      ['north', 'south', 'east', 'west'][1 + CAST(u45 * 4 AS INTEGER) % 4] AS region,
      round(exp(3.0 + 0.3 * x1 + 0.5 * tri44), 2) AS pre_revenue
    FROM (SELECT i AS customer_id, CASE WHEN ${u(42)} < 0.5 THEN 1 ELSE 0 END AS t, ${xs.join(', ')}, ${u(43)} AS u43, ${u(45)} AS u45, ${tri(44)} AS tri44
          FROM (SELECT range AS i, ${tri(40)} AS f FROM range(${n})))
  ) TO '${file}.tmp' (FORMAT parquet)`;
  const engine = await duckdbEngine({ memoryLimit: '1GB' });
  try {
    await engine.query(sql);
  } finally {
    engine.close();
  }
  renameSync(`${file}.tmp`, file);
  return file;
}

export const spec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'y', kind: 'binary' as const }, { column: 'pre_revenue', kind: 'continuous' as const, preperiod: 'x1' }],
  features: FEATURES,
  segments: ['region'],
  learners: ['t' as const, 's' as const],
  validation: { unit: 'customer_id' },
};

async function open(n: number) {
  const file = await parquet(n);
  return { engine: await duckdbEngine({ memoryLimit: '1GB' }), source: { file } };
}

export const operations = [
  operation({
    name: 'floor: one SELECT of the sums effects, CUPED and segments need (DuckDB, Parquet)',
    sizes: [2_000_000, 14_000_000],
    setup: open,
    run: async ({ engine, source }) =>
      (await engine.query(`SELECT arm, region, COUNT(*) AS n, SUM(y), SUM(y * y), SUM(pre_revenue), SUM(pre_revenue * pre_revenue), SUM(x1), SUM(x1 * x1), SUM(x1 * pre_revenue) FROM read_parquet('${source.file}') GROUP BY 1, 2`)).length,
  }),
  operation({
    name: 'effects, CUPED and segments pushed down (DuckDB, Parquet)',
    sizes: [2_000_000, 14_000_000],
    setup: open,
    run: async ({ engine, source }) => {
      const { effects, segments } = await campaignEffectsSql(engine, source, { treatment: 'arm', control: 'control', outcomes: spec.outcomes, segments: spec.segments });
      return [effects[0]?.absolute.estimate, effects[1]?.cuped?.varianceReduction, segments.length];
    },
  }),
  operation({
    name: 'evaluateCampaignSql full report: CUPED, segments, response models, the policy\'s t/s learners, curves and decisions on every row; learners compared on a 250k sample (DuckDB 1 GB limit)',
    sizes: [2_000_000, 14_000_000],
    setup: open,
    run: async ({ engine, source }) => {
      const report = await evaluateCampaignSql(engine, source, spec, { resamples: 20, maxSampleRows: 250_000 });
      return [report.effects[0]?.absolute.estimate, report.uplift[0]?.chosen];
    },
  }),
];
