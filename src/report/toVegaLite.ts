import type { CampaignReport } from './schema.js';

/** A Vega-Lite v5 chart spec with its data inline, as plain JSON. */
export interface VegaLiteChart {
  readonly title: string;
  readonly spec: Record<string, unknown>;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/**
 * The report's charts as Vega-Lite specs with inline data, for notebooks
 * (Deno/Jupyter) and host apps that render Vega-Lite: Qini curves with the
 * random line, uplift by decile with error bars, the profit curve with the
 * best cutoff, and calibration. Computes nothing.
 *
 * @example
 * toVegaLite(report)[0]?.spec.$schema; // => 'https://vega.github.io/schema/vega-lite/v5.json'
 */
export function toVegaLite(report: CampaignReport): VegaLiteChart[] {
  const charts: VegaLiteChart[] = [];
  for (const u of report.uplift) {
    const values = u.learners.flatMap((l) => [
      ...l.qiniCurve.fraction.map((fraction, i) => ({ learner: l.learner, fraction, qini: l.qiniCurve.value[i] })),
      ...(l === u.learners[0] ? l.randomQini.fraction.map((fraction, i) => ({ learner: 'random', fraction, qini: l.randomQini.value[i] })) : []),
    ]);
    const title = `Qini curves: ${u.arm} vs ${report.data.treatment.control} (${u.outcome})`;
    charts.push({
      title,
      spec: {
        $schema: SCHEMA,
        title,
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'fraction', type: 'quantitative', title: 'share targeted', axis: { format: '%' } },
          y: { field: 'qini', type: 'quantitative', title: 'incremental outcome (holdout)' },
          color: { field: 'learner', type: 'nominal' },
          strokeDash: { condition: { test: "datum.learner === 'random'", value: [6, 4] }, value: [1, 0] },
        },
      },
    });
    const chosen = u.learners.find((l) => l.learner === u.chosen);
    if (chosen !== undefined) {
      const bins = chosen.byDecile.bins.map((b) => ({
        decile: b.percentile,
        uplift: b.uplift,
        low: b.uplift === null || b.standardErrorUplift === null ? null : b.uplift - b.standardErrorUplift,
        high: b.uplift === null || b.standardErrorUplift === null ? null : b.uplift + b.standardErrorUplift,
      }));
      const decileTitle = `Uplift by decile: ${u.arm} (${u.chosen})`;
      charts.push({
        title: decileTitle,
        spec: {
          $schema: SCHEMA,
          title: decileTitle,
          data: { values: bins },
          encoding: { x: { field: 'decile', type: 'ordinal', sort: null, title: 'score decile (highest first)' } },
          layer: [
            { mark: 'bar', encoding: { y: { field: 'uplift', type: 'quantitative', title: `uplift in ${u.outcome}` } } },
            { mark: 'rule', encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
          ],
        },
      });
    }
  }
  for (const t of report.targeting) {
    const title = `Incremental profit: ${t.arm}`;
    charts.push({
      title,
      spec: {
        $schema: SCHEMA,
        title,
        layer: [
          {
            data: { values: t.profit.points.map((p) => ({ fraction: p.fraction, profit: p.profit })) },
            mark: 'line',
            encoding: {
              x: { field: 'fraction', type: 'quantitative', title: 'share targeted', axis: { format: '%' } },
              y: { field: 'profit', type: 'quantitative', title: 'incremental profit' },
            },
          },
          { data: { values: [{ fraction: t.profit.best.fraction }] }, mark: { type: 'rule', strokeDash: [2, 3] }, encoding: { x: { field: 'fraction', type: 'quantitative' } } },
        ],
      },
    });
  }
  for (const m of report.responseModels) {
    if (m.calibration === null) continue;
    const title = `Calibration: ${m.outcome}`;
    charts.push({
      title,
      spec: {
        $schema: SCHEMA,
        title,
        data: { values: m.calibration.probPred.map((predicted, i) => ({ predicted, observed: m.calibration?.probTrue[i] })) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: 'mean predicted probability' },
          y: { field: 'observed', type: 'quantitative', title: 'observed rate' },
        },
      },
    });
  }
  return charts;
}
