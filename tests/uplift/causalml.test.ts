import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as u from 'promolens/uplift';

// Reference: CausalML's get_cumgain / get_qini / auuc_score / qini_score restated with numpy and
// pandas in tests/fixtures/uplift/make_causalml.py (CausalML is not installed; no tied scores).
// Tolerance: relative 1e-12 (the same sums, in another order).
const fixture = JSON.parse(readFileSync(new URL('../fixtures/uplift/causalml.json', import.meta.url), 'utf8'));

function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe("convention 'causalml' where the top of the ranking holds one arm only", () => {
  for (const c of fixture.cases) {
    it(`${c.name}: the curves point by point and the scores`, () => {
      const gain = u.upliftCurve(c.y, c.uplift, c.treatment, { convention: 'causalml' }).y;
      const qini = u.qiniCurve(c.y, c.uplift, c.treatment, { convention: 'causalml' }).y;
      expect(gain.length).toBe(c.expected.gain.length);
      expect(qini.length).toBe(c.expected.qini.length);
      gain.forEach((v, k) => close(v, c.expected.gain[k], `gain[${k}]`));
      qini.forEach((v, k) => close(v, c.expected.qini[k], `qini[${k}]`));
      close(u.upliftAuc(c.y, c.uplift, c.treatment, { convention: 'causalml' }), c.expected.auuc, 'auuc_score');
      close(u.qiniAuc(c.y, c.uplift, c.treatment, { convention: 'causalml' }), c.expected.qini_score, 'qini_score');
    });
  }

  it('a leading undefined gain point is gain(f)·k²/f², worked by hand', () => {
    // Ranked: treated responder, treated non-responder, then a control non-responder (first defined, f = 3).
    // gain(3) = (1/2 − 0/1)·3 = 1.5, so gain(1) = 1.5/9 and gain(2) = 1.5·4/9.
    const curve = u.upliftCurve([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0], { convention: 'causalml' });
    expect(curve.y.slice(0, 4)).toEqual([0, 1.5 / 9, (1.5 * 4) / 9, 1.5]);
  });
});

describe('upliftByPercentile labels', () => {
  it('rounds bin edges half to even, as scikit-uplift (Python round)', () => {
    const n = 64;
    const y = Array.from({ length: n }, (_, i) => i % 3 === 0 ? 1 : 0);
    const t = Array.from({ length: n }, (_, i) => (i % 2));
    const s = Array.from({ length: n }, (_, i) => n - i);
    expect(u.upliftByPercentile(y, s, t, { bins: 8 }).bins.map((b) => b.percentile)).toEqual(['0-12', '12-25', '25-38', '38-50', '50-62', '62-75', '75-88', '88-100']);
  });
});
