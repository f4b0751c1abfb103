import { describe, expect, it } from 'vitest';
import { fromColumns } from 'promolens/data';
import { fingerprint } from '../../src/policy/targetingPolicy.js';

/** FNV-1a 64 in BigInt, byte by byte: the reference. */
function fnv1a64(bytes: readonly number[]): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

function columnBytes(name: string, values: Float64Array | { codes: Int32Array; levels: string[] }): number[] {
  const bytes = Array.from(name, (ch) => ch.charCodeAt(0) & 0xff);
  if (values instanceof Float64Array) {
    const view = new DataView(new ArrayBuffer(8));
    for (const v of values) {
      view.setFloat64(0, v, true);
      for (let b = 0; b < 8; b++) bytes.push(view.getUint8(b));
    }
  } else {
    for (const code of values.codes) {
      if (code < 0) bytes.push(0xff);
      else bytes.push(...Array.from(values.levels[code] as string, (ch) => ch.charCodeAt(0) & 0xff));
      bytes.push(0);
    }
  }
  return bytes;
}

describe('the data fingerprint', () => {
  it('is FNV-1a 64 of the columns bytes: names, float64 values (NaN, −0, extremes) and level text', () => {
    const spend = Float64Array.from([0, -0, 1.5, Number.NaN, -1e308, 5e-324, 12345.678, Number.NaN, 7, 0.1, -2.5, 3]);
    const segment = { codes: Int32Array.from([0, 1, -1, 2, 0, 1, 1, 2, 0, -1, 2, 0]), levels: ['No E-Mail', 'Mens', 'Womens'] };
    const data = fromColumns({ spend, segment });
    expect(fingerprint(data, ['spend', 'segment'])).toBe(fnv1a64([...columnBytes('spend', spend), ...columnBytes('segment', segment)]));
    expect(fingerprint(data, ['segment'])).toBe(fnv1a64(columnBytes('segment', segment)));
    // Different data, different fingerprint.
    const other = fromColumns({ spend: Float64Array.from(spend, (v, i) => (i === 6 ? v + 1e-9 : v)), segment });
    expect(fingerprint(other, ['spend'])).not.toBe(fingerprint(data, ['spend']));
  });
});
