import { evaluateCampaign } from 'promolens/campaign';
import { readCsv } from 'promolens/node';
import { examplesData } from '../helpers.js';

/** A small two-arm Hillstrom campaign, evaluated once per test file. */
export async function sampleReport() {
  const hillstrom = await readCsv(`${examplesData}hillstrom.csv.gz`);
  return evaluateCampaign(hillstrom.take(Array.from({ length: 8000 }, (_, i) => i * 8)), {
    title: 'Hillstrom sample',
    treatment: { column: 'segment', control: 'No E-Mail' },
    outcomes: [{ column: 'visit', kind: 'binary' }, { column: 'spend', kind: 'continuous' }],
    features: ['recency', 'history', 'channel', 'zip_code'],
    segments: ['channel'],
    economics: { valuePerUnit: 1.5, costPerTreated: 0.1 },
    learners: ['t', 's'],
  }, { resamples: 20 });
}
