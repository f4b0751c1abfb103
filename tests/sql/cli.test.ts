import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignSpec, evaluateCampaign, fromColumns } from 'promolens';
import { expectAgree } from './agree.js';
import { CAMPAIGN_COLUMNS, type CampaignRow, campaignRows } from './campaignData.js';
import { PG_URL, type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

// The built command line (npm test builds before it runs the tests).
const cli = fileURLToPath(new URL('../../dist/node/cli.js', import.meta.url));
const rows = campaignRows(900, 23);
const table = `promolens_cli_${process.pid}`;
const args = ['--treatment', 'arm', '--control', 'control', '--outcome', 'conversion:binary', '--outcome', 'spend:continuous', '--features', 'recency,history,channel', '--segments', 'region', '--learners', 't', '--unit', 'customer_id', '--quiet'];
const spec: CampaignSpec = {
  treatment: { column: 'arm', control: 'control' },
  outcomes: [{ column: 'conversion', kind: 'binary' }, { column: 'spend', kind: 'continuous' }],
  features: ['recency', 'history', 'channel'],
  segments: ['region'],
  learners: ['t'],
  validation: { unit: 'customer_id' },
};

function inMemory(list: readonly CampaignRow[]) {
  const columns: Record<string, Float64Array | (string | null)[]> = {};
  for (const [name, type] of Object.entries(CAMPAIGN_COLUMNS)) {
    const key = name as keyof CampaignRow;
    columns[name] = type === 'TEXT' ? list.map((r) => r[key] as string | null) : Float64Array.from(list, (r) => (r[key] === null ? Number.NaN : Number(r[key])));
  }
  return evaluateCampaign(fromColumns(columns), spec);
}

function run(extra: readonly string[]) {
  const result = spawnSync(process.execPath, [cli, 'evaluate', ...extra, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

describe('promolens evaluate through SQL engines', () => {
  let duck: TestEngine;
  let pg: TestEngine | null = null;
  const parquet = join(mkdtempSync(join(tmpdir(), 'promolens-sql-')), 'campaign.parquet');
  beforeAll(async () => {
    duck = await openDuckdb();
    await loadTable(duck, 'campaign', CAMPAIGN_COLUMNS, rows as unknown as Record<string, unknown>[]);
    await duck.engine.query(`COPY campaign TO '${parquet}' (FORMAT parquet)`);
    pg = await openPostgres();
    if (pg !== null) await loadTable(pg, table, CAMPAIGN_COLUMNS, rows as unknown as Record<string, unknown>[]);
  }, 120_000);
  afterAll(async () => {
    await duck.close();
    if (pg !== null) {
      await pg.engine.query(`DROP TABLE IF EXISTS "${table}"`);
      await pg.close();
    }
  });

  it('evaluates a Parquet file through DuckDB as evaluateCampaign does in memory', () => {
    expectAgree(run([parquet]), inMemory(rows), 1e-9);
  });

  it('evaluates a PostgreSQL table named by --postgres and --table', (context) => {
    if (pg === null) return context.skip();
    expectAgree(run(['--postgres', PG_URL, '--table', table]), inMemory(rows), 1e-9);
  });

  it('says what is missing for a PostgreSQL source without a table', () => {
    const result = spawnSync(process.execPath, [cli, 'evaluate', '--postgres', PG_URL, ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--table/);
  });
});
