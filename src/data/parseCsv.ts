import { InputError } from '../errors.js';
import { type CsvOptions, type CsvParser, checkCsvOptions, csvPasses } from './csvParser.js';
import type { Dataset } from './dataset.js';
import { describe } from '../internal/validate.js';

export type { CsvOptions } from './csvParser.js';

const CHUNK_CHARS = 1 << 20;

/**
 * Dataset from CSV text (a string, or bytes in the `encoding` option's
 * encoding, UTF-8 by default).
 *
 * RFC 4180: quoted fields with doubled quotes and embedded line breaks; `,`,
 * `;` or tab separators (detected from the header line unless given); CRLF,
 * LF or CR line ends; with or without a final line break. A UTF-8 byte-order
 * mark is removed at the very start of the text only (a U+FEFF inside a
 * field is kept). Bytes that are not UTF-8 are an error naming the column and
 * row, never replaced. Empty cells are missing. In a file of one column a
 * blank line is a row whose value is missing (so `'x\n1\n\n'` has two rows);
 * with several columns trailing blank lines are ignored and a blank line
 * between records is an error, as is a record with the wrong number of fields.
 *
 * Types are inferred per column from all its cells: numbers → numeric;
 * true/false, TRUE/FALSE, True/False, yes/no, Yes/No, YES/NO → numeric 0/1
 * (`boolean`, remembering the spelling: see `columnLabels`); anything else →
 * categorical, keeping the exact texts (a column that turns out categorical
 * after some numbers is read a second time, so `007` stays `"007"`). A quoted
 * cell is text, never a number or a boolean (as Python's `csv.QUOTE_NONNUMERIC`
 * reads), except in a file that quotes every header field including some that
 * need no quotes — a quote-everything export, where quotes say nothing about
 * types — and except that a quoted empty cell in a numeric column is missing.
 * A column with no numbers whose cells are quoted empty strings is text.
 * `formatCsv` writes what this reads back unchanged. A `schema` fixes types
 * instead; a zod schema is also checked on every row. Numbers are correctly
 * rounded (equal to `Number(text)`); a number beyond the range of a double
 * (`1e400`) is an error, not Infinity. O(bytes); strings are encoded in
 * 1 MiB chunks, so memory stays near the text plus its columns.
 *
 * @throws InputError `parse_error` (unbalanced quote, wrong field count, blank
 *   line, bytes that are not UTF-8; the message names the line),
 *   `out_of_range` (a number beyond ±1.8e308), `duplicate_column`,
 *   `missing_column` (schema), `not_numeric` / `not_binary` / `wrong_type` /
 *   `not_finite` / `unknown_column` (schema), `empty` (no header),
 *   `wrong_type` (not text), `invalid_option` (an unknown or ill-typed option)
 * @example
 * const data = parseCsv('arm,spend,ok\r\nA,1.5,TRUE\r\nB,,FALSE');
 * data.numeric('spend'); // => Float64Array [1.5, NaN]
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): Dataset {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new InputError('wrong_type', 'input', `parseCsv expects a string or a Uint8Array, got ${describe(input)}`);
  }
  const checked = checkCsvOptions(options);
  if (typeof input === 'string') checkWellFormed(input);
  const bytes = typeof input === 'string' || input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const passes = csvPasses(checked, input.length);
  for (let step = passes.next(); ; step = passes.next()) {
    if (step.done) return step.value;
    if (typeof bytes === 'string') feedString(step.value, bytes);
    else step.value.push(bytes);
  }
}

/** A string with a lone surrogate cannot be encoded without changing it: an error naming its line. */
function checkWellFormed(text: string): void {
  // In a `u` regular expression a surrogate pair is one code point, so this matches lone surrogates only.
  const lone = /\p{Surrogate}/u.exec(text);
  if (lone === null) return;
  let line = 1;
  for (let i = 0; i < lone.index; i++) if (text.charCodeAt(i) === 10) line++;
  const code = text.charCodeAt(lone.index).toString(16);
  throw new InputError('parse_error', '(text)', `line ${line} holds a lone UTF-16 surrogate (\\u${code}), which no text encoding can carry`);
}

function feedString(parser: CsvParser, text: string): void {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(Math.min(CHUNK_CHARS, text.length) * 3 + 4);
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + CHUNK_CHARS);
    // Never split a surrogate pair between chunks.
    const last = text.charCodeAt(to - 1);
    if (to < text.length && last >= 0xd800 && last <= 0xdbff) to--;
    const { written } = encoder.encodeInto(text.slice(from, to), buffer);
    parser.push(buffer.subarray(0, written));
    from = to;
  }
}
