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
  f64Ne: 0x62,
  f64Le: 0x65,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
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
export const memarg = (align: number, offset: number) => [...unsigned(align), ...unsigned(offset)];
/** `for (counter = 0; counter < limit; counter++) { body }` with the limit in a local. */
export function counted(f: Body, counter: number, limit: number, body: () => void): void {
  f.emit(i32(0), set(counter), op.block, 0x40, op.loop, 0x40);
  f.emit(get(counter), get(limit), op.i32GeU, op.brIf, 1);
  body();
  f.emit(get(counter), i32(1), op.i32Add, set(counter), op.br, 0, op.end, op.end);
}

