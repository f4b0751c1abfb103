/**
 * e^x by one fixed algorithm, the same double in every JavaScript engine:
 * fdlibm's `__ieee754_exp` (as V8 runs it, with e exactly at 1), computed
 * on the straight path of `emitExp` (internal/wasm.ts), operation for
 * operation, so the WebAssembly kernels and their JavaScript twins agree
 * bit for bit. `Math.exp` is not specified to the last bit and engines
 * differ (Node 20's V8 returns these doubles; newer V8 in Chromium does
 * not), so a twin that called it could part from its kernel. See
 * `emitExp` for the method.
 * @internal
 */
export function exp(x: number): number {
  words[0] = x;
  const high = bits[1] as number;
  const sign = high >>> 31;
  const hx = high & 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) return x !== x ? x + x : sign === 1 ? 0 : x;
    if (x > EXP_OVERFLOW) return Infinity;
    if (x < EXP_UNDERFLOW) return 0;
  }
  const k = hx > 0x3fd62e42 ? Math.trunc(INV_LN2 * x + (sign === 1 ? -0.5 : 0.5)) : 0;
  const t = k;
  const hi = x - t * LN2_HI;
  const lo = t * LN2_LO;
  const r = hi - lo;
  const s = r * r;
  const [p1, p2, p3, p4, p5] = EXP_P;
  const c = r - s * (p1 + s * (p2 + s * (p3 + s * (p4 + s * p5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  let result: number;
  if (k >= -1021 && k <= 1023) result = y * twoTo(k);
  else if (k === 1024) result = y * 2 * 2 ** 1023;
  else result = y * twoTo(k + 1000) * 2 ** -1000;
  if (x === 1) return Math.E;
  if (hx < 0x3e300000) return 1 + x;
  return result;
}

/** ln 2 in two parts (the high one with trailing zeros, so that k · LN2_HI is exact), 1/ln 2, the thresholds beyond which e^x is +∞ or 0, and the coefficients P1 … P5 of fdlibm's exp. @internal */
export const LN2_HI = 6.9314718036912381649e-1;
export const LN2_LO = 1.90821492927058770002e-10;
export const INV_LN2 = 1.442695040888963387;
export const EXP_OVERFLOW = 7.09782712893383973096e2;
export const EXP_UNDERFLOW = -7.4513321910194110842e2;
export const EXP_P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.6533902205465251539e-6, 4.13813679705723846039e-8] as const;
const words = new Float64Array(1);
const bits = new Uint32Array(words.buffer);

/** 2^e for an exponent of a normal double, from its bits. */
function twoTo(e: number): number {
  bits[0] = 0;
  bits[1] = (0x3ff00000 + e * 0x100000) >>> 0;
  return words[0] as number;
}
