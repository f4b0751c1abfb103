// The main job on the bundled Hillstrom e-mail campaign: load it and summarise each arm.
// Run with `npm run example` (it builds the package first).
import { readCsv } from 'promolens/node';

const path = new URL('./data/hillstrom.csv.gz', import.meta.url).pathname;
const started = performance.now();
const data = await readCsv(path);
const loaded = performance.now() - started;

const segment = data.categorical('segment');
const visit = data.numeric('visit');
const conversion = data.numeric('conversion');
const spend = data.numeric('spend');

const arms = segment.levels.map(() => ({ n: 0, visits: 0, conversions: 0, spend: 0 }));
for (let i = 0; i < data.n; i++) {
  const arm = arms[segment.codes[i]];
  arm.n++;
  arm.visits += visit[i];
  arm.conversions += conversion[i];
  arm.spend += spend[i];
}

console.log(`Hillstrom e-mail campaign: ${data.n} customers, ${data.names.length} columns, read in ${loaded.toFixed(0)} ms`);
console.log('');
console.log('arm              n        visit rate  conversion rate  mean spend');
segment.levels.forEach((level, code) => {
  const arm = arms[code];
  console.log(
    `${level.padEnd(15)}  ${String(arm.n).padStart(6)}   ${(arm.visits / arm.n).toFixed(6)}    ${(arm.conversions / arm.n).toFixed(6)}         ${(arm.spend / arm.n).toFixed(6)}`,
  );
});
