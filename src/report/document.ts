import { featureWords, formatInterval, formatNumber, formatP, learnerWords } from './format.js';
import { glossary } from './glossary.js';
import type { CampaignReport, EffectRow } from './schema.js';

/** A piece of text: plain, strong or code. */
export type Inline = string | { readonly strong: string } | { readonly code: string };

/** One block of a report section. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: readonly Inline[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'warnings'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly header: readonly string[];
      readonly rows: readonly (readonly Inline[])[];
      /** On a narrow screen: `'cards'` (each row a card, labelled cells) or `'scroll'` (the table scrolls in its own box). */
      readonly narrow: 'cards' | 'scroll';
    }
  | { readonly kind: 'chart'; readonly id: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'heading'; readonly text: string };

/** A headed section of the report. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  /** Reference material a reader opens when needed (folded in HTML). */
  readonly folded?: boolean;
}

/** The report as a document: its title, a lead paragraph and the sections, as data every renderer walks. */
export interface ReportDocument {
  readonly title: string;
  readonly lead: readonly Inline[];
  readonly sections: readonly Section[];
}

const paragraph = (...text: Inline[]): Block => ({ kind: 'paragraph', text });
const table = (header: readonly string[], rows: readonly (readonly Inline[])[], narrow: 'cards' | 'scroll' = 'scroll'): Block => ({ kind: 'table', header, rows, narrow });

function percentInterval(ci: readonly [number | null, number | null]): string {
  return formatInterval([ci[0] === null ? null : ci[0] * 100, ci[1] === null ? null : ci[1] * 100], 1);
}

function effectCells(e: EffectRow): string[] {
  return [
    e.baseline === undefined ? e.arm : `${e.arm} vs ${e.baseline}`,
    e.label,
    formatNumber(e.control.mean),
    formatNumber(e.treated.mean),
    `${formatNumber(e.absolute.estimate)} ${formatInterval(e.absolute.ci)}`,
    e.relative === null ? `— (${e.relativeNote ?? ''})` : `${(e.relative.estimate * 100).toFixed(1)}% ${percentInterval(e.relative.ci)}`,
    formatP(e.absolute.pValue),
    formatP(e.adjustedPValue),
  ];
}

const EFFECT_HEADER = ['arm', 'outcome', 'control', 'treated', 'difference [95% CI]', 'relative lift [95% CI]', 'p', 'adjusted p'];

/**
 * The report laid out for people, as data: the sections in order with
 * their paragraphs, tables and the places of the charts. `renderMarkdown`
 * and `renderHtml` both write this document; neither parses the other's
 * output. Computes no statistic. @internal
 */
export function reportDocument(report: CampaignReport): ReportDocument {
  const t = report.data.treatment;
  const sections: Section[] = [];

  const summary = report.summary;
  const answer: Block[] = [paragraph({ strong: summary.headline }), { kind: 'chart', id: 'effects' }, { kind: 'list', items: summary.effects.map((e) => [e.sentence]) }];
  if (summary.decisions.length > 0) {
    answer.push({ kind: 'heading', text: 'What to do next time' }, { kind: 'list', items: summary.decisions.map((d) => [d.sentence]) });
  }
  if (summary.caveats.length > 0) answer.push({ kind: 'heading', text: 'Caveats' }, { kind: 'warnings', items: summary.caveats.map((c) => c.message) });
  sections.push({ id: 'summary', title: 'Summary', blocks: answer });

  const checks: Block[] = [table(['arm', 'rows', 'share'], t.arms.map((a) => [a.arm, formatNumber(a.n), `${(a.share * 100).toFixed(2)}%`]))];
  const srm = report.checks.srm;
  checks.push(paragraph(`Sample-ratio test: χ² = ${srm.statistic.toFixed(3)} (df ${srm.df}), p = ${formatP(srm.pValue)} — `, srm.mismatch ? { strong: 'mismatch' } : 'no mismatch', ` at ${srm.threshold}.`));
  if (report.checks.balance !== null) {
    const flagged = report.checks.balance.rows.filter((r) => r.flagged);
    checks.push(paragraph(`Covariate balance: ${report.checks.balance.rows.length} comparisons, ${flagged.length} with |SMD| > ${report.checks.balance.threshold}.`));
    if (flagged.length > 0) checks.push(table(['covariate', 'level', 'arm', 'SMD'], flagged.map((r) => [r.covariate, r.level ?? '', r.arm, formatNumber(r.smd, 3)])));
  }
  if (report.data.missing.length > 0) checks.push(paragraph(`Missing values: ${report.data.missing.map((m) => `${m.column} (${m.count})`).join(', ')}.`));
  if (report.checks.warnings.length > 0) checks.push({ kind: 'warnings', items: report.checks.warnings });
  sections.push({ id: 'checks', title: 'Data checks', blocks: checks });

  const effects: Block[] = [table(EFFECT_HEADER, report.effects.map(effectCells), 'cards')];
  const cuped = report.effects.filter((e) => e.cuped !== null);
  if (cuped.length > 0) effects.push(paragraph(`CUPED: ${cuped.map((e) => `${e.arm} / ${e.label}: θ = ${formatNumber(e.cuped?.theta ?? null, 3)}, variance reduced by ${(((e.cuped?.varianceReduction ?? 0) * 100)).toFixed(1)}%`).join('; ')}.`));
  const clustered = report.effects.filter((e) => e.clusters !== undefined);
  if (clustered.length > 0) {
    effects.push(paragraph(`Cluster-robust (CR1) standard errors: ${clustered.map((e) => `${e.arm} / ${e.label}: ${e.clusters?.treated} clusters vs ${e.clusters?.control} in control, ${e.clusters?.df} degrees of freedom`).join('; ')}.`));
  }
  sections.push({ id: 'effects', title: 'Effects', blocks: effects });

  if (report.segments.length > 0) {
    sections.push({
      id: 'segments',
      title: 'Effects by segment',
      blocks: [table(['segment', 'level', ...EFFECT_HEADER, 'small'], report.segments.map((s) => [s.segment, s.level, ...effectCells(s), s.smallGroup ? 'yes' : '']), 'cards')],
    });
  }

  if (report.scope === 'effects') {
    sections.push({
      id: 'models',
      title: 'Models and targeting',
      blocks: [paragraph('Effects only: the evaluation named no features, so no response models, uplift models or targeting were run.')],
    });
    sections.push({ id: 'settings', title: 'Settings', blocks: [{ kind: 'list', items: Object.entries(report.settings.conventions).map(([k, v]) => [`${k}: ${v}`]) }] });
    return lead(report, sections);
  }

  const response: Block[] = [];
  for (const m of report.responseModels) {
    const metrics = Object.entries(m.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ');
    response.push(paragraph({ strong: m.outcome }, ` (${m.model}, ${formatNumber(m.trainRows)} training / ${formatNumber(m.holdoutRows)} holdout rows): ${metrics}.${m.warning === null ? '' : ` ${m.warning}.`}`));
    response.push(table(['term', 'estimate', 'std. error', 'statistic', 'p'], m.topTerms.map((term) => [featureWords(term.name), formatNumber(term.estimate), formatNumber(term.standardError), formatNumber(term.statistic, 2), term.pValue === null ? '—' : formatP(term.pValue)])));
    if (m.calibration !== null) response.push({ kind: 'chart', id: `calibration:${m.outcome}` });
  }
  sections.push({ id: 'response-models', title: 'Response models (holdout)', blocks: response });

  const uplift: Block[] = [];
  for (const u of report.uplift) {
    uplift.push({ kind: 'heading', text: `${u.arm} vs ${t.control} — ${u.outcome}` });
    uplift.push(table(['learner', 'Qini AUC [95% CI]', 'p vs random', 'uplift AUC', 'uplift@30%'], u.learners.map((l) => [
      l.learner === u.chosen ? { strong: `${l.learner} (chosen)` } : l.learner,
      `${formatNumber(l.qini.estimate)} ${formatInterval(l.qini.ci)}`,
      formatP(l.qini.pValue),
      formatNumber(l.upliftAuc),
      formatNumber(l.upliftAt30),
    ]), 'cards'));
    const crossFitted = u.choice.crossFittedQini === null ? '' : ` Cross-fitted Qini on the training rows: ${u.choice.crossFittedQini.map((c) => `${c.learner} ${c.qini === null ? '—' : formatNumber(c.qini)}`).join(', ')}.`;
    uplift.push(paragraph(`How the learner was chosen: ${u.choice.words}.${crossFitted}`));
    uplift.push(paragraph(`Learners: ${u.learners.map((l) => `${l.learner} = ${learnerWords(l.learner)}`).join('; ')}.`));
    if (u.drivers !== null && u.drivers.features.length > 0) {
      uplift.push(paragraph(`Top drivers of ${u.chosen}'s uplift (drop in Qini when the column is shuffled, 95% interval; ${u.drivers.method}):`));
      uplift.push(table(['feature', 'column', 'drop in Qini [95% CI]'], u.drivers.features.map((f) => [featureWords(f.feature), f.column, `${formatNumber(f.importance)}${f.ci === null ? '' : ` ${formatInterval(f.ci)}`}`])));
    }
    uplift.push({ kind: 'chart', id: `qini:${u.arm}` });
    const chosen = u.learners.find((l) => l.learner === u.chosen);
    if (chosen !== undefined) {
      uplift.push(paragraph(`Uplift by decile (${u.chosen}):`));
      uplift.push(table(['decile', 'n treated', 'n control', 'rate treated', 'rate control', 'uplift ± s.e.'], chosen.byDecile.bins.map((b) => [
        b.percentile, formatNumber(b.nTreated), formatNumber(b.nControl), formatNumber(b.responseRateTreated), formatNumber(b.responseRateControl),
        b.uplift === null ? '—' : `${formatNumber(b.uplift)} ± ${formatNumber(b.standardErrorUplift)}`,
      ])));
      uplift.push({ kind: 'chart', id: `deciles:${u.arm}` });
    }
  }
  sections.push({ id: 'uplift', title: 'Uplift models (holdout)', blocks: uplift });

  const targeting: Block[] = [];
  for (const target of report.targeting) {
    const p = target.profit;
    targeting.push(paragraph(
      { strong: target.arm },
      ` (${target.learner}, ${target.outcome}; population ${formatNumber(p.population)}): the holdout profit curve peaks at the top ${(p.best.fraction * 100).toFixed(0)}% — ${formatNumber(p.best.targeted, 0)} customers, incremental ${target.outcome} ${formatNumber(p.best.incrementalOutcome, 1)}, profit ${formatNumber(p.best.profit, 2)} against ${formatNumber(p.treatAll.profit, 2)} for treating all and 0 for treating none.${p.bestWithinBudget === null ? '' : ` Within the budget: top ${(p.bestWithinBudget.fraction * 100).toFixed(0)}%, profit ${formatNumber(p.bestWithinBudget.profit, 2)}.`}`,
    ));
    targeting.push({ kind: 'chart', id: `profit:${target.arm}` });
  }
  if (report.bestArmShare !== null) {
    targeting.push(paragraph(`Best arm per customer (holdout): ${report.bestArmShare.map((a) => `${a.arm} ${(a.share * 100).toFixed(1)}%`).join(', ')}.`));
  }
  sections.push({ id: 'targeting', title: 'Targeting', blocks: targeting });

  const s = report.settings;
  sections.push({
    id: 'settings',
    title: 'Settings',
    blocks: [
      paragraph(`Seed ${s.seed}, holdout ${s.holdoutShare}, learners ${s.learners.join(', ')}${s.upliftOutcome === null ? '' : `, uplift outcome ${s.upliftOutcome}`}, ${s.features.length} features.`),
      { kind: 'list', items: Object.entries(s.conventions).map(([k, v]) => [`${k}: ${v}`]) },
    ],
  });

  return lead(report, sections);
}

function lead(report: CampaignReport, sections: Section[]): ReportDocument {
  const t = report.data.treatment;
  sections.push({
    id: 'how-to-read',
    title: 'How to read this report',
    folded: true,
    blocks: [{ kind: 'list', items: glossary(report.settings.learners).map((g) => [{ strong: g.term }, `: ${g.definition}`]) }],
  });

  const p = report.provenance;
  sections.push({
    id: 'provenance',
    title: 'Provenance',
    blocks: [
      paragraph(`Made by ${p.library}${p.createdAt === null ? '' : ` on ${p.createdAt}`} from ${formatNumber(p.data.rows)} rows; data fingerprint `, { code: p.data.fingerprint }, ` (FNV-1a 64 of the columns ${p.data.columns.join(', ')}).`),
      paragraph('The spec:'),
      { kind: 'code', text: JSON.stringify(p.spec, null, 2) },
    ],
  });

  return {
    title: report.title,
    lead: [`${formatNumber(report.data.rows)} rows, ${report.data.columns} columns. Treatment `, { code: t.column }, ', control ', { strong: t.control }, `. Report format version ${report.version}.`],
    sections,
  };
}
