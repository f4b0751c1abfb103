import { InputError } from '../errors.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';
import { groupedSums } from './groupedSums.js';

/** One outcome of {@link clusterMomentsSql}: its column, its cap, and the centre of each arm's values. */
export interface ClusterMomentsRequest {
  readonly column: string;
  /** An upper cap, as the outcome's sums apply it. */
  readonly cap?: number;
  /** Per arm (in the order of `arms`): the value subtracted from each row's outcome, the arm's mean over every row. */
  readonly centres: readonly number[];
}

/**
 * Per arm j, over the clusters of a level (or of every row): g = clusters
 * with a row of arm j, and with S_g the total of (y − centre_j) and n_g the
 * rows of arm j in cluster g, Σ S_g², Σ S_g·n_g and Σ n_g²; per pair of
 * arms (j, l) the clusters with a row of either, Σ S_j·S_l, Σ S_j·n_l,
 * Σ n_j·S_l and Σ n_j·n_l.
 */
export interface ClusterArmMoments {
  readonly clusters: readonly number[];
  readonly ss: readonly number[];
  readonly sn: readonly number[];
  readonly nn: readonly number[];
  /** By pair key `${j},${l}` (j < l). */
  readonly pairs: ReadonlyMap<string, { readonly clusters: number; readonly ss: number; readonly sn: number; readonly ns: number; readonly nn: number }>;
}

/**
 * The moments of the CR1 sandwich of every arm pair on each outcome, by one
 * statement: an inner GROUP BY cluster (and the segment's level) of each
 * arm's row count and centred total, inside an aggregate of their squares
 * and products (by level). Whole clusters never leave the engine; a few
 * rows per level do. Outcomes are capped as their sums are. The residual
 * moments of `compareClusteredMoments` follow from these with each level's
 * arm means (see `residualMoments`).
 *
 * @throws InputError `not_finite` (a NULL cluster)
 */
export async function clusterMomentsSql(
  engine: SqlEngine,
  source: SqlSource,
  options: { readonly treatment: string; readonly cluster: string; readonly arms: readonly string[]; readonly outcomes: readonly ClusterMomentsRequest[]; readonly segment?: string },
): Promise<Map<string | null, ClusterArmMoments[]>> {
  const d = engineDialect(engine);
  const arm = d.text(d.identifier(options.treatment));
  const cluster = d.identifier(options.cluster);
  const nulls = await engine.query(`SELECT ${d.double('COUNT(*)')} AS ${d.identifier('n')} FROM ${fromClause(d, source)} WHERE ${cluster} IS NULL`);
  const missing = numberOf(nulls[0]?.n, 'n');
  if (missing > 0) throw new InputError('not_finite', options.cluster, `cluster '${options.cluster}' is missing (NULL) in ${missing} row(s)`);
  const inner: string[] = [`${d.text(cluster)} AS ${d.identifier('c')}`];
  if (options.segment !== undefined) inner.push(`${d.text(d.identifier(options.segment))} AS ${d.identifier('level')}`);
  options.outcomes.forEach((o, k) => {
    const value = d.double(d.identifier(o.column));
    const y = o.cap === undefined ? value : `(CASE WHEN ${value} > ${d.number(o.cap)} THEN ${d.number(o.cap)} ELSE ${value} END)`;
    options.arms.forEach((name, j) => {
      const inArm = `${arm} = ${d.string(name)}`;
      inner.push(`${d.double(`COUNT(CASE WHEN ${inArm} THEN ${y} END)`)} AS ${d.identifier(`n${k}_${j}`)}`);
      inner.push(`${d.double(`COALESCE(SUM(CASE WHEN ${inArm} THEN ${y} - ${d.number(o.centres[j] as number)} END), 0)`)} AS ${d.identifier(`s${k}_${j}`)}`);
    });
  });
  const where = options.segment === undefined ? `${d.identifier(options.treatment)} IS NOT NULL` : `${d.identifier(options.treatment)} IS NOT NULL AND ${d.identifier(options.segment)} IS NOT NULL`;
  const groupBy = options.segment === undefined ? '1' : '1, 2';
  const query = `SELECT ${inner.join(', ')} FROM ${fromClause(d, source)} WHERE ${where} GROUP BY ${groupBy}`;
  const aggregates: Record<string, string> = {};
  options.outcomes.forEach((_, k) => {
    const n = (j: number) => d.identifier(`n${k}_${j}`);
    const s = (j: number) => d.identifier(`s${k}_${j}`);
    options.arms.forEach((_name, j) => {
      aggregates[`g${k}_${j}`] = `SUM(CASE WHEN ${n(j)} > 0 THEN 1 ELSE 0 END)`;
      aggregates[`ss${k}_${j}`] = `SUM(${s(j)} * ${s(j)})`;
      aggregates[`sn${k}_${j}`] = `SUM(${s(j)} * ${n(j)})`;
      aggregates[`nn${k}_${j}`] = `SUM(${n(j)} * ${n(j)})`;
      for (let l = j + 1; l < options.arms.length; l++) {
        aggregates[`g${k}_${j}_${l}`] = `SUM(CASE WHEN ${n(j)} + ${n(l)} > 0 THEN 1 ELSE 0 END)`;
        aggregates[`ss${k}_${j}_${l}`] = `SUM(${s(j)} * ${s(l)})`;
        aggregates[`sn${k}_${j}_${l}`] = `SUM(${s(j)} * ${n(l)})`;
        aggregates[`ns${k}_${j}_${l}`] = `SUM(${n(j)} * ${s(l)})`;
        aggregates[`nn${k}_${j}_${l}`] = `SUM(${n(j)} * ${n(l)})`;
      }
    });
  });
  const rows = await groupedSums(engine, { query }, { aggregates, ...(options.segment === undefined ? {} : { groupBy: { level: d.identifier('level') } }) });
  const out = new Map<string | null, ClusterArmMoments[]>();
  for (const { keys, values } of rows) {
    const v = (name: string) => values[name] ?? 0;
    out.set(
      options.segment === undefined ? null : (keys.level ?? null),
      options.outcomes.map((_, k) => {
        const pairs = new Map<string, { clusters: number; ss: number; sn: number; ns: number; nn: number }>();
        options.arms.forEach((_name, j) => {
          for (let l = j + 1; l < options.arms.length; l++) pairs.set(`${j},${l}`, { clusters: v(`g${k}_${j}_${l}`), ss: v(`ss${k}_${j}_${l}`), sn: v(`sn${k}_${j}_${l}`), ns: v(`ns${k}_${j}_${l}`), nn: v(`nn${k}_${j}_${l}`) });
        });
        return {
          clusters: options.arms.map((_name, j) => v(`g${k}_${j}`)),
          ss: options.arms.map((_name, j) => v(`ss${k}_${j}`)),
          sn: options.arms.map((_name, j) => v(`sn${k}_${j}`)),
          nn: options.arms.map((_name, j) => v(`nn${k}_${j}`)),
          pairs,
        };
      }),
    );
  }
  return out;
}

/**
 * The residual moments (Σ E_j², Σ E_l², Σ E_j·E_l with E the cluster totals
 * of y − the level's arm mean) of arms j < l from {@link ClusterArmMoments}
 * centred elsewhere: E = S − n·δ with δ the level's arm mean less the
 * centre, expanded. With the level the whole table, δ is 0 and the moments
 * are the sums as they are. @internal
 */
export function residualMoments(m: ClusterArmMoments, j: number, l: number, deltaJ: number, deltaL: number): { e00: number; e11: number; e01: number; clusters: number } {
  const lo = Math.min(j, l);
  const hi = Math.max(j, l);
  const pair = m.pairs.get(`${lo},${hi}`) as { clusters: number; ss: number; sn: number; ns: number; nn: number };
  const own = (a: number, delta: number) => (m.ss[a] as number) - 2 * delta * (m.sn[a] as number) + delta * delta * (m.nn[a] as number);
  // Σ (S_lo − n_lo·δ_lo)(S_hi − n_hi·δ_hi).
  const deltaLo = lo === j ? deltaJ : deltaL;
  const deltaHi = hi === j ? deltaJ : deltaL;
  const cross = pair.ss - deltaHi * pair.sn - deltaLo * pair.ns + deltaLo * deltaHi * pair.nn;
  return { e00: own(j, deltaJ), e11: own(l, deltaL), e01: cross, clusters: pair.clusters };
}

/** One comparison of {@link clusterScoresSql}: the two arms, the pooled pre-period mean x̄ and the coefficients β of y on [1, treated, x − x̄]. */
export interface ClusterScoresPair {
  readonly baseline: string;
  readonly arm: string;
  readonly centre: number;
  readonly beta: readonly [number, number, number];
}

/**
 * The meat Σ_g s_g s_gᵀ (3 × 3, row-major) of each pre-period-adjusted
 * clustered comparison, s_g = Σ_{i∈g} z_i·e_i over the pair's rows with
 * z = [1, treated, x − x̄] and e = y − z·β (β written into the query): one
 * statement, clusters grouped inside an aggregate of the scores' products.
 * The outcome is capped as its sums are.
 */
export async function clusterScoresSql(
  engine: SqlEngine,
  source: SqlSource,
  options: { readonly treatment: string; readonly cluster: string; readonly outcome: string; readonly cap?: number; readonly preperiod: string; readonly pairs: readonly ClusterScoresPair[] },
): Promise<number[][]> {
  const d = engineDialect(engine);
  const arm = d.text(d.identifier(options.treatment));
  const value = d.double(d.identifier(options.outcome));
  const y = options.cap === undefined ? value : `(CASE WHEN ${value} > ${d.number(options.cap)} THEN ${d.number(options.cap)} ELSE ${value} END)`;
  const x = d.double(d.identifier(options.preperiod));
  const inner: string[] = [`${d.text(d.identifier(options.cluster))} AS ${d.identifier('c')}`];
  options.pairs.forEach((pair, p) => {
    const inPair = `${arm} IN (${d.string(pair.baseline)}, ${d.string(pair.arm)})`;
    const isArm = `${arm} = ${d.string(pair.arm)}`;
    const centred = `(${x} - ${d.number(pair.centre)})`;
    const [b0, b1, b2] = pair.beta.map((b) => d.number(b)) as [string, string, string];
    const residual = `(${y} - ${b0} - (CASE WHEN ${isArm} THEN ${b1} ELSE ${d.number(0)} END) - ${centred} * ${b2})`;
    inner.push(`${d.double(`COALESCE(SUM(CASE WHEN ${inPair} THEN ${residual} END), 0)`)} AS ${d.identifier(`s${p}_0`)}`);
    inner.push(`${d.double(`COALESCE(SUM(CASE WHEN ${isArm} THEN ${residual} END), 0)`)} AS ${d.identifier(`s${p}_1`)}`);
    inner.push(`${d.double(`COALESCE(SUM(CASE WHEN ${inPair} THEN ${centred} * ${residual} END), 0)`)} AS ${d.identifier(`s${p}_2`)}`);
  });
  const query = `SELECT ${inner.join(', ')} FROM ${fromClause(d, source)} WHERE ${d.identifier(options.treatment)} IS NOT NULL GROUP BY 1`;
  const aggregates: Record<string, string> = {};
  options.pairs.forEach((_, p) => {
    for (let a = 0; a < 3; a++) for (let b = a; b < 3; b++) aggregates[`m${p}_${a}${b}`] = `SUM(${d.identifier(`s${p}_${a}`)} * ${d.identifier(`s${p}_${b}`)})`;
  });
  const [row] = await groupedSums(engine, { query }, { aggregates });
  const v = (name: string) => row?.values[name] ?? 0;
  return options.pairs.map((_, p) => {
    const meat = new Array<number>(9).fill(0);
    for (let a = 0; a < 3; a++) {
      for (let b = a; b < 3; b++) {
        meat[a * 3 + b] = v(`m${p}_${a}${b}`);
        meat[b * 3 + a] = v(`m${p}_${a}${b}`);
      }
    }
    return meat;
  });
}
