import { InputError } from '../errors.js';
import { type MeanComparison, welch } from '../experiment/compareMeans.js';
import { type ProportionComparison, compareProportions } from '../experiment/compareProportions.js';
import type { EffectOptions, TestOptions } from '../experiment/effect.js';
import { type ArmSums, armSumsSql } from './armSums.js';
import type { SqlEngine, SqlSource } from './engine.js';

export interface CompareArmsOptions extends TestOptions {
  readonly treatment: string;
  /** The control arm's value (compared as text). */
  readonly control: string | number;
  readonly outcome: string;
  /** `'binary'`: two-proportion test; `'continuous'`: Welch. Default `'continuous'`. */
  readonly kind?: 'binary' | 'continuous';
  /** Pre-period column: CUPED (as `cuped` in memory). */
  readonly preperiod?: string;
  readonly where?: string;
}

/** One treated arm against control. */
export interface ArmComparison {
  readonly arm: string;
  readonly comparison: ProportionComparison | MeanComparison;
}

/**
 * Each treated arm against control on one outcome, from sums the engine
 * computes in one GROUP BY: the two-proportion test for a binary outcome,
 * Welch's test for a continuous one, CUPED with a pre-period. The same
 * numbers as `compareProportions`, `compareMeans` and `cuped` in memory on
 * the same rows, up to the rounding of one-pass sums (agreement to 1e-9
 * relative unless the outcome's mean is 10⁴ times its spread or more).
 *
 * @throws InputError `not_finite` (a NULL outcome or arm), `not_binary`,
 *   `invalid_option` (control level absent), and the comparison's own reasons
 */
export async function compareArmsSql(engine: SqlEngine, source: SqlSource, options: CompareArmsOptions): Promise<ArmComparison[]> {
  if (options === null || typeof options !== 'object') throw new InputError('invalid_option', 'options', 'options must be { treatment, control, outcome, … }');
  const sums = await armSumsSql(engine, source, {
    treatment: options.treatment,
    binary: options.kind === 'binary',
    outcome: options.outcome,
    ...(options.preperiod === undefined ? {} : { preperiod: options.preperiod }),
    ...(options.where === undefined ? {} : { where: options.where }),
  });
  const kind = options.kind ?? 'continuous';
  checkSums(sums, options.outcome, kind);
  const control = String(options.control);
  const controlSums = sums.find((s) => s.arm === control);
  if (controlSums === undefined) {
    throw new InputError('invalid_option', 'control', `control level ${JSON.stringify(control)} is not in '${options.treatment}' (levels: ${sums.map((s) => s.arm).sort().join(', ')})`);
  }
  const test: TestOptions = { ...(options.alpha === undefined ? {} : { alpha: options.alpha }), ...(options.alternative === undefined ? {} : { alternative: options.alternative }) };
  return sums
    .filter((s) => s.arm !== control)
    .sort((a, b) => (a.arm < b.arm ? -1 : a.arm > b.arm ? 1 : 0))
    .map((treated) => ({ arm: treated.arm, comparison: compareFromSums(controlSums, treated, kind, options.preperiod, test) }));
}

/** Rejects NULL and (for binary outcomes) non-0/1 values, as the in-memory path does. @internal */
export function checkSums(sums: readonly ArmSums[], outcome: string, kind: 'binary' | 'continuous'): void {
  const missing = sums.reduce((total, s) => total + s.missing, 0);
  if (missing > 0) throw new InputError('not_finite', outcome, `outcome '${outcome}' is missing (NULL) in ${missing} row(s)`);
  if (kind === 'binary') {
    const other = sums.reduce((total, s) => total + s.nonBinary, 0);
    if (other > 0) throw new InputError('not_binary', outcome, `outcome '${outcome}' is declared binary but ${other} row(s) are neither 0 nor 1`);
  }
}

/**
 * One comparison from two arms' sums: proportions (binary, no pre-period),
 * Welch, or CUPED (θ pooled over both arms, as `cuped`). @internal
 */
export function compareFromSums(
  control: ArmSums,
  treated: ArmSums,
  kind: 'binary' | 'continuous',
  preperiod: string | undefined,
  options: Pick<EffectOptions, 'alpha' | 'alternative' | 'sequential' | 'bayesian'> = {},
): ProportionComparison | MeanComparison {
  if (preperiod !== undefined) return cupedFromSums(control, treated, preperiod, options);
  if (kind === 'binary') return compareProportions({ n: control.n, successes: control.sum }, { n: treated.n, successes: treated.sum }, options);
  return welch({ n: control.n, sum: control.sum, sumSquares: control.sumSquares }, { n: treated.n, sum: treated.sum, sumSquares: treated.sumSquares }, options, null);
}

/**
 * CUPED from sums: θ = Sxy/Sxx pooled over both arms (centred), each arm's
 * adjusted mean ȳ − θ(x̄ₐ − x̄) and variance s²_y − 2θ s_xy + θ² s²_x, then
 * Welch — algebraically what `cuped` computes from the rows. @internal
 */
export function cupedFromSums(control: ArmSums, treated: ArmSums, covariate: string, options: Pick<EffectOptions, 'alpha' | 'alternative' | 'sequential' | 'bayesian'> = {}): MeanComparison {
  const n = control.n + treated.n;
  const sx = (control.sumPre ?? 0) + (treated.sumPre ?? 0);
  const sy = control.sum + treated.sum;
  const meanX = sx / n;
  const meanY = sy / n;
  const sxx = (control.sumPreSquares ?? 0) + (treated.sumPreSquares ?? 0) - sx * meanX;
  const sxy = (control.sumCross ?? 0) + (treated.sumCross ?? 0) - sx * meanY;
  const syy = control.sumSquares + treated.sumSquares - sy * meanY;
  if (!(sxx > 0)) throw new InputError('zero_variance', 'pre', 'pre is constant: it cannot explain any variance');
  const theta = sxy / sxx;
  const adjusted = (arm: ArmSums) => {
    const m = arm.n;
    const mx = (arm.sumPre ?? 0) / m;
    const my = arm.sum / m;
    const vx = ((arm.sumPreSquares ?? 0) - (arm.sumPre ?? 0) * mx) / (m - 1);
    const vy = (arm.sumSquares - arm.sum * my) / (m - 1);
    const cxy = ((arm.sumCross ?? 0) - (arm.sumPre ?? 0) * my) / (m - 1);
    return { n: m, mean: my - theta * (mx - meanX), variance: Math.max(0, vy - 2 * theta * cxy + theta * theta * vx) };
  };
  const residual = syy - 2 * theta * sxy + theta * theta * sxx;
  const varianceReduction = syy > 0 ? 1 - residual / syy : 0;
  return welch(adjusted(control), adjusted(treated), options, { covariate, theta, varianceReduction });
}
