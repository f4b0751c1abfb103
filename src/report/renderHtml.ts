import { renderMarkdown } from './renderMarkdown.js';
import type { CampaignReport } from './schema.js';

const WIDTH = 640;
const HEIGHT = 320;
const PAD = { left: 64, right: 16, top: 28, bottom: 44 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** @internal */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
  readonly dashed?: boolean;
}

function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low === high) return [low - 1, high + 1];
  return [low, high];
}

function ticks([low, high]: [number, number], count = 5): number[] {
  const step = (high - low) / count;
  return Array.from({ length: count + 1 }, (_, i) => low + i * step);
}

function label(value: number): string {
  const a = Math.abs(value);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return value.toExponential(1);
  return Number(value.toPrecision(3)).toString();
}

/**
 * An SVG frame with axes. The body writes data coordinates as placeholders —
 * @@x,y@@ for a point, @X(x)@ and @Y(y)@ for one coordinate — which are
 * mapped to pixels here.
 */
function frame(title: string, xLabel: string, yLabel: string, xRange: [number, number], yRange: [number, number], body: string, numericX = true): string {
  const sx = (x: number) => PAD.left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => HEIGHT - PAD.bottom - ((y - yRange[0]) / (yRange[1] - yRange[0])) * (HEIGHT - PAD.top - PAD.bottom);
  const xTicks = numericX
    ? ticks(xRange).map((x) => `<line x1="${sx(x)}" x2="${sx(x)}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom + 4}" stroke="#555"/><text x="${sx(x)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${label(x)}</text>`)
    : [];
  const yTicks = ticks(yRange).map((y) => `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${sy(y) + 4}" text-anchor="end">${label(y)}</text>`);
  const mapped = body
    .replace(/@@(-?[\d.e+-]+),(-?[\d.e+-]+)@@/g, (_, x: string, y: string) => `${sx(Number(x)).toFixed(1)},${sy(Number(y)).toFixed(1)}`)
    .replace(/@X\((-?[\d.e+-]+)\)@/g, (_, x: string) => sx(Number(x)).toFixed(1))
    .replace(/@Y\((-?[\d.e+-]+)\)@/g, (_, y: string) => sy(Number(y)).toFixed(1));
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">
<text x="${WIDTH / 2}" y="16" text-anchor="middle" class="title">${escapeHtml(title)}</text>
${yTicks.join('')}
<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom}" stroke="#555"/>
<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#555"/>
${xTicks.join('')}
<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text transform="translate(14 ${(PAD.top + HEIGHT - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>
${mapped}
</svg>`;
}

/** A line chart over the series, with an optional vertical marker. */
function lineChart(title: string, xLabel: string, yLabel: string, series: readonly Series[], marker?: { x: number; label: string }): string {
  const xs = series.flatMap((s) => [...s.x]);
  const ys = series.flatMap((s) => s.y.filter((v): v is number => v !== null));
  const xRange = extent(xs);
  const yRange = extent([...ys, 0]);
  const lines = series.map((s, k) => {
    const points = s.x.map((x, i) => (s.y[i] === null ? null : `@@${x},${s.y[i]}@@`)).filter((p) => p !== null);
    return `<polyline fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points.join(' ')}"><title>${escapeHtml(s.name)}</title></polyline>`;
  });
  const legend = series.map((s, k) => `<g transform="translate(${PAD.left + 8} ${PAD.top + 6 + k * 14})"><rect width="10" height="3" y="-4" fill="${COLORS[k % COLORS.length]}"/><text x="14" y="0">${escapeHtml(s.name)}</text></g>`);
  const mark =
    marker === undefined
      ? ''
      : `<polyline fill="none" stroke="#000" stroke-dasharray="2 3" points="@@${marker.x},${yRange[0]}@@ @@${marker.x},${yRange[1]}@@"/><text x="@X(${marker.x})@" y="${PAD.top + 10}" dx="4">${escapeHtml(marker.label)}</text>`;
  return frame(title, xLabel, yLabel, xRange, yRange, lines.join('') + legend.join('') + mark);
}

/** Bars with ± error bars, one per category; an empty category is marked n/a. */
function barChart(title: string, yLabel: string, labels: readonly string[], values: readonly (number | null)[], errors: readonly (number | null)[]): string {
  const lows = values.map((v, i) => (v === null ? 0 : v - (errors[i] ?? 0)));
  const highs = values.map((v, i) => (v === null ? 0 : v + (errors[i] ?? 0)));
  const yRange = extent([...lows, ...highs, 0]);
  const xRange: [number, number] = [0, labels.length];
  const bars = labels.map((name, i) => {
    const v = values[i];
    const tick = `<text x="@X(${i + 0.5})@" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(name)}</text>`;
    if (v === null || v === undefined) return `${tick}<text x="@X(${i + 0.5})@" y="@Y(0)@" text-anchor="middle" dy="-4">n/a</text>`;
    const e = errors[i] ?? 0;
    return `${tick}<polygon fill="${v >= 0 ? COLORS[0] : COLORS[1]}" opacity="0.8" points="@@${i + 0.15},0@@ @@${i + 0.85},0@@ @@${i + 0.85},${v}@@ @@${i + 0.15},${v}@@"><title>${escapeHtml(`${name}: ${v.toFixed(4)} ± ${e.toFixed(4)}`)}</title></polygon><polyline fill="none" stroke="#222" points="@@${i + 0.5},${v - e}@@ @@${i + 0.5},${v + e}@@"/>`;
  });
  return frame(title, 'score decile (highest predicted uplift first)', yLabel, xRange, yRange, bars.join(''), false);
}

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:960px;padding:12px;color:#222}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}table{border-collapse:collapse;display:block;overflow-x:auto;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
.chart{width:100%;height:auto;max-width:${WIDTH}px;display:block;margin:8px 0}.chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}
.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:6px 10px}code{background:#f3f3f3;padding:0 3px}`;

/** Markdown → HTML for the subset renderMarkdown writes (headings, tables, lists, bold, code). */
function markdownToHtml(markdown: string): string {
  const lines = markdown.split('\n');
  const html: string[] = [];
  let i = 0;
  const inline = (text: string) => escapeHtml(text).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] as string).startsWith('|')) {
        const cells = (lines[i] as string).slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
        if (!cells.every((c) => /^-+$/.test(c))) rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      html.push(`<table><thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
      continue;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) html.push(`<h${(heading[1] as string).length}>${inline(heading[2] as string)}</h${(heading[1] as string).length}>`);
    else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('- ')) items.push(`<li>${inline((lines[i++] as string).slice(2))}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
      continue;
    } else if (line.trim() !== '') html.push(`<p>${inline(line)}</p>`);
    i++;
  }
  return html.join('\n');
}

/** The report's charts as SVG strings, keyed by section. @internal */
export function reportCharts(report: CampaignReport): { section: string; svg: string }[] {
  const charts: { section: string; svg: string }[] = [];
  for (const u of report.uplift) {
    const first = u.learners[0];
    if (first === undefined) continue;
    const series: Series[] = u.learners.map((l) => ({ name: l.learner, x: l.qiniCurve.fraction, y: l.qiniCurve.value }));
    series.push({ name: 'random', x: first.randomQini.fraction, y: first.randomQini.value, dashed: true });
    charts.push({ section: 'Uplift models (holdout)', svg: lineChart(`Qini curves: ${u.arm} vs ${report.data.treatment.control} (${u.outcome})`, 'share targeted', 'incremental outcome (holdout)', series) });
    const chosen = u.learners.find((l) => l.learner === u.chosen) ?? first;
    const bins = chosen.byDecile.bins;
    charts.push({
      section: 'Uplift models (holdout)',
      svg: barChart(`Uplift by decile: ${u.arm} (${u.chosen})`, `uplift in ${u.outcome}`, bins.map((b) => b.percentile), bins.map((b) => b.uplift), bins.map((b) => b.standardErrorUplift)),
    });
  }
  for (const t of report.targeting) {
    const p = t.profit;
    charts.push({
      section: 'Targeting',
      svg: lineChart(`Incremental profit: ${t.arm}`, 'share targeted', 'incremental profit', [{ name: `${t.learner} ranking`, x: p.points.map((q) => q.fraction), y: p.points.map((q) => q.profit) }], { x: p.best.fraction, label: `best: ${(p.best.fraction * 100).toFixed(0)}%` }),
    });
  }
  for (const m of report.responseModels) {
    if (m.calibration === null) continue;
    charts.push({
      section: 'Response models (holdout)',
      svg: lineChart(`Calibration: ${m.outcome}`, 'mean predicted probability', 'observed rate', [
        { name: 'model', x: m.calibration.probPred, y: m.calibration.probTrue },
        { name: 'perfect', x: [0, Math.max(...m.calibration.probPred, ...m.calibration.probTrue)], y: [0, Math.max(...m.calibration.probPred, ...m.calibration.probTrue)], dashed: true },
      ]),
    });
  }
  return charts;
}

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts
 * (Qini curves against the random line, uplift by decile with error bars,
 * the profit curve with the chosen cutoff, calibration), no scripts and no
 * network requests; readable on a phone. Computes nothing.
 *
 * @example
 * renderHtml(report).startsWith('<!doctype html>'); // => true
 */
export function renderHtml(report: CampaignReport): string {
  const body = markdownToHtml(renderMarkdown(report));
  const charts = reportCharts(report);
  // Each section's charts go right after its heading's section text, before the next h2.
  const sections = body.split(/(?=<h2>)/);
  const withCharts = sections.map((section) => {
    const heading = /^<h2>(.*?)<\/h2>/.exec(section)?.[1];
    const own = charts.filter((c) => escapeHtml(c.section) === heading).map((c) => `<figure>${c.svg}</figure>`);
    return section + own.join('\n');
  });
  const warnings = report.checks.warnings.length > 0 ? `<p class="warn">${report.checks.warnings.length} warning(s): see Data checks.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head>
<body>${warnings}
${withCharts.join('\n')}
</body></html>
`;
}
