import { InputError } from '../errors.js';
import { GrowableFloat64, GrowableInt32 } from '../internal/growable.js';
import { DOUBLED_QUOTES, QUOTED } from './csvTokenizer.js';
import { type Column, sortLevels } from './dataset.js';
import type { FieldDecoder } from './fieldText.js';
import { BOOLEAN_SPELLINGS, booleanSpellingBytes, parseNumberBytes } from './parseNumber.js';
import type { ColumnType } from './schema.js';

/** The values of a column while it is numbers (or still undecided) or 0/1 booleans. */
interface NumberBuffer {
  readonly mode: 'pending' | 'numeric' | 'boolean';
  readonly numbers: GrowableFloat64;
}

/** The codes of a categorical column and the index from text (and from bytes) to code. */
interface CodeBuffer {
  readonly mode: 'categorical';
  readonly codes: GrowableInt32;
  readonly codeOf: Map<string, number>;
  readonly levels: string[];
  /** The bytes of each level and a hash → code index over them, to code a cell without building its string. */
  readonly levelBytes: Uint8Array[];
  readonly codeOfHash: Map<number, number>;
}

type Buffer = NumberBuffer | CodeBuffer;

function codeBuffer(capacity: number): CodeBuffer {
  return { mode: 'categorical', codes: new GrowableInt32(capacity), codeOf: new Map(), levels: [], levelBytes: [], codeOfHash: new Map() };
}

/** Pair index of the digits 0/1 in a column declared boolean, after the word pairs of BOOLEAN_SPELLINGS. */
const DIGIT_PAIR = BOOLEAN_SPELLINGS.length / 2;
const DEFAULT_PAIR = 0; // false / true

/**
 * One column being filled from CSV cells, its type inferred from the cells
 * unless the schema fixes it: numbers → numeric; boolean spellings → 0/1
 * (remembering the spelling); anything else → categorical, keeping the text.
 * A quoted cell is text when `quotedIsText` (the file quotes selectively).
 * @internal
 */
export class CsvColumn {
  readonly name: string;
  readonly forced: ColumnType | undefined;
  readonly #decoder: FieldDecoder;
  readonly #quotedIsText: boolean;
  #buffer: Buffer;
  /** Set when inference changed its mind after some rows: the file must be read again. */
  switchNote: string | undefined;
  #sawQuotedEmpty = false;
  /** The first number beyond the range of a double, reported if the column ends numeric. */
  #overflow: { readonly row: number; readonly line: number; readonly text: string } | undefined;
  /** The spelling pair of a boolean column (index into BOOLEAN_SPELLINGS / 2), −1 before the first; `mixed` when it varied. */
  #pair = -1;
  #mixedSpellings = false;

  constructor(name: string, forced: ColumnType | undefined, decoder: FieldDecoder, quotedIsText: boolean, capacity: number) {
    this.name = name;
    this.forced = forced;
    this.#decoder = decoder;
    this.#quotedIsText = quotedIsText;
    this.#buffer =
      forced === 'category'
        ? codeBuffer(capacity)
        : { mode: forced === 'number' ? 'numeric' : forced === 'boolean' ? 'boolean' : 'pending', numbers: new GrowableFloat64(capacity) };
  }

  reserve(rows: number): void {
    const buffer = this.#buffer;
    if (buffer.mode === 'categorical') {
      if (buffer.codes.data.length < rows) buffer.codes.grow(rows);
    } else if (buffer.numbers.data.length < rows) buffer.numbers.grow(rows);
  }

  missing(): void {
    const buffer = this.#buffer;
    if (buffer.mode === 'categorical') buffer.codes.push(-1);
    else buffer.numbers.push(Number.NaN);
  }

  add(bytes: Uint8Array, start: number, end: number, flags: number, row: number, line: number): void {
    const buffer = this.#buffer;
    if (buffer.mode === 'numeric' && flags === 0) {
      // The common case first: an unquoted finite number in a numeric column.
      const value = parseNumberBytes(bytes, start, end);
      if (value !== undefined && value - value === 0) {
        buffer.numbers.push(value);
        return;
      }
    }
    if (buffer.mode === 'categorical') {
      this.#addBytes(buffer, bytes, start, end, flags, row, line);
      return;
    }
    if (start === end) {
      // An empty cell that is not missing (quoted, or `missing` does not list ''): missing in a number column.
      if (buffer.mode === 'pending') this.#sawQuotedEmpty = true;
      buffer.numbers.push(Number.NaN);
      return;
    }
    // The schema's type wins over quoting; otherwise a quoted cell is text when quotes mark text.
    const typed = this.forced !== undefined || (flags & QUOTED) === 0 || !this.#quotedIsText;
    const mode = buffer.mode;
    if (mode === 'numeric' || mode === 'pending') {
      const value = typed && (flags & DOUBLED_QUOTES) === 0 ? parseNumberBytes(bytes, start, end) : undefined;
      if (value !== undefined) {
        if (value - value !== 0) this.#outOfRange(bytes, start, end, row, line);
        if (mode === 'pending') this.#buffer = { mode: 'numeric', numbers: buffer.numbers };
        buffer.numbers.push(value - value === 0 ? value : Number.NaN);
        return;
      }
      if (mode === 'pending' && typed) {
        const spelling = booleanSpellingBytes(bytes, start, end);
        if (spelling >= 0) {
          this.#buffer = { mode: 'boolean', numbers: buffer.numbers };
          this.#pair = spelling >> 1;
          buffer.numbers.push(spelling & 1);
          return;
        }
      }
      if (this.forced === 'number') {
        const text = this.#text(bytes, start, end, flags, row, line);
        throw new InputError('not_numeric', this.name, `${this.name} is declared number, got ${JSON.stringify(text)} at row ${row} (line ${line})`, row);
      }
      this.#becomeCategorical(buffer, bytes, start, end, flags, row, line, mode === 'pending');
      return;
    }
    // boolean
    const spelling = typed ? booleanSpellingBytes(bytes, start, end) : -1;
    if (spelling >= 0) {
      const pair = spelling >> 1;
      if (pair !== this.#pair) {
        if (this.#pair < 0) this.#pair = pair;
        else this.#mixedSpellings = true;
      }
      buffer.numbers.push(spelling & 1);
      return;
    }
    if (this.forced === 'boolean') {
      const value = parseNumberBytes(bytes, start, end);
      if (value !== 0 && value !== 1) {
        const text = this.#text(bytes, start, end, flags, row, line);
        throw new InputError('not_binary', this.name, `${this.name} is declared boolean, got ${JSON.stringify(text)} at row ${row} (line ${line})`, row);
      }
      if (this.#pair !== DIGIT_PAIR) {
        if (this.#pair < 0) this.#pair = DIGIT_PAIR;
        else this.#mixedSpellings = true;
      }
      buffer.numbers.push(value);
      return;
    }
    this.#becomeCategorical(buffer, bytes, start, end, flags, row, line, false);
  }

  /** Why the file must be read again with this column as text, or `undefined`. */
  retryNote(): string | undefined {
    if (this.switchNote !== undefined) return this.switchNote;
    // No number or boolean at all, but quoted empty strings: a text column of "" values.
    if (this.#buffer.mode === 'pending' && this.#sawQuotedEmpty) return 'quoted empty strings and no numbers';
    return undefined;
  }

  /**
   * The finished column.
   * @throws InputError `out_of_range` for a number beyond the range of a double in a numeric column
   */
  finish(): Column {
    const buffer = this.#buffer;
    if (buffer.mode === 'categorical') return sortLevels(this.name, buffer.codes.finish(), buffer.levels);
    if (this.#overflow !== undefined) this.#throwOverflow(this.#overflow);
    const values = buffer.numbers.finish();
    if (buffer.mode !== 'boolean') return { kind: 'numeric', name: this.name, values, boolean: false };
    const pair = this.#pair;
    if (this.#mixedSpellings || pair < 0 || pair === DEFAULT_PAIR) return { kind: 'numeric', name: this.name, values, boolean: true };
    const spellings: readonly [string, string] =
      pair === DIGIT_PAIR ? ['0', '1'] : [BOOLEAN_SPELLINGS[2 * pair] as string, BOOLEAN_SPELLINGS[2 * pair + 1] as string];
    return { kind: 'numeric', name: this.name, values, boolean: true, spellings };
  }

  #outOfRange(bytes: Uint8Array, start: number, end: number, row: number, line: number): void {
    const overflow = { row, line, text: this.#text(bytes, start, end, 0, row, line) };
    if (this.forced === 'number') this.#throwOverflow(overflow);
    this.#overflow ??= overflow;
  }

  #throwOverflow(overflow: { readonly row: number; readonly line: number; readonly text: string }): never {
    throw new InputError(
      'out_of_range',
      this.name,
      `${this.name} holds ${JSON.stringify(overflow.text)} at row ${overflow.row} (line ${overflow.line}), beyond the range of a double (±1.8e308)`,
      overflow.row,
    );
  }

  #text(bytes: Uint8Array, start: number, end: number, flags: number, row: number, line: number): string {
    return this.#decoder.decode(bytes, start, end, (flags & DOUBLED_QUOTES) !== 0, this.name, row, line);
  }

  #addBytes(buffer: CodeBuffer, bytes: Uint8Array, start: number, end: number, flags: number, row: number, line: number): void {
    if ((flags & DOUBLED_QUOTES) !== 0) {
      addText(buffer, this.#text(bytes, start, end, flags, row, line));
      return;
    }
    // Fast path: a level seen before, recognised by its bytes.
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
    const code = buffer.codeOfHash.get(hash);
    if (code !== undefined && sameBytes(buffer.levelBytes[code] as Uint8Array, bytes, start, end)) {
      buffer.codes.push(code);
      return;
    }
    const added = addText(buffer, this.#text(bytes, start, end, flags, row, line));
    if (code === undefined && buffer.levelBytes[added] === undefined) {
      buffer.levelBytes[added] = bytes.slice(start, end);
      buffer.codeOfHash.set(hash, added);
    }
  }

  /**
   * The first cell that is neither a number nor a boolean. When every earlier
   * cell was missing nothing is lost; otherwise their texts are gone, so the
   * column is marked to be read again as categorical.
   */
  #becomeCategorical(
    buffer: NumberBuffer,
    bytes: Uint8Array,
    start: number,
    end: number,
    flags: number,
    row: number,
    line: number,
    allMissing: boolean,
  ): void {
    const text = this.#text(bytes, start, end, flags, row, line);
    const before = buffer.numbers.length;
    if (!allMissing || this.#sawQuotedEmpty) {
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      const quoted = (flags & QUOTED) !== 0 ? 'quoted ' : '';
      this.switchNote = `first ${quoted}value that is not a ${buffer.mode === 'boolean' ? 'boolean' : 'number'}: ${JSON.stringify(shown)} at row ${row}`;
    }
    const codes = codeBuffer(Math.max(1024, before * 2));
    for (let i = 0; i < before; i++) codes.codes.push(-1);
    this.#buffer = codes;
    this.#overflow = undefined;
    addText(codes, text);
  }
}

function addText(buffer: CodeBuffer, text: string): number {
  let code = buffer.codeOf.get(text);
  if (code === undefined) {
    code = buffer.levels.length;
    buffer.codeOf.set(text, code);
    buffer.levels.push(text);
  }
  buffer.codes.push(code);
  return code;
}

function sameBytes(level: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (level.length !== end - start) return false;
  for (let i = 0; i < level.length; i++) if (level[i] !== bytes[start + i]) return false;
  return true;
}
