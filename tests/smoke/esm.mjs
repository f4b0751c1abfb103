import * as root from 'promolens';
import * as data from 'promolens/data';
import { readCsv } from 'promolens/node';
import { check } from './check.mjs';

console.log(check(root, 'node esm (promolens)'));
console.log(check({ ...data, isInputError: root.isInputError }, 'node esm (promolens/data)'));
const hillstrom = await readCsv(new URL('../../examples/data/hillstrom.csv.gz', import.meta.url).pathname);
if (hillstrom.n !== 64000) throw new Error(`node esm: readCsv read ${hillstrom.n} rows`);
console.log('node esm (promolens/node): ok');
