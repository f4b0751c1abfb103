/**
 * Decimal number parsing straight from UTF-8 bytes, correctly rounded.
 *
 * Grammar (surrounding spaces and tabs allowed): `[+-]? digits [. digits]? ([eE] [+-]? digits)?`
 * with at least one digit before or after the point. Anything else (`NaN`,
 * `Infinity`, hex, thousands separators) is not a number.
 *
 * Method: Clinger's fast path. With at most 15 significant digits the digits
 * form an exact integer m < 2^53, and for |e| ≤ 22 the power 10^|e| is an
 * exact double, so m·10^e (or m/10^−e) is one correctly rounded IEEE
 * operation. Other inputs go to `Number()` on the text, which is also
 * correctly rounded. Either way the result equals `Number(text)`.
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
  let mantissa = 0;
  let significant = 0; // significant digits taken into the mantissa
  let dropped = 0; // integer digits beyond 15 significant ones (force the slow path)
  let exponent = 0;
  let digits = 0;
  for (; i < end; i++) {
    c = bytes[i] as number;
    if (c < 48 || c > 57) break;
    digits++;
    if (significant === 0 && c === 48) continue;
    if (significant < 15) {
      mantissa = mantissa * 10 + (c - 48);
      significant++;
    } else {
      dropped++;
    }
  }
  if (i < end && bytes[i] === 46) {
    i++;
    for (; i < end; i++) {
      c = bytes[i] as number;
      if (c < 48 || c > 57) break;
      digits++;
      if (significant === 0 && c === 48) {
        exponent--;
        continue;
      }
      if (significant < 15) {
        mantissa = mantissa * 10 + (c - 48);
        significant++;
        exponent--;
      } else {
        dropped++;
      }
    }
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
  if (dropped === 0 && exponent >= -22 && exponent <= 22) {
    const value = exponent >= 0 ? mantissa * (POWERS[exponent] as number) : mantissa / (POWERS[-exponent] as number);
    return negative ? -value : value;
  }
  return Number(latin1(bytes, start, end));
}

/** Text of an ASCII byte range (numbers only ever contain ASCII). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

const BOOLEANS: Readonly<Record<string, number>> = {
  true: 1,
  false: 0,
  TRUE: 1,
  FALSE: 0,
  True: 1,
  False: 0,
  yes: 1,
  no: 0,
  Yes: 1,
  No: 0,
  YES: 1,
  NO: 0,
};

function booleanOf(text: string): number | undefined {
  return Object.hasOwn(BOOLEANS, text) ? BOOLEANS[text] : undefined;
}

/** 1 or 0 for a boolean spelling (true/false, TRUE/FALSE, True/False, yes/no, Yes/No, YES/NO), else `undefined`. */
export function parseBooleanBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  const length = end - start;
  if (length < 2 || length > 5) return undefined;
  const first = bytes[start] as number;
  // t, f, y, n in either case
  if (first !== 116 && first !== 84 && first !== 102 && first !== 70 && first !== 121 && first !== 89 && first !== 110 && first !== 78) {
    return undefined;
  }
  return booleanOf(latin1(bytes, start, end));
}

/** 1 or 0 for a boolean spelling in a JavaScript string, else `undefined`. */
export function parseBooleanText(text: string): number | undefined {
  return booleanOf(text.trim());
}
