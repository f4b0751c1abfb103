import { describe, expect, it } from 'vitest';
import { buildCharts, renderHtml, toVegaLite } from 'promolens/report';
import { sampleReport } from './sampleReport.js';

const report = await sampleReport();
const charts = buildCharts(report);

/** The chart's primary line and its band, from the chart model. */
function bandAndLine(id: string) {
  const chart = charts.find((c) => c.id === id)!;
  const band = chart.layers.find((l) => l.kind === 'band');
  const line = chart.layers.find((l) => l.kind === 'line' && l.style === 'primary');
  if (band?.kind !== 'band' || line?.kind !== 'line') throw new Error(`${id}: no band or no primary line`);
  return { chart, band, line };
}

const ids = [...report.targeting.map((t) => `profit:${t.arm}`), ...report.uplift.map((u) => `qini:${u.arm}`)];

describe('interval bands on the profit and Qini curves', () => {
  it('are computed in the targeting section: seeded pointwise percentile bootstrap bands at the curves\' fractions', () => {
    for (const t of report.targeting) {
      expect(t.profitBand).not.toBeNull();
      expect(t.profitBand!.fraction).toEqual(t.profit.points.map((p) => p.fraction));
      expect(t.profitBand!.level).toBe(0.95);
      expect(t.profitBand!.resamples).toBeGreaterThanOrEqual(200);
      const chosen = report.uplift.find((u) => u.arm === t.arm)!;
      expect(t.qiniBand!.fraction).toEqual(chosen.learners.find((l) => l.learner === chosen.chosen)!.qiniCurve.fraction);
      // Nothing to resample at 0% (no one targeted): the band is the point 0.
      expect([t.profitBand!.low[0], t.profitBand!.high[0]]).toEqual([0, 0]);
    }
  });

  it('contain the curve they surround in the chart model, and the y axis holds them', () => {
    for (const id of ids) {
      const { chart, band, line } = bandAndLine(id);
      expect(band.x).toEqual(line.x);
      line.y.forEach((v, i) => {
        expect(band.low[i]!).toBeLessThanOrEqual(v + 1e-9);
        expect(band.high[i]!).toBeGreaterThanOrEqual(v - 1e-9);
      });
      if (chart.y.kind !== 'linear') throw new Error('linear y expected');
      expect(chart.y.domain[0]).toBeLessThanOrEqual(Math.min(...band.low));
      expect(chart.y.domain[1]).toBeGreaterThanOrEqual(Math.max(...band.high));
      expect(chart.legend.some((l) => l.style === 'band')).toBe(true);
    }
  });

  it('are drawn in the HTML as a shaded polygon around the curve', () => {
    const html = renderHtml(report);
    for (const id of ids) {
      const { band, line } = bandAndLine(id);
      const figure = html.slice(html.indexOf(`data-chart="${id}"`), html.indexOf('</figure>', html.indexOf(`data-chart="${id}"`)));
      const polygon = new RegExp(`<polygon [^>]*points="([^"]+)"><title>${band.name.replace(/[()]/g, '\\$&')}</title>`).exec(figure);
      const polyline = new RegExp(`<polyline [^>]*points="([^"]+)"><title>${line.name.replace(/[()]/g, '\\$&')}</title>`).exec(figure);
      expect(polygon, `${id} band`).not.toBeNull();
      expect(polyline, `${id} line`).not.toBeNull();
      const parse = (text: string) => text.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
      const outline = parse(polygon![1]!);
      const curve = parse(polyline![1]!);
      const m = curve.length;
      expect(outline.length).toBe(2 * m);
      // The outline runs along the upper edge, then back along the lower; SVG y grows downwards.
      curve.forEach(([x, y], i) => {
        const upper = outline[i]!;
        const lower = outline[2 * m - 1 - i]!;
        expect(upper[0]).toBeCloseTo(x, 6);
        expect(lower[0]).toBeCloseTo(x, 6);
        expect(upper[1]).toBeLessThanOrEqual(y + 1e-6);
        expect(lower[1]).toBeGreaterThanOrEqual(y - 1e-6);
      });
    }
  });

  it('are an area layer under the curves in the Vega-Lite specs, containing the curve', () => {
    const specs = toVegaLite(report);
    for (const id of ids) {
      const { chart, line } = bandAndLine(id);
      const spec = specs[charts.indexOf(chart)]!.spec as { layer: { mark: { type: string }; data?: { values: Record<string, number | string>[] } }[] };
      const areaAt = spec.layer.findIndex((l) => l.mark?.type === 'area');
      const lineAt = spec.layer.findIndex((l) => l.mark?.type === 'line');
      expect(areaAt).toBeGreaterThanOrEqual(0);
      expect(areaAt).toBeLessThan(lineAt);
      const bandLayer = spec.layer[areaAt] as unknown as { encoding: { fill: { datum: string; legend: unknown } } };
      // The band has a legend entry of its own, named as in the chart model (and the SVG legend).
      expect(bandLayer.encoding.fill.datum).toBe(chart.layers.find((l) => l.kind === 'band')!.name);
      expect(bandLayer.encoding.fill.legend).not.toBeNull();
      const band = spec.layer[areaAt]!.data!.values;
      const points = spec.layer[lineAt]!.data!.values.filter((v) => v.series === line.name);
      expect(points.length).toBe(band.length);
      points.forEach((p, i) => {
        expect(band[i]!.x).toBe(p.x);
        expect(band[i]!.low as number).toBeLessThanOrEqual((p.y as number) + 1e-9);
        expect(band[i]!.high as number).toBeGreaterThanOrEqual((p.y as number) - 1e-9);
      });
    }
  });
});
