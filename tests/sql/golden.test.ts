import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { transform } from 'promolens/features';
import { type TargetingPolicy, type TargetingSpec, fitTargetingPolicy } from 'promolens/policy';
import { gradientBoostingLearner } from 'promolens/trees';
import { fitMetaLearner } from 'promolens/uplift';
import { keyExpression } from '../../src/sql/rankedTotals.js';
import { CAMPAIGN_COLUMNS, type CampaignRow, campaignRows } from './campaignData.js';
import { DIALECTS, type DialectName, type SqlEngine, adjustedRatioSumsSql, armSumsSql, clusterMomentsSql, clusterScoresSql, clusterSumsSql, holdoutSql, logisticPassSql, policyToSql, quantilesSql, sqlDialect, unitChecksSql, upliftCurveSql } from 'promolens/sql';

// The SQL promolens writes for the dialects the tests cannot execute (Spark, Trino, BigQuery,
// Snowflake) is pinned by golden files, reviewed by hand against each dialect's reference;
// DuckDB's and PostgreSQL's are pinned too and also executed (tests/sql/pushdown.test.ts).
// Regenerate after a deliberate change with UPDATE_GOLDEN=1.

async function statements(name: DialectName): Promise<string> {
  const recorded: string[] = [];
  const engine: SqlEngine = { dialect: name, query: async (sql) => (recorded.push(sql), []) };
  const d = sqlDialect(name);
  const source = { table: 'shop.campaign' };
  await armSumsSql(engine, source, { treatment: 'arm', outcome: 'spend', preperiod: 'pre_spend', groupBy: ['region'], where: holdoutSql(d, 'customer_id', 0.3, false) });
  await clusterSumsSql(engine, { query: 'SELECT * FROM orders' }, { treatment: 'arm', cluster: 'store', outcome: 'spend' }).catch(() => undefined);
  recorded.push(logisticPassSql(d, source, { features: ['recency', { name: 'web', sql: `CASE WHEN channel = ${d.string("web's")} THEN 1 ELSE 0 END` }], outcome: 'conversion' }, Float64Array.of(-1.25, 0.125, 3e-7)));
  try {
    await quantilesSql(engine, source, 'spend', [0.01, 0.99]);
  } catch (error) {
    recorded.push(`-- quantiles: ${(error as Error).message}`);
  }
  await upliftCurveSql(engine, source, { score: 'score', outcome: 'conversion', treatment: 'arm', treated: 'email', control: 'control', where: holdoutSql(d, 'customer_id', 0.3) }).catch(() => undefined);
  recorded.push(`-- holdout: ${holdoutSql(d, 'customer_id', 0.3)}`);
  // The ranked curves' cut points (quantiles at ranks) and the interval key of a score against them, the scored rows fenced.
  recorded.push(d.cutPoints(d.identifier('s'), [0.125, 0.5, 0.995], 'shop.scored'));
  recorded.push(`SELECT ${keyExpression(d, d.identifier('s'), [0.75, 0.25, -0.5])} AS ${d.identifier('key')} FROM (${d.fence('SELECT score AS s FROM shop.scored')}) AS ${d.identifier('ranked')}`);
  // Cluster-robust effects (moments by level; pre-period scores), the regression-adjusted ratio, the unit checks.
  await clusterMomentsSql(engine, source, { treatment: 'arm', cluster: 'store', arms: ['control', 'email'], outcomes: [{ column: 'spend', cap: 250.5, centres: [31.25, 33.5] }], segment: 'region' }).catch(() => undefined);
  await clusterScoresSql(engine, source, { treatment: 'arm', cluster: 'store', outcome: 'spend', preperiod: 'pre_spend', pairs: [{ baseline: 'control', arm: 'email', centre: 27.5, beta: [12.25, 1.5, 0.625] }] }).catch(() => undefined);
  await adjustedRatioSumsSql(engine, source, { treatment: 'arm', numerator: 'spend', denominator: 'visits', preNumerator: 'pre_spend', preDenominator: 'pre_visits' }).catch(() => undefined);
  await unitChecksSql(engine, source, { treatment: 'arm', unit: 'customer_id', numeric: true }).catch(() => undefined);
  return `${recorded.join(';\n\n')};\n`;
}

describe('golden SQL', () => {
  it.each(DIALECTS.map((name) => ({ name })))('$name SQL is the reviewed text', async ({ name }) => {
    const text = await statements(name);
    const file = new URL(`../fixtures/sql/${name}.sql`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('quotes identifiers and strings per dialect', () => {
    expect(sqlDialect('spark').identifier('a`b')).toBe('`a``b`');
    expect(sqlDialect('bigquery').string("it's")).toBe("'it\\'s'");
    expect(sqlDialect('postgres').identifier('a"b')).toBe('"a""b"');
    expect(sqlDialect('duckdb').number(0.1 + 0.2)).toBe('CAST(3.0000000000000004e-1 AS DOUBLE)');
  });
});

/** A policy with every number cut to 6 significant digits, so the golden text does not move with the last bits of a fit. */
function roundedPolicy(policy: TargetingPolicy): TargetingPolicy {
  return JSON.parse(JSON.stringify(policy), (_key, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value)) as TargetingPolicy;
}

function policyStatements(name: DialectName): string {
  const rows = campaignRows(1500, 11);
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [column, type] of Object.entries(CAMPAIGN_COLUMNS)) {
    const key = column as keyof CampaignRow;
    columns[column] = type === 'TEXT' ? rows.map((r) => r[key] as string | null) : Float64Array.from(rows, (r) => (r[key] === null ? Number.NaN : Number(r[key])));
  }
  const spec: TargetingSpec = {
    treatment: { column: 'arm', control: 'control' },
    outcomes: [{ column: 'conversion', kind: 'binary' }],
    features: { numeric: { recency: { scale: 'standard' }, score: { impute: 'median', indicator: true, scale: 'standard' } }, categorical: { channel: { unknown: 'ignore', drop: 'first' } } },
    economics: { email: { valuePerUnit: 40, costPerTreated: 0.5, costPerConversion: 3, fixedCost: 100 }, sms: { valuePerUnit: 40, costPerTreated: 0.2 } },
    unit: 'customer_id',
    learners: ['t'],
  };
  const policy = roundedPolicy(fitTargetingPolicy(fromColumns(columns), spec));
  const options = { dialect: name, table: 'shop.customers' };
  const X = transform(policy.pipeline, fromColumns(columns)).matrix;
  const trees = roundedPolicy({ ...policy, models: [{ ...(policy.models[0] as TargetingPolicy['models'][number]), uplift: fitMetaLearner('t', X, Float64Array.from(rows, (r) => r.conversion), rows.map((r) => r.arm), { control: 'control', learner: gradientBoostingLearner({ maxIterations: 2, maxLeaves: 3, maxBins: 16 }) }) }, ...policy.models.slice(1)] });
  return [
    `-- fixed cost on email: one withdrawal round\n${policyToSql(policy, options)}`,
    `-- a budget over two arms at its price\n${policyToSql(policy, { ...options, budget: 500, budgetPrice: 0.25 })}`,
    `-- gradient-boosted trees as CASE expressions, no fixed cost\n${policyToSql({ ...trees, economics: trees.economics.map((e) => ({ ...e, fixedCost: 0 })) }, options)}`,
  ].join(';\n\n') + ';\n';
}

describe('golden policy SQL', () => {
  it.each(DIALECTS.map((name) => ({ name })))('$name policy SQL is the reviewed text', ({ name }) => {
    const text = policyStatements(name);
    const file = new URL(`../fixtures/sql/policy-${name}.sql`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});

describe('optional engines', () => {
  it('keeps @duckdb/node-api and pg out of the portable core', async () => {
    const { readdirSync, readFileSync: read } = await import('node:fs');
    const src = new URL('../../src/', import.meta.url);
    const walk = (dir: URL): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? (entry.name === 'node' ? [] : walk(new URL(`${entry.name}/`, dir))) : [new URL(entry.name, dir).pathname],
      );
    for (const file of walk(src)) expect(read(file, 'utf8'), file).not.toMatch(/(from|import\()\s*['"](@duckdb\/node-api|pg)['"]/);
  });
});
