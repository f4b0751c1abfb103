import { rendering } from './checkReport.js';
import { type Block, type Inline, reportDocument } from './document.js';
import type { CampaignReport } from './schema.js';

function inline(parts: readonly Inline[] | Inline): string {
  const list = Array.isArray(parts) ? (parts as readonly Inline[]) : [parts as Inline];
  return list.map((part) => (typeof part === 'string' ? part : 'strong' in part ? `**${part.strong}**` : `\`${part.code}\``)).join('');
}

function markdownTable(header: readonly string[], rows: readonly (readonly Inline[])[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map((cell) => escape(inline(cell))).join(' | ')} |`),
  ].join('\n');
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'paragraph':
      return [inline(b.text), ''];
    case 'list':
      return [...b.items.map((item) => `- ${inline(item)}`), ''];
    case 'warnings':
      return ['Warnings:', '', ...b.items.map((w) => `- ${w}`), ''];
    case 'table':
      return [markdownTable(b.header, b.rows), ''];
    case 'heading':
      return [`### ${b.text}`, ''];
    case 'chart':
      return [];
  }
}

/**
 * The report as Markdown: data checks, effects, segments, response models,
 * uplift models and targeting, as headed sections and tables. Computes
 * nothing: every figure is read from the report.
 *
 * @throws InputError for a malformed report: `wrong_type` naming the section, `incompatible`
 * @example
 * renderMarkdown(report).startsWith('# '); // => true
 */
export function renderMarkdown(report: CampaignReport): string {
  return rendering(report, markdown);
}

function markdown(report: CampaignReport): string {
  const document = reportDocument(report);
  const out: string[] = [`# ${document.title}`, '', inline(document.lead), ''];
  for (const section of document.sections) {
    out.push(`## ${section.title}`, '');
    for (const b of section.blocks) out.push(...block(b));
  }
  return out.join('\n');
}
