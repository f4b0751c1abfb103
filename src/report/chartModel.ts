import { checkChartOptions, checkReport, rendering } from './checkReport.js';
import { formatValue, learnerWords, type NumberFormat, niceTicks } from './format.js';
import type { CampaignReport, EffectRow } from './schema.js';

/** A numeric axis: its title (with the unit), the domain, the ticks at 1-2-5 steps and how values are written. */
export interface LinearAxis {
  readonly kind: 'linear';
  readonly title: string;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly format: NumberFormat;
}

/** A categorical axis: one position per category, in order. */
export interface CategoryAxis {
  readonly kind: 'category';
  readonly title: string;
  readonly categories: readonly string[];
}

/** How a line is drawn: the main series, a muted alternative, or a dashed reference (such as random). */
export type LineStyle = 'primary' | 'muted' | 'reference';

/** The layers a chart is made of; every value is in data units. */
export type ChartLayer =
  | { readonly kind: 'line'; readonly name: string; readonly style: LineStyle; readonly x: readonly number[]; readonly y: readonly number[] }
  | { readonly kind: 'band'; readonly name: string; readonly x: readonly number[]; readonly low: readonly number[]; readonly high: readonly number[] }
  | {
      /** Vertical bars over a category x axis, with optional error bars. */
      readonly kind: 'bars';
      readonly name: string;
      readonly bars: readonly { readonly category: string; readonly value: number | null; readonly low: number | null; readonly high: number | null }[];
    }
  | {
      /** Horizontal estimates with intervals, one row per category of the y axis (a forest plot). */
      readonly kind: 'intervals';
      readonly name: string;
      readonly rows: readonly {
        readonly category: string;
        readonly estimate: number | null;
        readonly low: number | null;
        readonly high: number | null;
        readonly highlighted: boolean;
        /** The estimate as written beside the row, e.g. "+7.7%". */
        readonly label: string;
        /** Its interval as written, e.g. "[6.9%, 8.5%]"; empty without an estimate. */
        readonly intervalLabel: string;
      }[];
    }
  | { readonly kind: 'rule'; readonly axis: 'x' | 'y'; readonly value: number; readonly label: string | null; readonly style: 'zero' | 'marker' };

/** One entry of a chart's legend (drawn outside the plot, so it never covers data). */
export interface LegendEntry {
  readonly label: string;
  readonly style: LineStyle | 'band' | 'bar' | 'whisker' | 'highlighted' | 'hollow' | 'marker';
}

/**
 * One chart as plain data: what is drawn, on which axes, with which words.
 * Renderers translate it (SVG in `renderHtml`, Vega-Lite in `toVegaLite`)
 * and add nothing of their own.
 */
export interface Chart {
  /** Stable key, e.g. `effects`, `qini:Mens E-Mail`. */
  readonly id: string;
  /** The report section it belongs to. */
  readonly section: 'effects' | 'uplift' | 'targeting' | 'responseModels';
  readonly title: string;
  /** One sentence on how to read it. */
  readonly caption: string;
  readonly x: LinearAxis | CategoryAxis;
  readonly y: LinearAxis | CategoryAxis;
  readonly layers: readonly ChartLayer[];
  readonly legend: readonly LegendEntry[];
}

export interface ChartOptions {
  /** The effects chart's scale: `'relative'` lift (default) or the `'absolute'` difference. */
  readonly effects?: 'relative' | 'absolute';
}


function linear(title: string, values: readonly number[], style: NumberFormat['style'], options: { includeZero?: boolean; currency?: string | null; count?: number } = {}): LinearAxis {
  const finite = values.filter((v) => Number.isFinite(v));
  if (options.includeZero) finite.push(0);
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 1;
  const { domain, ticks, digits } = niceTicks(low, high, options.count ?? 5, style);
  return { kind: 'linear', title, domain, ticks, format: { style, digits, currency: options.currency ?? null } };
}

const SHARE_AXIS_TITLE = 'share of customers targeted (highest predicted uplift first)';

function effectRow(e: EffectRow, significant: boolean, scale: 'relative' | 'absolute', format: (v: number) => string) {
  const estimate = scale === 'relative' ? e.relative : e.absolute;
  const category = `${e.baseline === undefined ? e.arm : `${e.arm} vs ${e.baseline}`} · ${e.label}`;
  if (estimate === null) return { category, estimate: null, low: null, high: null, highlighted: false, label: `no relative lift (${e.relativeNote ?? 'control mean is 0'})`, intervalLabel: '' };
  const [low, high] = estimate.ci;
  const interval = `[${low === null ? '−∞' : format(low)}, ${high === null ? '+∞' : format(high)}]`;
  return { category, estimate: estimate.estimate, low, high, highlighted: significant, label: `${estimate.estimate > 0 ? '+' : ''}${format(estimate.estimate)}`, intervalLabel: interval };
}

/** The effects chart: one row per arm × outcome, the estimate and its interval against zero. */
function effectsChart(report: CampaignReport, scale: 'relative' | 'absolute'): Chart {
  const control = report.data.treatment.control;
  const values = report.effects.flatMap((e) => {
    const estimate = scale === 'relative' ? e.relative : e.absolute;
    return estimate === null ? [] : [estimate.estimate, ...estimate.ci.filter((v): v is number => v !== null)];
  });
  const x = linear(scale === 'relative' ? `lift relative to ${control}` : `difference from ${control} (outcome units)`, values, scale === 'relative' ? 'share' : 'number', { includeZero: true });
  const labelFormat: NumberFormat = { ...x.format, digits: x.format.digits + 1 };
  const format = (v: number) => formatValue(v, labelFormat);
  const rows = report.effects.map((e, k) => effectRow(e, report.summary.effects[k]?.significant ?? false, scale, format));
  return {
    id: 'effects',
    section: 'effects',
    title: `Effects against ${control}`,
    caption: `Each row is one arm on one outcome: the dot is the estimated ${scale === 'relative' ? 'relative lift' : 'difference'}, the line its 95% interval; rows whose interval clears zero after adjustment for several arms are marked.`,
    x,
    y: { kind: 'category', title: 'arm · outcome', categories: rows.map((r) => r.category) },
    layers: [
      { kind: 'rule', axis: 'x', value: 0, label: null, style: 'zero' },
      { kind: 'intervals', name: 'effect', rows },
    ],
    legend: [
      { label: `clear effect (adjusted p < ${report.summary.significanceLevel})`, style: 'highlighted' },
      { label: 'not clear', style: 'hollow' },
    ],
  };
}

/**
 * The report's charts as plain data, made once from the report: the
 * effects (one row per arm × outcome against zero), per arm the Qini curves
 * (chosen learner highlighted, the others muted, random dashed) and uplift
 * by decile of the chosen learner, the incremental-profit curve with the
 * chosen cut-off, and the calibration of each 0/1 response model. Computes
 * no statistic: every value is read from the report.
 *
 * @throws InputError for a malformed report: `wrong_type` naming the section, `incompatible`; `invalid_option` for bad options
 * @example
 * buildCharts(report)[0]?.id; // => 'effects'
 */
export function buildCharts(report: CampaignReport, options: ChartOptions = {}): Chart[] {
  checkReport(report);
  checkChartOptions(options);
  return rendering(report, (checked) => chartsOf(checked, options));
}

function chartsOf(report: CampaignReport, options: ChartOptions): Chart[] {
  const charts: Chart[] = [];
  if (report.effects.length > 0) charts.push(effectsChart(report, options.effects ?? 'relative'));
  const control = report.data.treatment.control;
  for (const u of report.uplift) {
    const first = u.learners[0];
    if (first === undefined) continue;
    const ordered = [...u.learners.filter((l) => l.learner !== u.chosen), ...u.learners.filter((l) => l.learner === u.chosen)];
    const lines: ChartLayer[] = ordered.map((l) => ({
      kind: 'line',
      name: learnerWords(l.learner),
      style: l.learner === u.chosen ? 'primary' : 'muted',
      x: l.qiniCurve.fraction,
      y: l.qiniCurve.value,
    }));
    const chosen = u.learners.find((l) => l.learner === u.chosen) ?? first;
    lines.push({ kind: 'line', name: 'random ranking', style: 'reference', x: chosen.randomQini.fraction, y: chosen.randomQini.value });
    // The chosen learner's interval band, drawn under the lines, when the targeting section has it.
    const band = report.targeting.find((t) => t.arm === u.arm && t.learner === u.chosen)?.qiniBand ?? null;
    const level = band === null ? '' : `${Math.round(band.level * 100)}%`;
    if (band !== null) lines.unshift({ kind: 'band', name: `${level} interval, ${learnerWords(u.chosen)}`, x: band.fraction, low: band.low, high: band.high });
    const yValues = u.learners.flatMap((l) => l.qiniCurve.value).concat(chosen.randomQini.value, band?.low ?? [], band?.high ?? []);
    charts.push({
      id: `qini:${u.arm}`,
      section: 'uplift',
      title: `Qini curves: ${u.arm} vs ${control} (${u.outcome})`,
      caption: `Extra ${u.outcome} gained on the holdout when the top share of customers, ranked by each learner's predicted uplift, is treated; a useful ranking stays above the dashed random line${band === null ? '' : `, and the shaded band is the chosen learner's ${level} interval at each share`}.`,
      x: linear(SHARE_AXIS_TITLE, [0, 1], 'share'),
      y: linear(`incremental ${u.outcome} (holdout customers)`, yValues, 'number', { includeZero: true }),
      layers: lines,
      legend: [
        { label: `${learnerWords(u.chosen)}, chosen`, style: 'primary' },
        ...(band === null ? [] : [{ label: `${level} interval (bootstrap), chosen learner`, style: 'band' as const }]),
        ...(u.learners.length > 1 ? [{ label: 'other learners', style: 'muted' as const }] : []),
        { label: 'random ranking', style: 'reference' },
      ],
    });
    // Deciles numbered 1 (highest predicted uplift) to 10, short enough for a phone.
    const bins = chosen.byDecile.bins.map((b, k) => ({
      category: String(k + 1),
      value: b.uplift,
      low: b.uplift === null || b.standardErrorUplift === null ? null : b.uplift - b.standardErrorUplift,
      high: b.uplift === null || b.standardErrorUplift === null ? null : b.uplift + b.standardErrorUplift,
    }));
    const binValues = bins.flatMap((b) => [b.value, b.low, b.high].filter((v): v is number => v !== null));
    charts.push({
      id: `deciles:${u.arm}`,
      section: 'uplift',
      title: `Uplift by decile: ${u.arm} (${learnerWords(u.chosen)})`,
      caption: `Treated minus control ${u.outcome} in each tenth of the holdout, highest predicted uplift first, ± one standard error; a good ranking falls from left to right.`,
      x: { kind: 'category', title: 'decile of predicted uplift (1 = highest)', categories: bins.map((b) => b.category) },
      y: linear(`uplift in ${u.outcome}`, binValues, 'number', { includeZero: true }),
      layers: [
        { kind: 'rule', axis: 'y', value: 0, label: null, style: 'zero' },
        { kind: 'bars', name: 'uplift', bars: bins },
      ],
      legend: [
        { label: 'uplift (treated − control)', style: 'bar' },
        { label: '± one standard error', style: 'whisker' },
      ],
    });
  }
  for (const t of report.targeting) {
    const p = t.profit;
    const currency = (p.economics as { currency?: string }).currency ?? null;
    const unit = currency === null ? 'money units' : currency;
    const band = t.profitBand;
    const level = band === null ? '' : `${Math.round(band.level * 100)}%`;
    charts.push({
      id: `profit:${t.arm}`,
      section: 'targeting',
      title: `Incremental profit: ${t.arm}`,
      caption: `Expected extra profit (${unit}) when the top share of customers by the ${learnerWords(t.learner)} ranking gets ${t.arm}; 0% treats nobody, 100% everybody${band === null ? '' : `; the shaded band is the ${level} interval at each share (bootstrap over the holdout)`}.`,
      x: linear(SHARE_AXIS_TITLE, [0, 1], 'share'),
      y: linear(`incremental profit (${unit})`, p.points.map((q) => q.profit).concat(band?.low ?? [], band?.high ?? []), currency === null ? 'number' : 'currency', { includeZero: true, currency }),
      layers: [
        { kind: 'rule', axis: 'y', value: 0, label: null, style: 'zero' },
        ...(band === null ? [] : [{ kind: 'band' as const, name: `${level} interval`, x: band.fraction, low: band.low, high: band.high }]),
        { kind: 'line', name: `${learnerWords(t.learner)} ranking`, style: 'primary', x: p.points.map((q) => q.fraction), y: p.points.map((q) => q.profit) },
        { kind: 'rule', axis: 'x', value: p.best.fraction, label: `best cut-off: top ${(p.best.fraction * 100).toFixed(0)}%`, style: 'marker' },
      ],
      legend: [
        { label: `profit by share targeted (${learnerWords(t.learner)})`, style: 'primary' },
        ...(band === null ? [] : [{ label: `${level} interval (bootstrap)`, style: 'band' as const }]),
        { label: 'best cut-off', style: 'marker' },
      ],
    });
  }
  for (const m of report.responseModels) {
    if (m.calibration === null) continue;
    // Both axes on one scale, so that the diagonal is perfect calibration.
    const axis = linear('mean predicted probability', [0, ...m.calibration.probPred, ...m.calibration.probTrue], 'share');
    const top = axis.domain[1];
    charts.push({
      id: `calibration:${m.outcome}`,
      section: 'responseModels',
      title: `Calibration: ${m.outcome}`,
      caption: `Observed ${m.outcome} rate against the model's mean predicted probability in tenths of the holdout; a well-calibrated model follows the dashed diagonal.`,
      x: axis,
      y: { ...axis, title: 'observed rate' },
      layers: [
        { kind: 'line', name: 'perfect calibration', style: 'reference', x: [0, top], y: [0, top] },
        { kind: 'line', name: 'model', style: 'primary', x: m.calibration.probPred, y: m.calibration.probTrue },
      ],
      legend: [
        { label: 'model', style: 'primary' },
        { label: 'perfect calibration', style: 'reference' },
      ],
    });
  }
  return charts;
}
