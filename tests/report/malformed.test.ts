import { describe, expect, it } from 'vitest';
import { isInputError } from 'promolens';
import { buildCharts, renderHtml, renderMarkdown, toVegaLite } from 'promolens/report';
import { sampleReport } from './sampleReport.js';

const report = await sampleReport();
const renderers = { buildCharts, renderHtml, renderMarkdown, toVegaLite } as const;

function failure(call: () => unknown): { reason: string; field: string } | string {
  try {
    call();
    return 'returned';
  } catch (error) {
    return isInputError(error) ? { reason: error.reason, field: error.field } : `threw ${String(error)}`;
  }
}

describe('the renderers on a malformed report', () => {
  const cases: [string, unknown, string, string][] = [
    ['null', null, 'wrong_type', 'report'],
    ['an array', [report], 'wrong_type', 'report'],
    ['another kind', { ...report, kind: 'targeting_policy' }, 'incompatible', 'report.kind'],
    ['another version', { ...report, version: '0' }, 'incompatible', 'report.version'],
    ['no sample-ratio test', { ...report, checks: { ...report.checks, srm: null } }, 'wrong_type', 'report.checks.srm'],
    ['a p-value as text', { ...report, checks: { ...report.checks, srm: { ...report.checks.srm, pValue: '0.5' } } }, 'wrong_type', 'report.checks.srm.pValue'],
    ['effects not a list', { ...report, effects: {} }, 'wrong_type', 'report.effects'],
    ['no settings', { ...report, settings: undefined }, 'wrong_type', 'report.settings'],
    ['an uplift arm without learners', { ...report, uplift: report.uplift.map((u) => ({ ...u, learners: null })) }, 'incompatible', 'report'],
  ];
  for (const [name, render] of Object.entries(renderers)) {
    it(`${name}: a typed InputError naming the section, never a TypeError`, () => {
      for (const [label, bad, reason, field] of cases) expect(failure(() => render(bad as never)), label).toEqual({ reason, field });
    });
  }

  it('rejects chart options of the wrong kind', () => {
    expect(failure(() => buildCharts(report, { effects: 'log' } as never))).toEqual({ reason: 'invalid_option', field: 'effects' });
    expect(failure(() => renderHtml(report, { effect: 'absolute' } as never))).toEqual({ reason: 'invalid_option', field: 'effect' });
    expect(failure(() => toVegaLite(report, null as never))).toEqual({ reason: 'invalid_option', field: 'options' });
  });

  it('still renders the well-formed report', () => {
    expect(renderMarkdown(report).startsWith('# ')).toBe(true);
    expect(buildCharts(report, { effects: 'absolute' }).length).toBeGreaterThan(0);
  });
});
