import { InputError } from '../errors.js';
import type { DenseMatrix } from '../linalg/denseMatrix.js';
import { kthLargest } from '../internal/select.js';
import { checkOptions, describe, rules } from '../internal/validate.js';

export interface AssignOffersOptions {
  /** Most that may be spent in total: the sum of `cost` over the customers given an offer. Default: no budget. */
  readonly budget?: number;
  /** Most customers per arm (one entry per column; `Infinity` for none). Default: no capacities. */
  readonly capacity?: ArrayLike<number>;
}

/** An assignment of at most one offer per customer. */
export interface OfferAssignment {
  readonly kind: 'offer_assignment';
  /** Per customer, the column of the offer given, or −1 for none. */
  readonly arm: Int32Array;
  /** Customers given each offer. */
  readonly counts: number[];
  /** Sum of `profit` over the assignment. */
  readonly totalProfit: number;
  /** Sum of `cost` over the assignment (≤ budget). */
  readonly totalCost: number;
  /** Dual price of the budget: expected profit one more unit of budget would earn (0 when the budget does not bind). */
  readonly budgetPrice: number;
  /** Dual price of each arm's capacity: profit one more slot would earn (0 when it does not bind). */
  readonly capacityPrices: number[];
  /**
   * Optimum of the linear-programming relaxation (customers may be split
   * between offers), an upper bound on `totalProfit`; the two differ by at
   * most the profit of the few customers at the margin (one per binding constraint).
   */
  readonly bound: number;
}

/**
 * Offer assignment under a budget and per-arm capacities: give each customer
 * at most one offer (a column of `profit`) so that the total expected profit
 * is largest, the total cost at most `budget` and no arm above its capacity.
 *
 * Method: the Lagrangian dual, one price per binding constraint. At prices
 * λ (budget) and μ_a (capacities) each customer independently takes the arm
 * with the largest positive `profit − λ·cost − μ_a`. The dual function
 * Σ_i max(0, max_a(profit − λ·cost − μ_a)) + λ·budget + Σ_a μ_a·capacity_a is
 * convex in the prices and its minimum equals the linear-programming
 * relaxation's optimum (strong duality). It is minimised by exact coordinate
 * steps: a capacity price is the (capacity + 1)-th largest margin of that
 * arm over each customer's next-best choice (quickselect); the budget price
 * is found by bisection on the spend, which does not increase with λ, over
 * a shrinking set — a customer whose choice is the same at both ends of the
 * bracket keeps it inside (the best of lines is convex), so only customers
 * at the margin stay. Without capacities, one bisection is the whole
 * solution. The assignment at the final prices is made feasible (customers
 * over a limit, weakest margin first, lose their offer) and then the
 * customers at the margin are given the better offer where the budget and
 * capacities still allow, most profit per extra cost first. Its profit is
 * within the profit of the margin customers (one or two in practice, at
 * most one per binding constraint) of the relaxation's optimum, reported as
 * `bound`. O(n·k) per pass; about 2·n·k work for a budget alone.
 *
 * @param profit - customers × arms expected profit of each offer (row-major)
 * @param cost - customers × arms cost of each offer, ≥ 0 (what the budget counts)
 * @throws InputError `length_mismatch`, `not_finite`, `out_of_range` (negative cost, budget or capacity), `empty`
 * @example
 * const profit = { data: Float64Array.of(5, 8, 4, 3, 1, 2), rows: 3, cols: 2 };
 * const cost = { data: Float64Array.of(1, 3, 1, 1, 1, 1), rows: 3, cols: 2 };
 * Array.from(assignOffers(profit, cost, { budget: 2 }).arm); // => [0, 0, -1]
 */
export function assignOffers(profit: DenseMatrix, cost: DenseMatrix, options: AssignOffersOptions = {}): OfferAssignment {
  const { n, k, P, C } = checkMatrices(profit, cost);
  return assignCheckedOffers(n, k, P, C, options);
}

/**
 * {@link assignOffers} on matrices already known to be n × k, finite, with
 * costs ≥ 0 (a caller that built them, such as `applyPolicy`): the same
 * result without the checking pass. The options are still checked.
 * @internal
 */
export function assignCheckedOffers(n: number, k: number, P: Float64Array, C: Float64Array, options: AssignOffersOptions = {}): OfferAssignment {
  checkOptions(options, { budget: rules.number({ infinite: true }), capacity: rules.vector() });
  const budget = options.budget ?? Infinity;
  if (typeof budget !== 'number' || Number.isNaN(budget) || budget < 0) {
    throw new InputError('out_of_range', 'budget', `budget must be a number ≥ 0, got ${describe(options.budget)}`);
  }
  const capacity = new Float64Array(k).fill(Infinity);
  if (options.capacity !== undefined) {
    if (options.capacity.length !== k) throw new InputError('length_mismatch', 'capacity', `capacity has ${options.capacity.length} entries but there are ${k} arms`);
    for (let a = 0; a < k; a++) {
      const value = options.capacity[a];
      if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
        throw new InputError('out_of_range', 'capacity', `capacity must be ≥ 0, got ${describe(value)} for arm ${a}`);
      }
      capacity[a] = Math.floor(value);
    }
  }
  const mu = new Float64Array(k);
  let lambda = 0;
  const choice = new Int32Array(n);
  const limited: number[] = [];
  for (let a = 0; a < k; a++) if (capacity[a]! < n) limited.push(a);
  const margin = new Float64Array(n);
  let marginSet: Int32Array = new Int32Array(0);
  let lower: Int32Array = new Int32Array(0); // choices of the margin set just below the budget price

  if (limited.length === 0) {
    const step = budgetStep(P, C, n, k, mu, budget);
    lambda = step.lambda;
    marginSet = step.margin;
    lower = step.lower;
  } else {
    // Exact coordinate steps can stall at a kink where only a joint move
    // descends; a smoothed dual minimised by Newton's method first brings
    // the prices within τ·n·log(k + 1) of the optimum, then the exact steps finish.
    const dims = [...(Number.isFinite(budget) ? [-1] : []), ...limited];
    lambda = smoothedPrices(P, C, n, k, mu, budget, capacity, dims);
    let previous = Infinity;
    for (let round = 0; round < 200; round++) {
      for (const a of limited) mu[a] = capacityPrice(P, C, n, k, mu, lambda, a, capacity[a]!, margin);
      if (Number.isFinite(budget)) {
        const step = budgetStep(P, C, n, k, mu, budget);
        lambda = step.lambda;
        marginSet = step.margin;
        lower = step.lower;
      }
      const value = dualValue(P, C, n, k, mu, lambda, budget, capacity);
      if (!(value < previous - 1e-13 * Math.abs(value))) break;
      previous = value;
    }
  }

  // The assignment at the final prices.
  const counts = new Array<number>(k).fill(0);
  let totalCost = 0;
  for (let i = 0; i < n; i++) {
    const a = bestArm(P, C, i, k, mu, lambda);
    choice[i] = a;
    if (a >= 0) {
      counts[a]!++;
      totalCost += C[i * k + a]!;
    }
  }
  // Over a capacity: the customers with the least margin over their next choice lose the offer.
  const dropped: number[] = [];
  for (const a of limited) {
    const excess = counts[a]! - capacity[a]!;
    if (excess <= 0) continue;
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (choice[i] === a) members.push(i);
    const gap = members.map((i) => reducedMargin(P, C, i, k, mu, lambda, a));
    const order = members.map((_, j) => j).sort((x, y) => gap[x]! - gap[y]!);
    for (let j = 0; j < excess; j++) {
      const i = members[order[j]!]!;
      choice[i] = -1;
      counts[a]!--;
      totalCost -= C[i * k + a]!;
      dropped.push(i);
    }
  }
  // Over the budget (only from rounding at the last bisection step): least reduced profit first.
  if (totalCost > budget) {
    const assigned: number[] = [];
    for (let i = 0; i < n; i++) if (choice[i]! >= 0 && C[i * k + choice[i]!]! > 0) assigned.push(i);
    const value = (i: number) => P[i * k + choice[i]!]! - lambda * C[i * k + choice[i]!]! - mu[choice[i]!]!;
    assigned.sort((x, y) => value(x) - value(y));
    for (let j = 0; j < assigned.length && totalCost > budget; j++) {
      const i = assigned[j]!;
      const a = choice[i]!;
      totalCost -= C[i * k + a]!;
      counts[a]!--;
      choice[i] = -1;
      dropped.push(i);
    }
  }
  // Fill: margin customers move to the choice just below the price, dropped customers to any offer that fits.
  interface Move { readonly i: number; readonly a: number; readonly gain: number; readonly extra: number }
  const moves: Move[] = [];
  for (let j = 0; j < marginSet.length; j++) {
    const i = marginSet[j]!;
    const a = lower[j]!;
    if (a < 0 || a === choice[i]) continue;
    const from = choice[i]!;
    const gain = P[i * k + a]! - (from >= 0 ? P[i * k + from]! : 0);
    const extra = C[i * k + a]! - (from >= 0 ? C[i * k + from]! : 0);
    if (gain > 0) moves.push({ i, a, gain, extra });
  }
  for (const i of dropped) {
    for (let a = 0; a < k; a++) if (P[i * k + a]! > 0 && choice[i] === -1) moves.push({ i, a, gain: P[i * k + a]!, extra: C[i * k + a]! });
  }
  moves.sort((x, y) => y.gain * Math.max(x.extra, 1e-300) - x.gain * Math.max(y.extra, 1e-300));
  const moved = new Set<number>();
  for (const move of moves) {
    if (moved.has(move.i)) continue;
    const from = choice[move.i]!;
    if (move.a !== from && counts[move.a]! + 1 > capacity[move.a]!) continue;
    if (totalCost + move.extra > budget) continue;
    if (from >= 0) counts[from]!--;
    counts[move.a]!++;
    choice[move.i] = move.a;
    totalCost += move.extra;
    moved.add(move.i);
  }
  let totalProfit = 0;
  totalCost = 0;
  for (let i = 0; i < n; i++) {
    const a = choice[i]!;
    if (a >= 0) {
      totalProfit += P[i * k + a]!;
      totalCost += C[i * k + a]!;
    }
  }
  return {
    kind: 'offer_assignment',
    arm: choice,
    counts,
    totalProfit,
    totalCost,
    budgetPrice: lambda,
    capacityPrices: Array.from(mu),
    bound: dualValue(P, C, n, k, mu, lambda, budget, capacity),
  };
}

function checkMatrices(profit: DenseMatrix, cost: DenseMatrix) {
  for (const [name, m] of [['profit', profit], ['cost', cost]] as const) {
    if (m === null || typeof m !== 'object' || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
      throw new InputError('wrong_type', name, `${name} must be { data: Float64Array, rows, cols }`);
    }
    if (m.rows < 1 || m.cols < 1) throw new InputError('empty', name, `${name} has no rows or no arms`);
    if (m.data.length !== m.rows * m.cols) throw new InputError('length_mismatch', name, `${name} has ${m.data.length} values, not rows × cols = ${m.rows * m.cols}`);
  }
  if (cost.rows !== profit.rows || cost.cols !== profit.cols) {
    throw new InputError('length_mismatch', 'cost', `cost is ${cost.rows} × ${cost.cols} but profit is ${profit.rows} × ${profit.cols}`);
  }
  const P = profit.data;
  const C = cost.data;
  for (let j = 0; j < P.length; j++) {
    const p = P[j]!;
    const c = C[j]!;
    if (p - p !== 0) throw new InputError('not_finite', 'profit', `profit must be finite, got ${p} at row ${Math.floor(j / profit.cols)}`, Math.floor(j / profit.cols));
    if (c - c !== 0) throw new InputError('not_finite', 'cost', `cost must be finite, got ${c} at row ${Math.floor(j / profit.cols)}`, Math.floor(j / profit.cols));
    if (c < 0) throw new InputError('out_of_range', 'cost', `cost must be ≥ 0, got ${c} at row ${Math.floor(j / profit.cols)}`, Math.floor(j / profit.cols));
  }
  return { n: profit.rows, k: profit.cols, P, C };
}

/** The arm customer i takes at prices (λ, μ): the largest positive profit − λ·cost − μ, lowest column on ties; −1 for none. */
function bestArm(P: Float64Array, C: Float64Array, i: number, k: number, mu: Float64Array, lambda: number): number {
  let best = -1;
  let bestValue = 0;
  const base = i * k;
  for (let a = 0; a < k; a++) {
    const value = P[base + a]! - lambda * C[base + a]! - mu[a]!;
    if (value > bestValue) {
      bestValue = value;
      best = a;
    }
  }
  return best;
}

/** Customer i's reduced profit of arm a minus that of its best other choice (0 for none). */
function reducedMargin(P: Float64Array, C: Float64Array, i: number, k: number, mu: Float64Array, lambda: number, a: number): number {
  let other = 0;
  const base = i * k;
  for (let b = 0; b < k; b++) {
    if (b === a) continue;
    const value = P[base + b]! - lambda * C[base + b]! - mu[b]!;
    if (value > other) other = value;
  }
  return P[base + a]! - lambda * C[base + a]! - mu[a]! - other;
}

/** The smallest price μ_a ≥ 0 at which at most `limit` customers take arm a, the other prices fixed. */
function capacityPrice(P: Float64Array, C: Float64Array, n: number, k: number, mu: Float64Array, lambda: number, a: number, limit: number, scratch: Float64Array): number {
  const saved = mu[a]!;
  mu[a] = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const d = reducedMargin(P, C, i, k, mu, lambda, a);
    scratch[i] = d;
    if (d > 0) positive++;
  }
  mu[a] = saved;
  if (positive <= limit) return 0;
  return Math.max(0, kthLargest(scratch, limit + 1));
}

/** Dual function at (λ, μ): the relaxation's upper bound. */
function dualValue(P: Float64Array, C: Float64Array, n: number, k: number, mu: Float64Array, lambda: number, budget: number, capacity: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    const base = i * k;
    for (let a = 0; a < k; a++) {
      const value = P[base + a]! - lambda * C[base + a]! - mu[a]!;
      if (value > best) best = value;
    }
    total += best;
  }
  if (lambda > 0) total += lambda * budget;
  for (let a = 0; a < k; a++) if (mu[a]! > 0) total += mu[a]! * capacity[a]!;
  return total;
}

/**
 * The smallest budget price λ ≥ 0 at which the spend is within the budget,
 * the capacity prices fixed; with the customers still at the margin and
 * their choices just below λ.
 */
function budgetStep(P: Float64Array, C: Float64Array, n: number, k: number, mu: Float64Array, budget: number): { lambda: number; margin: Int32Array; lower: Int32Array } {
  const none = { lambda: 0, margin: new Int32Array(0), lower: new Int32Array(0) };
  if (!Number.isFinite(budget)) return none;
  // Spend at λ = 0, and the price above which no costly arm is worth taking.
  let spend = 0;
  let top = 0;
  const low = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let best = -1;
    let bestValue = 0;
    for (let a = 0; a < k; a++) {
      const value = P[base + a]! - mu[a]!;
      const c = C[base + a]!;
      if (value > bestValue) {
        bestValue = value;
        best = a;
      }
      if (c > 0 && value > 0 && value / c > top) top = value / c;
    }
    low[i] = best;
    if (best >= 0) spend += C[base + best]!;
  }
  if (spend <= budget) return none;
  let lo = 0;
  let hi = top * (1 + 1e-12) + Number.MIN_VALUE;
  const high = new Int32Array(n);
  // On many customers, the price on an even sample of 16,384 brackets the
  // full one closely, so that the first shrink leaves only the customers near it.
  const SAMPLE = 16_384;
  if (n > 4 * SAMPLE) {
    const sampleP = new Float64Array(SAMPLE * k);
    const sampleC = new Float64Array(SAMPLE * k);
    for (let j = 0; j < SAMPLE; j++) {
      const i = Math.floor((j * n) / SAMPLE);
      for (let a = 0; a < k; a++) {
        sampleP[j * k + a] = P[i * k + a]!;
        sampleC[j * k + a] = C[i * k + a]!;
      }
    }
    const guess = budgetStep(sampleP, sampleC, SAMPLE, k, mu, (budget * SAMPLE) / n).lambda;
    let width = 0.05;
    for (let attempt = 0; attempt < 8 && guess > 0; attempt++, width *= 4) {
      const below = Math.max(lo, guess * (1 - width));
      const above = Math.min(hi, guess * (1 + width));
      if (spendAt(P, C, n, k, mu, below, low) > budget) lo = below;
      else {
        hi = below;
        high.set(low);
        continue;
      }
      if (spendAt(P, C, n, k, mu, above, high) <= budget) {
        hi = above;
        break;
      }
      lo = above;
      low.set(high);
    }
    // low holds the choices at lo; recompute them if the last trial overwrote them.
    spendAt(P, C, n, k, mu, lo, low);
  }
  let fixedSpend = 0;
  spendAt(P, C, n, k, mu, hi, high);
  const midChoice = new Int32Array(n);
  const active = new Int32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let count = n;
  for (let iteration = 0; iteration < 200; iteration++) {
    // Customers with one choice at both ends keep it on the whole bracket.
    let kept = 0;
    for (let j = 0; j < count; j++) {
      const i = active[j]!;
      if (low[i] === high[i]) {
        const a = high[i]!;
        if (a >= 0) fixedSpend += C[i * k + a]!;
      } else active[kept++] = i;
    }
    count = kept;
    if (count === 0 || hi - lo <= 1e-15 * hi) break;
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    let midSpend = fixedSpend;
    for (let j = 0; j < count; j++) {
      const i = active[j]!;
      const a = bestArm(P, C, i, k, mu, mid);
      midChoice[j] = a;
      if (a >= 0) midSpend += C[i * k + a]!;
    }
    const above = midSpend > budget;
    for (let j = 0; j < count; j++) {
      const i = active[j]!;
      const a = midChoice[j]!;
      if (above) low[i] = a;
      else high[i] = a;
    }
    if (above) lo = mid;
    else hi = mid;
  }
  const margin = active.slice(0, count);
  const lower = new Int32Array(count);
  for (let j = 0; j < count; j++) lower[j] = low[margin[j]!]!;
  return { lambda: hi, margin, lower };
}

/**
 * Minimises the entropy-smoothed dual τ·Σ_i log(1 + Σ_a exp((profit − λ·cost − μ_a)/τ))
 * + λ·budget + Σ μ_a·capacity_a over the prices in `dims` (−1 for λ), all ≥ 0,
 * by projected Newton steps with backtracking, for τ falling tenfold from the
 * profits' scale until τ·n·log(k + 1) is below 1e-11 of the dual value. Sets
 * `mu` in place and returns λ.
 */
function smoothedPrices(P: Float64Array, C: Float64Array, n: number, k: number, mu: Float64Array, budget: number, capacity: Float64Array, dims: readonly number[]): number {
  const m = dims.length;
  const theta = new Float64Array(m);
  let scale = 0;
  for (let j = 0; j < P.length; j++) scale = Math.max(scale, Math.abs(P[j]!));
  if (!(scale > 0)) return 0;
  const lambdaOf = () => (dims[0] === -1 ? theta[0]! : 0);
  const apply = () => {
    for (let d = 0; d < m; d++) if (dims[d]! >= 0) mu[dims[d]!] = theta[d]!;
  };
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const prob = new Float64Array(k);
  const where = new Int32Array(k + 1).fill(-1); // arm (or k for λ) → position in dims
  dims.forEach((dim, d) => (where[dim === -1 ? k : dim] = d));
  const evaluate = (tau: number, withDerivatives: boolean): number => {
    apply();
    const lambda = lambdaOf();
    let total = 0;
    if (withDerivatives) {
      grad.fill(0);
      hess.fill(0);
    }
    const lambdaAt = where[k]!;
    for (let i = 0; i < n; i++) {
      const base = i * k;
      let top = 0;
      for (let a = 0; a < k; a++) top = Math.max(top, P[base + a]! - lambda * C[base + a]! - mu[a]!);
      let sum = Math.exp(-top / tau);
      for (let a = 0; a < k; a++) {
        const e = Math.exp((P[base + a]! - lambda * C[base + a]! - mu[a]! - top) / tau);
        prob[a] = e;
        sum += e;
      }
      total += top + tau * Math.log(sum);
      if (!withDerivatives) continue;
      // Derivative of the reduced profit of arm a: −cost (λ), −1 (μ_a); of none: 0.
      let expectedCost = 0;
      let expectedCost2 = 0;
      for (let a = 0; a < k; a++) {
        const pa = prob[a]! / sum;
        prob[a] = pa;
        expectedCost += pa * C[base + a]!;
        expectedCost2 += pa * C[base + a]! * C[base + a]!;
      }
      if (lambdaAt >= 0) {
        grad[lambdaAt]! -= expectedCost;
        hess[lambdaAt * m + lambdaAt]! += (expectedCost2 - expectedCost * expectedCost) / tau;
      }
      for (let a = 0; a < k; a++) {
        const d = where[a]!;
        if (d < 0) continue;
        const pa = prob[a]!;
        grad[d]! -= pa;
        hess[d * m + d]! += pa / tau;
        if (lambdaAt >= 0) {
          const cross = (pa * C[base + a]! - pa * expectedCost) / tau;
          hess[d * m + lambdaAt]! += cross;
          hess[lambdaAt * m + d]! += cross;
        }
        for (let b = 0; b < k; b++) {
          const e = where[b]!;
          if (e >= 0) hess[d * m + e]! -= (pa * prob[b]!) / tau;
        }
      }
    }
    for (let d = 0; d < m; d++) {
      const limit = dims[d] === -1 ? budget : capacity[dims[d]!]!;
      total += theta[d]! * limit;
      if (withDerivatives) grad[d]! += limit;
    }
    return total;
  };
  const step = new Float64Array(m);
  const trial = new Float64Array(m);
  for (let tau = scale; ; tau /= 10) {
    for (let iteration = 0; iteration < 50; iteration++) {
      const value = evaluate(tau, true);
      // Free prices: positive, or at 0 with a descent direction into the feasible side.
      const free: number[] = [];
      for (let d = 0; d < m; d++) if (theta[d]! > 0 || grad[d]! < 0) free.push(d);
      if (free.length === 0) break;
      const size = free.length;
      const A = new Float64Array(size * size);
      const b = new Float64Array(size);
      let ridge = 0;
      for (let r = 0; r < size; r++) ridge = Math.max(ridge, hess[free[r]! * m + free[r]!]!);
      for (let r = 0; r < size; r++) {
        b[r] = -grad[free[r]!]!;
        for (let c = 0; c < size; c++) A[r * size + c] = hess[free[r]! * m + free[c]!]!;
        A[r * size + r]! += 1e-12 * ridge + 1e-300;
      }
      solveSymmetric(A, b, size);
      step.fill(0);
      let decrease = 0;
      for (let r = 0; r < size; r++) {
        step[free[r]!] = b[r]!;
        decrease += b[r]! * grad[free[r]!]!;
      }
      if (!(decrease < 0)) break;
      let t = 1;
      let accepted = false;
      theta.forEach((v, d) => (trial[d] = v));
      for (let halving = 0; halving < 40; halving++) {
        for (let d = 0; d < m; d++) theta[d] = Math.max(0, trial[d]! + t * step[d]!);
        const next = evaluate(tau, false);
        if (next <= value + 1e-4 * t * decrease) {
          accepted = true;
          break;
        }
        t /= 2;
      }
      if (!accepted) {
        theta.set(trial);
        break;
      }
      if (-decrease <= 1e-14 * Math.abs(value) + 1e-300) break;
    }
    const value = evaluate(tau, false);
    if (tau * n * Math.log(k + 1) <= 1e-11 * Math.max(Math.abs(value), scale) || tau < 1e-14 * scale) break;
  }
  apply();
  return lambdaOf();
}

/** Solves A x = b in place (x into b) for a small symmetric positive definite A, by Gaussian elimination with partial pivoting. */
function solveSymmetric(A: Float64Array, b: Float64Array, size: number): void {
  for (let c = 0; c < size; c++) {
    let pivot = c;
    for (let r = c + 1; r < size; r++) if (Math.abs(A[r * size + c]!) > Math.abs(A[pivot * size + c]!)) pivot = r;
    if (pivot !== c) {
      for (let j = 0; j < size; j++) {
        const x = A[c * size + j]!;
        A[c * size + j] = A[pivot * size + j]!;
        A[pivot * size + j] = x;
      }
      const x = b[c]!;
      b[c] = b[pivot]!;
      b[pivot] = x;
    }
    const diagonal = A[c * size + c]!;
    if (diagonal === 0) continue;
    for (let r = c + 1; r < size; r++) {
      const factor = A[r * size + c]! / diagonal;
      if (factor === 0) continue;
      for (let j = c; j < size; j++) A[r * size + j]! -= factor * A[c * size + j]!;
      b[r]! -= factor * b[c]!;
    }
  }
  for (let c = size - 1; c >= 0; c--) {
    let x = b[c]!;
    for (let j = c + 1; j < size; j++) x -= A[c * size + j]! * b[j]!;
    const diagonal = A[c * size + c]!;
    b[c] = diagonal === 0 ? 0 : x / diagonal;
  }
}

/** Spend at budget price λ (capacity prices fixed), with each customer's choice written to `choice`. */
function spendAt(P: Float64Array, C: Float64Array, n: number, k: number, mu: Float64Array, lambda: number, choice: Int32Array): number {
  let spend = 0;
  for (let i = 0; i < n; i++) {
    const a = bestArm(P, C, i, k, mu, lambda);
    choice[i] = a;
    if (a >= 0) spend += C[i * k + a]!;
  }
  return spend;
}
