/**
 * The Gram kernel's inner loop in WebAssembly SIMD (two doubles per
 * instruction, and no bounds check per load), which Node, Deno and current
 * browsers all run. The module is a few hundred bytes, assembled here from
 * its instructions, so there is no binary to ship or build step to keep.
 *
 * It computes exactly what the scalar kernel in gram.ts computes, in the
 * same order: each tile entry adds u·c row by row into its own running sum
 * (no fused multiply-add), then the block's sum into the tile; so results are
 * bit for bit those of the JavaScript path, which stays the fallback where
 * WebAssembly SIMD is missing.
 * @internal
 */

/** Byte offsets into the module's memory, and the exported kernel. */
export interface SimdGram {
  /** Views on the module's memory, valid until the next `reserve`. */
  tiles: Float64Array;
  block: Float64Array;
  weighted: Float64Array;
  /**
   * tiles[J + a][K + b] += Σ_r weighted[r][J + a]·block[r][K + b] for every
   * 4 × 4 tile with K ≤ J over `width` columns (a multiple of four) and
   * `size` rows; the upper halves of diagonal tiles are computed and ignored.
   */
  accumulate(width: number, size: number, separateWeights: boolean): void;
  /** Lays out (and zeroes) the tiles and two blocks of `rows` × `width` doubles. */
  reserve(width: number, rows: number): void;
}

// Opcodes (WebAssembly core and SIMD proposals).
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  f64Load: 0x2b,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32GtU: 0x4b,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
} as const;
const simd = {
  load: [0xfd, 0x00],
  store: [0xfd, 0x0b],
  const: [0xfd, 0x0c],
  splat: [0xfd, 0x14],
  add: [0xfd, 0xf0, 0x01],
  mul: [0xfd, 0xf2, 0x01],
} as const;

function unsigned(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signed(value: number): number[] {
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

const text = (s: string) => [...unsigned(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...unsigned(body.length), ...body];
const vector = (items: number[][]) => [...unsigned(items.length), ...items.flat()];

/** The kernel's body: params block, weighted, tiles, width (doubles), size (rows). */
function kernelBody(): number[] {
  // Locals: 0 block, 1 weighted, 2 tiles, 3 width, 4 size (params); 5 J, 6 K, 7 r,
  // 8 row pointer into block, 9 row pointer into weighted, 10 stride (bytes);
  // 11…18 the 4 × 4 tile's sums as eight pairs, 19 u, 20 c₀c₁, 21 c₂c₃.
  const [J, K, R, rowB, rowW, stride, acc, u, c01, c23] = [5, 6, 7, 8, 9, 10, 11, 19, 20, 21] as const;
  const get = (i: number) => [op.get, i];
  const set = (i: number) => [op.set, i];
  const i32 = (v: number) => [op.i32Const, ...signed(v)];
  const memarg = (align: number, offset: number) => [...unsigned(align), ...unsigned(offset)];
  const code: number[] = [];
  const emit = (...parts: (readonly number[] | number)[]) => {
    for (const part of parts) typeof part === 'number' ? code.push(part) : code.push(...part);
  };
  emit(get(3), i32(3), op.i32Shl, set(stride));
  emit(i32(0), set(J));
  emit(op.block, 0x40, op.loop, 0x40);
  emit(get(J), get(3), op.i32GeU, op.brIf, 1);
  emit(i32(0), set(K));
  emit(op.block, 0x40, op.loop, 0x40);
  emit(get(K), get(J), op.i32GtU, op.brIf, 1);
  for (let a = 0; a < 8; a++) emit(simd.const, new Array(16).fill(0), set(acc + a));
  emit(get(0), get(K), i32(3), op.i32Shl, op.i32Add, set(rowB));
  emit(get(1), get(J), i32(3), op.i32Shl, op.i32Add, set(rowW));
  emit(i32(0), set(R));
  emit(op.block, 0x40, op.loop, 0x40);
  emit(get(R), get(4), op.i32GeU, op.brIf, 1);
  emit(get(rowB), simd.load, memarg(4, 0), set(c01));
  emit(get(rowB), simd.load, memarg(4, 16), set(c23));
  for (let a = 0; a < 4; a++) {
    emit(get(rowW), op.f64Load, memarg(3, 8 * a), simd.splat, set(u));
    emit(get(acc + 2 * a), get(u), get(c01), simd.mul, simd.add, set(acc + 2 * a));
    emit(get(acc + 2 * a + 1), get(u), get(c23), simd.mul, simd.add, set(acc + 2 * a + 1));
  }
  emit(get(rowB), get(stride), op.i32Add, set(rowB));
  emit(get(rowW), get(stride), op.i32Add, set(rowW));
  emit(get(R), i32(1), op.i32Add, set(R));
  emit(op.br, 0, op.end, op.end);
  for (let a = 0; a < 4; a++) {
    // rowB := tiles + (J + a)·stride + 8K, the tile row's first entry.
    emit(get(2), get(J), i32(a), op.i32Add, get(stride), op.i32Mul, op.i32Add, get(K), i32(3), op.i32Shl, op.i32Add, set(rowB));
    emit(get(rowB), get(rowB), simd.load, memarg(4, 0), get(acc + 2 * a), simd.add, simd.store, memarg(4, 0));
    emit(get(rowB), get(rowB), simd.load, memarg(4, 16), get(acc + 2 * a + 1), simd.add, simd.store, memarg(4, 16));
  }
  emit(get(K), i32(4), op.i32Add, set(K));
  emit(op.br, 0, op.end, op.end);
  emit(get(J), i32(4), op.i32Add, set(J));
  emit(op.br, 0, op.end, op.end);
  emit(op.end);
  const locals = vector([
    [...unsigned(6), I32],
    [...unsigned(11), V128],
  ]);
  const body = [...locals, ...code];
  return [...unsigned(body.length), ...body];
}

/** The module's bytes. @internal */
export function simdGramModule(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32], [I32]]), ...vector([])]])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([
      [...text('gram'), 0x00, 0],
      [...text('memory'), 0x02, 0],
    ])),
    ...section(10, vector([kernelBody()])),
  ]);
}

let cached: SimdGram | null | undefined;

/**
 * The SIMD kernel, or null where WebAssembly or its SIMD instructions are
 * unavailable (the caller then runs the scalar kernel). Built once.
 * @internal
 */
export function simdGram(): SimdGram | null {
  if (cached !== undefined) return cached;
  cached = null;
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined) return cached;
  try {
    const bytes = simdGramModule();
    if (!wasm.validate(bytes)) return cached;
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    const gram = instance.exports.gram as (block: number, weighted: number, tiles: number, width: number, size: number) => void;
    let blockAt = 0;
    let weightedAt = 0;
    const kernel: SimdGram = {
      tiles: new Float64Array(0),
      block: new Float64Array(0),
      weighted: new Float64Array(0),
      reserve(width, rows) {
        const tileBytes = 8 * width * width;
        const blockBytes = 8 * width * rows;
        const needed = tileBytes + 2 * blockBytes;
        if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
        blockAt = tileBytes;
        weightedAt = tileBytes + blockBytes;
        kernel.tiles = new Float64Array(memory.buffer, 0, width * width);
        kernel.block = new Float64Array(memory.buffer, blockAt, width * rows);
        kernel.weighted = new Float64Array(memory.buffer, weightedAt, width * rows);
        kernel.tiles.fill(0);
        kernel.block.fill(0);
        kernel.weighted.fill(0);
      },
      accumulate(width, size, separateWeights) {
        gram(blockAt, separateWeights ? weightedAt : blockAt, 0, width, size);
      },
    };
    cached = kernel;
  } catch {
    cached = null;
  }
  return cached;
}
