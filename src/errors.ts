/**
 * Why an input was rejected. Callers branch on this code, never on the message.
 *
 * - `empty`: no rows, or no values where at least one is needed
 * - `length_mismatch`: arrays or columns that must have one length do not
 * - `not_finite`: NaN or ±Infinity where a finite number is required
 * - `not_numeric`: a value that is not a number where a number is required
 * - `not_binary`: a label other than 0 or 1
 * - `single_class`: a metric the data leaves undefined (one class only)
 * - `out_of_range`: a number outside its documented range (a negative weight, a share above 1)
 * - `missing_column`: a column the input must have is absent
 * - `unknown_column`: a column that the input should not have, or that no schema names
 * - `duplicate_column`: two columns share one name
 * - `wrong_type`: a column of the wrong kind (categorical where numeric is needed, …)
 * - `mixed_types`: one column holding values of several JavaScript types
 * - `parse_error`: malformed text (an unbalanced quote, a row with the wrong number of fields)
 * - `invalid_option`: an option outside its documented values
 * - `singular`: a system with no unique solution
 * - `zero_variance`: a spread of zero where a comparison or a standardisation needs one
 * - `io_error`: a file or stream that cannot be read or written (missing, a directory, no permission, truncated)
 * - `leakage`: an input that would leak the outcome or the assignment into a model or a comparison
 * - `incompatible`: a stored artefact (model, policy, report) of another version or for other columns
 * - `missing_dependency`: an optional peer package (a SQL engine's client) that is not installed
 */
export type InputReason =
  | 'empty'
  | 'length_mismatch'
  | 'not_finite'
  | 'not_numeric'
  | 'not_binary'
  | 'single_class'
  | 'out_of_range'
  | 'missing_column'
  | 'unknown_column'
  | 'duplicate_column'
  | 'wrong_type'
  | 'mixed_types'
  | 'parse_error'
  | 'invalid_option'
  | 'singular'
  | 'zero_variance'
  | 'io_error'
  | 'leakage'
  | 'incompatible'
  | 'missing_dependency';

/**
 * The one error every public function throws for bad input.
 *
 * `reason` is machine-readable, `field` names the column, argument or option,
 * and `row` (0-based data row) is set when one row is at fault.
 *
 * @example
 * const error = new InputError('not_finite', 'spend', 'spend must be finite, got NaN at row 3', 3);
 * error.reason; // => 'not_finite'
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly reason: InputReason;
  readonly field: string;
  readonly row: number | undefined;

  constructor(reason: InputReason, field: string, message: string, row?: number) {
    super(message);
    this.reason = reason;
    this.field = field;
    this.row = row;
  }
}

/**
 * True for an {@link InputError}, also across bundle copies (ESM and CJS
 * builds of this package loaded side by side), where `instanceof` fails.
 */
export function isInputError(error: unknown): error is InputError {
  return (
    error instanceof InputError ||
    (error instanceof Error && error.name === 'InputError' && typeof (error as { reason?: unknown }).reason === 'string')
  );
}
