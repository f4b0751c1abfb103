// A notebook-style walk through the Hillstrom campaign in Deno (or a Deno Jupyter kernel),
// using only the portable core. After `npm run build`:
//   npx deno run --allow-read --node-modules-dir=manual examples/notebook.deno.ts
import { compareProportions, fitTLearner, fromColumns, parseCsv, predictUplift, qiniAuc, scoreUncertainty, trainTestSplit, takeRows } from '../dist/index.js';

// 1. Load: decompress the bundled file with web streams and parse it.
const file = await Deno.open(new URL('./data/hillstrom.csv.gz', import.meta.url));
const text = await new Response(file.readable.pipeThrough(new DecompressionStream('gzip'))).text();
const data = parseCsv(text);
console.log(`${data.n} customers; arms: ${data.categorical('segment').levels.join(', ')}`);

// 2. Effect of the women's e-mail on visits.
const segment = data.categorical('segment');
const womens = data.filter(Array.from(segment.codes, (c) => segment.levels[c] !== 'Mens E-Mail'));
const arm = Float64Array.from(womens.categorical('segment').codes, (c) => (womens.categorical('segment').levels[c] === 'Womens E-Mail' ? 1 : 0));
const visit = womens.numeric('visit');
const count = (t: number) => arm.reduce((s, a, i) => s + (a === t ? visit[i] : 0), 0);
const effect = compareProportions({ n: arm.filter((a) => a === 0).length, successes: count(0) }, { n: arm.filter((a) => a === 1).length, successes: count(1) });
console.log(`visit rate ${effect.control.mean.toFixed(4)} -> ${effect.treated.mean.toFixed(4)}, p = ${effect.absolute.pValue.toExponential(2)}`);

// 3. Who does it move? A T-learner on a training split, scored on the holdout.
const features = ['recency', 'history', 'mens', 'womens', 'newbie'];
const n = womens.n;
const X = { data: new Float64Array(n * features.length), rows: n, cols: features.length };
features.forEach((name, j) => womens.numeric(name).forEach((v, i) => (X.data[i * features.length + j] = v)));
const { train, test } = trainTestSplit(n, { testShare: 0.3, seed: 1, stratify: arm });
const pick = (v: Float64Array, rows: Int32Array) => Float64Array.from(rows, (i) => v[i]);
const model = fitTLearner(takeRows(X, train), pick(visit, train), pick(arm, train));
const uplift = predictUplift(model, takeRows(X, test));
const qini = scoreUncertainty(qiniAuc, pick(visit, test), uplift, pick(arm, test), { resamples: 50, permutations: 50 });
console.log(`holdout Qini AUC ${qini.estimate.toFixed(3)} [${qini.ci.map((c) => c.toFixed(3)).join(', ')}], p vs random ${qini.pValue.toFixed(3)}`);
console.log(fromColumns({ uplift: uplift.slice(0, 5) }).toRows());
