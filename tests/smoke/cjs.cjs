const root = require('promolens');
const data = require('promolens/data');
const node = require('promolens/node');

async function main() {
  const { check } = await import('./check.mjs');
  console.log(check(root, 'node cjs (promolens)'));
  // One InputError class across subpaths: the chunks are shared, not copied.
  try {
    data.parseCsv('');
  } catch (error) {
    if (!(error instanceof root.InputError)) throw new Error('node cjs: InputError differs between subpaths');
  }
  if (typeof node.readCsv !== 'function') throw new Error('node cjs: readCsv missing');
  console.log('node cjs (promolens/data, promolens/node): ok');
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
