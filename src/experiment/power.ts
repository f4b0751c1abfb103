import { InputError } from '../errors.js';
import { requireObject } from '../internal/validate.js';
import { normalCdf, normalQuantile } from '../stats/normal.js';
import type { Alternative } from './effect.js';

/**
 * A planned two-arm comparison. For a proportion give the control rate
 * `baseline`; for a mean give the outcome's standard deviation `sd` (taken
 * equal in both arms). `effect` is the absolute difference treated − control.
 */
export interface PowerDesign {
  readonly metric: 'proportion' | 'mean';
  /** Control conversion rate (proportions). */
  readonly baseline?: number;
  /** Standard deviation of the outcome (means). */
  readonly sd?: number;
  /** Significance level. Default 0.05. */
  readonly alpha?: number;
  /** Default `'two-sided'`. */
  readonly alternative?: Alternative;
  /** Treated rows per control row. Default 1. */
  readonly ratio?: number;
}

interface Variances {
  readonly control: number;
  readonly treated: (effect: number) => number;
}

function parse(design: PowerDesign): { variances: Variances; alpha: number; alternative: Alternative; ratio: number; baseline: number } {
  requireObject('design', design, "a design { metric, baseline or sd, alpha, alternative, ratio }");
  const alpha = design.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw new InputError('invalid_option', 'alpha', `alpha must be in (0, 1), got ${alpha}`);
  const alternative = design.alternative ?? 'two-sided';
  if (alternative !== 'two-sided' && alternative !== 'less' && alternative !== 'greater') {
    throw new InputError('invalid_option', 'alternative', `alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`);
  }
  const ratio = design.ratio ?? 1;
  if (!(ratio > 0) || !Number.isFinite(ratio)) throw new InputError('invalid_option', 'ratio', `ratio must be > 0, got ${ratio}`);
  if (design.metric === 'proportion') {
    const p = design.baseline;
    if (typeof p !== 'number' || !(p > 0 && p < 1)) throw new InputError('invalid_option', 'baseline', `baseline must be in (0, 1), got ${String(p)}`);
    return {
      variances: { control: p * (1 - p), treated: (effect) => (p + effect) * (1 - p - effect) },
      alpha,
      alternative,
      ratio,
      baseline: p,
    };
  }
  if (design.metric === 'mean') {
    const sd = design.sd;
    if (typeof sd !== 'number' || !(sd > 0) || !Number.isFinite(sd)) throw new InputError('invalid_option', 'sd', `sd must be > 0, got ${String(sd)}`);
    return { variances: { control: sd * sd, treated: () => sd * sd }, alpha, alternative, ratio, baseline: Number.NaN };
  }
  throw new InputError('invalid_option', 'metric', `metric must be 'proportion' or 'mean', got ${String((design as { metric?: unknown }).metric)}`);
}

function checkEffect(effect: number, baseline: number): void {
  if (typeof effect !== 'number' || !Number.isFinite(effect) || effect === 0) {
    throw new InputError('invalid_option', 'effect', `effect must be a non-zero finite number, got ${String(effect)}`);
  }
  if (!Number.isNaN(baseline) && !(baseline + effect > 0 && baseline + effect < 1)) {
    throw new InputError('out_of_range', 'effect', `baseline + effect = ${baseline + effect} is not a rate in (0, 1)`);
  }
}

/** Power of the normal test with `controlN` control rows (and ratio·controlN treated). */
function powerAt(effect: number, controlN: number, parsed: ReturnType<typeof parse>): number {
  const { variances, alpha, alternative, ratio } = parsed;
  const se = Math.sqrt(variances.control / controlN + variances.treated(effect) / (ratio * controlN));
  const shift = effect / se;
  if (alternative === 'greater') return normalCdf(shift - normalQuantile(1 - alpha));
  if (alternative === 'less') return normalCdf(-shift - normalQuantile(1 - alpha));
  const z = normalQuantile(1 - alpha / 2);
  return normalCdf(shift - z) + normalCdf(-shift - z);
}

/**
 * Power of a two-arm z test: P(reject | true difference `effect`) with
 * `controlN` control rows and ratio·controlN treated rows, using the
 * unpooled variances p(1 − p) of each arm (or sd²) — for a two-sided test
 * Φ(δ/SE − z₁₋α/₂) + Φ(−δ/SE − z₁₋α/₂).
 *
 * @throws InputError `invalid_option`, `out_of_range`
 * @example
 * power({ metric: 'mean', sd: 1 }, 0.2, 393); // => 0.8005559137898348
 */
export function power(design: PowerDesign, effect: number, controlN: number): number {
  const parsed = parse(design);
  checkEffect(effect, parsed.baseline);
  if (typeof controlN !== 'number' || !(controlN > 0) || !Number.isFinite(controlN)) throw new InputError('invalid_option', 'controlN', `controlN must be > 0, got ${controlN}`);
  return powerAt(effect, controlN, parsed);
}

/**
 * Rows needed per arm to detect `effect` with the given power:
 * n₀ = (z₁₋α/₂ + z_power)² · (σ₀² + σ₁²/ratio) / δ², rounded up (the usual
 * closed form, ignoring the far tail); treated = ⌈ratio · n₀⌉.
 *
 * @throws InputError `invalid_option`, `out_of_range`
 * @example
 * sampleSize({ metric: 'mean', sd: 1 }, 0.2); // => { control: 393, treated: 393, total: 786 }
 */
export function sampleSize(design: PowerDesign, effect: number, targetPower = 0.8): { control: number; treated: number; total: number } {
  const parsed = parse(design);
  checkEffect(effect, parsed.baseline);
  if (typeof targetPower !== 'number' || !(targetPower > 0 && targetPower < 1)) throw new InputError('invalid_option', 'power', `power must be in (0, 1), got ${targetPower}`);
  const z = normalQuantile(1 - (parsed.alternative === 'two-sided' ? parsed.alpha / 2 : parsed.alpha)) + normalQuantile(targetPower);
  const control = Math.ceil((z * z * (parsed.variances.control + parsed.variances.treated(effect) / parsed.ratio)) / (effect * effect));
  const treated = Math.ceil(parsed.ratio * control);
  return { control, treated, total: control + treated };
}

/**
 * The smallest absolute effect (in the direction of the alternative;
 * positive for two-sided) detectable with the given power at `controlN`
 * control rows: the root of power(effect) = target, found by bisection
 * (the proportion variance depends on the effect). O(60 evaluations).
 *
 * @throws InputError `invalid_option`
 * @example
 * minimumDetectableEffect({ metric: 'mean', sd: 1 }, 393); // => 0.19985822595037606
 */
export function minimumDetectableEffect(design: PowerDesign, controlN: number, targetPower = 0.8): number {
  const parsed = parse(design);
  if (typeof controlN !== 'number' || !(controlN > 0) || !Number.isFinite(controlN)) throw new InputError('invalid_option', 'controlN', `controlN must be > 0, got ${controlN}`);
  if (typeof targetPower !== 'number' || !(targetPower > 0 && targetPower < 1)) throw new InputError('invalid_option', 'power', `power must be in (0, 1), got ${targetPower}`);
  const sign = parsed.alternative === 'less' ? -1 : 1;
  let low = 0;
  let high = Number.isNaN(parsed.baseline) ? 1 : sign > 0 ? 1 - parsed.baseline : parsed.baseline;
  if (Number.isNaN(parsed.baseline)) {
    while (powerAt(sign * high, controlN, parsed) < targetPower) high *= 2;
  } else {
    high *= 1 - 1e-12;
    if (powerAt(sign * high, controlN, parsed) < targetPower) {
      throw new InputError('out_of_range', 'controlN', `no effect within the rate's range reaches power ${targetPower} with ${controlN} control rows`);
    }
  }
  for (let step = 0; step < 200 && high - low > 1e-15 * high; step++) {
    const middle = (low + high) / 2;
    if (powerAt(sign * middle, controlN, parsed) >= targetPower) high = middle;
    else low = middle;
  }
  return sign * high;
}
