import { describe, expect, it } from 'vitest';
import { buildCharts } from 'promolens/report';
import { sampleReport } from './sampleReport.js';

const report = await sampleReport();
const charts = buildCharts(report);

describe('buildCharts', () => {
  it('makes the effects chart first, then per arm Qini and deciles, profit per arm, calibration per 0/1 outcome', () => {
    expect(charts.map((c) => c.id)).toEqual([
      'effects',
      'qini:Mens E-Mail', 'deciles:Mens E-Mail',
      'qini:Womens E-Mail', 'deciles:Womens E-Mail',
      'profit:Mens E-Mail', 'profit:Womens E-Mail',
      'calibration:visit',
    ]);
  });

  it('draws one effects row per arm × outcome, relative lift by default, absolute on request, marked when significant', () => {
    const effects = charts[0];
    const rows = effects?.layers.find((l) => l.kind === 'intervals');
    expect(rows?.kind === 'intervals' && rows.rows.map((r) => r.category)).toEqual(report.effects.map((e) => `${e.arm} · ${e.label}`));
    if (rows?.kind !== 'intervals') throw new Error('no intervals layer');
    rows.rows.forEach((row, k) => {
      const e = report.effects[k];
      expect(row.estimate).toBe(e?.relative?.estimate ?? null);
      expect(row.highlighted).toBe((e?.adjustedPValue ?? 1) < 0.05);
    });
    expect(effects?.x.kind === 'linear' && effects.x.format.style).toBe('share');
    const absolute = buildCharts(report, { effects: 'absolute' })[0]?.layers.find((l) => l.kind === 'intervals');
    expect(absolute?.kind === 'intervals' && absolute.rows.map((r) => r.estimate)).toEqual(report.effects.map((e) => e.absolute.estimate));
  });

  it('puts every value inside its axis, on ticks that step by 1, 2 or 5, and includes zero where effects are compared with it', () => {
    for (const chart of charts) {
      for (const axis of [chart.x, chart.y]) {
        if (axis.kind !== 'linear') continue;
        const steps = axis.ticks.slice(1).map((t, k) => t - (axis.ticks[k] as number));
        for (const step of steps) expect(step).toBeCloseTo(steps[0] as number, 12);
        const mantissa = Number(((steps[0] as number) / 10 ** Math.floor(Math.log10(steps[0] as number) + 1e-9)).toPrecision(6));
        expect([1, 2, 5]).toContain(mantissa);
      }
      for (const layer of chart.layers) {
        if (layer.kind === 'line' && chart.y.kind === 'linear') {
          for (const v of layer.y) expect(v).toBeGreaterThanOrEqual(chart.y.domain[0] - 1e-12);
          for (const v of layer.y) expect(v).toBeLessThanOrEqual(chart.y.domain[1] + 1e-12);
        }
      }
    }
    const effects = charts[0];
    expect(effects?.x.kind === 'linear' && effects.x.domain[0] <= 0 && effects.x.domain[1] >= 0).toBe(true);
  });

  it('keeps a few lines per chart, the chosen learner first in the legend, and labels the profit cut-off', () => {
    for (const chart of charts) expect(chart.layers.filter((l) => l.kind === 'line').length).toBeLessThanOrEqual(6);
    const qini = charts[1];
    expect(qini?.legend[0]?.label).toContain('chosen');
    const profit = charts.find((c) => c.id.startsWith('profit:'));
    const rule = profit?.layers.find((l) => l.kind === 'rule' && l.style === 'marker');
    expect(rule?.kind === 'rule' && rule.label).toMatch(/^best cut-off: top \d+%$/);
  });
});
