import { describe, expect, it } from 'vitest';
import { buildCharts, toVegaLite } from 'promolens/report';
import { sampleReport } from './sampleReport.js';

const report = await sampleReport();

describe('toVegaLite', () => {
  it('translates every chart of the chart model, with inline data and the same ticks', () => {
    const charts = buildCharts(report);
    const specs = toVegaLite(report);
    expect(specs.map((s) => s.title)).toEqual(charts.map((c) => c.title));
    for (const [k, spec] of specs.entries()) {
      const text = JSON.stringify(spec.spec);
      expect(spec.spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v5.json');
      expect(text).toContain('"values"');
      const chart = charts[k];
      const axis = chart?.x.kind === 'linear' ? chart.x : chart?.y.kind === 'linear' ? chart.y : undefined;
      if (axis !== undefined) expect(text).toContain(JSON.stringify(axis.ticks));
    }
  });

  it('has an effects chart with one row per arm × outcome against zero', () => {
    const effects = toVegaLite(report)[0];
    const text = JSON.stringify(effects?.spec);
    for (const e of report.effects) expect(text).toContain(`${e.arm} · ${e.label}`);
    expect(text).toContain('"datum":0');
  });

  it('puts legends on top of the plot, never over the data', () => {
    for (const spec of toVegaLite(report)) {
      const legends = JSON.stringify(spec.spec).match(/"legend":\{[^}]*\}/g) ?? [];
      for (const legend of legends) expect(legend).toContain('"orient":"top"');
    }
  });
});
