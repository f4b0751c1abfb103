import { InputError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { type SqlEngine, type SqlSource, fromClause, numberOf } from './engine.js';
import type { UpliftCurveSqlOptions } from './upliftCurveSql.js';

/** Row count, treated and control counts and outcome sums of a set of ranked rows. @internal */
export interface RankTotals {
  readonly n: number;
  readonly tc: number;
  readonly ts: number;
  readonly cc: number;
  readonly cs: number;
}

const SUMS = ['n', 'tc', 'ts', 'cc', 'cs'] as const;
const ZERO: RankTotals = { n: 0, tc: 0, ts: 0, cc: 0, cs: 0 };

const add = (a: RankTotals, b: RankTotals): RankTotals => ({ n: a.n + b.n, tc: a.tc + b.tc, ts: a.ts + b.ts, cc: a.cc + b.cc, cs: a.cs + b.cs });

/** The score group holding a given rank: its score, the totals of every row scored above it, and its own totals. @internal */
export interface ScoreGroupAt {
  readonly score: number;
  readonly above: RankTotals;
  readonly group: RankTotals;
  /** The key of the group's rows in the statement `keyed` returns (for a follow-up over the group alone). */
  readonly key: number;
}

/** What a ranking over rows in the engine needs: a SELECT giving the columns `s` (score), `t` (1 treated, 0 control) and `y` (and `tie` when `tie` is set), and its row count. @internal */
export interface RankedRows {
  readonly rows: string;
  readonly total: number;
  readonly tie?: boolean;
}

/** Where the ranked rows come from: a score as SQL over a source's rows of one treated arm and the control (as the curves take them), and a column carried as `tie` (the order of rows of equal score). @internal */
export type RankedRowsOptions = Omit<UpliftCurveSqlOptions, 'kind'> & { readonly tieBreak?: string };

/** The SELECT of the scored rows: `s`, `t` (1 treated, 0 control), `y`, and `tie` with a tie-break column. @internal */
export function rankedRowsSql(d: Dialect, source: SqlSource, options: RankedRowsOptions): string {
  const arm = d.text(d.identifier(options.treatment));
  const treated = d.string(String(options.treated));
  const control = d.string(String(options.control));
  const tie = options.tieBreak === undefined ? '' : `, ${d.identifier(options.tieBreak)} AS ${d.identifier('tie')}`;
  return `SELECT ${d.double(`(${options.score})`)} AS ${d.identifier('s')}, CASE WHEN ${arm} = ${treated} THEN 1 ELSE 0 END AS ${d.identifier('t')}, ${d.double(d.identifier(options.outcome))} AS ${d.identifier('y')}${tie} FROM ${fromClause(d, source)} WHERE ${arm} IN (${treated}, ${control})${options.where === undefined ? '' : ` AND (${options.where})`}`;
}

/**
 * The scored rows and their count, from one scan that also refuses a NULL score or outcome. @internal
 *
 * @throws InputError `empty` (no rows of the arm or the control), `not_finite` (a NULL score or outcome)
 */
export async function rankedRows(engine: SqlEngine, d: Dialect, source: SqlSource, options: RankedRowsOptions): Promise<RankedRows> {
  const rows = rankedRowsSql(d, source, options);
  const [s, y] = [d.identifier('s'), d.identifier('y')];
  const count = (await engine.query(`SELECT ${d.double('COUNT(*)')} AS ${d.identifier('n')}, ${d.double(`SUM(CASE WHEN ${s} IS NULL OR ${y} IS NULL THEN 1 ELSE 0 END)`)} AS ${d.identifier('nulls')} FROM (${rows}) AS ${d.identifier('rows')}`))[0] ?? {};
  const total = numberOf(count.n, 'n');
  const nulls = numberOf(count.nulls ?? 0, 'nulls');
  if (total === 0) throw new InputError('empty', 'source', 'no rows of the treated arm or the control');
  if (nulls > 0) throw new InputError('not_finite', 'score', `the score or outcome '${options.outcome}' is NULL in ${nulls} row(s)`);
  return { rows, total, tie: options.tieBreak !== undefined };
}

/** The treated and control counts and outcome sums (`tc`, `ts`, `cc`, `cs`) as SQL aggregates, each followed by `over` (a window) when given. @internal */
export function totalsSql(d: Dialect, over = ''): string {
  const [t, y] = [d.identifier('t'), d.identifier('y')];
  const window = over === '' ? '' : ` ${over}`;
  return [`SUM(${t})`, `SUM(${t} * ${y})`, `SUM(1 - ${t})`, `SUM((1 - ${t}) * ${y})`].map((sum, k) => `${d.double(`${sum}${window}`)} AS ${d.identifier(SUMS[k + 1] as string)}`).join(', ');
}

/** One result row's totals, with `n` rows. */
function totalsOf(row: Readonly<Record<string, unknown>>, n: number): RankTotals {
  return { n, tc: numberOf(row.tc, 'tc'), ts: numberOf(row.ts, 'ts'), cc: numberOf(row.cc, 'cc'), cs: numberOf(row.cs, 'cs') };
}

/**
 * For each rank k (1 … total, in descending score order), the group of rows
 * tied at the k-th score: that score, the totals of the rows scored above it
 * and of the group itself — found without ranking every row. A
 * quantile aggregate (`Dialect.cutPoints`) gives cut points at the ranks,
 * one `GROUP BY` on the cut point interval each row falls in (a nested
 * `CASE`, ≤ 2m + 1 groups) gives exact totals above, at and between the cut
 * points, and a rank that falls strictly between two cut points (an
 * approximate quantile, or a dialect's other rank convention) is resolved by
 * ranking only the rows of that interval, whose score at the rank becomes
 * one more cut point. The engine holds the scores for the quantile (or a
 * sketch of them) and a few groups, never a window over every row.
 * @internal
 */
export async function scoreGroupsAt(engine: SqlEngine, d: Dialect, ranked: RankedRows, ranks: readonly number[]): Promise<{ groups: Map<number, ScoreGroupAt>; keyed: string }> {
  const id = (name: string) => d.identifier(name);
  const total = ranked.total;
  const wanted = [...new Set(ranks.filter((k) => k >= 1 && k <= total))].sort((a, b) => a - b);
  const groups = new Map<number, ScoreGroupAt>();
  const keyed = (points: readonly number[]) => `SELECT ${keyExpression(d, id('s'), points)} AS ${id('key')}, ${id('s')}, ${id('t')}, ${id('y')}${ranked.tie === true ? `, ${id('tie')}` : ''} FROM (${d.fence(ranked.rows)}) AS ${id('ranked')}`;
  if (wanted.length === 0) return { groups, keyed: keyed([]) };
  // Ascending position total − k + 1 read at the middle of its share, so that both engines' discrete rules pick it.
  const probabilities = wanted.map((k) => (total - k + 0.5) / total);
  const quantileRow = (await engine.query(d.cutPoints(id('s'), probabilities, `(${ranked.rows}) AS ${id('ranked')}`)))[0] ?? {};
  let cuts = distinctDescending(probabilities.map((_, k) => numberOf(quantileRow[`q${k}`], 'cut point')));
  for (let round = 0; ; round++) {
    const totals = await keyTotals(engine, d, keyed(cuts), cuts.length);
    const before: RankTotals[] = [];
    let running = ZERO;
    for (const key of totals) {
      before.push(running);
      running = add(running, key);
    }
    const open: { key: number; rank: number }[] = [];
    groups.clear();
    // The ranks ascend, so each one's key is at or after the previous one's.
    let key = 0;
    for (const k of wanted) {
      while (key < totals.length - 1 && (before[key] as RankTotals).n + (totals[key] as RankTotals).n < k) key++;
      if (key % 2 === 1) groups.set(k, { score: cuts[(key - 1) / 2] as number, above: before[key] as RankTotals, group: totals[key] as RankTotals, key });
      else open.push({ key, rank: k - (before[key] as RankTotals).n });
    }
    if (open.length === 0) return { groups, keyed: keyed(cuts) };
    if (round === 2) throw new Error(`scoreGroupsAt: ${open.length} rank(s) still between cut points after refinement`);
    // Rank only the rows of the intervals that hold an unresolved rank; their scores at those ranks become cut points.
    const keys = [...new Set(open.map((o) => o.key))];
    const rn = id('rn');
    const within = `SELECT ${id('key')}, ${id('s')}, ROW_NUMBER() OVER (PARTITION BY ${id('key')} ORDER BY ${id('s')} DESC) AS ${rn} FROM (${keyed(cuts)}) AS ${id('keyed')} WHERE ${id('key')} IN (${keys.join(', ')})`;
    const pick = pickRanks(id('key'), rn, total, open);
    const found = await engine.query(`SELECT ${id('s')} FROM (${within}) AS ${id('within')} WHERE ${pick}`);
    cuts = distinctDescending([...cuts, ...found.map((row) => numberOf(row.s, 'score'))]);
  }
}

/** The rows at given ranks within given keys, as one IN list of key·(total + 1) + rank (an OR of per-key tests makes PostgreSQL's planner run away). */
function pickRanks(key: string, rank: string, total: number, at: readonly { key: number; rank: number }[]): string {
  return `${key} * ${total + 1} + ${rank} IN (${[...new Set(at.map((a) => a.key * (total + 1) + a.rank))].join(', ')})`;
}

function distinctDescending(values: readonly number[]): number[] {
  return [...new Set(values.filter((v) => !Number.isNaN(v)).map((v) => (Object.is(v, -0) ? 0 : v)))].sort((a, b) => b - a);
}

/**
 * The interval key of a score against cut points c₀ > c₁ > … > c_{m−1}:
 * 2i for the open interval (c_i, c_{i−1}) (above c₀ when i = 0), 2i + 1 for
 * a score equal to c_i, 2m below c_{m−1}. A nested `CASE` that halves the
 * cut points at each level, so a row takes about log₂ m comparisons.
 */
export function keyExpression(d: Dialect, s: string, cuts: readonly number[]): string {
  const node = (lo: number, hi: number): string => {
    if (lo === hi) return String(2 * lo);
    const mid = (lo + hi) >> 1;
    const c = d.number(cuts[mid] as number);
    return `CASE WHEN ${s} > ${c} THEN ${node(lo, mid)} WHEN ${s} = ${c} THEN ${2 * mid + 1} ELSE ${node(mid + 1, hi)} END`;
  };
  return node(0, cuts.length);
}

/** The totals of every key 0 … 2m (zeros for an empty one), from one GROUP BY. */
async function keyTotals(engine: SqlEngine, d: Dialect, keyed: string, m: number): Promise<RankTotals[]> {
  const id = (name: string) => d.identifier(name);
  const result = await engine.query(`SELECT ${id('key')}, ${d.double('COUNT(*)')} AS ${id('n')}, ${totalsSql(d)} FROM (${keyed}) AS ${id('keyed')} GROUP BY ${id('key')}`);
  const totals: RankTotals[] = Array.from({ length: 2 * m + 1 }, () => ZERO);
  for (const row of result) totals[numberOf(row.key, 'key')] = totalsOf(row, numberOf(row.n, 'n'));
  return totals;
}

/**
 * The totals of the top k rows by descending score, ties by the column
 * `tie` descending, for each k in `ranks` (0 gives no rows): `scoreGroupsAt`
 * finds each k's score group; when k ends inside a group of tied scores, only
 * the rows of such groups are ranked by `tie` (one window over them, not over
 * every row). @internal
 */
export async function topTotals(engine: SqlEngine, d: Dialect, ranked: RankedRows, ranks: readonly number[]): Promise<Map<number, RankTotals>> {
  const id = (name: string) => d.identifier(name);
  const { groups, keyed } = await scoreGroupsAt(engine, d, ranked, ranks);
  const out = new Map<number, RankTotals>([[0, ZERO]]);
  const split: { k: number; key: number; rank: number; above: RankTotals }[] = [];
  for (const [k, g] of groups) {
    const inGroup = k - g.above.n;
    if (inGroup === g.group.n) out.set(k, add(g.above, g.group));
    else split.push({ k, key: g.key, rank: inGroup, above: g.above });
  }
  if (split.length > 0) {
    const keys = [...new Set(split.map((p) => p.key))];
    const over = `OVER (PARTITION BY ${id('key')} ORDER BY ${id('tie')} DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    const rn = id('rn');
    const running = `SELECT ${id('key')}, ROW_NUMBER() ${over} AS ${rn}, ${totalsSql(d, over)} FROM (${keyed}) AS ${id('keyed')} WHERE ${id('key')} IN (${keys.join(', ')})`;
    const pick = pickRanks(id('key'), rn, ranked.total, split);
    const rows = await engine.query(`SELECT * FROM (${running}) AS ${id('running')} WHERE ${pick}`);
    const found = new Map(rows.map((row) => [`${numberOf(row.key, 'key')}:${numberOf(row.rn, 'rn')}`, row]));
    for (const p of split) {
      const row = found.get(`${p.key}:${p.rank}`);
      if (row === undefined) throw new Error(`topTotals: no row at rank ${p.rank} of score group ${p.key}`);
      out.set(p.k, add(p.above, totalsOf(row, p.rank)));
    }
  }
  return out;
}

export { add as addTotals, ZERO as NO_ROWS };
