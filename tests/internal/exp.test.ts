import { describe, expect, it } from 'vitest';
import { exp as twin } from '../../src/internal/exp.js';
import { Body, F64, emitExp, functionType, get, section, text, unsigned, vector } from '../../src/internal/wasm.js';

/** A module exporting exp(x) as emitExp writes it. */
function wasmExp(): (x: number) => number {
  const f = new Body(1);
  const result = f.local(F64);
  emitExp(f, 0, result);
  f.emit(get(result));
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([functionType([F64], [F64])])),
    ...section(3, vector([unsigned(0)])),
    ...section(7, vector([[...text('exp'), 0x00, 0x00]])),
    ...section(10, vector([f.bytes()])),
  ]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.exp as (x: number) => number;
}

// The WebAssembly exp and its JavaScript twin must give the same double for every argument (the
// boosting's kernel and its JavaScript passes use them); both are fdlibm's exp, which is also
// Node 20's Math.exp (so the models are those fitted with Math.exp before). Math.exp itself is
// not the reference everywhere: newer V8 (Chromium 156) differs from it in about 5% of arguments.
describe('exp, in WebAssembly and in JavaScript', () => {
  const exp = wasmExp();
  const words = new Float64Array(1);
  const halves = new Uint32Array(words.buffer);
  const fromWords = (high: number, low: number) => {
    halves[1] = high >>> 0;
    halves[0] = low >>> 0;
    return words[0] as number;
  };
  const nodeExp = process.versions.v8.startsWith('11.') ? Math.exp : null;
  const mismatches = (xs: Iterable<number>) => {
    const out: number[] = [];
    for (const x of xs) {
      const value = twin(x);
      if (!Object.is(exp(x), value) || (nodeExp !== null && !Object.is(nodeExp(x), value))) out.push(x);
    }
    return out;
  };

  it('runs where the reference Math.exp is fdlibm’s (Node 20)', () => {
    if (process.env.CI === 'true') expect(nodeExp).not.toBeNull();
  });

  it("gives the twin's double (and Node 20's Math.exp) at the special values and around every branch of the method", () => {
    const special = [0, -0, 1, -1, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, -708.4, -730, Math.LN2 / 2, 1.5 * Math.LN2, 2 ** -28, -(2 ** -28)];
    expect(mismatches(special)).toEqual([]);
    expect(exp(Number.NaN)).toBeNaN();
    expect([exp(Infinity), exp(-Infinity), exp(800), exp(-800), exp(0), exp(1)]).toEqual([Infinity, 0, Infinity, 0, 1, Math.E]);
    expect([twin(Infinity), twin(-Infinity), twin(800), twin(-800), twin(0), twin(1)]).toEqual([Infinity, 0, Infinity, 0, 1, Math.E]);
    expect(twin(Number.NaN)).toBeNaN();
    // Within an ulp of the true values (Math.E's neighbours, by hand: e^2 = 7.38905609893065022723…).
    expect(Math.abs(twin(2) - 7.38905609893065) / 7.38905609893065).toBeLessThan(2.3e-16);
    // The high words where the method changes course: overflow/underflow, ln2/2, 1.5 ln2, 2^-28, non-finite.
    const edges: number[] = [];
    for (const high of [0x40862e42, 0x3fd62e42, 0x3ff0a2b2, 0x3e300000, 0x7ff00000, 0x408ff000])
      for (let d = -2; d <= 2; d++) for (const low of [0, 1, 0x7fffffff, 0xffffffff]) for (const sign of [0, 0x80000000]) edges.push(fromWords((high + d) | sign, low));
    expect(mismatches(edges)).toEqual([]);
  });

  it("gives the twin's double (and Node 20's Math.exp) over the whole range (seeded random arguments)", () => {
    let state = 987654321;
    const next = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const xs = new Float64Array(600_000);
    for (let k = 0; k < 200_000; k++) xs[k] = (next() * 2 - 1) * 40;
    for (let k = 200_000; k < 400_000; k++) xs[k] = (next() * 2 - 1) * 760;
    // Any bit pattern: tiny, huge and subnormal arguments too.
    for (let k = 400_000; k < 600_000; k++) xs[k] = fromWords(Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32));
    expect(mismatches(xs)).toEqual([]);
  });
});
