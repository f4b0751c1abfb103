import { Body, I32, counted, functionType, get, i32, importedMemoryModule, memarg, op, set } from './wasm.js';

/**
 * FNV-1a 64-bit over a stream of bytes: state ← (state ^ byte) · (2⁴⁰ + 0x1b3)
 * mod 2⁶⁴ from 0xcbf29ce484222325. Long runs of bytes go through a small
 * WebAssembly function with 64-bit integers (a byte costs an xor and a
 * multiplication, about a nanosecond); short ones, and runtimes without
 * WebAssembly, step two 32-bit halves in JavaScript (about seven). The two
 * give the same hash. @internal
 */
export class Fnv64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  /** Mixes in bytes[start, end). */
  bytes(bytes: ArrayLike<number>, start: number, end: number): void {
    const kernel = end - start >= KERNEL_BYTES ? fnvKernel() : null;
    if (kernel === null || !(bytes instanceof Uint8Array)) {
      this.mix(bytes, start, end);
      return;
    }
    kernel.state[0] = this.lo;
    kernel.state[1] = this.hi;
    for (let at = start; at < end; at += STAGE_BYTES) {
      const stop = Math.min(end, at + STAGE_BYTES);
      kernel.stage.set(bytes.subarray(at, stop));
      kernel.run(stop - at);
    }
    this.lo = kernel.state[0] as number;
    this.hi = kernel.state[1] as number;
  }

  /** The hash as 16 hexadecimal digits. */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }

  private mix(bytes: ArrayLike<number>, start: number, end: number): void {
    // (hi:lo) ← ((hi:lo) ^ byte) · (2^40 + 0x1b3) = (hi:lo) · 0x1b3 + (lo << 40), integer arithmetic
    // only: l · 0x1b3 is Math.imul's low half plus a carry from 16-bit halves.
    let h = this.hi | 0;
    let l = this.lo | 0;
    for (let k = start; k < end; k++) {
      l ^= bytes[k] as number;
      const carry = ((l >>> 16) * 0x1b3 + (((l & 0xffff) * 0x1b3) >>> 16)) >>> 16;
      h = (Math.imul(h, 0x1b3) + carry + (l << 8)) | 0;
      l = Math.imul(l, 0x1b3);
    }
    this.hi = h >>> 0;
    this.lo = l >>> 0;
  }
}

/** Runs from this many bytes on go through the kernel (a call and a copy cost about what 60 bytes do in JavaScript). */
const KERNEL_BYTES = 256;
/** Bytes copied into the kernel's memory at a time. */
const STAGE_BYTES = 1 << 20;

/**
 * fnv(at, length, stateAt): the state (an i64 at stateAt) stepped over the bytes [at, at + length),
 * eight at a time from one 64-bit load (its bytes in little-endian order), then one at a time.
 */
function fnvBody(): number[] {
  const f = new Body(3);
  const [at, length, stateAt] = [0, 1, 2];
  const I64 = 0x7e;
  const h = f.local(I64);
  const word = f.local(I64);
  const k = f.local(I32);
  const words = f.local(I32);
  const prime = [op.i64Const, 0xb3, 0x83, 0x80, 0x80, 0x80, 0x20]; // 0x100000001b3, signed LEB128
  const step = () => f.emit(op.i64Xor, ...prime, op.i64Mul, set(h));
  f.emit(get(stateAt), op.i64Load, memarg(3, 0), set(h));
  f.emit(get(length), i32(3), op.i32ShrU, set(words));
  counted(f, k, words, () => {
    f.emit(get(at), get(k), i32(3), op.i32Shl, op.i32Add, op.i64Load, memarg(0, 0), set(word));
    for (let b = 0; b < 8; b++) {
      f.emit(get(h), get(word));
      if (b > 0) f.emit(op.i64Const, 8 * b, op.i64ShrU);
      f.emit(op.i64Const, 0xff, 0x01, op.i64And);
      step();
    }
  });
  f.emit(get(words), i32(3), op.i32Shl, set(k));
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.emit(get(k), get(length), op.i32GeU, op.brIf, 1);
  f.emit(get(h), get(at), get(k), op.i32Add, op.i32Load8U, memarg(0, 0), op.i64ExtendI32U);
  step();
  f.emit(get(k), i32(1), op.i32Add, set(k), op.br, 0, op.end, op.end);
  f.emit(get(stateAt), get(h), op.i64Store, memarg(3, 0));
  return f.bytes();
}

interface FnvKernel {
  readonly stage: Uint8Array;
  /** The state's low and high halves. */
  readonly state: Uint32Array;
  run(length: number): void;
}

let kernel: FnvKernel | null | undefined;

/** The kernel, built on first use; null where WebAssembly is missing. */
function fnvKernel(): FnvKernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    const bytes = importedMemoryModule([functionType([I32, I32, I32])], [{ name: 'fnv', type: 0, body: fnvBody() }]);
    if (!wasm.validate(bytes)) return null;
    // The state, then the stage.
    const memory = new wasm.Memory({ initial: Math.ceil((8 + STAGE_BYTES) / 65536) + 1 });
    const { fnv } = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports as { fnv: (at: number, length: number, stateAt: number) => void };
    const stage = new Uint8Array(memory.buffer, 8, STAGE_BYTES);
    kernel = { stage, state: new Uint32Array(memory.buffer, 0, 2), run: (length) => fnv(8, length, 0) };
  } catch {
    kernel = null;
  }
  return kernel;
}
