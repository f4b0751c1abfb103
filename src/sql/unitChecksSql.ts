import { InputError } from '../errors.js';
import { type SqlEngine, type SqlSource, engineDialect, fromClause, numberOf } from './engine.js';

export interface UnitChecksOptions {
  readonly treatment: string;
  /** The unit (customer) id column. */
  readonly unit: string;
  /** Whether the unit column is numeric: its ids are then written as JavaScript writes numbers. */
  readonly numeric: boolean;
  /** The spec's cluster column: the repeated-rows advice says whether effects already use the unit as clusters. */
  readonly cluster?: string;
}

/**
 * The campaign's unit checks in the engine, as `evaluateCampaign` makes them
 * with the spec's `unit`: a unit id in two arms is an assignment leak
 * (`InputError('leakage')`, naming the first such unit by id order, its two
 * arms and how many more there are; a table has no row numbers to name),
 * and units with repeated rows give the same warning as in memory, the
 * example being the smallest such id (the first in row order when the rows
 * are ordered by unit, as the engine's sample is). One GROUP BY unit inside
 * an aggregate; an example is fetched only when there is something to say.
 * Returns the warning, or null.
 *
 * @throws InputError `not_finite` (a NULL unit), `leakage`
 */
export async function unitChecksSql(engine: SqlEngine, source: SqlSource, options: UnitChecksOptions): Promise<string | null> {
  const d = engineDialect(engine);
  const unit = d.identifier(options.unit);
  const arm = d.text(d.identifier(options.treatment));
  const from = fromClause(d, source);
  const units = `SELECT ${unit} AS ${d.identifier('u')}, COUNT(*) AS ${d.identifier('c')}, COUNT(DISTINCT ${arm}) AS ${d.identifier('a')} FROM ${from} WHERE ${unit} IS NOT NULL GROUP BY ${unit}`;
  const [c, a] = [d.identifier('c'), d.identifier('a')];
  const summary = (
    await engine.query(
      [
        `SELECT ${d.double(`SUM(CASE WHEN ${a} > 1 THEN 1 ELSE 0 END)`)} AS ${d.identifier('leaked')},`,
        `  ${d.double(`SUM(CASE WHEN ${c} > 1 THEN 1 ELSE 0 END)`)} AS ${d.identifier('repeated')},`,
        `  ${d.double(`SUM(${c} - 1)`)} AS ${d.identifier('extra')}, ${d.double(`MAX(${c})`)} AS ${d.identifier('most')},`,
        `  ${d.double(`(SELECT COUNT(*) FROM ${from} WHERE ${unit} IS NULL)`)} AS ${d.identifier('missing')}`,
        `FROM (${units}) AS ${d.identifier('units')}`,
      ].join('\n'),
    )
  )[0] ?? {};
  const missing = numberOf(summary.missing, 'missing');
  if (missing > 0) throw new InputError('not_finite', options.unit, `unit '${options.unit}' is missing (NULL) in ${missing} row(s)`);
  const label = (value: unknown) => JSON.stringify(options.numeric ? String(numberOf(value, options.unit)) : String(value));
  const leaked = numberOf(summary.leaked, 'leaked');
  if (leaked > 0) {
    const [first] = await engine.query(`SELECT ${unit} AS ${d.identifier('u')}, MIN(${arm}) AS ${d.identifier('lo')}, MAX(${arm}) AS ${d.identifier('hi')} FROM ${from} WHERE ${unit} IS NOT NULL GROUP BY ${unit} HAVING COUNT(DISTINCT ${arm}) > 1 ORDER BY 1 ${d.limit(1)}`);
    const others = leaked - 1;
    throw new InputError(
      'leakage',
      options.unit,
      `unit ${label(first?.u)} of '${options.unit}' is in arms '${String(first?.lo)}' and '${String(first?.hi)}'${others > 0 ? `, and ${others} more unit(s) are in two arms` : ''}: the assignment leaked`,
    );
  }
  const repeated = numberOf(summary.repeated, 'repeated');
  if (repeated === 0) return null;
  const [example] = await engine.query(`SELECT ${unit} AS ${d.identifier('u')} FROM ${from} WHERE ${unit} IS NOT NULL GROUP BY ${unit} HAVING COUNT(*) > 1 ORDER BY 1 ${d.limit(1)}`);
  const advice = options.cluster === options.unit ? 'effects use them as clusters' : `name '${options.unit}' as the cluster for cluster-robust errors`;
  return `${repeated} unit(s) of '${options.unit}' have repeated rows (${numberOf(summary.extra, 'extra')} extra rows, up to ${numberOf(summary.most, 'most')} per unit; e.g. ${label(example?.u)}): the rows are not independent; ${advice}.`;
}
