import { InputError } from '../errors.js';
import { describe } from '../internal/validate.js';
import { type Column, type ColumnValues, Dataset, toColumn } from './dataset.js';

/**
 * Dataset from columns: a record from name to values. Numbers (any
 * `ArrayLike<number>`, copied) make numeric columns with `NaN` as missing,
 * strings categorical ones (`null` missing), booleans 0/1 numeric ones, and
 * `{ codes, levels }` a categorical column as given. All columns must have
 * one length. O(n · columns).
 *
 * @throws InputError `wrong_type` (not an object, or a column that is not an
 *   array), `length_mismatch`, `mixed_types`, `not_finite`, `out_of_range`
 * @example
 * const data = fromColumns({ arm: ['A', 'B', 'A'], spend: [1, 0, 2.5] });
 * data.categorical('arm').levels; // => ['A', 'B']
 */
export function fromColumns(columns: Readonly<Record<string, ColumnValues>>): Dataset {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns) || ArrayBuffer.isView(columns)) {
    throw new InputError('wrong_type', 'columns', `fromColumns expects an object from column name to values, got ${describe(columns)}`);
  }
  const built: Column[] = [];
  let n: number | undefined;
  let first = '';
  for (const [name, values] of Object.entries(columns)) {
    const column = toColumn(name, values);
    const length = column.kind === 'numeric' ? column.values.length : column.codes.length;
    if (n === undefined) {
      n = length;
      first = name;
    } else if (length !== n) {
      throw new InputError(
        'length_mismatch',
        name,
        `column '${name}' has ${length} values but '${first}' has ${n}`,
      );
    }
    built.push(column);
  }
  return new Dataset(built, n ?? 0);
}
