import { rendering } from './checkReport.js';
import type { CampaignReport } from './schema.js';

/**
 * The report's summary as plain text for a terminal: the headline, each
 * effect in words, what to do next time with the money, and the caveats.
 * Every sentence is read from `report.summary`.
 *
 * @example
 * renderSummary(report).split('\n')[0] === report.title; // => true
 */
export function renderSummary(report: CampaignReport): string {
  return rendering(report, (checked) => {
    const s = checked.summary;
    const lines = [checked.title, '', s.headline, '', 'Effects:', ...s.effects.map((e) => `  • ${e.sentence}`)];
    if (s.decisions.length > 0) lines.push('', 'What to do next time:', ...s.decisions.map((d) => `  • ${d.sentence}`));
    if (s.caveats.length > 0) lines.push('', 'Caveats:', ...s.caveats.map((c) => `  ! ${c.message}`));
    return `${lines.join('\n')}\n`;
  });
}
