/**
 * A number for a sentence: about three significant digits, thousands
 * separators and a true minus sign (`4,148`, `12.5`, `0.0312`, `−1,627`);
 * beyond 10¹⁵ or below 10⁻⁶ in magnitude, three digits and an exponent
 * (`1.23e200`), never hundreds of digits or a row of zeros. @internal
 */
export function roughNumber(value: number): string {
  const a = Math.abs(value);
  if (a !== 0 && (a >= 1e15 || a < 1e-6)) return `${value < 0 ? '−' : ''}${a.toExponential(2).replace('e+', 'e')}`;
  const digits = a === 0 || a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(a)));
  const text = a.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${value < 0 && /[1-9]/.test(text) ? '−' : ''}${text}`;
}
