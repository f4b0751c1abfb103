import { InputError } from '../errors.js';

/**
 * How the bytes of a CSV file are read as text: `'utf-8'` (the default;
 * invalid bytes are an error) or `'latin1'` (every byte is a character, as the
 * WHATWG `latin1` label, that is windows-1252).
 */
export type CsvEncoding = 'utf-8' | 'latin1';

const QUOTE = 34;

/**
 * Turns field bytes into strings in one encoding, never silently: invalid
 * UTF-8 is an error naming the column and row, and a U+FEFF inside a field is
 * kept (only the tokenizer removes a byte-order mark, at the very start).
 * @internal
 */
export class FieldDecoder {
  readonly encoding: CsvEncoding;
  readonly #decoder: TextDecoder;

  constructor(encoding: CsvEncoding) {
    this.encoding = encoding;
    this.#decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  }

  /** Text of `bytes[start, end)`, with doubled quotes undone when `doubled`. */
  decode(bytes: Uint8Array, start: number, end: number, doubled: boolean, field: string, row: number | undefined, line: number): string {
    if (doubled) {
      const unescaped = new Uint8Array(end - start);
      let k = 0;
      for (let i = start; i < end; i++) {
        unescaped[k++] = bytes[i] as number;
        if (bytes[i] === QUOTE) i++;
      }
      return this.decode(unescaped, 0, k, false, field, row, line);
    }
    if (end - start <= 64) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if ((bytes[i] as number) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
    try {
      return this.#decoder.decode(bytes.subarray(start, end));
    } catch {
      const where = row === undefined ? `the header (line ${line})` : `row ${row} (line ${line})`;
      throw new InputError(
        'parse_error',
        field,
        `column '${field}' holds bytes that are not UTF-8 at ${where}: ${hexOf(bytes, start, end)}; give the file's encoding, e.g. { encoding: 'latin1' }`,
        row,
      );
    }
  }
}

/** The first bytes of a field in hex, the invalid ones visible. */
function hexOf(bytes: Uint8Array, start: number, end: number): string {
  const shown = Array.from(bytes.subarray(start, Math.min(end, start + 16)), (b) => b.toString(16).padStart(2, '0'));
  return shown.join(' ') + (end - start > 16 ? ' …' : '');
}
