import { InputError } from '../errors.js';
import { type CsvOptions, CsvParser, type CsvPassResult } from './csvParser.js';
import type { Dataset } from './dataset.js';

export type { CsvOptions } from './csvParser.js';

const CHUNK_CHARS = 1 << 20;

/**
 * Dataset from CSV text (a string, or UTF-8 bytes).
 *
 * RFC 4180: quoted fields with doubled quotes and embedded line breaks; `,`,
 * `;` or tab separators (detected from the header line unless given); CRLF,
 * LF or CR line ends; a UTF-8 byte-order mark; with or without a final line
 * break. Empty cells are missing. Trailing blank lines are ignored; a blank
 * line between records is an error, as is a record with the wrong number of
 * fields.
 *
 * Types are inferred per column from all its cells: numbers → numeric;
 * true/false, TRUE/FALSE, True/False, yes/no → numeric 0/1 (`boolean`);
 * anything else → categorical, keeping the exact texts (a column that turns
 * out categorical after some numbers is read a second time, so `"007"` stays
 * `"007"`). A `schema` fixes types instead. Numbers are correctly rounded
 * (equal to `Number(text)`). O(bytes); strings are encoded in 1 MiB chunks,
 * so memory stays near the text plus its columns.
 *
 * @throws InputError `parse_error` (unbalanced quote, wrong field count, blank
 *   line; the message names the line), `duplicate_column`, `missing_column`
 *   (schema), `not_numeric` / `not_binary` (schema), `empty` (no header),
 *   `invalid_option`
 * @example
 * const data = parseCsv('arm,spend,ok\r\nA,1.5,TRUE\r\nB,,FALSE');
 * data.numeric('spend'); // => Float64Array [1.5, NaN]
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): Dataset {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new InputError('wrong_type', 'input', `parseCsv expects a string or a Uint8Array, got ${typeof input}`);
  }
  const totalBytes = typeof input === 'string' ? input.length : input.length;
  let result: CsvPassResult = { kind: 'retry', categories: new Map() };
  for (let pass = 0; pass < 2 && result.kind === 'retry'; pass++) {
    const parser: CsvParser = new CsvParser(options, result.categories, totalBytes);
    if (typeof input === 'string') feedString(parser, input);
    else parser.push(input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    result = parser.finish();
  }
  if (result.kind !== 'done') throw new Error('CSV type inference did not settle in two passes');
  return result.dataset;
}

function feedString(parser: CsvParser, text: string): void {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(CHUNK_CHARS * 3 + 4);
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
