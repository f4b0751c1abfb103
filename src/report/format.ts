// Numbers and words for people. Presentation only: nothing here computes a statistic.

/** Formats a number for people: fixed digits, thousands separators for counts, "< 0.0001" for tiny p-values. @internal */
export function formatNumber(value: number | null, digits = 4): string {
  if (value === null) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2);
  return value.toFixed(digits);
}

/** @internal */
export function formatP(value: number): string {
  return value < 1e-4 ? '< 0.0001' : value.toFixed(4);
}

/** @internal */
export function formatInterval(ci: readonly [number | null, number | null], digits = 4): string {
  return `[${ci[0] === null ? '−∞' : formatNumber(ci[0], digits)}, ${ci[1] === null ? '+∞' : formatNumber(ci[1], digits)}]`;
}

/** @internal */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** How a value on an axis or in a sentence is written. */
export interface NumberFormat {
  /** `share`: a fraction shown as a percentage (0.25 → 25%); `number`: plain; `currency`: money. */
  readonly style: 'share' | 'number' | 'currency';
  /** Digits after the decimal point (of the percentage for `share`). */
  readonly digits: number;
  /** ISO code or symbol for `currency`; null for plain money. */
  readonly currency?: string | null;
}

/** Writes a value in a format: `12.5%`, `1,234.5`, `USD 1,234`. Negative numbers take a true minus sign. @internal */
export function formatValue(value: number, format: NumberFormat): string {
  const scaled = format.style === 'share' ? value * 100 : value;
  const digits = Math.max(0, Math.min(10, format.digits));
  const rounded = Number(scaled.toFixed(digits));
  const text = Math.abs(rounded).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const sign = rounded < 0 ? '−' : '';
  if (format.style === 'share') return `${sign}${text}%`;
  if (format.style === 'currency' && format.currency) return `${sign}${format.currency} ${text}`;
  return `${sign}${text}`;
}

/**
 * Ticks at "nice" steps (1, 2 or 5 times a power of ten) covering
 * [low, high], about `count` of them, with the domain widened to the outer
 * ticks and the digits the step needs. @internal
 */
export function niceTicks(low: number, high: number, count = 5, style: NumberFormat['style'] = 'number'): { domain: [number, number]; ticks: number[]; digits: number } {
  let lo = Math.min(low, high);
  let hi = Math.max(low, high);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  // The 1-2-5 step nearest the raw step on a log scale (as d3's tickIncrement).
  const error = raw / power;
  const step = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1) * power;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  const shown = style === 'share' ? step * 100 : step;
  const digits = Math.max(0, -Math.floor(Math.log10(shown) + 1e-9));
  return { domain: [ticks[0] as number, ticks[ticks.length - 1] as number], ticks, digits };
}

/** The uplift learners in words. */
const LEARNER_WORDS: Readonly<Record<string, string>> = {
  t: 'two models (T-learner)',
  s: 'one model with the arm as a feature (S-learner)',
  x: 'cross-fitted effects (X-learner)',
  dr: 'doubly robust (DR-learner)',
  class_transformation: 'transformed outcome (class transformation)',
  t_gbm: 'two boosted-tree models (T-learner on gradient boosting)',
  s_gbm: 'one boosted-tree model with the arm as a feature (S-learner on gradient boosting)',
  x_gbm: 'cross-fitted effects on boosted trees (X-learner on gradient boosting)',
  dr_gbm: 'doubly robust on boosted trees (DR-learner on gradient boosting)',
  class_transformation_gbm: 'transformed outcome on boosted trees (class transformation on gradient boosting)',
  forest: 'uplift random forest',
};

/** A learner's name in words, e.g. `t` → "two models (T-learner)". @internal */
export function learnerWords(name: string): string {
  return LEARNER_WORDS[name] ?? name;
}

/**
 * A model term as the user wrote the feature: `recency:std` → `recency`,
 * `channel=Phone` → `channel = Phone`, `x:missing` → `x is missing`,
 * `a*b` → `a × b`. @internal
 */
export function featureWords(name: string): string {
  if (name.includes('*')) return name.split('*').map(featureWords).join(' × ');
  const equals = name.indexOf('=');
  if (equals > 0) return `${name.slice(0, equals)} = ${name.slice(equals + 1)}`;
  const colon = name.lastIndexOf(':');
  if (colon > 0) {
    const column = name.slice(0, colon);
    const step = name.slice(colon + 1);
    if (step === 'missing') return `${column} is missing`;
    if (step === 'log1p') return `log(1 + ${column})`;
    if (step === 'bin') return `${column} (binned)`;
    if (step === 'ordinal') return `${column} (ordered levels)`;
    if (step === 'std' || step === 'minmax') return column;
  }
  return name;
}
