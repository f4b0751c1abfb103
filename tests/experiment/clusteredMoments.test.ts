import { describe, expect, it } from 'vitest';
import { compareClustered, compareClusteredMoments } from '../../src/experiment/compareClustered.js';

// The CR1 comparison from residual moments (what a SQL engine returns) equals the one from rows.
describe('compareClusteredMoments', () => {
  function moments(y: number[], t: number[], g: number[]) {
    const n = [0, 0];
    const sum = [0, 0];
    y.forEach((v, i) => {
      n[t[i]!]! += 1;
      sum[t[i]!]! += v;
    });
    const mean = [sum[0]! / n[0]!, sum[1]! / n[1]!];
    const residual = new Map<number, [number, number, number, number]>();
    y.forEach((v, i) => {
      const r = residual.get(g[i]!) ?? [0, 0, 0, 0];
      r[t[i]!]! += v - mean[t[i]!]!;
      r[2 + t[i]!]! += 1;
      residual.set(g[i]!, r);
    });
    let e00 = 0;
    let e11 = 0;
    let e01 = 0;
    let c0 = 0;
    let c1 = 0;
    for (const [r0, r1, k0, k1] of residual.values()) {
      e00 += r0 * r0;
      e11 += r1 * r1;
      e01 += r0 * r1;
      if (k0 > 0) c0++;
      if (k1 > 0) c1++;
    }
    return { n0: n[0]!, n1: n[1]!, sum0: sum[0]!, sum1: sum[1]!, clusters0: c0, clusters1: c1, clusters: residual.size, e00, e11, e01 };
  }

  for (const [name, shared] of [['clusters randomised whole', false], ['clusters holding both arms', true]] as const) {
    it(`agrees with compareClustered, ${name}, for means and proportions, log and delta lifts`, () => {
      const rows = 300;
      const g = Array.from({ length: rows }, (_, i) => i % 23);
      const t = g.map((c, i) => (shared ? (i * 7) % 3 === 0 ? 1 : 0 : c % 2));
      const mean = g.map((c, i) => 5 + Math.sin(c) * 2 + t[i]! * 0.8 + Math.cos(i * 1.7));
      const binary = g.map((c, i) => (Math.sin(i * 2.3 + c) + t[i]! * 0.3 > 0.2 ? 1 : 0));
      const negative = mean.map((v) => v - 6);
      for (const [y, outcome] of [[mean, 'mean'], [binary, 'proportion'], [negative, 'mean']] as const) {
        for (const options of [{}, { relativeInterval: 'delta' as const }, { sequential: true, bayesian: true }]) {
          const fromRows = compareClustered(y, t, g, { outcome, ...options });
          const fromMoments = compareClusteredMoments(moments([...y], t, g), { outcome, ...options });
          expect(fromMoments.df).toBe(fromRows.df);
          expect(fromMoments.absolute.estimate).toBeCloseTo(fromRows.absolute.estimate, 12);
          expect(fromMoments.absolute.standardError / fromRows.absolute.standardError).toBeCloseTo(1, 10);
          expect(fromMoments.absolute.pValue).toBeCloseTo(fromRows.absolute.pValue, 10);
          if (fromRows.relative !== null) {
            expect(fromMoments.relative!.ci[0]).toBeCloseTo(fromRows.relative.ci[0]!, 9);
            expect(fromMoments.relative!.ci[1]).toBeCloseTo(fromRows.relative.ci[1]!, 9);
          }
          expect(fromMoments.control.clusters).toBe(fromRows.control.clusters);
          expect(fromMoments.treated.clusters).toBe(fromRows.treated.clusters);
        }
      }
    });
  }
});
