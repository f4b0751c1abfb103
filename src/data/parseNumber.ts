/**
 * Decimal number parsing straight from UTF-8 bytes, correctly rounded.
 *
 * Grammar (surrounding spaces and tabs allowed): `[+-]? digits [. digits]? ([eE] [+-]? digits)?`
 * with at least one digit before or after the point. Anything else (`NaN`,
 * `Infinity`, hex, thousands separators) is not a number.
 *
 * Method: Clinger's fast path — with at most 15 significant digits the digits
 * form an exact integer m < 2^53, and for |e| ≤ 22 the power 10^|e| is an
 * exact double, so m·10^e (or m/10^−e) is one correctly rounded IEEE
 * operation. Up to 19 significant digits and |e| ≤ 44 a double-double
 * evaluation decides the rounding (see `scaleExact`). Everything else, and the
 * rare values too close to a rounding boundary, goes to `Number()` on the
 * text, which is also correctly rounded. Either way the result equals
 * `Number(text)`.
 * @internal
 */

// 10^0 … 10^22, every one an exact double.
const POWERS = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
  1e19, 1e20, 1e21, 1e22,
] as const;

/** The number written in `bytes[start, end)`, or `undefined` when it is not one. */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  if (start === end) return undefined;
  let i = start;
  let negative = false;
  let c = bytes[i] as number;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  // The significant digits are head (first 15, exact) then tail (next 4 at most).
  let head = 0;
  let tail = 0;
  let tailDigits = 0;
  let significant = 0;
  let exponent = 0;
  // Leading zeros carry no significant digit.
  const integerStart = i;
  while (i < end && bytes[i] === 48) i++;
  for (; i < end; i++) {
    const d = (bytes[i] as number) - 48;
    if (d < 0 || d > 9) break;
    if (significant < 15) head = head * 10 + d;
    else if (significant < 19) {
      tail = tail * 10 + d;
      tailDigits++;
    }
    significant++;
  }
  let digits = i - integerStart;
  if (i < end && bytes[i] === 46) {
    i++;
    const fractionStart = i;
    if (significant === 0) while (i < end && bytes[i] === 48) i++;
    for (; i < end; i++) {
      const d = (bytes[i] as number) - 48;
      if (d < 0 || d > 9) break;
      if (significant < 15) head = head * 10 + d;
      else if (significant < 19) {
        tail = tail * 10 + d;
        tailDigits++;
      }
      significant++;
    }
    digits += i - fractionStart;
    exponent -= i - fractionStart;
  }
  if (digits === 0) return undefined;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let exponentNegative = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
      exponentNegative = bytes[i] === 45;
      i++;
    }
    let written = 0;
    let expDigits = 0;
    for (; i < end; i++) {
      c = bytes[i] as number;
      if (c < 48 || c > 57) break;
      if (written < 100000) written = written * 10 + (c - 48);
      expDigits++;
    }
    if (expDigits === 0) return undefined;
    exponent += exponentNegative ? -written : written;
  }
  if (i !== end) return undefined;
  if (significant === 0) return negative ? -0 : 0;
  // Integer digits beyond the 19th were counted as digits but not kept: scale for them.
  const skipped = significant > 19 ? significant - 19 : 0;
  let value: number | undefined;
  if (skipped === 0) {
    const scale = exponent + (significant > 15 ? significant - 15 - tailDigits : 0);
    if (tailDigits === 0 && significant <= 15 && scale >= -22 && scale <= 22) {
      // Clinger's fast path: one correctly rounded operation on exact operands.
      value = scale >= 0 ? head * (POWERS[scale] as number) : head / (POWERS[-scale] as number);
    } else if (scale >= -44 && scale <= 44) {
      value = scaleExact(head, tail, tailDigits, scale);
    }
  }
  if (value === undefined) value = Number(latin1(bytes, start, end));
  return negative && value > 0 ? -value : value;
}

/**
 * (head·10^tailDigits + tail)·10^scale, correctly rounded, or `undefined`
 * when the value lies too close to a rounding boundary to decide here.
 *
 * Method: the integer is formed exactly as a double-double (Dekker's
 * product), then multiplied or divided by at most two exact powers of ten in
 * double-double arithmetic, which leaves a relative error below 2^-100. The
 * normalised pair (hi, lo) has hi = fl(hi + lo); hi is the correctly rounded
 * value when hi + lo ± that error both round to hi (rounding is monotone, so
 * every value between does too). Otherwise the caller falls back to `Number()`.
 */
function scaleExact(head: number, tail: number, tailDigits: number, scale: number): number | undefined {
  let hi = head;
  let lo = 0;
  if (tailDigits > 0) {
    const power = POWERS[tailDigits] as number;
    const product = head * power;
    const productError = twoProductError(head, power, product);
    const total = product + tail;
    const sumError = tail - (total - product); // exact: |tail| ≤ |product|
    hi = total;
    lo = productError + sumError;
    const normal = hi + lo;
    lo = lo - (normal - hi);
    hi = normal;
  }
  let remaining = scale;
  while (remaining !== 0) {
    const step = remaining > 22 ? 22 : remaining < -22 ? -22 : remaining;
    remaining -= step;
    const power = POWERS[step < 0 ? -step : step] as number;
    if (step > 0) {
      const product = hi * power;
      const error = twoProductError(hi, power, product) + lo * power;
      hi = product + error;
      lo = error - (hi - product);
    } else {
      const quotient = hi / power;
      const product = quotient * power;
      const productError = twoProductError(quotient, power, product);
      const correction = (hi - product - productError + lo) / power;
      hi = quotient + correction;
      lo = correction - (hi - quotient);
    }
  }
  // Decided when every value within the error bound of hi + lo rounds to hi.
  const bound = Math.abs(hi) * 2 ** -96;
  return hi + (lo + bound) === hi && hi + (lo - bound) === hi && Number.isFinite(hi) ? hi : undefined;
}

/** The exact error of `product = a·b` (Dekker's TwoProduct, no FMA needed). */
function twoProductError(a: number, b: number, product: number): number {
  const ca = 134217729 * a;
  const aHigh = ca - (ca - a);
  const aLow = a - aHigh;
  const cb = 134217729 * b;
  const bHigh = cb - (cb - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** Text of an ASCII byte range (numbers only ever contain ASCII). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

/**
 * The boolean spellings read from CSV, in pairs: index `2k` is false and
 * `2k + 1` true, so a spelling's value is `index & 1` and its pair `index >> 1`.
 */
export const BOOLEAN_SPELLINGS = ['false', 'true', 'FALSE', 'TRUE', 'False', 'True', 'no', 'yes', 'No', 'Yes', 'NO', 'YES'] as const;

const SPELLING_BYTES = BOOLEAN_SPELLINGS.map((text) => Uint8Array.from(text, (c) => c.charCodeAt(0)));

/**
 * Index into {@link BOOLEAN_SPELLINGS} of the boolean spelled in
 * `bytes[start, end)` (surrounding spaces and tabs allowed), or −1.
 */
export function booleanSpellingBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  const length = end - start;
  if (length < 2 || length > 5) return -1;
  const first = bytes[start] as number;
  // t, f, y, n in either case
  if (first !== 116 && first !== 84 && first !== 102 && first !== 70 && first !== 121 && first !== 89 && first !== 110 && first !== 78) {
    return -1;
  }
  for (let k = 0; k < SPELLING_BYTES.length; k++) {
    const spelling = SPELLING_BYTES[k] as Uint8Array;
    if (spelling.length !== length) continue;
    let same = true;
    for (let j = 0; j < length; j++) {
      if (spelling[j] !== bytes[start + j]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return -1;
}
