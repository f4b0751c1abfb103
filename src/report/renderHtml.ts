import { type Chart, type ChartOptions, type LegendEntry, buildCharts } from './chartModel.js';
import { rendering } from './checkReport.js';
import { chartSvg } from './chartSvg.js';
import { type Block, type Inline, reportDocument } from './document.js';
import { escapeHtml } from './format.js';
import type { CampaignReport } from './schema.js';

const STYLE = `*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1040px;padding:12px 16px;color:#222;overflow-wrap:anywhere}
h1{font-size:1.6em;line-height:1.2}h2{margin-top:1.8em;border-bottom:1px solid #ddd}h3{margin-top:1.4em}
.table-box{overflow-x:auto;max-width:100%;margin:8px 0}
table{border-collapse:collapse;font-size:.92em}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
td,th{white-space:nowrap}
figure{margin:16px 0;padding:0;width:100%}figcaption h4{margin:0 0 2px;font-size:1em}figcaption p{margin:0 0 6px;color:#555;font-size:.9em}
.chart{display:block;width:100%;overflow:visible}
.chart text{font-size:12px}.chart .axis-title{fill:#444}.chart .tick{fill:#555}.chart .strong{font-weight:600}.chart .marker-label{font-weight:600}
.chart .halo{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.legend{list-style:none;padding:0;margin:0 0 4px;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.85em;color:#444}
.legend li{display:flex;align-items:center;gap:6px}.swatch{display:inline-block;width:22px;height:0;border-top:3px solid #1f5fa8}
.swatch.muted{border-top-color:#a9b4c2}.swatch.reference{border-top:2px dashed #555}.swatch.marker{border-top:2px dotted #000}
.swatch.band{height:10px;border:0;background:rgba(31,95,168,.15)}.swatch.bar{height:10px;width:12px;border:0;background:#1f5fa8}
.swatch.highlighted{width:12px;height:12px;border:2px solid #1f5fa8;border-radius:50%;background:#1f5fa8}
.swatch.whisker{width:0;height:14px;border-top:0;border-left:2px solid #222}
.swatch.hollow{width:12px;height:12px;border:2px solid #7a7a7a;border-radius:50%;background:#fff}
.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:6px 12px;margin:8px 0}.warn ul{margin:4px 0;padding-left:20px}
code{background:#f3f3f3;padding:0 3px}
@media (max-width:640px){
 body{padding:8px 12px;font-size:15px}
 table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
 table.cards thead{display:none}
 table.cards tr{border:1px solid #ddd;border-radius:6px;margin:0 0 10px;padding:4px 8px}
 table.cards td{border:0;border-bottom:1px solid #f0f0f0;display:flex;justify-content:space-between;gap:12px;white-space:normal;text-align:right;padding:3px 0}
 table.cards td:last-child{border-bottom:0}
 table.cards td::before{content:attr(data-label);font-weight:600;text-align:left;color:#555}
 table.cards td:first-child{font-weight:600}
}
@media print{
 body{max-width:none;padding:0;font-size:11pt}
 h2{break-after:avoid}figure,tr,.warn{break-inside:avoid}
 .table-box{overflow:visible}td{white-space:normal}
 a{color:inherit;text-decoration:none}
}`;

function inline(parts: readonly Inline[] | Inline): string {
  const list = Array.isArray(parts) ? (parts as readonly Inline[]) : [parts as Inline];
  return list.map((part) => (typeof part === 'string' ? escapeHtml(part) : 'strong' in part ? `<strong>${escapeHtml(part.strong)}</strong>` : `<code>${escapeHtml(part.code)}</code>`)).join('');
}

function swatch(entry: LegendEntry): string {
  return `<li><span class="swatch ${entry.style}"></span>${escapeHtml(entry.label)}</li>`;
}

/** A chart with its title, how to read it and its legend above the plot (never over it). */
function figure(chart: Chart): string {
  return `<figure class="figure" data-chart="${escapeHtml(chart.id)}"><figcaption><h4>${escapeHtml(chart.title)}</h4><p>${escapeHtml(chart.caption)}</p><ul class="legend">${chart.legend.map(swatch).join('')}</ul></figcaption>${chartSvg(chart)}</figure>`;
}

function htmlTable(b: Extract<Block, { kind: 'table' }>): string {
  const head = `<thead><tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = b.rows.map((row) => `<tr>${row.map((cell, k) => `<td data-label="${escapeHtml(b.header[k] ?? '')}">${inline(cell)}</td>`).join('')}</tr>`).join('');
  return `<div class="table-box"><table${b.narrow === 'cards' ? ' class="cards"' : ''}>${head}<tbody>${body}</tbody></table></div>`;
}

function block(b: Block, charts: ReadonlyMap<string, Chart>): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'warnings':
      return `<div class="warn"><strong>Warnings</strong><ul>${b.items.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`;
    case 'table':
      return htmlTable(b);
    case 'heading':
      return `<h3>${escapeHtml(b.text)}</h3>`;
    case 'chart': {
      const chart = charts.get(b.id);
      return chart === undefined ? '' : figure(chart);
    }
  }
}

/**
 * The report as one self-contained HTML page, built from the report's
 * data: inline CSS (tables reflow into cards or scroll in their own box on
 * a phone; a print stylesheet), inline SVG charts from the chart model
 * (effects against zero, Qini curves against the random line, uplift by
 * decile, the profit curve with the chosen cut-off, calibration), no
 * scripts and no network requests. Computes nothing.
 *
 * @throws InputError for a malformed report: `wrong_type` naming the section, `incompatible`; `invalid_option` for bad options
 * @example
 * renderHtml(report).startsWith('<!doctype html>'); // => true
 */
export function renderHtml(report: CampaignReport, options: ChartOptions = {}): string {
  return rendering(report, (checked) => html(checked, options));
}

function html(report: CampaignReport, options: ChartOptions): string {
  const document = reportDocument(report);
  const charts = new Map(buildCharts(report, options).map((chart) => [chart.id, chart]));
  const sections = document.sections.map((section) => `<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.title)}</h2>\n${section.blocks.map((b) => block(b, charts)).join('\n')}</section>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(document.title)}</h1>
<p>${inline(document.lead)}</p>
${sections.join('\n')}
</body></html>
`;
}
