// Rewrites package.json "exports": the root plus one subpath per src folder with an index.ts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entry = (path) => ({
  import: { types: `./dist/${path}.d.ts`, default: `./dist/${path}.js` },
  require: { types: `./dist/${path}.d.cts`, default: `./dist/${path}.cjs` },
});
const folders = readdirSync('src').filter((name) => existsSync(`src/${name}/index.ts`)).sort();
pkg.exports = { '.': entry('index'), ...Object.fromEntries(folders.map((name) => [`./${name}`, entry(`${name}/index`)])), './package.json': './package.json' };
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log(Object.keys(pkg.exports).join(' '));
