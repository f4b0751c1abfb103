import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as u from 'promolens/uplift';

// The uplift metrics take shortcuts (labels packed into the sort's payload,
// selection instead of a sort for uplift at k). Here they are checked against
// the definitions written plainly: numpy's reversed stable argsort, the curve
// point by point, the trapezoids. Small integer scores make ties frequent;
// −0 and +0 must tie.
const sample = fc.integer({ min: 4, max: 80 }).chain((n) =>
  fc.record({
    y: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    spend: fc.array(fc.integer({ min: 0, max: 40 }).map((v) => v / 4), { minLength: n, maxLength: n }),
    s: fc.array(fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constant(-0)), { minLength: n, maxLength: n }),
    t: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
  }),
).filter(({ t }) => t.includes(0) && t.includes(1));

/** Rows by descending score, ties later row first (numpy's argsort(kind='stable')[::-1]). */
const ranking = (s: number[]) => s.map((_, i) => i).sort((a, b) => (s[a]! === s[b]! ? b - a : s[b]! - s[a]!));

function reference(y: number[], s: number[], t: number[], kind: 'uplift' | 'qini') {
  const order = ranking(s);
  let nT = 0, sT = 0, nC = 0, sC = 0, area = 0, px = 0, py = 0;
  order.forEach((row, k) => {
    if (t[row] === 1) { nT++; sT += y[row]!; } else { nC++; sC += y[row]!; }
    const next = order[k + 1];
    if (next === undefined || s[next] !== s[row]) {
      const x = k + 1;
      const v = kind === 'uplift' ? ((nT ? sT / nT : 0) - (nC ? sC / nC : 0)) * x : sT - sC * (nC ? nT / nC : 0);
      area += ((x - px) * (v + py)) / 2;
      px = x;
      py = v;
    }
  });
  return area - (px * py) / 2;
}

function referenceAtK(y: number[], s: number[], t: number[], k: number, strategy: 'overall' | 'by_group'): number | 'empty' {
  const order = ranking(s);
  const n = y.length;
  const treated = t.filter((v) => v === 1).length;
  let nT = 0, sT = 0, nC = 0, sC = 0;
  const share = !Number.isInteger(k);
  if (strategy === 'overall') {
    for (const row of order.slice(0, share ? Math.floor(n * k) : k)) {
      if (t[row] === 1) { nT++; sT += y[row]!; } else { nC++; sC += y[row]!; }
    }
  } else {
    const limitT = share ? Math.floor(treated * k) : k;
    const limitC = share ? Math.floor((n - treated) * k) : k;
    for (const row of order) {
      if (t[row] === 1) { if (nT < limitT) { nT++; sT += y[row]!; } } else if (nC < limitC) { nC++; sC += y[row]!; }
    }
  }
  return nT === 0 || nC === 0 ? 'empty' : sT / nT - sC / nC;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('uplift ranking shortcuts agree with the plain definitions', () => {
  it('areas above the random line, binary and continuous outcomes', () => {
    fc.assert(
      fc.property(sample, ({ y, spend, s, t }) => {
        for (const outcome of [y, spend]) {
          expect(near(u.qiniAuc(outcome, s, t, { normalize: false }), reference(outcome, s, t, 'qini'))).toBe(true);
          expect(near(u.upliftAuc(outcome, s, t, { normalize: false }), reference(outcome, s, t, 'uplift'))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('uplift at k, both strategies, shares and row counts', () => {
    fc.assert(
      fc.property(sample, fc.constantFrom(0.1, 0.3, 0.5, 0.77, 3), fc.constantFrom('overall' as const, 'by_group' as const), ({ y, s, t }, k, strategy) => {
        const expected = referenceAtK(y, s, t, k, strategy);
        let actual: number | 'empty';
        try {
          actual = u.upliftAtK(y, s, t, { k, strategy });
        } catch (error) {
          if ((error as { reason?: string }).reason === 'invalid_option') return; // k larger than a group
          actual = 'empty';
        }
        if (expected === 'empty' || actual === 'empty') expect(actual).toBe(expected);
        else expect(near(actual, expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the normalised scores are invariant to a monotone transform of the scores', () => {
    fc.assert(
      fc.property(sample, ({ y, s, t }) => {
        if (!y.some((v, i) => v !== t[i])) return;
        try {
          const base = u.qiniAuc(y, s, t);
          expect(near(u.qiniAuc(y, s.map((v) => 3 * v + 1e9), t), base)).toBe(true);
        } catch (error) {
          expect((error as { reason?: string }).reason).toBe('single_class');
        }
      }),
      { numRuns: 200 },
    );
  });
});
