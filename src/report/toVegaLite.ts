import { rendering } from './checkReport.js';
import { type CategoryAxis, type Chart, type ChartLayer, type ChartOptions, type LinearAxis, type LineStyle, buildCharts } from './chartModel.js';
import type { NumberFormat } from './format.js';
import type { CampaignReport } from './schema.js';

/** A Vega-Lite v5 chart spec with its data inline, as plain JSON. */
export interface VegaLiteChart {
  readonly title: string;
  readonly spec: Record<string, unknown>;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const STYLE_COLOR: Record<LineStyle, string> = { primary: '#1f5fa8', muted: '#a9b4c2', reference: '#555555' };

function d3Format(format: NumberFormat): string {
  return format.style === 'share' ? `.${format.digits}%` : `,.${format.digits}f`;
}

function linearEncoding(field: string, axis: LinearAxis): Record<string, unknown> {
  return {
    field,
    type: 'quantitative',
    title: axis.title,
    scale: { domain: [...axis.domain], nice: false, zero: false },
    axis: { values: [...axis.ticks], format: d3Format(axis.format), labelFontSize: 12, titleFontSize: 12 },
  };
}

function categoryEncoding(field: string, axis: CategoryAxis): Record<string, unknown> {
  return { field, type: 'ordinal', title: axis.title, sort: [...axis.categories], axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 260 } };
}

function layerSpecs(chart: Chart, x: Record<string, unknown>, y: Record<string, unknown>): Record<string, unknown>[] {
  const lines = chart.layers.filter((l): l is Extract<ChartLayer, { kind: 'line' }> => l.kind === 'line');
  const out: Record<string, unknown>[] = [];
  // Bands first, so that the curves are drawn over them.
  const bands: Record<string, unknown>[] = [];
  for (const layer of chart.layers) {
    if (layer.kind === 'band') {
      bands.push({
        data: { values: layer.x.map((px, i) => ({ x: px, low: layer.low[i], high: layer.high[i] })) },
        mark: { type: 'area', opacity: 0.15 },
        // A fill of one named value: its own legend entry, beside the curves' (the SVG legend has it too).
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, fill: { datum: layer.name, type: 'nominal', title: null, scale: { domain: [layer.name], range: [STYLE_COLOR.primary] }, legend: { orient: 'top', labelLimit: 320 } } },
      });
    } else if (layer.kind === 'bars') {
      out.push({
        data: { values: layer.bars.map((b) => ({ x: b.category, y: b.value, low: b.low, high: b.high })) },
        layer: [
          { mark: { type: 'bar', color: STYLE_COLOR.primary, opacity: 0.85 }, encoding: { x, y } },
          { mark: { type: 'rule', color: '#222222' }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } } },
        ],
      });
    } else if (layer.kind === 'intervals') {
      const [marked, unmarked] = [chart.legend.find((l) => l.style === 'highlighted')?.label ?? 'clear effect', chart.legend.find((l) => l.style === 'hollow')?.label ?? 'not clear'];
      const values = layer.rows.map((r) => ({ y: r.category, estimate: r.estimate, low: r.low, high: r.high, significant: r.highlighted ? marked : unmarked, label: `${r.label} ${r.intervalLabel}`.trim() }));
      const colour = { field: 'significant', type: 'nominal', title: null, scale: { domain: [marked, unmarked], range: [STYLE_COLOR.primary, '#7a7a7a'] }, legend: { orient: 'top', labelLimit: 320 } };
      out.push({
        data: { values },
        layer: [
          { mark: { type: 'rule', strokeWidth: 3 }, encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' }, color: colour, tooltip: [{ field: 'y', title: 'effect' }, { field: 'label', title: 'estimate [95% CI]' }] } },
          { mark: { type: 'point', filled: true, size: 80 }, encoding: { y, x: { ...x, field: 'estimate' }, color: colour, tooltip: [{ field: 'y', title: 'effect' }, { field: 'label', title: 'estimate [95% CI]' }] } },
        ],
      });
    } else if (layer.kind === 'rule') {
      const channel = layer.axis === 'x' ? { x: { datum: layer.value, type: 'quantitative' } } : { y: { datum: layer.value, type: 'quantitative' } };
      out.push({ mark: { type: 'rule', color: layer.style === 'zero' ? '#333333' : '#000000', strokeDash: layer.style === 'marker' ? [3, 3] : [1, 0] }, encoding: channel });
      if (layer.label !== null && layer.axis === 'x') {
        // The cut-off's label above the plot, on the side with room; the legend sits on top, clear of both.
        const left = chart.x.kind === 'linear' ? (layer.value - chart.x.domain[0]) / (chart.x.domain[1] - chart.x.domain[0]) < 0.5 : true;
        out.push({ mark: { type: 'text', align: left ? 'left' : 'right', baseline: 'bottom', dx: left ? 4 : -4, y: -4, fontSize: 12, fontWeight: 'bold' }, encoding: { x: { datum: layer.value, type: 'quantitative' }, text: { value: layer.label } } });
      }
    }
  }
  if (lines.length > 0) {
    const names = lines.map((l) => l.name);
    out.unshift({
      data: { values: lines.flatMap((l) => l.x.map((px, i) => ({ series: l.name, x: px, y: l.y[i] }))) },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x,
        y,
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: lines.map((l) => STYLE_COLOR[l.style]) }, legend: { orient: 'top', labelLimit: 320 } },
        // One legend for the three channels of the series (Vega-Lite merges them): its symbols show the dash and width too.
        strokeDash: { field: 'series', type: 'nominal', scale: { domain: names, range: lines.map((l) => (l.style === 'reference' ? [6, 4] : [1, 0])) }, legend: { orient: 'top', labelLimit: 320 } },
        strokeWidth: { field: 'series', type: 'ordinal', sort: names, scale: { domain: names, range: lines.map((l) => (l.style === 'primary' ? 3 : 1.5)) }, legend: { orient: 'top', labelLimit: 320 } },
      },
    });
  }
  return [...bands, ...out];
}

/** Translates one chart of the chart model into a Vega-Lite v5 spec with inline data. @internal */
export function chartToVegaLite(chart: Chart): VegaLiteChart {
  const x = chart.x.kind === 'linear' ? linearEncoding('x', chart.x) : categoryEncoding('x', chart.x);
  const y = chart.y.kind === 'linear' ? linearEncoding('y', chart.y) : categoryEncoding('y', chart.y);
  return {
    title: chart.title,
    spec: {
      $schema: SCHEMA,
      title: { text: chart.title, subtitle: chart.caption, anchor: 'start', fontSize: 14, subtitleFontSize: 12 },
      width: 'container',
      height: chart.y.kind === 'category' ? { step: 36 } : 260,
      layer: layerSpecs(chart, x, y),
    },
  };
}

/**
 * The report's charts as Vega-Lite specs with inline data, for notebooks
 * (Deno/Jupyter) and host apps that render Vega-Lite: the same chart model
 * `renderHtml` draws — effects against zero, Qini curves against the random
 * line, uplift by decile with error bars, the profit curve with the best
 * cut-off, and calibration. Computes nothing.
 *
 * @throws InputError as {@link buildCharts}
 * @example
 * toVegaLite(report)[0]?.spec.$schema; // => 'https://vega.github.io/schema/vega-lite/v5.json'
 */
export function toVegaLite(report: CampaignReport, options: ChartOptions = {}): VegaLiteChart[] {
  return rendering(report, (checked) => buildCharts(checked, options).map(chartToVegaLite));
}
