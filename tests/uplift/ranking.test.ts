import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulativeTotals, curveOfTotals, layOut, rankRows, countedAreaOfCodes, rankedArea, rankedAreaOfCodes, tieFreeAreaOfCodes, tieFreeAreasOfCodes, replicateCurveAt, weightedRankedArea, replicateTotals, sampleCurve, streamedArea, topTotals, totalsOfGroups } from '../../src/uplift/ranking.js';

// The uplift ranking core against a plain restatement: rows sorted by descending score with ties
// later row first (numpy's reversed stable argsort), sums taken one row at a time.
const rowsArb = fc.integer({ min: 2, max: 60 }).chain((n) =>
  fc.record({
    y: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    s: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n, maxLength: n }),
    t: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    w: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
  }),
);
const ranked = (s: number[]) => s.map((_, i) => i).sort((a, b) => (s[b] as number) - (s[a] as number) || b - a);

describe('uplift ranking core', () => {
  it('sampleCurve interpolates linearly at fractions of the last x (worked by hand)', () => {
    // Points (0, 0), (2, 1), (4, 3): at x = 1 halfway to 1, at 3 halfway from 1 to 3.
    expect(sampleCurve([0, 2, 4], [0, 1, 3], 4)).toEqual({ fraction: [0, 0.25, 0.5, 0.75, 1], value: [0, 0.5, 1, 2, 3] });
    // A vertical step (two points at x = 2) is read at the first point that reaches it (y = 1, not 5).
    expect(sampleCurve([0, 2, 2, 4], [0, 1, 5, 5], 2).value).toEqual([0, 1, 5]);
  });

  it('replicateCurveAt samples the replicate\'s curve as sampleCurve does, to the bit', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 40 }), fc.constantFrom('qini' as const, 'uplift' as const), ({ y, s, t, w }, points, kind) => {
        if (w.every((c) => c === 0)) return;
        const layout = layOut(rankRows(Float64Array.from(y), Float64Array.from(s), Float64Array.from(t)));
        const copies = Float64Array.from(w);
        const curve = curveOfTotals(kind, replicateTotals(layout, copies));
        const expected = sampleCurve(curve.x, curve.y, points);
        const out = new Float64Array(points + 1);
        replicateCurveAt(kind, layout, copies, expected.fraction, out);
        expect(Array.from(out)).toEqual(expected.value);
      }),
    );
  });

  it('replicateTotals walks a replicate (w copies of each ranked position) as the expanded, re-ranked replicate would', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 12 }), ({ y, s, t, w }, steps) => {
        const ranking = rankRows(Float64Array.from(y), Float64Array.from(s), Float64Array.from(t));
        const layout = layOut(ranking);
        const copies = Float64Array.from(w);
        // The replicate written out: each ranked position's row w times, then ranked afresh.
        const ey: number[] = [];
        const es: number[] = [];
        const et: number[] = [];
        ranking.order.forEach((row, p) => {
          for (let c = 0; c < (w[p] as number); c++) (ey.push(y[row] as number), es.push(s[row] as number), et.push(t[row] as number));
        });
        const columns = (x: { rows: Float64Array; treatedCount: Float64Array; treatedSum: Float64Array; controlCount: Float64Array; controlSum: Float64Array }) =>
          [x.rows, x.treatedCount, x.treatedSum, x.controlCount, x.controlSum].map((c) => Array.from(c));
        const expanded = rankRows(Float64Array.from(ey), Float64Array.from(es), Float64Array.from(et));
        // Tie groups: the same stops as the replicate ranked afresh (a group without copies adds none).
        expect(columns(replicateTotals(layout, copies))).toEqual(columns(cumulativeTotals(expanded)));
        // Positions: the replicate's first k rows; within a tie group the expanded replicate is taken in rank order.
        const stops = Float64Array.from({ length: steps + 1 }, (_, k) => Math.round((k / steps) * ey.length));
        const inRankOrder = { order: Uint32Array.from(ey, (_, i) => i), y: Float64Array.from(ey), score: Float64Array.from(es), t: Float64Array.from(et) };
        const atStops = replicateTotals(layout, copies, stops);
        expect(columns(atStops)).toEqual(columns(cumulativeTotals(inRankOrder, { stops })));
        // With distinct scores that is the expanded replicate ranked afresh.
        if (new Set(s).size === s.length) expect(columns(atStops)).toEqual(columns(cumulativeTotals(expanded, { stops })));
      }),
    );
  });

  it('cumulativeTotals stops at each tie group with the totals of the rows above', () => {
    fc.assert(
      fc.property(rowsArb, ({ y, s, t }) => {
        const ranking = rankRows(Float64Array.from(y), Float64Array.from(s), Float64Array.from(t));
        const order = ranked(s);
        expect(Array.from(ranking.order)).toEqual(order);
        const totals = cumulativeTotals(ranking);
        let g = 0;
        let nT = 0;
        let sT = 0;
        let nC = 0;
        let sC = 0;
        order.forEach((row, p) => {
          if (t[row] === 1) (nT++, (sT += y[row] as number));
          else (nC++, (sC += y[row] as number));
          if (p === order.length - 1 || s[order[p + 1] as number] !== s[row]) {
            expect([totals.rows[g], totals.treatedCount[g], totals.treatedSum[g], totals.controlCount[g], totals.controlSum[g]]).toEqual([p + 1, nT, sT, nC, sC]);
            g++;
          }
        });
        expect(totals.rows.length).toBe(g);
      }),
    );
  });

  it('weights count a position that many times; per-stretch totals sum to the cumulative ones', () => {
    fc.assert(
      fc.property(rowsArb, ({ y, s, t, w }) => {
        const ranking = rankRows(Float64Array.from(y), Float64Array.from(s), Float64Array.from(t));
        const weights = Float64Array.from(w);
        const laid = layOut(ranking);
        const weighted = weightedRankedArea('qini', laid.y, laid.t, laid.groupEnds, weights);
        // The same replicate written out row by row.
        const ry: number[] = [];
        const rt: number[] = [];
        const ends: number[] = [];
        for (let p = 0; p < y.length; p++) {
          for (let c = 0; c < (w[p] as number); c++) {
            ry.push(laid.y[p] as number);
            rt.push(laid.t[p] as number);
            ends.push(0);
          }
          if (laid.groupEnds[p] === 1 && ends.length > 0) ends[ends.length - 1] = 1;
        }
        const copied = rankedArea('qini', Float64Array.from(ry), Float64Array.from(rt), Uint8Array.from(ends));
        expect(weighted.area).toBeCloseTo(copied.area, 9);
        expect(weighted.treatedCount).toBe(copied.treatedCount);
        // The weighted walk to the last row holds the weighted totals.
        const weightedTotals = cumulativeTotals(ranking, { weights, stops: [y.length] });
        const last = weightedTotals.rows.length - 1;
        expect(weightedTotals.treatedCount[last]).toBe(copied.treatedCount);
        expect(weightedTotals.controlSum[last]).toBe(copied.controlSum);
        const stops = [0, 1, Math.floor(y.length / 2), Math.floor(y.length / 2), y.length];
        const cumulative = cumulativeTotals(ranking, { stops, squares: true });
        const stretches = cumulativeTotals(ranking, { stops, squares: true, perStretch: true });
        let running = 0;
        for (let k = 0; k < stops.length; k++) {
          running += stretches.treatedSum[k] as number;
          expect(running).toBe(cumulative.treatedSum[k]);
          expect(cumulative.rows[k]).toBe(stops[k]);
        }
      }),
    );
  });

  it('streamedArea equals rankedArea, and topTotals the walk at k', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: 100 }), ({ y, s, t }, share) => {
        const [fy, fs, ft] = [Float64Array.from(y), Float64Array.from(s), Float64Array.from(t)];
        const ranking = rankRows(fy, fs, ft);
        for (const kind of ['uplift', 'qini'] as const) {
          const a = streamedArea(fy, fs, ft, kind);
          const laid = layOut(ranking);
          const b = rankedArea(kind, laid.y, laid.t, laid.groupEnds);
          expect(a.area).toBeCloseTo(b.area, 9);
          expect(a.lastY).toBeCloseTo(b.lastY, 9);
        }
        const k = Math.floor((share / 100) * y.length);
        const at = cumulativeTotals(ranking, { stops: [k] });
        expect(topTotals(fy, fs, ft, k)).toEqual({ treatedCount: at.treatedCount[0], treatedSum: at.treatedSum[0], controlCount: at.controlCount[0], controlSum: at.controlSum[0] });
      }),
    );
  });

  it('totalsOfGroups skips empty groups', () => {
    const totals = totalsOfGroups([[2, 1, 0, 0], [0, 0, 0, 0], [1, 0, 3, 2]]);
    expect(Array.from(totals.rows)).toEqual([2, 6]);
    expect(Array.from(totals.controlSum)).toEqual([0, 2]);
  });
});

describe('tieFreeAreaOfCodes', () => {
  it('adds what the general walk adds for a ranking without ties, to the bit, for both curves', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 300 }), fc.integer(), (values, seed) => {
        const n = values.length;
        const codes = Uint8Array.from(values);
        // A seeded shuffle of the rows as the order.
        const order = Uint32Array.from({ length: n }, (_, i) => i);
        let s = seed >>> 0;
        for (let i = n - 1; i > 0; i--) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const ends = new Uint8Array(n).fill(1);
        for (const kind of ['qini', 'uplift'] as const) expect(tieFreeAreaOfCodes(kind, codes, order)).toEqual(rankedAreaOfCodes(kind, codes, order, ends));
        // Two rankings at once: each area what its own walk gives.
        const reversed = order.slice().reverse();
        const areas = new Float64Array(2);
        for (const kind of ['qini', 'uplift'] as const) {
          tieFreeAreasOfCodes(kind, codes, order, reversed, areas);
          expect([areas[0], areas[1]]).toEqual([tieFreeAreaOfCodes(kind, codes, order).area, tieFreeAreaOfCodes(kind, codes, reversed).area]);
        }
      }),
    );
  });
});

describe('countedAreaOfCodes', () => {
  it('equals the weighted walk over the copies laid out in rank order, to the bit, with ties', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: 255 }), ({ y, s, t, w }, big) => {
        const binary = Float64Array.from(y, (v) => v % 2);
        const ranking = rankRows(binary, Float64Array.from(s), Float64Array.from(t));
        const layout = layOut(ranking);
        // Copies per row (one row may hold up to 255), read through the order; the reference lays them out by position.
        const copies = Uint8Array.from(w, (v, i) => (i === 0 ? big : v));
        const laidOut = Float64Array.from(ranking.order, (row) => copies[row]!);
        const codes = Uint8Array.from(ranking.order, (row) => 2 * binary[row]! + t[row]!);
        for (const kind of ['qini', 'uplift'] as const) {
          expect(countedAreaOfCodes(kind, codes, copies, ranking.order, layout.groupEnds)).toEqual(weightedRankedArea(kind, layout.y, layout.t, layout.groupEnds, laidOut));
        }
      }),
    );
  });
});
