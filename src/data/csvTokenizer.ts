import { InputError } from '../errors.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Field flag: the field was quoted. */
export const QUOTED = 2;
/** Field flag: the quoted field holds doubled quotes, to be undone when decoded. */
export const DOUBLED_QUOTES = 1;

/**
 * Where the tokenizer puts each complete record: the field offsets into
 * `bytes` and the line (1-based) where the record starts.
 * @internal
 */
export interface RecordSink {
  /** One record of `count` fields; field `f` is `bytes[starts[f], ends[f])` with flags `flags[f]`. */
  record(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, count: number, line: number): void;
  /** A line with no bytes at all. */
  blank(line: number): void;
  /** The name of field `index` for error messages (the header's, once known). */
  fieldName(index: number): string;
  /** The 0-based data row the next record will be, for error messages. */
  readonly rows: number;
}

/**
 * Incremental RFC 4180 tokenizer over bytes in an ASCII-compatible encoding:
 * feed it chunks of any size; each complete record is handed to the sink as
 * field offsets, so no string is built for a field the column builders can
 * read from its bytes. Removes a UTF-8 byte-order mark at the very start of
 * the input only, and detects the separator from the header line unless one
 * is given.
 * @internal
 */
export class CsvTokenizer {
  readonly #sink: RecordSink;
  readonly #stripBom: boolean;
  #delimiter: number;
  #stops: Uint8Array | undefined;
  #leftover: Uint8Array | undefined;
  #started = false;
  #line = 1; // line number (1-based) where the next record starts
  #starts = new Int32Array(64);
  #ends = new Int32Array(64);
  #flags = new Uint8Array(64);
  #bytesSeen = 0;
  /** Absolute offset of the start of the buffer being read. */
  bufferOffset = 0;
  /** Offset in that buffer just past the record being handed to the sink. */
  recordEnd = 0;

  constructor(sink: RecordSink, delimiter: number | undefined, stripBom: boolean) {
    this.#sink = sink;
    this.#delimiter = delimiter ?? -1;
    this.#stripBom = stripBom;
  }

  /** The separator's byte: the one given, or the one detected from the header line (−1 before it is read). */
  get delimiter(): number {
    return this.#delimiter;
  }

  /** Reads every complete record in `chunk` (plus any carried-over bytes); returns the bytes consumed of the joined buffer. */
  push(chunk: Uint8Array): number {
    let bytes = chunk;
    if (this.#leftover !== undefined && this.#leftover.length > 0) {
      bytes = new Uint8Array(this.#leftover.length + chunk.length);
      bytes.set(this.#leftover, 0);
      bytes.set(chunk, this.#leftover.length);
    }
    this.bufferOffset = this.#bytesSeen - (bytes.length - chunk.length);
    this.#bytesSeen += chunk.length;
    const consumed = this.#read(bytes, false);
    this.#leftover = consumed < bytes.length ? bytes.slice(consumed) : undefined;
    return consumed;
  }

  /** Reads what is left as the end of the input. */
  finish(): void {
    if (this.#leftover !== undefined && this.#leftover.length > 0) {
      this.bufferOffset = this.#bytesSeen - this.#leftover.length;
      this.#read(this.#leftover, true);
    }
    this.#leftover = undefined;
  }

  /** Parses records from `bytes`; returns how many bytes were consumed (whole records only unless `final`). */
  #read(bytes: Uint8Array, final: boolean): number {
    const length = bytes.length;
    const sink = this.#sink;
    let i = 0;
    if (!this.#started) {
      if (length < 3 && !final) return 0;
      if (this.#stripBom && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
      if (this.#delimiter < 0) {
        const detected = detectDelimiter(bytes, i, final);
        if (detected === undefined) return 0;
        this.#delimiter = detected;
      }
      this.#started = true;
    }
    const delimiter = this.#delimiter;
    const stops = (this.#stops ??= stopTable(delimiter));
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
        this.#line++;
        sink.blank(recordLine);
        continue;
      }
      for (;;) {
        if (fields === this.#starts.length) this.#growFields();
        let start: number;
        let end: number;
        let flags = 0;
        if (bytes[i] === QUOTE) {
          flags = QUOTED;
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
                sink.fieldName(fields),
                `unbalanced quote: the quoted field starting on line ${recordLine + newlinesBefore(bytes, recordStart, start)} is never closed`,
                sink.rows,
              );
            }
            if (j + 1 < length && bytes[j + 1] === QUOTE) {
              flags = QUOTED | DOUBLED_QUOTES;
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
                sink.fieldName(fields),
                `line ${recordLine + newlines}: unexpected ${JSON.stringify(String.fromCharCode(next))} after the closing quote of field ${fields + 1}`,
                sink.rows,
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
        this.#flags[fields] = flags;
        fields++;
        if (i >= length) {
          if (!final) return recordStart;
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
            this.#flags[fields] = 0;
            fields++;
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
        break;
      }
      this.recordEnd = i;
      sink.record(bytes, this.#starts, this.#ends, this.#flags, fields, recordLine);
      this.#line = recordLine + newlines;
    }
    return i;
  }

  #growFields(): void {
    const size = this.#starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.#starts);
    const ends = new Int32Array(size);
    ends.set(this.#ends);
    const flags = new Uint8Array(size);
    flags.set(this.#flags);
    this.#starts = starts;
    this.#ends = ends;
    this.#flags = flags;
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

/** The separators `parseCsv` detects; `formatCsv` quotes any text holding one. @internal */
export const DETECTED_DELIMITERS = [',', ';', '\t'] as const;
