import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignReport } from 'promolens/campaign';
import type { Dataset } from 'promolens/data';
import { CampaignReportSchema, evaluateCampaign } from 'promolens/campaign';
import { readCsv } from 'promolens/node';
import { renderHtml, renderMarkdown, toVegaLite } from 'promolens/report';
import { hasSharedData, sharedData } from '../helpers.js';

// Reference: the README's counts (gate_30 20,034 / 44,700; gate_40 20,119 / 45,489 returned after a day;
// 8,502 and 8,279 after a week), pooled two-proportion z test by statsmodels 0.13.5 proportions_ztest:
// retention_1 z = −1.784086, p = 0.0744097; retention_7 z = −3.164359, p = 0.00155425.
describe.skipIf(!hasSharedData)('effects-only evaluation (no features): Cookie Cats', () => {
  let dataset: Dataset;
  let report: CampaignReport;
  const spec = {
    treatment: { column: 'version', control: 'gate_30' },
    outcomes: [
      { column: 'retention_1', kind: 'binary' as const },
      { column: 'retention_7', kind: 'binary' as const },
    ],
  };
  beforeAll(async () => {
    dataset = await readCsv(`${sharedData}cookie-cats/cookie_cats.csv`);
    report = evaluateCampaign(dataset, spec, { resamples: 20 });
  });

  it('holds the checks and the effects with the reference figures, and no models, uplift, targeting or policy', () => {
    expect(CampaignReportSchema.parse(report)).toBeTruthy();
    expect(report.scope).toBe('effects');
    expect(report.data.treatment.arms).toEqual([
      { arm: 'gate_30', n: 44_700, share: 44_700 / 90_189 },
      { arm: 'gate_40', n: 45_489, share: 45_489 / 90_189 },
    ]);
    const [r1, r7] = report.effects;
    expect(r1?.control.mean).toBeCloseTo(0.448188, 6);
    expect(r1?.treated.mean).toBeCloseTo(0.442283, 6);
    expect(r1?.absolute.estimate).toBeCloseTo(-0.005905169787341458, 12);
    expect(r1?.absolute.pValue).toBeCloseTo(0.07440965529691913, 8);
    expect(r7?.absolute.estimate).toBeCloseTo(-0.008201298315205913, 12);
    expect(r7?.absolute.pValue).toBeCloseTo(0.001554249975614329, 9);
    expect(report.checks.balance).toBeNull();
    expect(report.responseModels).toEqual([]);
    expect(report.uplift).toEqual([]);
    expect(report.targeting).toEqual([]);
    expect(report.decisions).toEqual([]);
    expect(report.policy).toBeNull();
    expect(report.settings.features).toEqual([]);
    expect(report.settings.conventions.models).toMatch(/no response models, uplift models or targeting were run/);
    expect(report.settings.conventions.uplift).toBeUndefined();
  });

  it('segment effects still run', () => {
    const withSegments = evaluateCampaign(dataset, { ...spec, outcomes: [spec.outcomes[0]!], segments: ['retention_7'] }, { resamples: 20 });
    expect(withSegments.segments.map((s) => s.level)).toEqual(['0', '1']);
    const returned = withSegments.segments[1]!;
    // Players back after a week: gate_30 vs gate_40 rows by the README's retention_7 counts.
    expect(returned.control.n).toBe(8_502);
    expect(returned.treated.n).toBe(8_279);
  });

  it('the renderers say plainly that no models or targeting were run and show no such sections', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(/## Effects\n/);
    expect(markdown).toMatch(/Effects only: the evaluation named no features, so no response models, uplift models or targeting were run\./);
    expect(markdown).not.toMatch(/## (Response models|Uplift models|Targeting)/);
    const html = renderHtml(report);
    expect(html).toMatch(/no response models, uplift models or targeting were run/);
    expect(html).not.toMatch(/id="(response-models|uplift|targeting)"/);
    const charts = toVegaLite(report);
    expect(charts.length).toBeGreaterThan(0);
    expect(JSON.stringify(charts)).not.toMatch(/Qini|profit/i);
  });
});
