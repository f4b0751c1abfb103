import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromColumns } from '../../src/data/index.js';
import { Fnv64 } from '../../src/internal/fnv.js';
import { fingerprint } from '../../src/policy/targetingPolicy.js';

/** FNV-1a 64 by its definition, in BigInt. */
function reference(bytes: Iterable<number>): string {
  let state = 0xcbf29ce484222325n;
  for (const byte of bytes) state = ((state ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return state.toString(16).padStart(16, '0');
}

describe('FNV-1a 64', () => {
  it('is the definition, in WebAssembly (long runs) and in JavaScript (short runs, plain arrays), in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4000 }), fc.array(fc.nat(4000), { maxLength: 4 }), (bytes, cuts) => {
        const expected = reference(bytes);
        const edges = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
        const typed = new Fnv64();
        const plain = new Fnv64();
        for (let k = 1; k < edges.length; k++) {
          typed.bytes(bytes, edges[k - 1]!, edges[k]!);
          plain.bytes(Array.from(bytes), edges[k - 1]!, edges[k]!);
        }
        expect(typed.hex()).toBe(expected);
        expect(plain.hex()).toBe(expected);
      }),
      { numRuns: 200 },
    );
    // Past one staging buffer (1 MB).
    const big = Uint8Array.from({ length: 2_500_003 }, (_, i) => (i * 2654435761) >>> 24);
    const hash = new Fnv64();
    hash.bytes(big, 3, big.length);
    expect(hash.hex()).toBe(reference(big.subarray(3)));
  });

  it("fingerprints a dataset's columns as the definition over their bytes (numbers little-endian, levels as text and 0), through a row index too", () => {
    const n = 700;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : Math.sin(i) * 1e3));
    const arm = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 === 0 ? 'offer' : 'control'));
    const data = fromColumns({ x, arm });
    const rows = Int32Array.from({ length: 400 }, (_, k) => (k * 37) % n);
    const bytesOf = (indices: ArrayLike<number>) => {
      const out: number[] = [...Array.from('x', (c) => c.charCodeAt(0))];
      const view = new DataView(new ArrayBuffer(8));
      for (const i of Array.from(indices)) {
        view.setFloat64(0, x[i]!, true);
        for (let b = 0; b < 8; b++) out.push(view.getUint8(b));
      }
      out.push(...Array.from('arm', (c) => c.charCodeAt(0)));
      for (const i of Array.from(indices)) {
        const level = arm[i];
        if (level === null || level === undefined) out.push(0xff, 0);
        else out.push(...Array.from(level, (c) => c.charCodeAt(0)), 0);
      }
      return out;
    };
    expect(fingerprint(data, ['x', 'arm'])).toBe(reference(bytesOf(Array.from({ length: n }, (_, i) => i))));
    expect(fingerprint(data, ['x', 'arm'], rows)).toBe(reference(bytesOf(rows)));
  });
});
