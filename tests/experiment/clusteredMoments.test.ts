import { describe, expect, it } from 'vitest';
import { adjustedCoefficients, compareClustered, compareClusteredAdjustedMoments, compareClusteredMoments } from '../../src/experiment/compareClustered.js';

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

  it('with a pre-period: the normal equations and the meat of the cluster scores give compareClustered with pre', () => {
    const rows = 400;
    const g = Array.from({ length: rows }, (_, i) => i % 31);
    for (const shared of [false, true]) {
      const t = g.map((c, i) => (shared ? ((i * 5) % 3 === 0 ? 1 : 0) : c % 2));
      const x = g.map((c, i) => 20 + 5 * Math.sin(i * 0.9) + c * 0.3);
      const y = x.map((v, i) => 3 + 0.6 * v + t[i]! * 1.5 + Math.cos(i * 2.1 + g[i]!) * 2);
      const options = { outcome: 'mean' as const, covariate: 'pre_spend' };
      const fromRows = compareClustered(y, t, g, { ...options, pre: x });
      // By hand: z = [1, t, x − x̄], the normal equations, β, then the meat Σ_g s_g s_gᵀ.
      const mean = x.reduce((a, b) => a + b, 0) / rows;
      const gram = new Array<number>(9).fill(0);
      const moment = [0, 0, 0];
      const z = (i: number) => [1, t[i]!, x[i]! - mean];
      for (let i = 0; i < rows; i++) for (let a = 0; a < 3; a++) {
        moment[a]! += z(i)[a]! * y[i]!;
        for (let b = 0; b < 3; b++) gram[a * 3 + b]! += z(i)[a]! * z(i)[b]!;
      }
      const beta = adjustedCoefficients(gram, moment, 'pre_spend');
      const scores = new Map<number, number[]>();
      for (let i = 0; i < rows; i++) {
        const e = y[i]! - beta[0] - t[i]! * beta[1] - (x[i]! - mean) * beta[2];
        const s = scores.get(g[i]!) ?? [0, 0, 0];
        z(i).forEach((v, a) => (s[a]! += v * e));
        scores.set(g[i]!, s);
      }
      const meat = new Array<number>(9).fill(0);
      for (const s of scores.values()) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) meat[a * 3 + b]! += s[a]! * s[b]!;
      const unadjusted = compareClusteredMoments(moments([...y], t, g), options);
      const fromMoments = compareClusteredAdjustedMoments(unadjusted, { gram, moment, meat }, rows, options);
      expect(fromMoments.absolute.estimate).toBeCloseTo(fromRows.absolute.estimate, 10);
      expect(fromMoments.absolute.standardError / fromRows.absolute.standardError).toBeCloseTo(1, 10);
      expect(fromMoments.relative!.ci[0]!).toBeCloseTo(fromRows.relative!.ci[0]!, 9);
      expect(fromMoments.adjustment!.theta).toBeCloseTo(fromRows.adjustment!.theta, 12);
      expect(fromMoments.adjustment!.varianceReduction).toBeCloseTo(fromRows.adjustment!.varianceReduction, 10);
    }
  });
});
