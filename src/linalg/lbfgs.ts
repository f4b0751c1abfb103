import { InputError } from '../errors.js';
import { checkOptions, finiteVector, rules } from '../internal/validate.js';

export interface LbfgsOptions {
  /** Corrections kept. Default 10. */
  readonly memory?: number;
  /** Stop when ‖gradient‖∞ ≤ tolerance · max(1, |f|). Default 1e-10. */
  readonly tolerance?: number;
  /** Default 500. */
  readonly maxIterations?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4/7.5) with a
 * backtracking Armijo line search. `evaluate(x, gradient)` returns f(x) and
 * writes ∇f(x) into `gradient`. Converged when the largest gradient
 * component is at most tolerance · max(1, |f|).
 *
 * @throws InputError `invalid_option`
 * @example
 * lbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, [0]).x[0]; // => 3
 */
export function lbfgs(
  evaluate: (x: Float64Array, gradient: Float64Array) => number,
  start: ArrayLike<number>,
  options: LbfgsOptions = {},
): LbfgsResult {
  if (typeof evaluate !== 'function') throw new InputError('wrong_type', 'evaluate', 'evaluate must be a function (x, gradient) => f(x)');
  checkOptions(options, {
    memory: rules.integer({ min: 1, max: 1000 }),
    tolerance: rules.number({ min: 0, minExclusive: true }),
    maxIterations: rules.integer({ min: 0, max: 1_000_000 }),
  });
  finiteVector('start', start);
  const memory = options.memory ?? 10;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 500;
  if (!Number.isInteger(memory) || memory < 1) throw new InputError('invalid_option', 'memory', `memory must be a positive integer, got ${memory}`);
  if (!(tolerance > 0)) throw new InputError('invalid_option', 'tolerance', `tolerance must be > 0, got ${tolerance}`);
  const n = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = evaluate(x, gradient);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(memory);
  const nextX = new Float64Array(n);
  const nextGradient = new Float64Array(n);
  let iterations = 0;
  let norm = maxAbs(gradient);
  while (norm > tolerance * Math.max(1, Math.abs(value)) && iterations < maxIterations) {
    // Two-loop recursion: direction = −H∇f.
    direction.set(gradient);
    for (let k = s.length - 1; k >= 0; k--) {
      const a = (rho[k] as number) * dot(s[k] as Float64Array, direction);
      alpha[k] = a;
      axpy(-a, y[k] as Float64Array, direction);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last] as Float64Array, y[last] as Float64Array) / dot(y[last] as Float64Array, y[last] as Float64Array);
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const b = (rho[k] as number) * dot(y[k] as Float64Array, direction);
      axpy((alpha[k] as number) - b, s[k] as Float64Array, direction);
    }
    for (let i = 0; i < n; i++) direction[i] = -(direction[i] as number);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
      slope = dot(gradient, direction);
    }
    let step = iterations === 0 && s.length === 0 ? Math.min(1, 1 / Math.max(norm, 1e-300)) : 1;
    let nextValue = Number.NaN;
    // Armijo backtracking; a step within the objective's rounding that shrinks the
    // gradient also counts, so the search can finish below the objective's resolution.
    const noise = 8 * Number.EPSILON * Math.max(1, Math.abs(value));
    let accepted = false;
    for (let search = 0; search < 60; search++) {
      for (let i = 0; i < n; i++) nextX[i] = (x[i] as number) + step * (direction[i] as number);
      nextValue = evaluate(nextX, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope || (nextValue <= value + noise && maxAbs(nextGradient) < norm)) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break; // no progress possible in floating point
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = (nextX[i] as number) - (x[i] as number);
      yk[i] = (nextGradient[i] as number) - (gradient[i] as number);
    }
    const curvature = dot(sk, yk);
    if (curvature > 1e-300) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / curvature);
    }
    x = Float64Array.from(nextX);
    gradient = Float64Array.from(nextGradient);
    value = nextValue;
    norm = maxAbs(gradient);
    iterations++;
  }
  return { x, value, gradientNorm: norm, iterations, converged: norm <= tolerance * Math.max(1, Math.abs(value)) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += (a[i] as number) * (b[i] as number);
  return total;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}
