// Shared by the ESM, CJS and Deno smoke scripts: exercises the built core on a tiny table.
export function check(lib, runtime) {
  const data = lib.parseCsv('arm,spend,ok\r\n"A, first",1.25,TRUE\r\nB,,FALSE\r\n');
  const spend = data.numeric('spend');
  if (data.n !== 2 || spend[0] !== 1.25 || !Number.isNaN(spend[1])) throw new Error(`${runtime}: parseCsv gave wrong values`);
  if (data.categorical('arm').levels.join('|') !== 'A, first|B') throw new Error(`${runtime}: wrong levels`);
  let caught;
  try {
    data.numeric('nope');
  } catch (error) {
    caught = error;
  }
  if (!lib.isInputError(caught) || caught.reason !== 'missing_column') throw new Error(`${runtime}: expected an InputError`);
  return `${runtime}: ok`;
}
