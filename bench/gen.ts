/**
 * Port of the synthetic campaign generator specified in `shared/bench/gen_data.py`
 * (format "promobench-f64", generator v1): n rows of 20 correlated features, a
 * 50/50 treatment, a binary outcome with a heterogeneous effect, revenue, the
 * true uplift and model-like scores. Counter-based (splitmix64), so row i does
 * not depend on n. X, t, y and uplift_score_q match the Python files bit for
 * bit; columns computed through `exp` agree to a few ulps.
 *
 * 64-bit unsigned arithmetic runs on pairs of 32-bit halves (no BigInt in the loop).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const FEATURES = 20;
export const VECTORS = ['t', 'y', 'revenue', 'p_score', 'uplift_score', 'uplift_score_q', 'revenue_pred', 'tau_true'] as const;
export type VectorName = (typeof VECTORS)[number];

export interface BenchData {
  readonly n: number;
  /** n × 20, row-major. */
  readonly X: Float64Array;
  readonly vectors: Record<VectorName, Float64Array>;
}

const SEED = 20240607n;
const GAMMA = 0x9e3779b97f4a7c15n;
const MASK = (1n << 64n) - 1n;
const BETA = [0.6, -0.5, 0.4, -0.3, 0.25, -0.2, 0.15, -0.1, 0.1, -0.05, 0.05, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const SQRT6 = Math.sqrt(6);
const TWO_POW_MINUS_52 = 2 ** -52;

// Scratch for the 64-bit helpers: [hi, lo].
let hi = 0;
let lo = 0;

/** (ahi:alo) * (bhi:blo) mod 2^64 into (hi, lo). */
function mul64(ahi: number, alo: number, bhi: number, blo: number): void {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = (mid >>> 16) + (p01 >>> 16) + (p10 >>> 16) + p11;
  hi = (carry + Math.imul(ahi, blo) + Math.imul(alo, bhi)) >>> 0;
}

const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;

/** splitmix64's finaliser on (zhi:zlo) into (hi, lo). */
function mix64(zhi: number, zlo: number): void {
  // z ^= z >> 30; z *= M1
  let xlo = (zlo ^ ((zlo >>> 30) | (zhi << 2))) >>> 0;
  let xhi = (zhi ^ (zhi >>> 30)) >>> 0;
  mul64(xhi, xlo, M1_HI, M1_LO);
  // z ^= z >> 27; z *= M2
  xlo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
  xhi = (hi ^ (hi >>> 27)) >>> 0;
  mul64(xhi, xlo, M2_HI, M2_LO);
  // z ^= z >> 31
  xlo = (lo ^ ((lo >>> 31) | (hi << 1))) >>> 0;
  xhi = (hi ^ (hi >>> 31)) >>> 0;
  hi = xhi;
  lo = xlo;
}

function mix64Big(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** The 50 stream keys, as 32-bit halves. */
function streamKeys(): Uint32Array {
  const keys = new Uint32Array(100);
  for (let s = 0; s < 50; s++) {
    const key = mix64Big((SEED + BigInt(s + 1) * GAMMA) & MASK);
    keys[2 * s] = Number(key >> 32n);
    keys[2 * s + 1] = Number(key & 0xffffffffn);
  }
  return keys;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Generates rows [0, n). */
export function generate(n: number): BenchData {
  const keys = streamKeys();
  const X = new Float64Array(n * FEATURES);
  const vectors = Object.fromEntries(VECTORS.map((name) => [name, new Float64Array(n)])) as Record<VectorName, Float64Array>;
  const u = new Float64Array(50);
  const gammaHi = Number(GAMMA >> 32n);
  const gammaLo = Number(GAMMA & 0xffffffffn);
  let counterHi = 0;
  let counterLo = 0;
  for (let i = 0; i < n; i++) {
    // counter = (i + 1) * GAMMA mod 2^64
    const sumLo = counterLo + gammaLo;
    counterHi = (counterHi + gammaHi + (sumLo > 0xffffffff ? 1 : 0)) >>> 0;
    counterLo = sumLo >>> 0;
    for (let s = 0; s < 50; s++) {
      const kLo = (keys[2 * s + 1] as number) + counterLo;
      const zHi = ((keys[2 * s] as number) + counterHi + (kLo > 0xffffffff ? 1 : 0)) >>> 0;
      mix64(zHi, kLo >>> 0);
      u[s] = (hi * 1048576 + (lo >>> 12) + 0.5) * TWO_POW_MINUS_52;
    }
    const tri = (s: number) => ((u[s] as number) + (u[s + 1] as number) - 1.0) * SQRT6;
    const f = tri(40);
    const row = i * FEATURES;
    let eta0 = -1.5;
    for (let j = 0; j < FEATURES; j++) {
      const x = 0.8 * tri(2 * j) + 0.6 * f;
      X[row + j] = x;
    }
    for (let j = 0; j < FEATURES; j++) eta0 = eta0 + (BETA[j] as number) * (X[row + j] as number);
    const x0 = X[row] as number;
    const x1 = X[row + 1] as number;
    const x2 = X[row + 2] as number;
    const x5 = X[row + 5] as number;
    const t = (u[42] as number) < 0.5 ? 1 : 0;
    const tau = 0.25 + 0.5 * x0 - 0.4 * x2 + 0.3 * x5;
    const p0 = sigmoid(eta0);
    const p1 = sigmoid(eta0 + tau);
    const y = (u[43] as number) < (t === 1 ? p1 : p0) ? 1 : 0;
    const tauTrue = p1 - p0;
    const linRev = 3.0 + 0.3 * x1 + 0.2 * t;
    const pScore = sigmoid(eta0 + t * tau + 0.5 * tri(46));
    const upliftScore = tauTrue + 0.02 * tri(48);
    vectors.t[i] = t;
    vectors.y[i] = y;
    vectors.revenue[i] = y * Math.exp(linRev + 0.5 * tri(44));
    vectors.p_score[i] = pScore;
    vectors.uplift_score[i] = upliftScore;
    vectors.uplift_score_q[i] = Math.floor(upliftScore * 100.0 + 0.5) / 100.0;
    vectors.revenue_pred[i] = pScore * Math.exp(linRev + 0.125);
    vectors.tau_true[i] = tauTrue;
  }
  return { n, X, vectors };
}

const bytesOf = (array: Float64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** Writes the data set in the promobench-f64 layout (DIR/n<n>/X.f64, t.f64, …, meta.json). */
export function writeData(root: string, data: BenchData): string {
  const dir = join(root, `n${data.n}`);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, unknown> = {};
  const write = (name: string, array: Float64Array, shape: number[]) => {
    const bytes = bytesOf(array);
    // In pieces: one write is capped at 2 GiB, and X passes that at 14M rows (the Criteo size).
    const fd = openSync(join(dir, `${name}.f64`), 'w');
    const hash = createHash('sha256');
    try {
      for (let at = 0; at < bytes.length; at += 1 << 28) {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + (1 << 28)));
        for (let written = 0; written < piece.length; ) written += writeSync(fd, piece, written, piece.length - written);
        hash.update(piece);
      }
    } finally {
      closeSync(fd);
    }
    files[name] = { file: `${name}.f64`, dtype: 'float64', byte_order: 'little', shape, sha256: hash.digest('hex') };
  };
  write('X', data.X, [data.n, FEATURES]);
  for (const name of VECTORS) write(name, data.vectors[name], [data.n]);
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ format: 'promobench-f64', generator: 'bench/gen.ts', generator_version: 1, n: data.n, p: FEATURES, files }, null, 2),
  );
  return dir;
}

/** Reads one vector (or X) of a data set written by either generator. */
export function readVector(dir: string, name: 'X' | VectorName): Float64Array {
  // Read straight into the Float64Array's memory: no second copy to inflate the peak RSS.
  const path = join(dir, `${name}.f64`);
  const out = new Float64Array(statSync(path).size / 8);
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < bytes.length; ) at += readSync(fd, bytes, at, Math.min(1 << 28, bytes.length - at), at);
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The directory of the size-n data set under `root`, generated on first use. */
export function ensureData(root: string, n: number): string {
  const dir = join(root, `n${n}`);
  if (!existsSync(join(dir, 'meta.json'))) writeData(root, generate(n));
  return dir;
}
