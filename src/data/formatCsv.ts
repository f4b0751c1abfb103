import { InputError } from '../errors.js';
import type { Column, Dataset } from './dataset.js';

export interface FormatCsvOptions {
  /** Field separator. Default `,`. */
  readonly delimiter?: string;
  /** Line end. Default `'\n'`. */
  readonly lineEnd?: '\n' | '\r\n';
}

/**
 * CSV text of a dataset, which `parseCsv` reads back to the same values.
 *
 * Numbers are written in the shortest form that round-trips (`String(x)`,
 * `-0` kept), missing values as empty cells, boolean columns as
 * `true`/`false`, and levels quoted when they hold the separator, a quote,
 * a line break, or are empty (`""` is the empty string, not missing).
 * O(n · columns).
 *
 * @example
 * formatCsv(fromColumns({ arm: ['A', 'B,C'], spend: [1.5, NaN] })); // => 'arm,spend\nA,1.5\n"B,C",\n'
 */
export function formatCsv(dataset: Dataset, options: FormatCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const lineEnd = options.lineEnd ?? '\n';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InputError('invalid_option', 'delimiter', `delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const quote = (text: string): string =>
    text === '' || text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')
      ? `"${text.replaceAll('"', '""')}"`
      : text;
  const columns: Column[] = dataset.names.map((name) => dataset.column(name));
  const lines: string[] = [dataset.names.map(quote).join(delimiter)];
  const cells: string[] = new Array(columns.length);
  for (let i = 0; i < dataset.n; i++) {
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c] as Column;
      if (column.kind === 'numeric') {
        const value = column.values[i] as number;
        cells[c] = Number.isNaN(value)
          ? ''
          : column.boolean
            ? value === 1
              ? 'true'
              : 'false'
            : Object.is(value, -0)
              ? '-0'
              : String(value);
      } else {
        const code = column.codes[i] as number;
        cells[c] = code < 0 ? '' : quote(column.levels[code] as string);
      }
    }
    lines.push(cells.join(delimiter));
  }
  return lines.join(lineEnd) + lineEnd;
}
