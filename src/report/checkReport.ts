import { InputError } from '../errors.js';
import type { CampaignReport } from './schema.js';

/*
 * The renderers' guard against a malformed report. The full zod schema
 * (`CampaignReportSchema`) lives in `promolens/campaign` with the computing
 * code; this subpath stays free of both, so it checks the report's frame by
 * hand: the kind and version, and every section the renderers read with the
 * type it must have. A fault deeper inside a section that still breaks a
 * renderer is caught by {@link rendering} and reported as `incompatible`
 * instead of a raw TypeError.
 */

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'object|null' | 'array|null';

const SECTIONS: readonly (readonly [path: string, kind: Kind])[] = [
  ['title', 'string'],
  ['data', 'object'],
  ['data.rows', 'number'],
  ['data.columns', 'number'],
  ['data.treatment', 'object'],
  ['data.treatment.column', 'string'],
  ['data.treatment.control', 'string'],
  ['data.treatment.arms', 'array'],
  ['data.missing', 'array'],
  ['checks', 'object'],
  ['checks.srm', 'object'],
  ['checks.srm.statistic', 'number'],
  ['checks.srm.df', 'number'],
  ['checks.srm.pValue', 'number'],
  ['checks.srm.threshold', 'number'],
  ['checks.srm.mismatch', 'boolean'],
  ['checks.balance', 'object|null'],
  ['checks.warnings', 'array'],
  ['effects', 'array'],
  ['segments', 'array'],
  ['responseModels', 'array'],
  ['uplift', 'array'],
  ['targeting', 'array'],
  ['bestArmShare', 'array|null'],
  ['decisions', 'array'],
  ['settings', 'object'],
];

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fits(value: unknown, kind: Kind): boolean {
  const actual = kindOf(value);
  return kind.split('|').includes(actual);
}

/**
 * Throws an InputError unless the value is a campaign report whose frame the
 * renderers can read: `wrong_type` (field `report`) for a non-object,
 * `incompatible` for another kind or version, `wrong_type` naming the first
 * section (`report.checks.srm`) that is missing or of the wrong type.
 * O(number of sections).
 */
export function checkReport(report: unknown): asserts report is CampaignReport {
  if (report === null || typeof report !== 'object' || Array.isArray(report)) {
    throw new InputError('wrong_type', 'report', `report must be a campaign report (from evaluateCampaign), got ${kindOf(report)}`);
  }
  const { kind, version } = report as { kind?: unknown; version?: unknown };
  if (kind !== 'campaign_report') {
    throw new InputError('incompatible', 'report.kind', `not a campaign report: kind is ${JSON.stringify(kind) ?? 'missing'}, not "campaign_report"`);
  }
  if (version !== '1') {
    throw new InputError('incompatible', 'report.version', `report format version ${JSON.stringify(version) ?? 'missing'} is not version "1", which these renderers read; evaluate the campaign again`);
  }
  for (const [path, expected] of SECTIONS) {
    let value: unknown = report;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (!fits(value, expected)) {
      throw new InputError('wrong_type', `report.${path}`, `report.${path} must be ${expected.replace('|', ' or ')}, got ${kindOf(value)}: the report is malformed`);
    }
  }
}

/**
 * Runs a renderer on a checked report; a TypeError or RangeError from a
 * fault deeper in the report (a field of a row of the wrong type) becomes
 * `incompatible` (field `report`), with the renderer's message.
 */
export function rendering<T>(report: unknown, render: (report: CampaignReport) => T): T {
  checkReport(report);
  try {
    return render(report);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new InputError('incompatible', 'report', `the report is malformed: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Throws `invalid_option` unless the chart options are absent or an object
 * of known keys (`effects: 'relative' | 'absolute'`).
 */
export function checkChartOptions(options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError('invalid_option', 'options', `options must be an object such as { effects: 'absolute' }, got ${kindOf(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'effects') throw new InputError('invalid_option', key, `unknown option ${JSON.stringify(key)}; the chart options are: effects`);
    if (value !== undefined && value !== 'relative' && value !== 'absolute') {
      throw new InputError('invalid_option', 'effects', `effects must be 'relative' or 'absolute', got ${JSON.stringify(value) ?? kindOf(value)}`);
    }
  }
}
