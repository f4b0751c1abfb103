import { InputError } from '../errors.js';
import { type OptionRules, type Rule, checkOptions, rules } from '../internal/validate.js';
import { CsvColumn } from './csvColumn.js';
import { needsQuotes } from './csvQuoting.js';
import { CsvTokenizer, DOUBLED_QUOTES, QUOTED, type RecordSink } from './csvTokenizer.js';
import { Dataset } from './dataset.js';
import { type CsvEncoding, FieldDecoder } from './fieldText.js';
import { type ColumnType, type DatasetSchema, columnRules, isZodObject, validateDataset } from './schema.js';

/** Options shared by `parseCsv` and `readCsv`. */
export interface CsvOptions {
  /** Field separator, one character. Default: detected from the header line among `,`, `;` and tab. */
  readonly delimiter?: string;
  /** The first line names the columns. Default `true`; with `false` columns are `column_1`, `column_2`, … */
  readonly header?: boolean;
  /**
   * Column types that override inference (see `DatasetSchema`). Every column
   * it names must be present. A zod object schema is honoured wholly: its
   * types fix the columns' types, then every row is validated by it.
   */
  readonly schema?: DatasetSchema;
  /**
   * Unquoted cell texts read as missing. Default `['']`: empty cells only. A
   * quoted cell is never missing (`""` is the empty string).
   */
  readonly missing?: readonly string[];
  /** How bytes are read as text. Default `'utf-8'`, where bytes that are not UTF-8 are an error. */
  readonly encoding?: CsvEncoding;
}

/** The rule of each {@link CsvOptions} key. @internal */
export const CSV_OPTION_RULES: OptionRules<CsvOptions> = {
  delimiter: rules.string(),
  header: rules.boolean(),
  schema: rules.object(),
  missing: rules.strings(),
  encoding: rules.oneOf(['utf-8', 'latin1']),
};

/** The result of one pass: a dataset, or the columns that must be read again as categories. @internal */
export type CsvPassResult =
  | { readonly kind: 'done'; readonly dataset: Dataset }
  | { readonly kind: 'retry'; readonly categories: ReadonlyMap<string, string> };

/**
 * Checks CSV options once, before any byte is read.
 * @throws InputError `invalid_option`
 * @internal
 */
export function checkCsvOptions<T extends CsvOptions>(options: T | undefined, extraRules: Readonly<Record<string, Rule>> = {}): T {
  const checked = checkOptions<T>(options, { ...CSV_OPTION_RULES, ...extraRules } as OptionRules<T>);
  const { delimiter } = checked;
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    throw new InputError('invalid_option', 'delimiter', `delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  columnRules(checked.schema);
  return checked;
}

/**
 * The two passes of reading CSV, written once for every source: yields a
 * parser for the caller to feed every byte of the input to, then either
 * returns the dataset or, when a column turned out to be text after some
 * numbers (their texts are gone), yields a second parser that reads those
 * columns as text from the start. A caller loops `step = passes.next()`
 * until `step.done`, pushing its bytes to each `step.value`.
 * @internal
 */
export function* csvPasses(options: CsvOptions, totalBytes: number | undefined): Generator<CsvParser, Dataset, void> {
  let categories: ReadonlyMap<string, string> = new Map();
  for (let pass = 0; pass < 2; pass++) {
    const parser = new CsvParser(options, categories, totalBytes);
    yield parser;
    const result = parser.finish();
    if (result.kind === 'done') return result.dataset;
    categories = result.categories;
  }
  // The second pass reads every column that changed its mind as text from the start, so it cannot change again.
  throw new Error('CSV type inference did not settle in two passes');
}

/** True when the bytes start as a gzip stream does (magic bytes 1f 8b). @internal */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * One pass over CSV bytes: the tokenizer hands it records, and it fills one
 * column builder per header field. Records are dispatched as soon as they are
 * complete, so memory stays close to the size of the columns.
 * @internal
 */
export class CsvParser implements RecordSink {
  readonly #options: CsvOptions;
  readonly #forced: ReadonlyMap<string, ColumnType>;
  readonly #notes: ReadonlyMap<string, string>;
  readonly #missingTokens: readonly Uint8Array[];
  readonly #onlyEmptyIsMissing: boolean;
  readonly #decoder: FieldDecoder;
  readonly #tokenizer: CsvTokenizer;
  #columns: CsvColumn[] | undefined;
  #names: string[] | undefined;
  rows = 0;
  #blankLines = 0;
  #firstBlankLine = 0;
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
    const encoding = options.encoding ?? 'utf-8';
    this.#decoder = new FieldDecoder(encoding);
    this.#tokenizer = new CsvTokenizer(this, options.delimiter?.charCodeAt(0), encoding === 'utf-8');
    const missing = options.missing ?? [''];
    this.#onlyEmptyIsMissing = missing.length === 1 && missing[0] === '';
    const encoder = new TextEncoder();
    this.#missingTokens = missing.map((token) => encoder.encode(token));
  }

  /** Reads every complete record in `chunk` (plus any carried-over bytes). */
  push(chunk: Uint8Array): void {
    this.#tokenizer.push(chunk);
  }

  /** Reads what is left and returns the dataset, or the columns to read again as categories. */
  finish(): CsvPassResult {
    this.#tokenizer.finish();
    if (this.#columns === undefined) {
      throw new InputError('empty', '(file)', 'the CSV text is empty: no header line');
    }
    if (this.#columns.length === 1) this.#flushBlankRecords();
    const retry = new Map<string, string>();
    for (const column of this.#columns) {
      const note = column.retryNote();
      if (note !== undefined) retry.set(column.name, note);
    }
    if (retry.size > 0) return { kind: 'retry', categories: retry };
    const dataset = new Dataset(
      this.#columns.map((column) => column.finish()),
      this.rows,
      this.#notes,
    );
    const schema = this.#options.schema;
    if (schema !== undefined && isZodObject(schema)) validateDataset(dataset, schema);
    return { kind: 'done', dataset };
  }

  fieldName(index: number): string {
    return this.#names?.[index] ?? '(file)';
  }

  blank(line: number): void {
    if (this.#columns === undefined) return; // blank lines before the header
    if (this.#blankLines === 0) this.#firstBlankLine = line;
    this.#blankLines++;
  }

  record(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number): void {
    if (this.#columns === undefined) {
      this.#startColumns(bytes, starts, ends, flags, fields, line);
      if (this.#options.header !== false) return;
    }
    const columns = this.#columns as CsvColumn[];
    if (this.#blankLines > 0) {
      // With one column a blank line is a record whose one cell is missing; otherwise it is malformed.
      if (columns.length !== 1) {
        throw new InputError('parse_error', '(file)', `line ${this.#firstBlankLine} is blank; a record needs ${columns.length} fields`, this.rows);
      }
      this.#flushBlankRecords();
    }
    if (fields !== columns.length) {
      throw new InputError('parse_error', '(file)', `line ${line} has ${fields} field${fields === 1 ? '' : 's'}, the header has ${columns.length}`, this.rows);
    }
    const row = this.rows;
    if (row === 1000 && !this.#reserved && this.#totalBytes !== undefined) this.#reserve();
    for (let f = 0; f < fields; f++) {
      const start = starts[f] as number;
      const end = ends[f] as number;
      const column = columns[f] as CsvColumn;
      const cellFlags = flags[f] as number;
      if (cellFlags === 0 && this.#isMissing(bytes, start, end)) column.missing();
      else column.add(bytes, start, end, cellFlags, row, line);
    }
    this.rows++;
  }

  /** Blank lines in a one-column file are rows with a missing value, trailing ones included. */
  #flushBlankRecords(): void {
    const column = (this.#columns as CsvColumn[])[0] as CsvColumn;
    const missingIsEmpty = this.#onlyEmptyIsMissing || this.#missingTokens.some((token) => token.length === 0);
    for (; this.#blankLines > 0; this.#blankLines--) {
      if (missingIsEmpty) column.missing();
      else column.add(new Uint8Array(0), 0, 0, 0, this.rows, this.#firstBlankLine);
      this.rows++;
    }
  }

  /** Sizes the column buffers once from the bytes per record seen so far. */
  #reserve(): void {
    this.#reserved = true;
    const perRow = (this.#tokenizer.bufferOffset + this.#tokenizer.recordEnd) / this.rows;
    const estimate = Math.ceil(((this.#totalBytes as number) / perRow) * 1.02) + 16;
    for (const column of this.#columns ?? []) column.reserve(estimate);
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

  #startColumns(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, flags: Uint8Array, fields: number, line: number): void {
    const names: string[] = [];
    const seen = new Set<string>();
    const delimiter = String.fromCharCode(this.#tokenizer.delimiter);
    // Quotes mark text unless the first line quotes every field, some needlessly: a quote-everything export.
    let allQuoted = fields > 0;
    let someNeedless = false;
    for (let f = 0; f < fields; f++) {
      const fieldFlags = flags[f] as number;
      const text = this.#decoder.decode(bytes, starts[f] as number, ends[f] as number, (fieldFlags & DOUBLED_QUOTES) !== 0, `column_${f + 1}`, undefined, line);
      if ((fieldFlags & QUOTED) === 0) allQuoted = false;
      else if (!needsQuotes(text, delimiter)) someNeedless = true;
      let name = this.#options.header === false ? `column_${f + 1}` : text;
      // An unquoted empty name is numbered; a quoted one ("") is the name ''.
      if (name === '' && (fieldFlags & QUOTED) === 0) name = `column_${f + 1}`;
      if (seen.has(name)) {
        throw new InputError('duplicate_column', name, `header line ${line}: column '${name}' appears twice`);
      }
      seen.add(name);
      names.push(name);
    }
    for (const name of this.#forced.keys()) {
      if (!seen.has(name)) {
        throw new InputError('missing_column', name, `schema column '${name}' is not in the header; columns are ${names.map((c) => `'${c}'`).join(', ')}`);
      }
    }
    const quotedIsText = !(allQuoted && someNeedless);
    this.#names = names;
    this.#columns = names.map((name) => new CsvColumn(name, this.#forced.get(name), this.#decoder, quotedIsText, 1024));
  }
}
