#!/usr/bin/env node
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type CampaignSpec, evaluateCampaign } from '../campaign/evaluateCampaign.js';
import type { Dataset } from '../data/dataset.js';
import { formatCsv } from '../data/formatCsv.js';
import { describe as describeDataset } from '../data/describe.js';
import type { ColumnType } from '../data/schema.js';
import { InputError, isInputError } from '../errors.js';
import { applyPolicy } from '../policy/applyPolicy.js';
import { renderHtml } from '../report/renderHtml.js';
import { renderMarkdown } from '../report/renderMarkdown.js';
import { renderSummary } from '../report/renderSummary.js';
import { evaluateCampaignSql } from '../sql/evaluateCampaignSql.js';
import { ioError, parseCsvBytes, readCsv } from './readCsv.js';
import { describeText } from './describeText.js';
import { openSqlTarget } from './sqlSource.js';

const VERSION = '0.1.0';

const MAIN_HELP = `promolens ${VERSION}: what a promotion did, and to whom it should go next time

Usage:
  promolens evaluate <data.csv|data.csv.gz|-> [options]   evaluate a campaign, write a report
  promolens evaluate <data.parquet> [options]             the same through embedded DuckDB
  promolens evaluate --postgres <url> --table <name> ...  the same inside PostgreSQL
  promolens target <policy.json> <customers.csv> --out targets.csv   who gets which offer
  promolens describe <data.csv|data.csv.gz|->             columns, types, missing values, levels
  promolens --version | --help | <command> --help

Exit codes: 0 success, 1 bad data (the message names the column and row), 2 bad usage or spec,
3 a file that cannot be read or written (missing, a directory, no permission).`;

const EVALUATE_HELP = `Usage: promolens evaluate <data.csv|data.csv.gz|-|data.parquet> [options]
       promolens evaluate --postgres <connection string> --table <name> [options]

Options:
  --treatment <column>        arm column (required unless --spec)
  --control <level>           its control level (required unless --spec)
  --outcome <column:kind>     an outcome, kind binary or continuous; repeat for several
  --ratio <name=num/den>      a ratio outcome Σnum/Σden by the delta method (effects only); repeat for several
  --preperiod <o=column>      CUPED: the pre-period column of outcome o (o=num/den for a ratio's numerator
                              and denominator: the regression-adjusted ratio); repeat
  --features <a,b,c>          feature columns (without them: effects only, no models or targeting)
  --segments <a,b>            columns to break effects down by
  --uplift-outcome <column>   outcome for uplift models and targeting (default: the first)
  --learners <t,s,x,dr,class_transformation,t_gbm,s_gbm,x_gbm,dr_gbm,class_transformation_gbm,forest>
  --value <number>            value of one incremental unit of the uplift outcome (default 1)
  --cost <number>             cost per treated customer (default 0)
  --cost-per-conversion <n>   cost per treated conversion, e.g. a coupon (default 0)
  --budget <number>           spending limit for the targeting recommendation
  --holdout <share>           holdout share (default 0.3)
  --seed <integer>            seed of the split and resampling, a decimal integer (default 0)
  --unit <column>             customer id column: the holdout by its hash, the same rows in every engine; in
                              memory also a unit in two arms is an error (assignment leak), repeated rows reported
  --type <column:type>        read a column as category, number or boolean (repeat, or a,b:category);
                              e.g. --type Promotion:category to take codes 1/2/3 as arms
  --cluster <column>          cluster (store, region, household): cluster-robust (CR1) effects
  --expected-shares <a=s,…>   planned share of each arm for the sample-ratio check, e.g. "psa=0.04,ad=0.96"
  --cap <column[=quantile]>   cap a continuous outcome at a quantile of the pooled arms (default 0.999); repeat
  --sequential                always-valid confidence sequences and p-values (tuning 5000)
  --bayesian                  Bayesian results beside each effect (flat prior on the relative lift)
  --pairs                     compare every pair of arms, one Holm correction across the pairs
  --spec <spec.json>          the full spec as JSON (options above override it)

SQL engines (checks, effects and segments pushed down; models on a sample of at most --max-sample-rows):
  --duckdb                    read a CSV through embedded DuckDB instead of in memory (.parquet always is)
  --memory-limit <size>       DuckDB's memory limit, e.g. 1GB
  --postgres <url>            a PostgreSQL connection string (needs --table)
  --table <name>              the table to read (PostgreSQL, or a table in DuckDB)
  --max-sample-rows <n>       most rows for the models (default 250000)
  --format <json|md|html>     output format (default: from --out's extension, else json)
  --out <file>                write there instead of standard output (.json, .md or .html)
  --policy-out <file>         also write the targeting policy (JSON) for promolens target
  --quiet                     no progress on standard error

Examples:
  promolens evaluate hillstrom.csv --treatment segment --control "No E-Mail" \\
    --outcome visit:binary --outcome spend:continuous --features recency,history,channel --out report.html
  cat data.csv | promolens evaluate - --spec campaign.json --format md`;

const TARGET_HELP = `Usage: promolens target <policy.json> <customers.csv|customers.csv.gz|-> [options]

Applies a targeting policy (from promolens evaluate --policy-out) to customers: one row each with the
unit id, the assigned arm (the control label for "send nothing"), the expected profit, and per arm the
predicted uplift and profit. Only the policy's feature columns are read. A summary goes to standard error.

Options:
  --out <file>                write the CSV there instead of standard output
  --budget <number>           most to spend on the customers given an offer
  --capacity <arm=N>          most customers for an arm; repeat for several
  --arms <a,b>                only these arms may be given

Example:
  promolens target policy.json customers.csv --out targets.csv --budget 5000 --capacity "Mens E-Mail=10000"`;

const DESCRIBE_HELP = `Usage: promolens describe <data.csv|data.csv.gz|-> [--type <column:type>]

Prints each column's kind and missing count; for numbers the mean, standard deviation,
range, quartiles and skewness; for 0/1 columns the rate; for text the most frequent levels
and their shares; flags id-like and date-like columns; then a starting spec for evaluate.

Example:
  promolens describe hillstrom.csv.gz`;

class UsageError extends Error {}

interface Parsed {
  readonly positional: string[];
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
}

const VALUE_OPTIONS = new Set(['preperiod', 'cluster', 'expected-shares', 'cap', 'unit', 'postgres', 'table', 'memory-limit', 'max-sample-rows', 'treatment', 'control', 'outcome', 'features', 'segments', 'uplift-outcome', 'learners', 'value', 'cost', 'cost-per-conversion', 'budget', 'holdout', 'seed', 'spec', 'format', 'out', 'type', 'policy-out', 'capacity', 'arms', 'ratio']);
const FLAG_OPTIONS = new Set(['duckdb', 'quiet', 'help', 'version', 'sequential', 'bayesian', 'pairs']);

function parseArguments(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const key = name === 'h' ? 'help' : name === 'v' ? 'version' : name;
    if (FLAG_OPTIONS.has(key)) flags.add(key);
    else if (VALUE_OPTIONS.has(key)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      values.set(key, [...(values.get(key) ?? []), value]);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return { positional, values, flags };
}

/** A decimal number as written by a person: no hex, no Infinity, no empty text. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function number(parsed: Parsed, key: string): number | undefined {
  const text = parsed.values.get(key)?.at(-1);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) throw new UsageError(`--${key} must be a decimal number, got ${JSON.stringify(text)}`);
  return value;
}

function integer(parsed: Parsed, key: string): number | undefined {
  const text = parsed.values.get(key)?.at(-1);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`--${key} must be a decimal integer, got ${JSON.stringify(text)}`);
  return value;
}

/** `--type a:category --type b,c:number` as a schema map. */
function columnTypes(parsed: Parsed): Record<string, ColumnType> | undefined {
  const given = parsed.values.get('type');
  if (given === undefined) return undefined;
  const types: Record<string, ColumnType> = {};
  for (const text of given) {
    const at = text.lastIndexOf(':');
    const type = text.slice(at + 1);
    if (at <= 0 || (type !== 'category' && type !== 'number' && type !== 'boolean')) {
      throw new UsageError(`--type ${text}: write column:category, column:number or column:boolean`);
    }
    for (const column of text.slice(0, at).split(',')) if (column.trim() !== '') types[column.trim()] = type;
  }
  return types;
}

async function load(path: string, parsed: Parsed): Promise<Dataset> {
  const schema = columnTypes(parsed);
  const options = schema === undefined ? {} : { schema };
  if (path !== '-') return readCsv(path, options);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (error) {
    throw ioError(error, 'standard input', 'read');
  }
  return parseCsvBytes(Buffer.concat(chunks), 'standard input', options);
}

const FORMATS: Readonly<Record<string, 'json' | 'md' | 'html'>> = { '.json': 'json', '.md': 'md', '.html': 'html' };

/** The output format: --format, else --out's extension, else JSON; a format and an extension that disagree are an error. */
function outputFormat(parsed: Parsed, out: string | undefined): 'json' | 'md' | 'html' {
  const given = parsed.values.get('format')?.at(-1);
  if (given !== undefined && given !== 'json' && given !== 'md' && given !== 'html') throw new UsageError(`--format must be json, md or html, got ${given}`);
  if (out === undefined) return given ?? 'json';
  const fromName = FORMATS[extname(out).toLowerCase()];
  if (fromName === undefined) throw new UsageError(`--out ${out}: the file name must end in .json, .md or .html`);
  if (given !== undefined && given !== fromName) throw new UsageError(`--format ${given} does not match --out ${out}`);
  return fromName;
}

/** The spec from --spec and the flags; `throughSql`: the engines have no unit checks, so --unit names the holdout's unit only. */
function buildSpec(parsed: Parsed, throughSql: boolean): CampaignSpec {
  const base: Record<string, unknown> = {};
  const specPath = parsed.values.get('spec')?.at(-1);
  if (specPath !== undefined) {
    let text: string;
    try {
      text = readFileSync(specPath, 'utf8');
    } catch (error) {
      throw ioError(error, specPath, 'read');
    }
    try {
      Object.assign(base, JSON.parse(text));
    } catch (error) {
      throw new UsageError(`--spec ${specPath} is not JSON: ${(error as Error).message}`);
    }
  }
  const last = (key: string) => parsed.values.get(key)?.at(-1);
  const list = (key: string) => last(key)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const treatment = last('treatment');
  const control = last('control');
  if (treatment !== undefined || control !== undefined) {
    const existing = (base.treatment ?? {}) as { column?: string; control?: string };
    base.treatment = { column: treatment ?? existing.column, control: control ?? existing.control };
  }
  const outcomes = parsed.values.get('outcome');
  if (outcomes !== undefined) {
    base.outcomes = outcomes.map((text) => {
      const at = text.lastIndexOf(':');
      const column = at < 0 ? text : text.slice(0, at);
      const kind = at < 0 ? '' : text.slice(at + 1);
      if (kind !== 'binary' && kind !== 'continuous') throw new UsageError(`--outcome ${text}: write column:binary or column:continuous`);
      return { column, kind };
    });
  }
  for (const text of parsed.values.get('ratio') ?? []) {
    const match = /^([^=]+)=([^/]+)\/(.+)$/.exec(text);
    if (match === null) throw new UsageError(`--ratio ${text}: write name=numerator/denominator`);
    const [, column, numerator, denominator] = match as unknown as [string, string, string, string];
    base.outcomes = [...((base.outcomes as object[] | undefined) ?? []), { kind: 'ratio', column: column.trim(), numerator: numerator.trim(), denominator: denominator.trim() }];
  }
  for (const text of parsed.values.get('preperiod') ?? []) {
    const at = text.indexOf('=');
    const name = text.slice(0, at).trim();
    const value = text.slice(at + 1).trim();
    const outcome = (base.outcomes as Record<string, unknown>[] | undefined)?.find((o) => (o.column ?? `${String(o.numerator)}/${String(o.denominator)}`) === name);
    if (at <= 0 || value === '') throw new UsageError(`--preperiod ${text}: write outcome=column, or ratio=numerator/denominator`);
    if (outcome === undefined) throw new UsageError(`--preperiod ${text}: '${name}' is not an --outcome or --ratio`);
    if (outcome.kind === 'ratio') {
      const slash = value.indexOf('/');
      if (slash <= 0 || slash === value.length - 1) throw new UsageError(`--preperiod ${text}: a ratio's pre-period is numerator/denominator`);
      outcome.preperiod = { numerator: value.slice(0, slash).trim(), denominator: value.slice(slash + 1).trim() };
    } else outcome.preperiod = value;
  }
  if (list('features') !== undefined) base.features = list('features');
  if (list('segments') !== undefined) base.segments = list('segments');
  if (list('learners') !== undefined) base.learners = list('learners');
  if (last('uplift-outcome') !== undefined) base.upliftOutcome = last('uplift-outcome');
  const economics = { ...((base.economics as object | undefined) ?? {}) } as Record<string, number>;
  for (const [flag, key] of [['value', 'valuePerUnit'], ['cost', 'costPerTreated'], ['cost-per-conversion', 'costPerConversion'], ['budget', 'budget']] as const) {
    const value = number(parsed, flag);
    if (value !== undefined) economics[key] = value;
  }
  if (Object.keys(economics).length > 0) base.economics = economics;
  const holdout = number(parsed, 'holdout');
  const seed = integer(parsed, 'seed');
  const unit = last('unit');
  if (holdout !== undefined || seed !== undefined || unit !== undefined) {
    base.validation = { ...((base.validation as object | undefined) ?? {}), ...(holdout === undefined ? {} : { holdoutShare: holdout }), ...(seed === undefined ? {} : { seed }), ...(unit === undefined ? {} : { unit }) };
  }
  // The unit names the customer for the leak and repeated-rows checks as well as for the holdout.
  if (unit !== undefined && !throughSql) base.unit = unit;
  const cluster = last('cluster');
  if (cluster !== undefined) base.cluster = cluster;
  const shares = last('expected-shares');
  if (shares !== undefined) {
    const entries = shares.split(',').map((part) => {
      const at = part.lastIndexOf('=');
      const share = Number(part.slice(at + 1).trim());
      if (at < 1 || !DECIMAL.test(part.slice(at + 1).trim()) || !(share > 0)) throw new UsageError(`--expected-shares ${shares}: write arm=share,arm=share with positive shares`);
      return [part.slice(0, at).trim(), share] as const;
    });
    base.expectedShares = Object.fromEntries(entries);
  }
  if (parsed.flags.has('sequential')) base.sequential = true;
  if (parsed.flags.has('bayesian')) base.bayesian = true;
  if (parsed.flags.has('pairs')) base.comparisons = 'all-pairs';
  for (const text of parsed.values.get('cap') ?? []) {
    const at = text.lastIndexOf('=');
    const column = at < 0 ? text : text.slice(0, at);
    const quantile = at < 0 ? 0.999 : Number(text.slice(at + 1));
    if (!(quantile > 0 && quantile <= 1) || (at >= 0 && !DECIMAL.test(text.slice(at + 1)))) throw new UsageError(`--cap ${text}: write column or column=quantile with a quantile in (0, 1]`);
    const outcomesList = base.outcomes as { column: string }[] | undefined;
    const outcome = outcomesList?.find((o) => o.column === column);
    if (outcome === undefined) throw new UsageError(`--cap ${text}: '${column}' is not an --outcome`);
    Object.assign(outcome, { cap: { quantile } });
  }
  if (base.treatment === undefined) throw new UsageError('give --treatment and --control, or --spec');
  if (base.outcomes === undefined) throw new UsageError('give at least one --outcome column:kind, or --spec');
  if (base.features === undefined && parsed.values.has('policy-out')) throw new UsageError('--policy-out needs --features: without features only effects are evaluated');
  return base as unknown as CampaignSpec;
}

async function evaluate(parsed: Parsed): Promise<void> {
  if (parsed.flags.has('help')) {
    process.stdout.write(`${EVALUATE_HELP}\n`);
    return;
  }
  const [path, ...extra] = parsed.positional;
  const postgres = parsed.values.get('postgres')?.at(-1);
  if (path === undefined && postgres === undefined) throw new UsageError('evaluate needs a data file (or - for standard input), or --postgres with --table');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const throughSql = postgres !== undefined || parsed.flags.has('duckdb') || (path?.toLowerCase().endsWith('.parquet') ?? false);
  const spec = buildSpec(parsed, throughSql);
  const out = parsed.values.get('out')?.at(-1);
  const format = outputFormat(parsed, out);
  const showProgress = process.stderr.isTTY === true && !parsed.flags.has('quiet');
  const started = Date.now();
  const progress = (stage: string) => {
    if (showProgress) process.stderr.write(`\r\x1b[K${((Date.now() - started) / 1000).toFixed(1)} s  ${stage}`);
  };
  let report;
  if (throughSql) {
    if (path === '-') throw new UsageError('a SQL engine reads a file or a table, not standard input');
    if (parsed.values.has('type')) throw new UsageError('--type applies to files read in memory, not through a SQL engine');
    // A file that cannot be read is an I/O error before anything about the spec or the engine.
    if (path !== undefined && postgres === undefined) requireReadableFile(path);
    const maxSampleRows = number(parsed, 'max-sample-rows');
    const table = parsed.values.get('table')?.at(-1);
    const memoryLimit = parsed.values.get('memory-limit')?.at(-1);
    progress('opening the engine');
    const opened = await openSqlTarget({ ...(path === undefined || postgres !== undefined ? {} : { file: path }), ...(postgres === undefined ? {} : { postgres }), ...(table === undefined ? {} : { table }), ...(memoryLimit === undefined ? {} : { memoryLimit }) });
    try {
      report = await evaluateCampaignSql(opened.engine, opened.source, spec, { onProgress: progress, ...(maxSampleRows === undefined ? {} : { maxSampleRows }) });
    } finally {
      await opened.close();
    }
  } else {
    progress('reading data');
    const data = await load(path as string, parsed);
    report = evaluateCampaign(data, spec, { onProgress: progress });
  }
  if (showProgress) process.stderr.write('\r\x1b[K');
  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'md' ? renderMarkdown(report) : renderHtml(report);
  if (out === undefined) process.stdout.write(text);
  else {
    try {
      writeFileSync(out, text);
    } catch (error) {
      throw ioError(error, out, 'write');
    }
    // The answer on a terminal, the whole report in the file.
    if (!parsed.flags.has('quiet') && process.stdout.isTTY === true) process.stdout.write(renderSummary(report));
    if (!parsed.flags.has('quiet')) process.stderr.write(`promolens: report written to ${out}\n`);
  }
  const policyOut = parsed.values.get('policy-out')?.at(-1);
  if (policyOut !== undefined) {
    if (report.policy === null) throw new UsageError('--policy-out needs --features: without features only effects are evaluated');
    try {
      writeFileSync(policyOut, `${JSON.stringify(report.policy, null, 2)}\n`);
    } catch (error) {
      throw ioError(error, policyOut, 'write');
    }
  }
}

async function target(parsed: Parsed): Promise<void> {
  if (parsed.flags.has('help')) {
    process.stdout.write(`${TARGET_HELP}\n`);
    return;
  }
  const [policyPath, customersPath, ...extra] = parsed.positional;
  if (policyPath === undefined || customersPath === undefined) throw new UsageError('target needs a policy file and a customer file (or - for standard input)');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  let policyText: string;
  try {
    policyText = readFileSync(policyPath, 'utf8');
  } catch (error) {
    throw ioError(error, policyPath, 'read');
  }
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch (error) {
    throw new InputError('incompatible', 'policy', `${policyPath} is not JSON: ${(error as Error).message}`);
  }
  const capacity: Record<string, number> = {};
  for (const text of parsed.values.get('capacity') ?? []) {
    const at = text.lastIndexOf('=');
    const count = Number(text.slice(at + 1));
    if (at <= 0 || text.slice(at + 1).trim() === '' || !(count >= 0)) throw new UsageError(`--capacity ${text}: write arm=N with N ≥ 0`);
    capacity[text.slice(0, at)] = count;
  }
  const budget = number(parsed, 'budget');
  const arms = parsed.values.get('arms')?.at(-1)?.split(',').map((a) => a.trim());
  const customers = await load(customersPath, parsed);
  const { assignments, summary } = applyPolicy(policy, customers, {
    ...(budget === undefined ? {} : { budget }),
    ...(Object.keys(capacity).length > 0 ? { capacity } : {}),
    ...(arms === undefined ? {} : { arms }),
  });
  const out = parsed.values.get('out')?.at(-1);
  const text = formatCsv(assignments);
  if (out === undefined) process.stdout.write(text);
  else {
    try {
      writeFileSync(out, text);
    } catch (error) {
      throw ioError(error, out, 'write');
    }
  }
  const unit = summary.currency === null ? '' : ` ${summary.currency}`;
  const lines = [
    `${summary.customers} customers: ${summary.perArm.map((p) => `${p.arm} ${p.customers}`).join(', ')}`,
    `expected incremental profit ${summary.expectedProfit.toFixed(2)}${unit}, cost ${summary.totalCost.toFixed(2)}${unit}, incremental outcome ${summary.expectedIncrementalOutcome.toFixed(2)}`,
    ...(summary.budget === null ? [] : [`budget ${summary.budget}${unit}; one more unit of budget would earn ${summary.budgetPrice.toFixed(4)}`]),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

async function describe(parsed: Parsed): Promise<void> {
  if (parsed.flags.has('help')) {
    process.stdout.write(`${DESCRIBE_HELP}\n`);
    return;
  }
  const [path] = parsed.positional;
  if (path === undefined) throw new UsageError('describe needs a data file (or - for standard input)');
  const data = await load(path, parsed);
  process.stdout.write(describeText(describeDataset(data)));
}

/** Runs the command line; returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  // A reader that stops early (| head) closes the pipe: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  try {
    const [command, ...rest] = args;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${MAIN_HELP}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const parsed = parseArguments(rest);
    if (command === 'evaluate') await evaluate(parsed);
    else if (command === 'target') await target(parsed);
    else if (command === 'describe') await describe(parsed);
    else throw new UsageError(`unknown command ${JSON.stringify(command)}; commands are evaluate, target and describe`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`promolens: ${error.message}\nRun promolens --help for usage.\n`);
      return 2;
    }
    if (isInputError(error)) {
      const where = error.reason === 'io_error' ? '' : `${error.field ? `, ${error.field}` : ''}${error.row === undefined ? '' : `, row ${error.row}`}`;
      process.stderr.write(`promolens: ${firstLine(error.message)} [${error.reason}${where}]\n`);
      // A file that cannot be read or written is its own failure; a spec the library rejects is bad usage; anything about the data is bad data.
      return error.reason === 'io_error' ? 3 : error.reason === 'invalid_option' ? 2 : 1;
    }
    process.stderr.write(`promolens: ${firstLine((error as Error).message)}\n`);
    return 1;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

/** Throws the one-line `io_error` for a path that is missing, a directory or unreadable. */
function requireReadableFile(path: string): void {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch (error) {
    throw ioError(error, path, 'read');
  }
  if (directory) throw new InputError('io_error', 'path', `cannot read ${path}: it is a directory`);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
