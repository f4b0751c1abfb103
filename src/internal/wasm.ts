import { EXP_OVERFLOW, EXP_P, EXP_UNDERFLOW, INV_LN2, LN2_HI, LN2_LO } from './exp.js';

/**
 * A small assembler for WebAssembly modules built from their instructions
 * at run time (no binary to ship, no build step): opcodes, LEB128 numbers,
 * sections, and function bodies.
 * @internal
 */

// Opcodes (WebAssembly core, then SIMD).
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  f64Load: 0x2b,
  f64Store: 0x39,
  select: 0x1b,
  tee: 0x22,
  i32Load: 0x28,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Eq: 0x46,
  i32LeU: 0x4d,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i32Eqz: 0x45,
  i32WrapI64: 0xa7,
  i32TruncF64S: 0xaa,
  i64Const: 0x42,
  i64Load: 0x29,
  i64Store: 0x37,
  i64And: 0x83,
  i64Xor: 0x85,
  i64Mul: 0x7e,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i64ExtendI32U: 0xad,
  i64ReinterpretF64: 0xbd,
  f64ReinterpretI64: 0xbf,
  f64ConvertI32S: 0xb7,
  f64Const: 0x44,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Neg: 0x9a,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
} as const;
export const simd = {
  load: [0xfd, 0x00],
  store: [0xfd, 0x0b],
  const: [0xfd, 0x0c],
  splat: [0xfd, 0x14],
  load64Zero: [0xfd, 0x5d],
  load64Lane: [0xfd, 0x57],
  add: [0xfd, 0xf0, 0x01],
  sub: [0xfd, 0xf1, 0x01],
  mul: [0xfd, 0xf2, 0x01],
} as const;

export function unsigned(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function signed(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const text = (s: string) => [...unsigned(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
export const section = (id: number, body: number[]) => [id, ...unsigned(body.length), ...body];
export const vector = (items: number[][]) => [...unsigned(items.length), ...items.flat()];
/** A function type: its parameters' and results' value types. */
export const functionType = (params: readonly number[], results: readonly number[] = []) => [0x60, ...vector(params.map((t) => [t])), ...vector(results.map((t) => [t]))];

/**
 * The bytes of a module whose functions (of the given types, by index) run
 * on a memory imported as `env.memory`, each exported under its name: the
 * layout of the tree kernels. `shared`: the memory is a shared one (of at
 * most 4 GB), which two threads' instances of the module can both run on.
 * @internal
 */
export function importedMemoryModule(types: readonly number[][], functions: readonly { readonly name: string; readonly type: number; readonly body: number[] }[], shared = false): Uint8Array<ArrayBuffer> {
  // Limits: 0x00 (at least 1 page), or 0x03 (shared, 1 to 65,536 pages).
  const limits = shared ? [0x03, ...unsigned(1), ...unsigned(65536)] : [0x00, ...unsigned(1)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([...types])),
    ...section(2, vector([[...text('env'), ...text('memory'), 0x02, ...limits]])),
    ...section(3, vector(functions.map((f) => unsigned(f.type)))),
    ...section(7, vector(functions.map((f, k) => [...text(f.name), 0x00, ...unsigned(k)]))),
    ...section(10, vector(functions.map((f) => f.body))),
  ]);
}

/**
 * The module of these bytes (built by `bytes`) on a shared memory,
 * compiled; null where the runtime lacks shared memories or rejects the
 * module. @internal
 */
export function sharedMemoryModule(wasm: typeof WebAssembly, bytes: () => Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  try {
    const built = bytes();
    return wasm.validate(built) ? new wasm.Module(built) : null;
  } catch {
    return null;
  }
}

/** A function body under construction: locals by type, and its instructions. */
export class Body {
  readonly code: number[] = [];
  private readonly locals: number[];
  private next: number;
  constructor(params: number) {
    this.next = params;
    this.locals = [];
  }
  local(type: number): number {
    this.locals.push(type);
    return this.next++;
  }
  emit(...parts: (readonly number[] | number)[]): void {
    for (const part of parts) typeof part === 'number' ? this.code.push(part) : this.code.push(...part);
  }
  bytes(): number[] {
    // Runs of equal types, as the format wants them.
    const runs: number[][] = [];
    for (const type of this.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === type) last[0] = (last[0] as number) + 1;
      else runs.push([1, type]);
    }
    const body = [...vector(runs.map(([count, type]) => [...unsigned(count as number), type as number])), ...this.code, op.end];
    return [...unsigned(body.length), ...body];
  }
}

export const get = (i: number) => [op.get, i];
export const set = (i: number) => [op.set, i];
export const i32 = (v: number) => [op.i32Const, ...signed(v)];
/** f64.const of a double, its eight bytes little-endian. */
export const f64 = (v: number) => [op.f64Const, ...new Uint8Array(Float64Array.of(v).buffer)];
export const memarg = (align: number, offset: number) => [...unsigned(align), ...unsigned(offset)];
/** `for (counter = 0; counter < limit; counter++) { body }` with the limit in a local. */
export function counted(f: Body, counter: number, limit: number, body: () => void): void {
  f.emit(i32(0), set(counter), op.block, 0x40, op.loop, 0x40);
  f.emit(get(counter), get(limit), op.i32GeU, op.brIf, 1);
  body();
  f.emit(get(counter), i32(1), op.i32Add, set(counter), op.br, 0, op.end, op.end);
}


/**
 * Emits `result = exp(x)` (x and result f64 locals; x is left as it was):
 * `exp` of internal/exp.ts, operation for operation, so a kernel and its
 * JavaScript twin give the same double for every argument (tested over the
 * whole range, the branch boundaries and the special values) — fdlibm's
 * `__ieee754_exp` as Node 20's V8 runs it for `Math.exp`. A call of
 * `Math.exp` costs about 12 ns; this, inline, a few.
 *
 * Method: x is reduced to r = x − k·ln2 (ln2 in two parts, k·ln2HI exact)
 * with |r| ≤ ln2/2; exp(r) = 1 + r + r·c/(2 − c), c = r − r²(P1 + … + P5 r⁸)
 * (a Remez fit, error under 2⁻⁵⁹); the result is scaled by 2ᵏ. Beyond
 * the overflow and underflow thresholds it is +∞ and 0; NaN stays NaN.
 *
 * fdlibm branches on the size of |x| (no reduction up to ln2/2, k = ±1 up
 * to 1.5 ln2, 1 + x below 2⁻²⁸); here one straight path serves every
 * argument up to the thresholds, choosing by `select`, because arguments
 * that straddle those sizes (a sigmoid's, around 0) made the branches
 * unpredictable. Each shortcut is the general path's own value: with
 * k = ±1 the general reduction computes the same hi and lo, and with k = 0
 * (hi = x, lo = 0) its last step 1 − ((lo − xc/(2 − c)) − hi) equals the
 * shortcut's 1 − (xc/(c − 2) − x), negating a quotient being exact; only
 * 1 + x below 2⁻²⁸ and e at 1 are chosen separately.
 * @internal
 */
export function emitExp(f: Body, x: number, result: number): void {
  const hx = f.local(I32);
  const sign = f.local(I32);
  const k = f.local(I32);
  const r = f.local(F64);
  const hi = f.local(F64);
  const lo = f.local(F64);
  const t = f.local(F64);
  const c = f.local(F64);
  const y = f.local(F64);
  // 2^e as a double from its exponent bits (e + 1023) << 20 in the high word.
  const twoTo = (exponent: () => void) => {
    exponent();
    f.emit(i32(20), op.i32Shl, i32(0x3ff00000), op.i32Add, op.i64ExtendI32U, op.i64Const, ...signed(32), op.i64Shl, op.f64ReinterpretI64);
  };
  f.emit(op.block, 0x40);
  // hx: the high word of |x|; sign: its sign bit.
  f.emit(get(x), op.i64ReinterpretF64, op.i64Const, ...signed(32), op.i64ShrU, op.i32WrapI64, op.tee, hx, i32(31), op.i32ShrU, set(sign));
  f.emit(get(hx), i32(0x7fffffff), op.i32And, set(hx));
  // |x| ≥ 709.78: NaN (x + x), ±∞ (∞, 0), overflow (∞), underflow (0); the rest of that range goes on.
  f.emit(get(hx), i32(0x40862e42), op.i32GeU, op.if, 0x40);
  f.emit(get(hx), i32(0x7ff00000), op.i32GeU, op.if, 0x40);
  f.emit(get(x), get(x), op.f64Add, f64(0), get(x), get(sign), op.select, get(x), get(x), op.f64Ne, op.select, set(result), op.br, 2, op.end);
  f.emit(get(x), f64(EXP_OVERFLOW), op.f64Gt, op.if, 0x40, f64(Infinity), set(result), op.br, 2, op.end);
  f.emit(get(x), f64(EXP_UNDERFLOW), op.f64Lt, op.if, 0x40, f64(0), set(result), op.br, 2, op.end);
  f.emit(op.end);
  // k = trunc(x/ln2 ± 1/2) above ln2/2, else 0; hi = x − k ln2HI, lo = k ln2LO, r = hi − lo.
  f.emit(f64(INV_LN2), get(x), op.f64Mul, f64(-0.5), f64(0.5), get(sign), op.select, op.f64Add, op.i32TruncF64S, i32(0), get(hx), i32(0x3fd62e42), op.i32GtU, op.select, op.tee, k, op.f64ConvertI32S, set(t));
  f.emit(get(x), get(t), f64(LN2_HI), op.f64Mul, op.f64Sub, set(hi));
  f.emit(get(t), f64(LN2_LO), op.f64Mul, set(lo));
  f.emit(get(hi), get(lo), op.f64Sub, set(r));
  // c = r − t(P1 + t(P2 + t(P3 + t(P4 + t P5)))), t = r².
  f.emit(get(r), get(r), op.f64Mul, set(t));
  f.emit(get(r), get(t));
  const [p1, p2, p3, p4, p5] = EXP_P;
  f.emit(f64(p1), get(t), f64(p2), get(t), f64(p3), get(t));
  f.emit(f64(p4), get(t), f64(p5), op.f64Mul, op.f64Add, op.f64Mul, op.f64Add, op.f64Mul, op.f64Add, op.f64Mul, op.f64Add);
  f.emit(op.f64Mul, op.f64Sub, set(c));
  // y = 1 − ((lo − r c/(2 − c)) − hi)
  f.emit(f64(1), get(lo), get(r), get(c), op.f64Mul, f64(2), get(c), op.f64Sub, op.f64Div, op.f64Sub, get(hi), op.f64Sub, op.f64Sub, set(y));
  // Scaled by 2^k: for −1021 ≤ k ≤ 1023 at once, else (near the thresholds) in two steps.
  f.emit(get(k), i32(1021), op.i32Add, i32(2044), op.i32LeU, op.if, 0x40);
  f.emit(get(y));
  twoTo(() => f.emit(get(k)));
  f.emit(op.f64Mul, set(result));
  f.emit(op.else);
  f.emit(get(k), i32(1024), op.i32Eq, op.if, 0x40, get(y), f64(2), op.f64Mul, f64(2 ** 1023), op.f64Mul, set(result));
  f.emit(op.else, get(y));
  twoTo(() => f.emit(get(k), i32(1000), op.i32Add));
  f.emit(op.f64Mul, f64(2 ** -1000), op.f64Mul, set(result), op.end);
  f.emit(op.end);
  // e at 1; 1 + x below 2^-28.
  f.emit(f64(Math.E), get(result), get(x), f64(1), op.f64Eq, op.select, set(result));
  f.emit(f64(1), get(x), op.f64Add, get(result), get(hx), i32(0x3e300000), op.i32LtU, op.select, set(result));
  f.emit(op.end);
}
