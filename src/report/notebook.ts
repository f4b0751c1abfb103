import { InputError } from '../errors.js';
import { checkChartOptions, checkReport } from './checkReport.js';
import type { ChartOptions } from './chartModel.js';
import { renderHtml } from './renderHtml.js';
import { renderSummary } from './renderSummary.js';
import type { CampaignReport } from './schema.js';
import { type VegaLiteChart, toVegaLite } from './toVegaLite.js';

/** The MIME bundle a Jupyter kernel (Deno's) shows for an object. */
export type MimeBundle = Readonly<Record<string, unknown>>;

/** An object a Deno Jupyter kernel displays by calling its `Symbol.for('Jupyter.display')` method. */
export interface NotebookDisplay {
  [key: symbol]: () => MimeBundle;
}

const DISPLAY = Symbol.for('Jupyter.display');

function displayable(bundle: () => MimeBundle): NotebookDisplay {
  return { [DISPLAY]: bundle };
}

/** The report's HTML page as one element for a notebook cell: its styles scoped to the element, so the notebook keeps its own. */
function htmlFragment(report: CampaignReport, options: ChartOptions): string {
  const page = renderHtml(report, options);
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  const body = /<body>([\s\S]*?)<\/body>/.exec(page)?.[1] ?? '';
  return `<div class="promolens-report"><style>${scopeCss(style, '.promolens-report')}</style>${body}</div>`;
}

/** Prefixes every selector with `scope` (and turns `body` into the scope itself), inside media queries too. @internal */
export function scopeCss(css: string, scope: string): string {
  const prefix = (selectors: string) =>
    selectors
      .split(',')
      .map((selector) => {
        const s = selector.trim();
        if (s === 'body') return scope;
        if (s === '*') return `${scope} *`;
        return `${scope} ${s}`;
      })
      .join(',');
  let out = '';
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    const head = css.slice(i, open).trim();
    if (head.startsWith('@media')) {
      // Rules up to the matching closing brace.
      let depth = 1;
      let k = open + 1;
      while (k < css.length && depth > 0) {
        if (css[k] === '{') depth++;
        else if (css[k] === '}') depth--;
        k++;
      }
      out += `${head}{${scopeCss(css.slice(open + 1, k - 1), scope)}}`;
      i = k;
    } else {
      const close = css.indexOf('}', open);
      out += `${prefix(head)}{${css.slice(open + 1, close)}}`;
      i = close + 1;
    }
  }
  return out;
}

/**
 * The report as a notebook display: in a Deno Jupyter kernel, a cell whose
 * value is this object shows the report's HTML (summary first, SVG charts),
 * with the effects chart as Vega-Lite and the summary as plain text for
 * front ends without HTML.
 *
 * @example
 * Object.keys(reportDisplay(report)[Symbol.for('Jupyter.display')]()).sort(); // => ['application/vnd.vegalite.v5+json', 'text/html', 'text/plain']
 */
export function reportDisplay(report: CampaignReport, options: ChartOptions = {}): NotebookDisplay {
  // Checked now, so a malformed report fails where it is passed, not later in the notebook's display hook.
  checkReport(report);
  checkChartOptions(options);
  return displayable(() => {
    const effects = toVegaLite(report, options)[0];
    return {
      'text/plain': renderSummary(report),
      'text/html': htmlFragment(report, options),
      ...(effects === undefined ? {} : { 'application/vnd.vegalite.v5+json': effects.spec }),
    };
  });
}

/**
 * One Vega-Lite chart (from `toVegaLite`) as a notebook display: the
 * kernel draws it with Vega-Lite; front ends without it show the title.
 *
 * @example
 * Object.keys(chartDisplay(toVegaLite(report)[0])[Symbol.for('Jupyter.display')]()); // => ['text/plain', 'application/vnd.vegalite.v5+json']
 */
export function chartDisplay(chart: VegaLiteChart): NotebookDisplay {
  if (chart === null || typeof chart !== 'object' || typeof chart.title !== 'string' || chart.spec === null || typeof chart.spec !== 'object') {
    throw new InputError('wrong_type', 'chart', 'chart must be one chart from toVegaLite: an object with a title and a spec');
  }
  return displayable(() => ({ 'text/plain': chart.title, 'application/vnd.vegalite.v5+json': chart.spec }));
}
