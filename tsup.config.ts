import { readdirSync, statSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry per folder of src/ that has an index.ts: each becomes a subpath export.
const folders = readdirSync('src').filter(
  (name) => name !== 'internal' && statSync(`src/${name}`).isDirectory(),
);

export default defineConfig({
  entry: ['src/index.ts', ...folders.map((name) => `src/${name}/index.ts`), 'src/node/cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks in both formats, so `promolens` and `promolens/data` share one InputError class.
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  outDir: 'dist',
  external: [/^node:/],
});
