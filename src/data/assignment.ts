import { InputError } from '../errors.js';
import { checkOptions, checkScalar, requireDataset, rules } from '../internal/validate.js';
import { type Dataset, columnLabels } from './dataset.js';
import { BOOLEAN_SPELLINGS } from './parseNumber.js';

/**
 * Who got what: the arms of a campaign coded once per row.
 *
 * `codes[i]` is `−1` for a control row, `0 … arms.length − 1` for a row of a
 * treated arm (in the order of `arms`), and `−2` for a row left out because
 * its arm is missing (only with `missing: 'exclude'`).
 */
export interface Assignment {
  /** The treatment column. */
  readonly column: string;
  /** The control arm's label, as spelled in the data. */
  readonly control: string;
  /** The treated arms' labels, as spelled in the data, sorted by UTF-16 code unit. */
  readonly arms: readonly string[];
  /** Per row: −1 control, 0… treated arm, −2 missing (excluded). */
  readonly codes: Int32Array;
  /** Rows in the control arm. */
  readonly controlCount: number;
  /** Rows per treated arm, in the order of `arms`. */
  readonly armCounts: readonly number[];
  /** Rows whose arm is missing (0 unless `missing: 'exclude'`). */
  readonly missingCount: number;
}

export interface AssignmentOptions {
  /**
   * The treated arms expected, as spelled. When given, a row of any other
   * level is an error, and the arms keep this order. Default: every level
   * other than the control, sorted.
   */
  readonly arms?: readonly string[];
  /** A row with no arm: `'error'` (default) or `'exclude'` (coded −2 and counted). */
  readonly missing?: 'error' | 'exclude';
}

/**
 * The label of each row's arm (null where missing), as written: categorical
 * levels as spelled, boolean columns by their spellings (`No`/`Yes`, else
 * `false`/`true`), other numbers as `String(value)` (see `columnLabels`).
 */
function rowLabels(dataset: Dataset, column: string): { labels: readonly (string | null)[]; levels: readonly string[] } {
  const col = columnLabels(dataset.column(column));
  const labels = Array.from(col.codes, (code) => (code < 0 ? null : (col.levels[code] as string)));
  const seen = new Uint8Array(col.levels.length);
  for (const code of col.codes) if (code >= 0) seen[code] = 1;
  return { labels, levels: col.levels.filter((_, code) => seen[code] === 1) };
}

/**
 * The control's label as the column spells it: itself, or for a boolean
 * column given as 0/1 or any true/false spelling, that value's spelling.
 */
function controlLabelOf(dataset: Dataset, column: string, control: string | number): string {
  const label = String(control);
  const col = dataset.column(column);
  if (col.kind !== 'numeric' || !col.boolean) return label;
  const spellings = col.spellings ?? ['false', 'true'];
  if (spellings.includes(label)) return label;
  const value = label === '0' ? 0 : label === '1' ? 1 : (BOOLEAN_SPELLINGS as readonly string[]).indexOf(label);
  return value < 0 ? label : (spellings[value & 1] as string);
}

/**
 * Codes the arms of a campaign once: the treated arms' labels, the control,
 * one Int32 code per row and the counts per arm, with the checks every
 * consumer needs (the control present, at least one treated arm, no missing
 * or unexpected level). O(n).
 *
 * @param dataset - the campaign table
 * @param column - the treatment column (categorical, or numeric codes such as 0/1)
 * @param control - the control arm's label as spelled (a number matches its
 *   `String` form; for a boolean column 0/1 or any true/false spelling matches
 *   the column's own spelling, so `'No'`, `0` and `false` all name a No/Yes column's No)
 * @throws InputError `missing_column` (no such column), `invalid_option`
 *   (field `treatment.control`: the control is not a level; field `column`:
 *   a level outside `options.arms`, naming the row), `single_class` (only the
 *   control level), `not_finite` (a missing arm, naming the row)
 * @example
 * const data = fromColumns({ arm: ['c', 't', 'c', 'u'] });
 * const assignment = codeAssignment(data, 'arm', 'c');
 * [assignment.arms, Array.from(assignment.codes), assignment.armCounts]; // => [['t', 'u'], [-1, 0, -1, 1], [1, 1]]
 */
export function codeAssignment(dataset: Dataset, column: string, control: string | number, options: AssignmentOptions = {}): Assignment {
  requireDataset('dataset', dataset);
  checkScalar('column', column, rules.string(), 'wrong_type');
  checkScalar('control', control, rules.either(rules.string(true), rules.number({ infinite: true })), 'wrong_type');
  checkOptions(options, { arms: rules.strings(), missing: rules.oneOf(['error', 'exclude']) });
  const { labels, levels } = rowLabels(dataset, column);
  const controlLabel = controlLabelOf(dataset, column, control);
  const distinct = [...levels].sort();
  if (!distinct.includes(controlLabel)) {
    throw new InputError('invalid_option', 'treatment.control', `control level ${JSON.stringify(controlLabel)} is not in '${column}' (levels: ${distinct.join(', ')})`);
  }
  const arms = options.arms !== undefined ? options.arms.filter((arm) => arm !== controlLabel) : distinct.filter((l) => l !== controlLabel);
  if (arms.length === 0) throw new InputError('single_class', column, `'${column}' holds only the control level: there is no treated arm to evaluate`);
  const index = new Map(arms.map((arm, k) => [arm, k]));
  const codes = new Int32Array(labels.length);
  const armCounts = new Array<number>(arms.length).fill(0);
  let controlCount = 0;
  let missingCount = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || label === undefined) {
      if (options.missing !== 'exclude') throw new InputError('not_finite', column, `'${column}' is missing at row ${i}`, i);
      codes[i] = -2;
      missingCount++;
    } else if (label === controlLabel) {
      codes[i] = -1;
      controlCount++;
    } else {
      const code = index.get(label);
      if (code === undefined) {
        throw new InputError('invalid_option', column, `'${column}' has the level ${JSON.stringify(label)} at row ${i}, which is neither the control nor one of the arms (${arms.join(', ')})`, i);
      }
      codes[i] = code;
      armCounts[code]!++;
    }
  }
  return { column, control: controlLabel, arms, codes, controlCount, armCounts, missingCount };
}
