import { InputError } from '../errors.js';
import { GrowableFloat64, GrowableInt32 } from '../internal/growable.js';
import { type Column, Dataset, sortLevels } from './dataset.js';
import { parseBooleanBytes, parseNumberBytes } from './parseNumber.js';
import { type ColumnType, type DatasetSchema, columnRules } from './schema.js';

/** Options shared by `parseCsv` and `readCsv`. */
export interface CsvOptions {
  /** Field separator, one character. Default: detected from the header line among `,`, `;` and tab. */
  readonly delimiter?: string;
  /** The first line names the columns. Default `true`; with `false` columns are `column_1`, `column_2`, … */
  readonly header?: boolean;
  /** Column types that override inference (see `DatasetSchema`). Every column it names must be present. */
  readonly schema?: DatasetSchema;
  /**
   * Unquoted cell texts read as missing. Default `['']`: empty cells only. A
   * quoted cell is never missing (`""` is the empty string).
   */
  readonly missing?: readonly string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

type Mode = 'pending' | 'numeric' | 'boolean' | 'categorical';

/** The result of one pass: a dataset, or the columns that must be read again as categories. @internal */
export type CsvPassResult =
  | { readonly kind: 'done'; readonly dataset: Dataset }
  | { readonly kind: 'retry'; readonly categories: ReadonlyMap<string, string> };

let decoder: TextDecoder | undefined;

/** Text of a field, with doubled quotes undone when `escaped`. */
function decodeField(bytes: Uint8Array, start: number, end: number, escaped: boolean): string {
  if (escaped) {
    const unescaped = new Uint8Array(end - start);
    let k = 0;
    for (let i = start; i < end; i++) {
      unescaped[k++] = bytes[i] as number;
      if (bytes[i] === QUOTE) i++;
    }
    return decodeField(unescaped, 0, k, false);
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
  decoder ??= new TextDecoder('utf-8', { fatal: false });
  return decoder.decode(bytes.subarray(start, end));
}

/** One column being filled, its type inferred from its cells unless the schema fixes it. */
class CsvColumn {
  mode: Mode;
  numbers: GrowableFloat64 | undefined;
  codes: GrowableInt32 | undefined;
  readonly codeOf = new Map<string, number>();
  readonly levels: string[] = [];
  /** The UTF-8 bytes of each level and a hash → code index over them, to code a cell without building its string. */
  readonly levelBytes: Uint8Array[] = [];
  readonly codeOfHash = new Map<number, number>();
  /** Set when inference changed its mind after some rows: the file must be read again. */
  switchNote: string | undefined;
  sawQuotedEmpty = false;

  constructor(
    readonly name: string,
    readonly forced: ColumnType | undefined,
    capacity: number,
  ) {
    if (forced === 'category') {
      this.mode = 'categorical';
      this.codes = new GrowableInt32(capacity);
    } else {
      this.mode = forced === 'number' ? 'numeric' : forced === 'boolean' ? 'boolean' : 'pending';
      this.numbers = new GrowableFloat64(capacity);
    }
  }

  reserve(rows: number): void {
    if (this.numbers !== undefined && this.numbers.data.length < rows) this.numbers.grow(rows);
    if (this.codes !== undefined && this.codes.data.length < rows) this.codes.grow(rows);
  }

  missing(): void {
    if (this.mode === 'categorical') (this.codes as GrowableInt32).push(-1);
    else (this.numbers as GrowableFloat64).push(Number.NaN);
  }

  add(bytes: Uint8Array, start: number, end: number, escaped: boolean, row: number, line: number): void {
    const mode = this.mode;
    if (start === end && mode !== 'categorical') {
      // A quoted empty cell: missing in a numeric or boolean column, the empty string in a categorical one.
      if (mode === 'pending') this.sawQuotedEmpty = true;
      (this.numbers as GrowableFloat64).push(Number.NaN);
      return;
    }
    if (mode === 'numeric' || mode === 'pending') {
      const value = escaped ? undefined : parseNumberBytes(bytes, start, end);
      if (value !== undefined) {
        this.mode = 'numeric';
        (this.numbers as GrowableFloat64).push(value);
        return;
      }
      if (mode === 'pending' && !escaped) {
        const flag = parseBooleanBytes(bytes, start, end);
        if (flag !== undefined) {
          this.mode = 'boolean';
          (this.numbers as GrowableFloat64).push(flag);
          return;
        }
      }
      if (this.forced === 'number') {
        const text = decodeField(bytes, start, end, escaped);
        throw new InputError(
          'not_numeric',
          this.name,
          `${this.name} is declared number, got ${JSON.stringify(text)} at row ${row} (line ${line})`,
          row,
        );
      }
      this.#becomeCategorical(bytes, start, end, escaped, row, mode === 'pending');
      return;
    }
    if (mode === 'boolean') {
      let flag = escaped ? undefined : parseBooleanBytes(bytes, start, end);
      if (flag === undefined && this.forced === 'boolean') {
        const value = parseNumberBytes(bytes, start, end);
        if (value === 0 || value === 1) flag = value;
        else {
          const text = decodeField(bytes, start, end, escaped);
          throw new InputError(
            'not_binary',
            this.name,
            `${this.name} is declared boolean, got ${JSON.stringify(text)} at row ${row} (line ${line})`,
            row,
          );
        }
      }
      if (flag !== undefined) {
        (this.numbers as GrowableFloat64).push(flag);
        return;
      }
      this.#becomeCategorical(bytes, start, end, escaped, row, false);
      return;
    }
    if (!escaped) {
      // Fast path: a level seen before, recognised by its bytes.
      let hash = 0x811c9dc5;
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
      const code = this.codeOfHash.get(hash);
      if (code !== undefined && sameBytes(this.levelBytes[code] as Uint8Array, bytes, start, end)) {
        (this.codes as GrowableInt32).push(code);
        return;
      }
      const added = this.#addText(decodeField(bytes, start, end, false));
      if (code === undefined && this.levelBytes[added] === undefined) {
        this.levelBytes[added] = bytes.slice(start, end);
        this.codeOfHash.set(hash, added);
      }
      return;
    }
    this.#addText(decodeField(bytes, start, end, escaped));
  }

  #addText(text: string): number {
    let code = this.codeOf.get(text);
    if (code === undefined) {
      code = this.levels.length;
      this.codeOf.set(text, code);
      this.levels.push(text);
    }
    (this.codes as GrowableInt32).push(code);
    return code;
  }

  /**
   * The first cell that is neither a number nor a boolean. When every earlier
   * cell was missing nothing is lost; otherwise their texts are gone, so the
   * column is marked to be read again as categorical.
   */
  #becomeCategorical(bytes: Uint8Array, start: number, end: number, escaped: boolean, row: number, allMissing: boolean) {
    const text = decodeField(bytes, start, end, escaped);
    const before = (this.numbers as GrowableFloat64).length;
    if (!allMissing || this.sawQuotedEmpty) {
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      this.switchNote = `first value that is not a ${this.mode === 'boolean' ? 'boolean' : 'number'}: ${JSON.stringify(shown)} at row ${row}`;
    }
    this.mode = 'categorical';
    this.numbers = undefined;
    this.codes = new GrowableInt32(Math.max(1024, before * 2));
    for (let i = 0; i < before; i++) this.codes.push(-1);
    this.#addText(text);
  }

  finish(): Column {
    if (this.mode === 'categorical') return sortLevels(this.name, (this.codes as GrowableInt32).finish(), this.levels);
    return {
      kind: 'numeric',
      name: this.name,
      values: (this.numbers as GrowableFloat64).finish(),
      boolean: this.mode === 'boolean',
    };
  }
}

/**
 * Incremental RFC 4180 reader: feed it UTF-8 chunks of any size, then call
 * `finish()`. Records are dispatched to typed column builders as soon as they
 * are complete, so memory stays close to the size of the columns.
 * @internal
 */
export class CsvParser {
  readonly #options: CsvOptions;
  readonly #forced: ReadonlyMap<string, ColumnType>;
  readonly #notes: ReadonlyMap<string, string>;
  readonly #missingTokens: readonly Uint8Array[];
  readonly #onlyEmptyIsMissing: boolean;
  #delimiter = -1;
  #stops: Uint8Array | undefined;
  #columns: CsvColumn[] | undefined;
  #names: string[] | undefined;
  #leftover: Uint8Array | undefined;
  #rows = 0;
  #line = 1; // line number (1-based) where the next record starts
  #started = false;
  #blankLines = 0;
  #firstBlankLine = 0;
  // Field offsets of the record being read: start, end, escaped (0/1).
  #starts = new Int32Array(64);
  #ends = new Int32Array(64);
  #escaped = new Uint8Array(64);
  #bytesSeen = 0;
  #bufferOffset = 0; // absolute offset of the buffer being read
  readonly #totalBytes: number | undefined;
  #reserved = false;

  constructor(options: CsvOptions, categories: ReadonlyMap<string, string> = new Map(), totalBytes?: number) {
    this.#options = options;
    const forced = new Map<string, ColumnType>();
    for (const [name, rule] of columnRules(options.schema)) forced.set(name, rule.type);
    for (const name of categories.keys()) forced.set(name, 'category');
    this.#forced = forced;
    this.#notes = categories;
    this.#totalBytes = totalBytes;
    if (options.delimiter !== undefined) {
      if (options.delimiter.length !== 1 || options.delimiter === '"' || options.delimiter === '\n' || options.delimiter === '\r') {
        throw new InputError(
          'invalid_option',
          'delimiter',
          `delimiter must be one character other than a quote or line break, got ${JSON.stringify(options.delimiter)}`,
        );
      }
      this.#delimiter = options.delimiter.charCodeAt(0);
    }
    const missing = options.missing ?? [''];
    this.#onlyEmptyIsMissing = missing.length === 1 && missing[0] === '';
    const encoder = new TextEncoder();
    this.#missingTokens = missing.map((token) => encoder.encode(token));
  }

  /** Reads every complete record in `chunk` (plus any carried-over bytes). */
  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.#leftover !== undefined && this.#leftover.length > 0) {
      bytes = new Uint8Array(this.#leftover.length + chunk.length);
      bytes.set(this.#leftover, 0);
      bytes.set(chunk, this.#leftover.length);
    }
    this.#bufferOffset = this.#bytesSeen - (bytes.length - chunk.length);
    this.#bytesSeen += chunk.length;
    const consumed = this.#read(bytes, false);
    this.#leftover = consumed < bytes.length ? bytes.slice(consumed) : undefined;
  }

  /** Reads what is left and returns the dataset, or the columns to read again as categories. */
  finish(): CsvPassResult {
    if (this.#leftover !== undefined && this.#leftover.length > 0) {
      this.#bufferOffset = this.#bytesSeen - this.#leftover.length;
      this.#read(this.#leftover, true);
    }
    this.#leftover = undefined;
    if (this.#columns === undefined) {
      throw new InputError('empty', '(file)', 'the CSV text is empty: no header line');
    }
    const retry = new Map<string, string>();
    for (const column of this.#columns) {
      if (column.switchNote !== undefined) retry.set(column.name, column.switchNote);
    }
    if (retry.size > 0) return { kind: 'retry', categories: retry };
    return { kind: 'done', dataset: new Dataset(this.#columns.map((column) => column.finish()), this.#rows, this.#notes) };
  }

  /** Parses records from `bytes`; returns how many bytes were consumed (whole records only unless `final`). */
  #read(bytes: Uint8Array, final: boolean): number {
    const length = bytes.length;
    let i = 0;
    if (!this.#started) {
      if (length < 3 && !final) return 0;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
      if (this.#delimiter < 0) {
        const detected = detectDelimiter(bytes, i, final);
        if (detected === undefined) return 0;
        this.#delimiter = detected;
      }
      this.#started = true;
    }
    const delimiter = this.#delimiter;
    const stops = this.#stops ??= stopTable(delimiter);
    while (i < length) {
      const recordStart = i;
      const recordLine = this.#line;
      let newlines = 0;
      let fields = 0;
      // Blank line: a record with no bytes at all.
      const first = bytes[i] as number;
      if (first === LF || first === CR) {
        if (first === CR && i + 1 >= length && !final) return recordStart;
        i += first === CR && bytes[i + 1] === LF ? 2 : 1;
        if (this.#blankLines === 0) this.#firstBlankLine = recordLine;
        this.#blankLines++;
        this.#line++;
        continue;
      }
      let complete = false;
      for (;;) {
        if (fields === this.#starts.length) this.#growFields();
        let start: number;
        let end: number;
        let escaped = 0; // bit 0: doubled quotes inside, bit 1: quoted
        if (bytes[i] === QUOTE) {
          escaped = 2;
          start = i + 1;
          let j = start;
          for (;;) {
            while (j < length && bytes[j] !== QUOTE) {
              if (bytes[j] === LF) newlines++;
              j++;
            }
            if (j >= length) {
              if (!final) return recordStart;
              throw new InputError(
                'parse_error',
                this.#fieldName(fields),
                `unbalanced quote: the quoted field starting on line ${recordLine + newlinesBefore(bytes, recordStart, start)} is never closed`,
                this.#rows,
              );
            }
            if (j + 1 < length && bytes[j + 1] === QUOTE) {
              escaped = 3;
              j += 2;
              continue;
            }
            if (j + 1 >= length && !final) return recordStart;
            break;
          }
          end = j;
          i = j + 1;
          if (i < length) {
            const next = bytes[i] as number;
            if (next !== delimiter && next !== LF && next !== CR) {
              throw new InputError(
                'parse_error',
                this.#fieldName(fields),
                `line ${recordLine + newlines}: unexpected ${JSON.stringify(String.fromCharCode(next))} after the closing quote of field ${fields + 1}`,
                this.#rows,
              );
            }
          }
        } else {
          start = i;
          while (i < length && stops[bytes[i] as number] === 0) i++;
          end = i;
        }
        this.#starts[fields] = start;
        this.#ends[fields] = end;
        this.#escaped[fields] = escaped;
        fields++;
        if (i >= length) {
          if (!final) return recordStart;
          complete = true;
          break;
        }
        const c = bytes[i] as number;
        if (c === delimiter) {
          i++;
          if (i >= length) {
            if (!final) return recordStart;
            // A delimiter just before the end: one more, empty, field.
            if (fields === this.#starts.length) this.#growFields();
            this.#starts[fields] = i;
            this.#ends[fields] = i;
            this.#escaped[fields] = 0;
            fields++;
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          if (i + 1 >= length && !final) return recordStart;
          i += bytes[i + 1] === LF ? 2 : 1;
        } else {
          i++;
        }
        newlines++;
        complete = true;
        break;
      }
      if (complete) {
        this.#record(bytes, fields, recordLine);
        this.#line = recordLine + newlines;
        if (!final && !this.#reserved && this.#rows === 1000 && this.#totalBytes !== undefined) this.#reserve(i);
      }
    }
    return i;
  }

  /** Sizes the column buffers once from the bytes per record seen so far. */
  #reserve(consumed: number): void {
    this.#reserved = true;
    const perRow = (this.#bufferOffset + consumed) / this.#rows;
    const estimate = Math.ceil(((this.#totalBytes as number) / perRow) * 1.02) + 16;
    for (const column of this.#columns ?? []) column.reserve(estimate);
  }

  #record(bytes: Uint8Array, fields: number, line: number): void {
    if (this.#columns === undefined) {
      this.#startColumns(bytes, fields, line);
      if (this.#options.header !== false) return;
    }
    const columns = this.#columns as CsvColumn[];
    if (this.#blankLines > 0) {
      throw new InputError(
        'parse_error',
        '(file)',
        `line ${this.#firstBlankLine} is blank; a record needs ${columns.length} fields`,
        this.#rows,
      );
    }
    if (fields !== columns.length) {
      throw new InputError(
        'parse_error',
        '(file)',
        `line ${line} has ${fields} field${fields === 1 ? '' : 's'}, the header has ${columns.length}`,
        this.#rows,
      );
    }
    const row = this.#rows;
    for (let f = 0; f < fields; f++) {
      const start = this.#starts[f] as number;
      const end = this.#ends[f] as number;
      const column = columns[f] as CsvColumn;
      const flags = this.#escaped[f] as number;
      if (flags === 0 && this.#isMissing(bytes, start, end)) column.missing();
      else column.add(bytes, start, end, (flags & 1) === 1, row, line);
    }
    this.#rows++;
  }

  /** Unquoted cells only: a quoted `""` is an empty string, not a missing value. */
  #isMissing(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#onlyEmptyIsMissing) return start === end;
    const length = end - start;
    for (const token of this.#missingTokens) {
      if (token.length !== length) continue;
      let same = true;
      for (let k = 0; k < length; k++) {
        if (token[k] !== bytes[start + k]) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    return false;
  }

  #startColumns(bytes: Uint8Array, fields: number, line: number): void {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let f = 0; f < fields; f++) {
      let name =
        this.#options.header === false
          ? `column_${f + 1}`
          : decodeField(bytes, this.#starts[f] as number, this.#ends[f] as number, ((this.#escaped[f] as number) & 1) === 1);
      if (name === '') name = `column_${f + 1}`;
      if (seen.has(name)) {
        throw new InputError('duplicate_column', name, `header line ${line}: column '${name}' appears twice`);
      }
      seen.add(name);
      names.push(name);
    }
    for (const name of this.#forced.keys()) {
      if (!seen.has(name)) {
        throw new InputError(
          'missing_column',
          name,
          `schema column '${name}' is not in the header; columns are ${names.map((c) => `'${c}'`).join(', ')}`,
        );
      }
    }
    this.#names = names;
    this.#columns = names.map((name) => new CsvColumn(name, this.#forced.get(name), 1024));
  }

  #fieldName(index: number): string {
    return this.#names?.[index] ?? '(file)';
  }

  #growFields(): void {
    const size = this.#starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.#starts);
    const ends = new Int32Array(size);
    ends.set(this.#ends);
    const escaped = new Uint8Array(size);
    escaped.set(this.#escaped);
    this.#starts = starts;
    this.#ends = ends;
    this.#escaped = escaped;
  }
}

/** 1 for the bytes that end an unquoted field: the delimiter, LF and CR. */
function stopTable(delimiter: number): Uint8Array {
  const stops = new Uint8Array(256);
  stops[delimiter] = 1;
  stops[LF] = 1;
  stops[CR] = 1;
  return stops;
}

function sameBytes(level: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (level.length !== end - start) return false;
  for (let i = 0; i < level.length; i++) if (level[i] !== bytes[start + i]) return false;
  return true;
}

function newlinesBefore(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === LF) count++;
  return count;
}

/**
 * The most frequent of `,` `;` tab outside quotes on the first line; `,` when
 * none occurs. `undefined` when the first line is not complete yet.
 */
function detectDelimiter(bytes: Uint8Array, from: number, final: boolean): number | undefined {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  let i = from;
  for (; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      if (c === LF || c === CR) break;
      if (c === 44) comma++;
      else if (c === 59) semicolon++;
      else if (c === 9) tab++;
    }
  }
  if (i >= bytes.length && !final) return undefined;
  if (semicolon > comma && semicolon >= tab) return 59;
  if (tab > comma && tab > semicolon) return 9;
  return 44;
}
