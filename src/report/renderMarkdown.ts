import type { CampaignReport, EffectRow } from './schema.js';

/** Formats a number for people: fixed digits, thousands separators for counts, "< 0.0001" for tiny p-values. @internal */
export function formatNumber(value: number | null, digits = 4): string {
  if (value === null) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2);
  return value.toFixed(digits);
}

/** @internal */
export function formatP(value: number): string {
  return value < 1e-4 ? '< 0.0001' : value.toFixed(4);
}

/** @internal */
export function formatInterval(ci: readonly [number | null, number | null], digits = 4): string {
  return `[${ci[0] === null ? '−∞' : formatNumber(ci[0], digits)}, ${ci[1] === null ? '+∞' : formatNumber(ci[1], digits)}]`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

function effectCells(e: EffectRow): string[] {
  return [
    e.arm,
    e.label,
    formatNumber(e.control.mean),
    formatNumber(e.treated.mean),
    `${formatNumber(e.absolute.estimate)} ${formatInterval(e.absolute.ci)}`,
    e.relative === null ? `— (${e.relativeNote ?? ''})` : `${(e.relative.estimate * 100).toFixed(1)}% ${formatInterval([e.relative.ci[0] === null ? null : e.relative.ci[0] * 100, e.relative.ci[1] === null ? null : e.relative.ci[1] * 100], 1)}`,
    formatP(e.absolute.pValue),
    formatP(e.adjustedPValue),
  ];
}

/**
 * The report as Markdown: data checks, effects, segments, response models,
 * uplift models and targeting, as headed sections and tables. Computes
 * nothing: every figure is read from the report.
 *
 * @example
 * renderMarkdown(report).startsWith('# '); // => true
 */
export function renderMarkdown(report: CampaignReport): string {
  const out: string[] = [];
  out.push(`# ${report.title}`, '');
  const t = report.data.treatment;
  out.push(`${formatNumber(report.data.rows)} rows, ${report.data.columns} columns. Treatment \`${t.column}\`, control **${t.control}**. Report format version ${report.version}.`, '');

  out.push('## Data checks', '');
  out.push(table(['arm', 'rows', 'share'], t.arms.map((a) => [a.arm, formatNumber(a.n), `${(a.share * 100).toFixed(2)}%`])), '');
  const srm = report.checks.srm;
  out.push(`Sample-ratio test: χ² = ${srm.statistic.toFixed(3)} (df ${srm.df}), p = ${formatP(srm.pValue)} — ${srm.mismatch ? '**mismatch**' : 'no mismatch'} at ${srm.threshold}.`, '');
  if (report.checks.balance !== null) {
    const flagged = report.checks.balance.rows.filter((r) => r.flagged);
    out.push(`Covariate balance: ${report.checks.balance.rows.length} comparisons, ${flagged.length} with |SMD| > ${report.checks.balance.threshold}.`, '');
    if (flagged.length > 0) out.push(table(['covariate', 'level', 'arm', 'SMD'], flagged.map((r) => [r.covariate, r.level ?? '', r.arm, formatNumber(r.smd, 3)])), '');
  }
  if (report.data.missing.length > 0) out.push(`Missing values: ${report.data.missing.map((m) => `${m.column} (${m.count})`).join(', ')}.`, '');
  if (report.checks.warnings.length > 0) out.push('Warnings:', '', ...report.checks.warnings.map((w) => `- ${w}`), '');

  out.push('## Effects', '');
  const effectHeader = ['arm', 'outcome', 'control', 'treated', 'difference [95% CI]', 'relative lift [95% CI]', 'p', 'adjusted p'];
  out.push(table(effectHeader, report.effects.map(effectCells)), '');
  const cuped = report.effects.filter((e) => e.cuped !== null);
  if (cuped.length > 0) out.push(`CUPED: ${cuped.map((e) => `${e.arm} / ${e.label}: θ = ${formatNumber(e.cuped?.theta ?? null, 3)}, variance reduced by ${(((e.cuped?.varianceReduction ?? 0) * 100)).toFixed(1)}%`).join('; ')}.`, '');

  if (report.segments.length > 0) {
    out.push('## Effects by segment', '');
    out.push(table(['segment', 'level', ...effectHeader, 'small'], report.segments.map((s) => [s.segment, s.level, ...effectCells(s), s.smallGroup ? 'yes' : ''])), '');
  }

  out.push('## Response models (holdout)', '');
  for (const m of report.responseModels) {
    const metrics = Object.entries(m.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ');
    out.push(`**${m.outcome}** (${m.model}, ${formatNumber(m.trainRows)} training / ${formatNumber(m.holdoutRows)} holdout rows): ${metrics}.${m.warning === null ? '' : ` ${m.warning}.`}`, '');
    out.push(table(['term', 'estimate', 'std. error', 'statistic', 'p'], m.topTerms.map((term) => [term.name, formatNumber(term.estimate), formatNumber(term.standardError), formatNumber(term.statistic, 2), term.pValue === null ? '—' : formatP(term.pValue)])), '');
  }

  out.push('## Uplift models (holdout)', '');
  for (const u of report.uplift) {
    out.push(`### ${u.arm} vs ${t.control} — ${u.outcome}`, '');
    out.push(table(['learner', 'Qini AUC [95% CI]', 'p vs random', 'uplift AUC', 'uplift@30%'], u.learners.map((l) => [
      l.learner === u.chosen ? `**${l.learner}** (chosen)` : l.learner,
      `${formatNumber(l.qini.estimate)} ${formatInterval(l.qini.ci)}`,
      formatP(l.qini.pValue),
      formatNumber(l.upliftAuc),
      formatNumber(l.upliftAt30),
    ])), '');
    const chosen = u.learners.find((l) => l.learner === u.chosen);
    if (chosen !== undefined) {
      out.push(`Uplift by decile (${u.chosen}):`, '');
      out.push(table(['decile', 'n treated', 'n control', 'rate treated', 'rate control', 'uplift ± s.e.'], chosen.byDecile.bins.map((b) => [
        b.percentile, formatNumber(b.nTreated), formatNumber(b.nControl), formatNumber(b.responseRateTreated), formatNumber(b.responseRateControl),
        b.uplift === null ? '—' : `${formatNumber(b.uplift)} ± ${formatNumber(b.standardErrorUplift)}`,
      ])), '');
    }
  }

  out.push('## Targeting', '');
  for (const target of report.targeting) {
    const p = target.profit;
    out.push(`**${target.arm}** (${target.learner}, ${target.outcome}; population ${formatNumber(p.population)}): best is to target the top ${(p.best.fraction * 100).toFixed(0)}% — ${formatNumber(p.best.targeted, 0)} customers, incremental ${target.outcome} ${formatNumber(p.best.incrementalOutcome, 1)}, profit ${formatNumber(p.best.profit, 2)} against ${formatNumber(p.treatAll.profit, 2)} for treating all and 0 for treating none.${p.bestWithinBudget === null ? '' : ` Within the budget: top ${(p.bestWithinBudget.fraction * 100).toFixed(0)}%, profit ${formatNumber(p.bestWithinBudget.profit, 2)}.`}`, '');
  }
  if (report.bestArmShare !== null) {
    out.push(`Best arm per customer (holdout): ${report.bestArmShare.map((a) => `${a.arm} ${(a.share * 100).toFixed(1)}%`).join(', ')}.`, '');
  }

  out.push('## Settings', '');
  const s = report.settings;
  out.push(`Seed ${s.seed}, holdout ${s.holdoutShare}, learners ${s.learners.join(', ')}, uplift outcome ${s.upliftOutcome}, ${s.features.length} features.`, '');
  out.push(...Object.entries(s.conventions).map(([k, v]) => `- ${k}: ${v}`), '');
  return out.join('\n');
}
