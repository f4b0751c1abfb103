// The main job on the bundled Hillstrom e-mail campaign: evaluate it and write the report.
// Run with `npm run example` (it builds the package first). Writes out/hillstrom-report.{json,md,html}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { evaluateCampaign } from 'promolens';
import { readCsv } from 'promolens/node';
import { renderHtml, renderMarkdown, renderSummary } from 'promolens/report';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const data = await readCsv(new URL('./data/hillstrom.csv.gz', import.meta.url).pathname);
console.log(`Hillstrom e-mail campaign: ${data.n.toLocaleString('en-US')} customers, read in ${elapsed()}`);

const report = evaluateCampaign(
  data,
  {
    title: 'Hillstrom e-mail campaign',
    treatment: { column: 'segment', control: 'No E-Mail' },
    outcomes: [
      { column: 'visit', kind: 'binary' },
      { column: 'conversion', kind: 'binary' },
      { column: 'spend', kind: 'continuous' },
    ],
    features: ['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel'],
    segments: ['channel', 'zip_code'],
    upliftOutcome: 'visit',
    // A visit is worth 1.50 in expected margin; an e-mail costs 0.10 to send.
    economics: { valuePerUnit: 1.5, costPerTreated: 0.1 },
    validation: { holdoutShare: 0.3, seed: 1 },
  },
  { onProgress: (stage) => process.stderr.isTTY && process.stderr.write(`  ${elapsed()} ${stage}\n`) },
);

const out = new URL('../out/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(`${out}hillstrom-report.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${out}hillstrom-report.md`, renderMarkdown(report));
writeFileSync(`${out}hillstrom-report.html`, renderHtml(report));

console.log(`Evaluated in ${elapsed()}.`);
console.log('');
console.log(renderSummary(report));
console.log(`Wrote ${out}hillstrom-report.{json,md,html}`);
