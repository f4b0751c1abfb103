import { InputError } from '../errors.js';
import { needsQuotes, quoted } from './csvQuoting.js';
import { type Column, Dataset } from './dataset.js';
import { checkOptions, describe, rules } from '../internal/validate.js';

export interface FormatCsvOptions {
  /** Field separator. Default `,`. */
  readonly delimiter?: string;
  /** Line end. Default `'\n'`. */
  readonly lineEnd?: '\n' | '\r\n';
}

/**
 * CSV text of a dataset, which `parseCsv` reads back to the same dataset.
 *
 * Numbers are written in the shortest form that round-trips (`String(x)`,
 * `-0` kept), missing values as empty cells, boolean columns as their
 * spellings (`true`/`false` unless read as, say, `No`/`Yes`), and texts —
 * levels and column names — quoted when they would not read back as
 * themselves: when they are empty (`""` is the empty string, not missing),
 * hold a separator (`,` `;` tab), a quote or a line break, start with U+FEFF,
 * or read as a number or a boolean (`"007"`, `"true"`, `"1e400"`). What
 * cannot be written is an error, not a silent change: an infinite number, a
 * dataset with no columns. A column with no values at all reads back as a
 * numeric column of missing values, and levels no row uses are not written.
 * O(n · columns).
 *
 * @throws InputError `wrong_type` (not a dataset), `not_finite` (±Infinity,
 *   naming the column and row), `not_binary` (a boolean column holding another number), `empty` (no columns), `invalid_option`
 * @example
 * formatCsv(fromColumns({ arm: ['A', 'B,C', '007'], spend: [1.5, NaN, 2] })); // => 'arm,spend\nA,1.5\n"B,C",\n"007",2\n'
 */
export function formatCsv(dataset: Dataset, options: FormatCsvOptions = {}): string {
  if (!(dataset instanceof Dataset)) {
    throw new InputError('wrong_type', 'dataset', `formatCsv expects a Dataset (from fromRows, fromColumns or parseCsv), got ${describe(dataset)}`);
  }
  const checked = checkOptions<FormatCsvOptions>(options, { delimiter: rules.string(), lineEnd: rules.oneOf(['\n', '\r\n']) });
  const delimiter = checked.delimiter ?? ',';
  const lineEnd = checked.lineEnd ?? '\n';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InputError('invalid_option', 'delimiter', `delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  if (dataset.names.length === 0) {
    throw new InputError('empty', 'dataset', 'a dataset with no columns has no CSV form');
  }
  const text = (value: string): string => (needsQuotes(value, delimiter) ? quoted(value) : value);
  const columns: Column[] = dataset.names.map((name) => dataset.column(name));
  // Each level's cell text, worked out once per level.
  const cellsOf = columns.map((column) => (column.kind === 'categorical' ? column.levels.map(text) : undefined));
  const lines: string[] = [dataset.names.map(text).join(delimiter)];
  const cells: string[] = new Array(columns.length);
  for (let i = 0; i < dataset.n; i++) {
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as Column;
      if (column.kind === 'numeric') {
        const value = column.values[i] as number;
        if (Number.isNaN(value)) cells[c] = '';
        else if (column.boolean) {
          if (value !== 0 && value !== 1) {
            throw new InputError('not_binary', column.name, `${column.name} is a boolean column holding ${value} at row ${i}`, i);
          }
          cells[c] = (column.spellings ?? ['false', 'true'])[value] as string;
        }
        else if (value === Infinity || value === -Infinity) {
          throw new InputError('not_finite', column.name, `${column.name} is ${value} at row ${i}, which has no CSV form that reads back as a number`, i);
        } else cells[c] = Object.is(value, -0) ? '-0' : String(value);
      } else {
        const code = column.codes[i] as number;
        cells[c] = code < 0 ? '' : ((cellsOf[c] as string[])[code] as string);
      }
    }
    lines.push(cells.join(delimiter));
  }
  return lines.join(lineEnd) + lineEnd;
}
