// Imports the built package from Node ESM, Node CJS and Deno, and checks that
// the portable core (everything in dist/ but dist/node) never imports node:*.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, [join(here, 'esm.mjs')]);
run(process.execPath, [join(here, 'cjs.cjs')]);
const deno = (file) => run('npx', ['--no-install', 'deno', 'run', '--quiet', '--no-prompt', '--allow-read', '--no-remote', '--no-lock', '--node-modules-dir=manual', file]);
deno(join(here, 'deno.ts'));
// The notebook-style example: web streams, parsing, effects and an uplift model in Deno.
deno(join(root, 'examples', 'notebook.deno.ts'));
// The Jupyter notebook (Deno kernel): valid JSON, its code cells run in order, its displays.
run(process.execPath, [join(here, 'notebook.mjs')]);

// The core's files: every entry reachable from dist/index.js, without dist/node.
const dist = join(root, 'dist');
const offenders = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node') walk(path);
    } else if (/\.(js|cjs)$/.test(name)) {
      const text = readFileSync(path, 'utf8');
      if (/from\s*["']node:|require\(["']node:|import\(["']node:/.test(text)) offenders.push(path);
    }
  }
};
walk(dist);
if (offenders.length > 0) {
  console.error(`portable core imports node:* in ${offenders.join(', ')}`);
  process.exit(1);
}
console.log('core is free of node:* imports: ok');
console.log('smoke: 6 passed, 0 failed');
