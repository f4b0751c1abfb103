import type { CategoryAxis, Chart, ChartLayer, LinearAxis, LineStyle } from './chartModel.js';
import { escapeHtml, formatValue } from './format.js';

// The SVG has no viewBox: it is as wide as its box and its text keeps its
// pixel size (12 px) at any width, so a chart on a phone stays readable.
// Horizontal positions are percentages of the width; curves and bands live
// in a nested SVG stretched over the plot area (strokes do not scale).

const FONT = 12;
/** Left and right edges of the plot area, in percent of the width. */
const LEFT = 1;
const RIGHT = 99;
const COLORS = { primary: '#1f5fa8', muted: '#a9b4c2', reference: '#555', band: '#1f5fa8', negative: '#b03a2e', zero: '#333', grid: '#e4e4e4', text: '#333' };

const fixed = (v: number) => Number(v.toFixed(3)).toString();

function xPercent(axis: LinearAxis, value: number): number {
  const [low, high] = axis.domain;
  return LEFT + ((value - low) / (high - low)) * (RIGHT - LEFT);
}

/** Categories start after a gutter that keeps the y tick labels clear of the bars. */
const CATEGORY_LEFT = 10;

function categoryPercent(axis: CategoryAxis, index: number): number {
  return CATEGORY_LEFT + ((index + 0.5) / axis.categories.length) * (RIGHT - CATEGORY_LEFT);
}

/** Pixels from the top of the plot area. */
function yPixels(axis: LinearAxis, value: number, height: number): number {
  const [low, high] = axis.domain;
  return height - ((value - low) / (high - low)) * height;
}

/** Coordinates in the nested plot SVG (0…1000 both ways). */
function plotPoint(x: LinearAxis, y: LinearAxis, px: number, py: number): string {
  const [x0, x1] = x.domain;
  const [y0, y1] = y.domain;
  return `${fixed(((px - x0) / (x1 - x0)) * 1000)},${fixed(1000 - ((py - y0) / (y1 - y0)) * 1000)}`;
}

function strokeOf(style: LineStyle): string {
  if (style === 'primary') return `stroke="${COLORS.primary}" stroke-width="2.5"`;
  if (style === 'muted') return `stroke="${COLORS.muted}" stroke-width="1.5"`;
  return `stroke="${COLORS.reference}" stroke-width="1.5" stroke-dasharray="6 4"`;
}

function text(x: string, y: number, content: string, anchor: 'start' | 'middle' | 'end' = 'start', extra = ''): string {
  return `<text x="${x}" y="${fixed(y)}" text-anchor="${anchor}"${extra}>${escapeHtml(content)}</text>`;
}

/** A chart with a numeric y axis (lines, bands, bars, rules). */
function xyChart(chart: Chart, x: LinearAxis | CategoryAxis, y: LinearAxis): string {
  const markers = chart.layers.filter((l): l is Extract<ChartLayer, { kind: 'rule' }> => l.kind === 'rule' && l.label !== null);
  const top = markers.length > 0 ? 58 : 36;
  const plotHeight = 220;
  const bottom = top + plotHeight;
  const height = bottom + 40;
  const out: string[] = [];
  out.push(text(`${LEFT}%`, 14, y.title, 'start', ' class="axis-title"'));
  // Horizontal grid and y tick labels inside the plot, above their line, with a halo.
  for (const tick of y.ticks) {
    const py = top + yPixels(y, tick, plotHeight);
    out.push(`<line x1="${LEFT}%" x2="${RIGHT}%" y1="${fixed(py)}" y2="${fixed(py)}" stroke="${COLORS.grid}"/>`);
    out.push(text(`${LEFT}%`, py - 3, formatValue(tick, y.format), 'start', ' class="tick halo"'));
  }
  // X ticks and title.
  if (x.kind === 'linear') {
    x.ticks.forEach((tick, k) => {
      const px = xPercent(x, tick);
      const anchor = k === 0 ? 'start' : k === x.ticks.length - 1 ? 'end' : 'middle';
      out.push(`<line x1="${fixed(px)}%" x2="${fixed(px)}%" y1="${bottom}" y2="${bottom + 4}" stroke="${COLORS.zero}"/>`);
      out.push(text(`${fixed(px)}%`, bottom + 16, formatValue(tick, x.format), anchor, ' class="tick"'));
    });
  } else {
    x.categories.forEach((category, k) => out.push(text(`${fixed(categoryPercent(x, k))}%`, bottom + 16, category, 'middle', ' class="tick"')));
  }
  out.push(`<line x1="${LEFT}%" x2="${RIGHT}%" y1="${bottom}" y2="${bottom}" stroke="${COLORS.zero}"/>`);
  out.push(text('50%', bottom + 34, x.title, 'middle', ' class="axis-title"'));
  // Curves and bands in a stretched plot area.
  const curves: string[] = [];
  for (const layer of chart.layers) {
    if (layer.kind === 'band' && x.kind === 'linear') {
      const upper = layer.x.map((px, i) => plotPoint(x, y, px, layer.high[i] as number));
      const lower = layer.x.map((px, i) => plotPoint(x, y, px, layer.low[i] as number)).reverse();
      curves.push(`<polygon fill="${COLORS.band}" fill-opacity="0.15" stroke="none" points="${[...upper, ...lower].join(' ')}"><title>${escapeHtml(layer.name)}</title></polygon>`);
    } else if (layer.kind === 'line' && x.kind === 'linear') {
      const points = layer.x.map((px, i) => plotPoint(x, y, px, layer.y[i] as number));
      curves.push(`<polyline fill="none" ${strokeOf(layer.style)} vector-effect="non-scaling-stroke" points="${points.join(' ')}"><title>${escapeHtml(layer.name)}</title></polyline>`);
    }
  }
  if (curves.length > 0) {
    out.push(`<svg x="${LEFT}%" y="${top}" width="${RIGHT - LEFT}%" height="${plotHeight}" viewBox="0 0 1000 1000" preserveAspectRatio="none" overflow="visible">${curves.join('')}</svg>`);
  }
  for (const layer of chart.layers) {
    if (layer.kind === 'bars' && x.kind === 'category') {
      const slot = (RIGHT - CATEGORY_LEFT) / layer.bars.length;
      layer.bars.forEach((bar, k) => {
        const centre = categoryPercent(x, k);
        if (bar.value === null) {
          out.push(text(`${fixed(centre)}%`, top + yPixels(y, 0, plotHeight) - 4, 'n/a', 'middle', ' class="tick"'));
          return;
        }
        const y0 = top + yPixels(y, 0, plotHeight);
        const y1 = top + yPixels(y, bar.value, plotHeight);
        const fill = bar.value >= 0 ? COLORS.primary : COLORS.negative;
        out.push(`<rect x="${fixed(centre - slot * 0.35)}%" width="${fixed(slot * 0.7)}%" y="${fixed(Math.min(y0, y1))}" height="${fixed(Math.max(0.5, Math.abs(y1 - y0)))}" fill="${fill}" fill-opacity="0.85"><title>${escapeHtml(`${bar.category}: ${formatValue(bar.value, { ...y.format, digits: y.format.digits + 1 })}`)}</title></rect>`);
        if (bar.low !== null && bar.high !== null) {
          out.push(`<line x1="${fixed(centre)}%" x2="${fixed(centre)}%" y1="${fixed(top + yPixels(y, bar.low, plotHeight))}" y2="${fixed(top + yPixels(y, bar.high, plotHeight))}" stroke="#222" stroke-width="1.5"/>`);
        }
      });
    } else if (layer.kind === 'rule') {
      if (layer.axis === 'y') {
        const py = top + yPixels(y, layer.value, plotHeight);
        out.push(`<line x1="${LEFT}%" x2="${RIGHT}%" y1="${fixed(py)}" y2="${fixed(py)}" stroke="${COLORS.zero}" stroke-width="1"/>`);
      } else if (x.kind === 'linear') {
        const px = xPercent(x, layer.value);
        out.push(`<line x1="${fixed(px)}%" x2="${fixed(px)}%" y1="${top - 14}" y2="${bottom}" stroke="#000" stroke-dasharray="3 3"/>`);
        // The cut-off's label sits above the plot, on the side with room.
        if (layer.label !== null) out.push(text(`${fixed(px)}%`, top - 18, layer.label, px < 50 ? 'start' : 'end', ' class="marker-label" dx="0"'));
      }
    }
  }
  return svg(chart, height, out);
}

/** The effects chart: one row per category, label above, the interval and its dot below. */
function intervalChart(chart: Chart, x: LinearAxis, y: CategoryAxis): string {
  const layer = chart.layers.find((l): l is Extract<ChartLayer, { kind: 'intervals' }> => l.kind === 'intervals');
  const rows = layer?.rows ?? [];
  const rowHeight = 46;
  const top = 8;
  const bottom = top + rows.length * rowHeight;
  const height = bottom + 40;
  const out: string[] = [];
  for (const tick of x.ticks) {
    const px = fixed(xPercent(x, tick));
    out.push(`<line x1="${px}%" x2="${px}%" y1="${top}" y2="${bottom}" stroke="${tick === 0 ? COLORS.zero : COLORS.grid}"${tick === 0 ? ' stroke-width="1.5"' : ''}/>`);
  }
  x.ticks.forEach((tick, k) => {
    const anchor = k === 0 ? 'start' : k === x.ticks.length - 1 ? 'end' : 'middle';
    out.push(text(`${fixed(xPercent(x, tick))}%`, bottom + 16, formatValue(tick, x.format), anchor, ' class="tick"'));
  });
  out.push(text('50%', bottom + 34, x.title, 'middle', ' class="axis-title"'));
  rows.forEach((row, k) => {
    const rowTop = top + k * rowHeight;
    const lineY = rowTop + 32;
    const colour = row.highlighted ? COLORS.primary : '#7a7a7a';
    out.push(text(`${LEFT}%`, rowTop + 15, `${row.category}: ${row.label}`, 'start', ` class="row-label halo${row.highlighted ? ' strong' : ''}"`));
    if (row.estimate === null) return;
    const [low, high] = x.domain;
    const from = row.low === null ? low : row.low;
    const to = row.high === null ? high : row.high;
    out.push(`<line x1="${fixed(xPercent(x, from))}%" x2="${fixed(xPercent(x, to))}%" y1="${lineY}" y2="${lineY}" stroke="${colour}" stroke-width="${row.highlighted ? 4 : 3}" stroke-linecap="round"><title>${escapeHtml(`${row.category}: ${row.label}`)}</title></line>`);
    out.push(`<circle cx="${fixed(xPercent(x, row.estimate))}%" cy="${lineY}" r="6" fill="${row.highlighted ? colour : '#fff'}" stroke="${colour}" stroke-width="2"/>`);
  });
  return svg(chart, height, out);
}

function svg(chart: Chart, height: number, body: readonly string[]): string {
  return `<svg class="chart" width="100%" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}" xmlns="http://www.w3.org/2000/svg" font-size="${FONT}" fill="${COLORS.text}">${body.join('')}</svg>`;
}

/**
 * Draws one chart of the chart model as an inline SVG element: numeric
 * axes with their 1-2-5 ticks and units, curves, bands, bars, intervals and
 * rules; text stays 12 px at any width. The legend is drawn by the caller
 * outside the plot. @internal
 */
export function chartSvg(chart: Chart): string {
  if (chart.x.kind === 'linear' && chart.y.kind === 'category') return intervalChart(chart, chart.x, chart.y);
  if (chart.y.kind === 'linear') return xyChart(chart, chart.x, chart.y);
  throw new Error(`chart ${chart.id}: no drawing for a category y axis against a category x axis`);
}
