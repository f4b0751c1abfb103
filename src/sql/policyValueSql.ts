import { InputError } from '../errors.js';
import type { PolicyEstimate } from '../policy/policyValue.js';
import { normalQuantile } from '../stats/normal.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

/** One arm's economics, as `policyValue` resolves them. */
export interface ArmEconomicsSql {
  readonly valuePerUnit: number;
  readonly costPerTreated: number;
  readonly costPerConversion: number;
  readonly fixedCost: number;
}

export interface PolicyValueSqlOptions {
  readonly treatment: string;
  readonly control: string;
  /** The treated arms, in the order of `predictions.arms` and of the indices `action` gives. */
  readonly arms: readonly string[];
  readonly outcome: string;
  /** SQL: the index into `arms` of the arm the policy gives the row, or −1 for none. */
  readonly action: string;
  /** SQL: each row's predicted outcome without an offer and with each arm (from models that did not see these rows). */
  readonly predictions: { readonly control: string; readonly arms: readonly string[] };
  /** Per arm, in `arms` order. */
  readonly economics: readonly ArmEconomicsSql[];
  /** An extra condition: the holdout rows. */
  readonly where?: string;
  /** Customers the estimates are scaled to. Default: the rows. */
  readonly population?: number;
  /** Interval level 1 − alpha. Default 0.05. */
  readonly alpha?: number;
}

/** Rows and outcome totals of one experiment group (the control or an arm) within one policy action (−1: none). */
export interface PolicyCell {
  readonly group: string;
  readonly action: number;
  readonly rows: number;
  readonly outcomeSum: number;
}

export interface PolicyValueSql {
  readonly rows: number;
  readonly population: number;
  /** Customers the policy gives each arm, scaled to the population. */
  readonly targeted: number[];
  /** The doubly robust estimates, as `policyValue`'s `dr`. */
  readonly policy: PolicyEstimate;
  readonly treatAll: { readonly arm: string; readonly dr: PolicyEstimate }[];
  readonly versusTreatAll: { readonly arm: string; readonly dr: PolicyEstimate };
  readonly alpha: number;
  /** Rows and outcome sums per experiment group and policy action, for the decisions' row and event counts. */
  readonly cells: PolicyCell[];
}

/**
 * `policyValue`'s doubly robust estimates computed in the engine over the
 * rows where they live: one GROUP BY (experiment group, policy action) of
 * the counts, outcome sums, prediction sums and own-arm residual sums gives
 * the point estimates, the same function of the same sums as in memory (to
 * 1e-9); a second GROUP BY experiment group of each estimate's per-row
 * contribution φ and of φ², φ·φ' gives the variance the stratified bootstrap
 * converges to — every estimate is a weighted sum Σ wᵢφᵢ with the group
 * sizes fixed, so under resampling within groups its variance is
 * Σ_g (Σφ² − (Σφ)²/n_g) exactly — and the interval is normal, estimate ±
 * z·SE, where `policyValue` reads the percentiles of its resamples. @internal
 *
 * @throws InputError `empty` (no rows), `single_class` (a group without rows), `not_finite` (a NULL prediction or outcome)
 */
export async function policyValueSql(engine: SqlEngine, source: SqlSource, options: PolicyValueSqlOptions): Promise<PolicyValueSql> {
  const d = engineDialect(engine);
  const id = (name: string) => d.identifier(name);
  const k = options.arms.length;
  const alpha = options.alpha ?? 0.05;
  const labels = [options.control, ...options.arms];
  const armText = d.text(id(options.treatment));
  const group = `CASE ${labels.map((label, g) => `WHEN ${armText} = ${d.string(label)} THEN ${g}`).join(' ')} END`;
  const m = (b: number) => id(`m${b}`);
  const y = id('y');
  const own = `CASE ${id('g')} ${labels.map((_, g) => `WHEN ${g} THEN ${y} - ${m(g)}`).join(' ')} END`;
  const rows = d.fence(
    `SELECT ${group} AS ${id('g')}, ${d.double(`(${options.action})`)} AS ${id('a')}, ${d.double(id(options.outcome))} AS ${y}, ${[options.predictions.control, ...options.predictions.arms].map((p, b) => `${d.double(`(${p})`)} AS ${m(b)}`).join(', ')} FROM ${fromClause(d, source)} WHERE ${armText} IN (${labels.map((l) => d.string(l)).join(', ')})${options.where === undefined ? '' : ` AND (${options.where})`}`,
  );
  const sums = ['rows', 'sy', ...labels.map((_, b) => `sm${b}`), 'sr', 'nulls'];
  const nulls = [y, ...labels.map((_, b) => m(b))].map((c) => `${c} IS NULL`).join(' OR ');
  const first = await engine.query(
    `SELECT ${id('g')}, ${id('a')}, ${d.double('COUNT(*)')} AS ${id('rows')}, ${d.double(`SUM(${y})`)} AS ${id('sy')}, ${labels.map((_, b) => `${d.double(`SUM(${m(b)})`)} AS ${id(`sm${b}`)}`).join(', ')}, ${d.double(`SUM(${own})`)} AS ${id('sr')}, ${d.double(`SUM(CASE WHEN ${nulls} THEN 1 ELSE 0 END)`)} AS ${id('nulls')} FROM (${rows}) AS ${id('rows')} GROUP BY ${id('g')}, ${id('a')}`,
  );
  const cells = first.map((row) => Object.fromEntries([['g', numberOf(row.g, 'g')], ['a', numberOf(row.a, 'a')], ...sums.map((c) => [c, numberOf(row[c], c)])]) as Record<string, number>);
  if (cells.some((c) => (c.nulls as number) > 0)) throw new InputError('not_finite', options.outcome, 'a prediction or the outcome is NULL in some holdout rows');
  const count = new Float64Array(k + 1);
  for (const c of cells) count[c.g as number]! += c.rows as number;
  const total = count.reduce((a, b) => a + b, 0);
  if (total === 0) throw new InputError('empty', 'source', 'no holdout rows of the control or the arms');
  count.forEach((size, g) => {
    if (size === 0) throw new InputError('single_class', options.treatment, `no holdout row is in ${g === 0 ? 'the control' : `arm ${JSON.stringify(labels[g])}`}`);
  });
  // The sums policyValue's estimator accumulates, from the cells.
  const sum = (pick: (c: Record<string, number>) => boolean, column: string) => cells.reduce((acc, c) => acc + (pick(c) ? (c[column] as number) : 0), 0);
  const n0 = count[0] as number;
  const point = new Float64Array(1 + k);
  const targeted = new Array<number>(k).fill(0);
  for (let a = 0; a < k; a++) {
    const e = options.economics[a] as ArmEconomicsSql;
    const gain = e.valuePerUnit - e.costPerConversion;
    const na = count[a + 1] as number;
    const inCell = (c: Record<string, number>) => c.a === a;
    targeted[a] = sum(inCell, 'rows');
    const treated = (sum(inCell, `sm${a + 1}`) + (sum((c) => c.a === a && c.g === a + 1, 'sr') * total) / na) / total;
    const untreated = (sum(inCell, 'sm0') + (sum((c) => c.a === a && c.g === 0, 'sr') * total) / n0) / total;
    point[0]! += gain * treated - e.valuePerUnit * untreated - e.costPerTreated * ((targeted[a] as number) / total);
    const allTreated = (sum(() => true, `sm${a + 1}`) + (sum((c) => c.g === a + 1, 'sr') * total) / na) / total;
    const allUntreated = (sum(() => true, 'sm0') + (sum((c) => c.g === 0, 'sr') * total) / n0) / total;
    point[1 + a] = gain * allTreated - e.valuePerUnit * allUntreated - e.costPerTreated;
  }
  // Per-row contributions: φ_policy and φ_b for sending arm b to everyone.
  const lit = (v: number) => d.number(v);
  const a = id('a');
  const g = id('g');
  const sideOf = (b: number) => {
    const e = options.economics[b] as ArmEconomicsSql;
    const gain = e.valuePerUnit - e.costPerConversion;
    return `${lit(gain)} * (${m(b + 1)} / ${lit(total)} + CASE WHEN ${g} = ${b + 1} THEN (${y} - ${m(b + 1)}) / ${lit(count[b + 1] as number)} ELSE 0 END) - ${lit(e.valuePerUnit)} * (${m(0)} / ${lit(total)} + CASE WHEN ${g} = 0 THEN (${y} - ${m(0)}) / ${lit(n0)} ELSE 0 END) - ${lit(e.costPerTreated / total)}`;
  };
  const phiPolicy = `CASE ${options.arms.map((_, b) => `WHEN ${a} = ${b} THEN ${sideOf(b)}`).join(' ')} ELSE 0 END`;
  const phis = [phiPolicy, ...options.arms.map((_, b) => sideOf(b))];
  const withPhi = d.fence(`SELECT ${g}, ${phis.map((phi, j) => `${d.double(phi)} AS ${id(`f${j}`)}`).join(', ')} FROM (${rows}) AS ${id('rows')}`);
  const f = (j: number) => id(`f${j}`);
  const moments = [
    ...phis.map((_, j) => `${d.double(`SUM(${f(j)})`)} AS ${id(`s${j}`)}, ${d.double(`SUM(${f(j)} * ${f(j)})`)} AS ${id(`q${j}`)}`),
    ...options.arms.map((_, b) => `${d.double(`SUM(${f(0)} * ${f(b + 1)})`)} AS ${id(`c${b + 1}`)}`),
  ];
  const second = await engine.query(`SELECT ${g}, ${moments.join(', ')} FROM (${withPhi}) AS ${id('phi')} GROUP BY ${g}`);
  const population = options.population ?? total;
  if (!(population > 0)) throw new InputError('invalid_option', 'population', `population must be > 0, got ${population}`);
  const z = normalQuantile(1 - alpha / 2);
  // Σ_g (Σ(u − v)² − (Σ(u − v))² / n_g) for u = φ_j and v = φ_ref (or 0).
  const variance = (j: number, ref: number | null) => {
    let v = 0;
    for (const row of second) {
      const ng = count[numberOf(row.g, 'g')] as number;
      const s = numberOf(row[`s${j}`], 's') - (ref === null ? 0 : numberOf(row[`s${ref}`], 's'));
      const q = numberOf(row[`q${j}`], 'q') + (ref === null ? 0 : numberOf(row[`q${ref}`], 'q') - 2 * numberOf(row[`c${ref}`], 'c'));
      v += Math.max(0, q - (s * s) / ng);
    }
    return v;
  };
  const estimate = (value: number, v: number, fixedCost: number): PolicyEstimate => {
    const centre = value * population - fixedCost;
    const se = Math.sqrt(v) * population;
    return { estimate: centre, standardError: se, ci: [centre - z * se, centre + z * se] };
  };
  const fixed = options.economics.reduce((acc, e, b) => acc + ((targeted[b] as number) > 0 ? e.fixedCost : 0), 0);
  let best = 0;
  for (let b = 1; b < k; b++) {
    const fb = (options.economics[b] as ArmEconomicsSql).fixedCost;
    const fBest = (options.economics[best] as ArmEconomicsSql).fixedCost;
    if ((point[1 + b] as number) - fb / population > (point[1 + best] as number) - fBest / population) best = b;
  }
  const scale = population / total;
  return {
    rows: total,
    population,
    targeted: targeted.map((t) => t * scale),
    policy: estimate(point[0] as number, variance(0, null), fixed),
    treatAll: options.arms.map((arm, b) => ({ arm, dr: estimate(point[1 + b] as number, variance(1 + b, null), (options.economics[b] as ArmEconomicsSql).fixedCost) })),
    versusTreatAll: { arm: options.arms[best] as string, dr: estimate((point[0] as number) - (point[1 + best] as number), variance(0, 1 + best), fixed - (options.economics[best] as ArmEconomicsSql).fixedCost) },
    alpha,
    cells: cells.map((c) => ({ group: labels[c.g as number] as string, action: c.a as number, rows: c.rows as number, outcomeSum: c.sy as number })),
  };
}
