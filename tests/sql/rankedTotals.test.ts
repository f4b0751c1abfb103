import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dialect, sqlDialect } from 'promolens/sql';
import { scoreGroupsAt, topTotals } from '../../src/sql/rankedTotals.js';
import { type TestEngine, loadTable, openDuckdb, openPostgres } from './engines.js';

// Totals at ranks of a descending score, found by cut points and a GROUP BY, checked against a plain sort in JavaScript.

type Row = { s: number; t: number; y: number; tie: number };

function rowsOf(n: number, seed: number, distinct: number | null): Row[] {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    // Ties: a few distinct scores (whole groups straddle cut-offs), or continuous scores with a few exact repeats.
    const s = distinct === null ? (next() < 0.1 ? 0.25 : next() * 2 - 1) : Math.floor(next() * distinct) / 4;
    return { s, t: next() < 0.5 ? 1 : 0, y: next() < 0.3 ? Math.round(next() * 100) / 8 : 0, tie: (i * 7919) % n };
  });
}

/** The top-k totals and the score group at rank k from the rows sorted by score, then tie, descending. */
function expected(rows: readonly Row[], k: number) {
  const sorted = [...rows].sort((a, b) => b.s - a.s || b.tie - a.tie);
  const sum = (part: readonly Row[]) => ({
    n: part.length,
    tc: part.filter((r) => r.t === 1).length,
    ts: part.reduce((a, r) => a + r.t * r.y, 0),
    cc: part.filter((r) => r.t === 0).length,
    cs: part.reduce((a, r) => a + (1 - r.t) * r.y, 0),
  });
  const score = k > 0 ? (sorted[k - 1] as Row).s : Number.NaN;
  return { top: sum(sorted.slice(0, k)), score, above: sum(sorted.filter((r) => r.s > score)), group: sum(sorted.filter((r) => r.s === score)) };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Dialects whose cut points miss the ranks: interpolated quantiles, or a few values unrelated to them. */
function missing(d: Dialect, how: 'interpolated' | 'coarse'): Dialect {
  return {
    ...d,
    cutPoints: (e, probabilities, from) =>
      how === 'interpolated'
        ? `SELECT ${probabilities.map((p, k) => `${d.quantile(e, p) as string} AS q${k}`).join(', ')} FROM ${from}`
        : `SELECT ${probabilities.map((_, k) => `${d.number([0.5, -0.3, 7, 0.25][k % 4] as number)} AS q${k}`).join(', ')} FROM ${from}`,
  };
}

describe.each([
  ['duckdb', openDuckdb],
  ['postgres', openPostgres],
] as const)('ranked totals on %s', (_name, open) => {
  let test: TestEngine | null = null;
  const table = `promolens_ranked_${process.pid}`;
  const cases = [
    { name: 'continuous scores with repeats', rows: rowsOf(400, 3, null) },
    { name: 'five distinct scores', rows: rowsOf(300, 5, 5) },
    { name: 'one score', rows: rowsOf(50, 7, 1) },
  ];
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test?.close();
  });

  for (const { name, rows } of cases) {
    for (const how of ['exact', 'interpolated', 'coarse'] as const) {
      it(`${name}, ${how} cut points: every rank's score group and top totals`, async (context) => {
        if (test === null) return context.skip();
        await loadTable(test, table, { s: 'DOUBLE', t: 'INTEGER', y: 'DOUBLE', tie: 'BIGINT' }, rows);
        const base = sqlDialect(test.engine.dialect);
        const d = how === 'exact' ? base : missing(base, how);
        const ranked = { rows: `SELECT "s", "t", "y", "tie" FROM "${table}"`, total: rows.length, tie: true };
        const ranks = Array.from({ length: rows.length + 1 }, (_, k) => k);
        const { groups } = await scoreGroupsAt(test.engine, d, ranked, ranks);
        const top = await topTotals(test.engine, d, ranked, ranks);
        expect(groups.size).toBe(rows.length);
        for (const k of ranks) {
          const want = expected(rows, k);
          const got = top.get(k);
          expect(got, `rank ${k}`).toBeDefined();
          for (const c of ['n', 'tc', 'ts', 'cc', 'cs'] as const) expect(close(got?.[c] as number, want.top[c]), `top ${k} ${c}: ${got?.[c]} vs ${want.top[c]}`).toBe(true);
          if (k === 0) continue;
          const g = groups.get(k);
          expect(g?.score).toBe(want.score);
          for (const c of ['n', 'tc', 'ts', 'cc', 'cs'] as const) {
            expect(close(g?.above[c] as number, want.above[c]), `above ${k} ${c}`).toBe(true);
            expect(close(g?.group[c] as number, want.group[c]), `group ${k} ${c}`).toBe(true);
          }
        }
      });
    }
  }
});
