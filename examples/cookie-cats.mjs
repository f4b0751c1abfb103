// A two-arm A/B test: Cookie Cats moved its first gate from level 30 to level 40.
// Did retention change, and was the split as planned? Run after `npm run build`:
//   node examples/cookie-cats.mjs [path to cookie_cats.csv]
import { existsSync } from 'node:fs';
import { compareMeans, compareProportions, sampleRatioTest } from 'promolens';
import { readCsv } from 'promolens/node';

const path = process.argv[2] ?? new URL('../../shared/data/cookie-cats/cookie_cats.csv', import.meta.url).pathname;
if (!existsSync(path)) {
  console.error(`No Cookie Cats file at ${path}; pass its path (see shared/data/cookie-cats).`);
  process.exit(2);
}
const data = await readCsv(path);
const version = data.categorical('version');
const gate30 = version.levels.indexOf('gate_30');
const arms = [{ n: 0, r1: 0, r7: 0, rounds: [] }, { n: 0, r1: 0, r7: 0, rounds: [] }];
const r1 = data.numeric('retention_1');
const r7 = data.numeric('retention_7');
const rounds = data.numeric('sum_gamerounds');
for (let i = 0; i < data.n; i++) {
  const arm = arms[version.codes[i] === gate30 ? 0 : 1];
  arm.n++;
  arm.r1 += r1[i];
  arm.r7 += r7[i];
  arm.rounds.push(rounds[i]);
}
const [control, treated] = arms;
const srm = sampleRatioTest([control.n, treated.n]);
console.log(`gate_30 ${control.n} players, gate_40 ${treated.n}: sample-ratio p = ${srm.pValue.toFixed(4)}${srm.mismatch ? ' (MISMATCH)' : ''}`);
for (const [name, key] of [['1-day retention', 'r1'], ['7-day retention', 'r7']]) {
  const result = compareProportions({ n: control.n, successes: control[key] }, { n: treated.n, successes: treated[key] });
  const [low, high] = result.absolute.ci;
  console.log(`${name}: ${result.control.mean.toFixed(4)} -> ${result.treated.mean.toFixed(4)}, difference ${result.absolute.estimate.toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}], p = ${result.absolute.pValue.toFixed(4)}`);
}
const playtime = compareMeans(control.rounds, treated.rounds);
console.log(`game rounds: ${playtime.control.mean.toFixed(2)} -> ${playtime.treated.mean.toFixed(2)}, Welch p = ${playtime.absolute.pValue.toFixed(4)}`);
