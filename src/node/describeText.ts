import type { ColumnDescription, DatasetDescription } from '../data/describe.js';

/** Column names that usually hold the arm of an experiment. */
const ARM_NAME = /treat|arm|group|variant|version|segment|promo|campaign|offer|test|exposure/i;
/** Levels that usually name the control arm. */
const CONTROL_LEVEL = /control|^no\b|^none$|no[ _-]?e-?mail|holdout|placebo|baseline|^psa$|^old|^false$|^0$|^a$/i;
/** Column names that usually hold an outcome. */
const OUTCOME_NAME = /conver|visit|retention|click|purchase|buy|churn|respon|revenue|spend|sales|order|signup|^y$|^target$/i;

/** Numbers printed to 4 significant digits, integers whole. */
function shown(value: number | null): string {
  if (value === null) return '–';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return Number(value.toPrecision(4)).toString();
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

function columnLine(column: ColumnDescription): string {
  const head = `${column.name}: ${column.kind === 'binary' ? '0/1' : column.kind}, ${column.missing} missing`;
  if (column.kind === 'number') {
    if (column.count === 0) return `${head}, no values`;
    const flags = column.idLike ? ' [id-like: every value distinct]' : '';
    return `${head}, mean ${shown(column.mean)}, sd ${shown(column.std)}, min ${shown(column.min)}, q25 ${shown(column.q25)}, median ${shown(column.median)}, q75 ${shown(column.q75)}, max ${shown(column.max)}, skew ${shown(column.skewness)}, ${column.distinct} distinct${flags}`;
  }
  if (column.kind === 'binary') {
    const spelled = column.labels[0] === '0' && column.labels[1] === '1' ? '' : ` (${column.labels[1]} = 1)`;
    return `${head}, rate ${column.rate === null ? '–' : percent(column.rate)} (${column.ones} of ${column.count})${spelled}`;
  }
  const levels = column.top.map((level) => `${level.level} ${percent(level.share)} (${level.count})`).join(', ');
  const more = column.distinct > column.top.length ? `, … ${column.distinct - column.top.length} more` : '';
  const flags = [column.idLike ? 'id-like: nearly every value distinct' : '', column.dateLike ? 'date-like' : ''].filter((f) => f !== '');
  return `${head}, ${column.distinct} levels: ${levels}${more}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`;
}

/**
 * A first spec for `promolens evaluate` guessed from the columns' names and
 * kinds: the treatment (a text or 0/1 column of 2–10 arms; one with a level
 * named like a control first, then one named like an arm, then fewer levels), its control (a level named like a control, else the first),
 * outcomes (0/1 and numeric columns named like outcomes), and the other
 * columns as features, leaving out id-like and date-like ones.
 */
export function startingSpec(description: DatasetDescription): Record<string, unknown> {
  const columns = description.columns;
  const armCandidates = columns.filter(
    (column) =>
      (column.kind === 'category' && column.distinct >= 2 && column.distinct <= 10 && !column.idLike) ||
      (column.kind === 'binary' && column.labels[0] !== '0') ||
      // Arms coded 1/2/3 (read them as text with --type column:category).
      (column.kind === 'number' && column.integer && column.distinct >= 2 && column.distinct <= 10 && ARM_NAME.test(column.name)),
  );
  const levelsOf = (column: ColumnDescription | undefined): string[] =>
    column === undefined
      ? []
      : column.kind === 'category'
        ? column.top.map((level) => level.level)
        : column.kind === 'binary'
          ? [...column.labels]
          : [String(column.min)];
  // A level named like a control counts most, then a name like an arm's, then fewer levels.
  const score = (column: ColumnDescription) => 2 * Number(levelsOf(column).some((level) => CONTROL_LEVEL.test(level))) + Number(ARM_NAME.test(column.name));
  const distinctOf = (column: ColumnDescription) => (column.kind === 'binary' ? 2 : column.distinct);
  const treatment = [...armCandidates].sort((a, b) => score(b) - score(a) || distinctOf(a) - distinctOf(b))[0];
  const levels = levelsOf(treatment);
  const control = levels.find((level) => CONTROL_LEVEL.test(level)) ?? [...levels].sort()[0];
  const outcomes = columns
    .filter((column) => column !== treatment && (column.kind === 'binary' || column.kind === 'number') && OUTCOME_NAME.test(column.name))
    .map((column) => ({ column: column.name, kind: column.kind === 'binary' ? 'binary' : 'continuous' }));
  const taken = new Set([treatment?.name, ...outcomes.map((outcome) => outcome.column)]);
  const features = columns
    .filter((column) => !taken.has(column.name) && column.count > 0)
    .filter((column) => (column.kind === 'number' ? !column.idLike : column.kind === 'category' ? !column.idLike && !column.dateLike && column.distinct <= 50 : true))
    .map((column) => column.name);
  return {
    ...(treatment === undefined ? {} : { treatment: { column: treatment.name, control: control ?? '' } }),
    outcomes,
    features,
  };
}

/** The text `promolens describe` prints: one line per column, then a starting spec. */
export function describeText(description: DatasetDescription): string {
  const lines = [`${description.rows} rows, ${description.columns.length} columns`, ''];
  for (const column of description.columns) lines.push(columnLine(column));
  lines.push('', 'A starting spec for promolens evaluate --spec (check the treatment, control and outcomes):', JSON.stringify(startingSpec(description), null, 2));
  return `${lines.join('\n')}\n`;
}
