import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CampaignReportSchema, evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { readCsv } from 'promolens/node';
import { profitCurve } from 'promolens/policy';
import { renderHtml, renderMarkdown, toVegaLite } from 'promolens/report';
import { examplesData, inputErrorOf } from '../helpers.js';

const hillstrom = await readCsv(`${examplesData}hillstrom.csv.gz`);
const spec = {
  treatment: { column: 'segment', control: 'No E-Mail' },
  outcomes: [
    { column: 'visit', kind: 'binary' as const },
    { column: 'conversion', kind: 'binary' as const },
    { column: 'spend', kind: 'continuous' as const },
  ],
  features: ['recency', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel'],
  segments: ['channel'],
  economics: { valuePerUnit: 1.5, costPerTreated: 0.1, budget: 500 },
  learners: ['t' as const, 'class_transformation' as const],
};
const report = evaluateCampaign(hillstrom, spec, { resamples: 30 });

describe('evaluateCampaign on Hillstrom', () => {
  it('produces a report that validates against its schema and survives JSON', () => {
    const text = JSON.stringify(report);
    expect(text).not.toContain('NaN');
    expect(CampaignReportSchema.parse(JSON.parse(text))).toEqual(JSON.parse(text));
    expect(report.version).toBe('1');
  });

  it('agrees with the data: conversion 0.012531 (Mens) and 0.008837 (Womens) vs 0.005726', () => {
    const conversion = report.effects.filter((e) => e.outcome === 'conversion');
    expect(conversion.map((e) => [e.arm, e.treated.mean.toFixed(6), e.control.mean.toFixed(6)])).toEqual([
      ['Mens E-Mail', '0.012531', '0.005726'],
      ['Womens E-Mail', '0.008837', '0.005726'],
    ]);
    const spend = report.effects.filter((e) => e.outcome === 'spend').map((e) => e.treated.mean.toFixed(3));
    expect(spend).toEqual(['1.423', '1.077']);
    expect(report.data.treatment.arms.map((a) => a.n)).toEqual([21306, 21307, 21387]);
    expect(report.checks.srm.mismatch).toBe(false);
  });

  it('has segment effects that add up to the overall ones', () => {
    for (const overall of report.effects) {
      const cells = report.segments.filter((s) => s.segment === 'channel' && s.arm === overall.arm && s.outcome === overall.outcome);
      const n = cells.reduce((a, c) => a + c.treated.n, 0);
      const total = cells.reduce((a, c) => a + c.treated.n * c.treated.mean, 0);
      expect(n).toBe(overall.treated.n);
      expect(total / n).toBeCloseTo(overall.treated.mean, 12);
      expect(cells.reduce((a, c) => a + c.control.n, 0)).toBe(overall.control.n);
    }
  });

  it('compares learners on the holdout and recommends a cutoff per arm', () => {
    expect(report.uplift.map((u) => u.arm)).toEqual(['Mens E-Mail', 'Womens E-Mail']);
    for (const u of report.uplift) {
      expect(u.learners.map((l) => l.learner)).toEqual(['t', 'class_transformation']);
      expect(u.learners.map((l) => l.learner)).toContain(u.chosen);
      // Chosen on the training rows by cross-fitting, the policy's choice (not the best holdout Qini).
      const model = report.policy!.models.find((m) => m.arm === u.arm);
      expect(u.chosen).toBe(model?.learner);
      expect(u.choice.crossFittedQini).toEqual(model?.selection);
      const compared = (model?.selection ?? []).filter((s) => s.qini !== null);
      expect(u.chosen).toBe(compared.reduce((a, b) => ((b.qini as number) > (a.qini as number) ? b : a)).learner);
      for (const l of u.learners) expect(l.byDecile.bins).toHaveLength(10);
    }
    for (const t of report.targeting) {
      expect(t.profit.best.profit).toBeGreaterThanOrEqual(t.profit.treatNone.profit);
      expect(t.profit.best.profit).toBeGreaterThanOrEqual(t.profit.treatAll.profit);
      expect(t.profit.bestWithinBudget?.cost ?? 0).toBeLessThanOrEqual(500);
    }
    expect(report.bestArmShare?.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1, 12);
  });
});

describe('profitCurve', () => {
  it('finds the hand-worked best cutoff', () => {
    // Sorted by score: (y=1,t=1) (y=0,t=0) | (y=1,t=0) (y=0,t=1).
    // Top 2: ȳ_T = 1, ȳ_C = 0 → 2 incremental, worth 20, cost 2 → 18.
    // All 4: ȳ_T = 0.5, ȳ_C = 0.5 → 0 incremental, cost 4 → −4.
    const curve = profitCurve([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 0, 0, 1], { economics: { valuePerUnit: 10, costPerTreated: 1 }, steps: 2 });
    expect(curve.points.map((p) => p.profit)).toEqual([0, 18, -4]);
    expect(curve.best.fraction).toBe(0.5);
    expect(curve.treatAll.profit).toBe(-4);
    const coupon = profitCurve([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 0, 0, 1], { economics: { valuePerUnit: 10, costPerConversion: 3, budget: 4 }, steps: 2, population: 8 });
    // Top 2 scaled ×2: incremental 4, value 40, coupons 2·(2·1·3) = 12 → 28; budget 4 covers nothing but 0.
    expect(coupon.points[1]?.profit).toBe(28);
    expect(coupon.bestWithinBudget?.fraction).toBe(0);
  });
});

describe('evaluateCampaign rejects bad specs', () => {
  const small = fromColumns({ arm: ['c', 't', 'c', 't'], y: [0, 1, 2, 1], x: [1, 2, 3, 4] });
  it('names the problem', () => {
    expect(inputErrorOf(() => evaluateCampaign(hillstrom, { ...spec, features: ['nope'] }))).toMatchObject({ reason: 'missing_column', field: 'nope' });
    expect(inputErrorOf(() => evaluateCampaign(hillstrom, { ...spec, treatment: { column: 'segment', control: 'Nobody' } }))).toMatchObject({ reason: 'invalid_option', field: 'treatment.control' });
    expect(inputErrorOf(() => evaluateCampaign(small, { treatment: { column: 'arm', control: 'c' }, outcomes: [{ column: 'y', kind: 'binary' }], features: ['x'] }))).toMatchObject({ reason: 'not_binary', field: 'y', row: 2 });
    const oneArm = fromColumns({ arm: ['c', 'c'], y: [0, 1], x: [1, 2] });
    expect(inputErrorOf(() => evaluateCampaign(oneArm, { treatment: { column: 'arm', control: 'c' }, outcomes: [{ column: 'y', kind: 'binary' }], features: ['x'] }))).toMatchObject({ reason: 'single_class' });
    expect(inputErrorOf(() => evaluateCampaign(small, { treatment: { column: 'arm', control: 'c' }, outcomes: [], features: ['x'] } as never))).toMatchObject({ reason: 'invalid_option', field: 'outcomes' });
  });
});

describe('renderers', () => {
  it('write Markdown with every section and Vega-Lite specs with inline data', () => {
    const markdown = renderMarkdown(report);
    for (const heading of ['## Data checks', '## Effects', '## Effects by segment', '## Response models (holdout)', '## Uplift models (holdout)', '## Targeting', '## Settings']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('0.0125');
    expect(markdown).toContain('How the learner was chosen:');
    expect(markdown).toContain("holdout was not used to choose, so only");
    expect(markdown).toContain('Cross-fitted Qini on the training rows:');
    const charts = toVegaLite(report);
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const chart of charts) expect(JSON.stringify(chart.spec)).toContain('"values"');
  });

  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (chromium === undefined) console.warn('Skipping the browser check of the HTML report: no Chromium here (apt-get install chromium).');
  it.skipIf(chromium === undefined)('render HTML that headless Chromium loads with every chart drawn, and save a phone-width screenshot', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const dir = mkdtempSync(join(tmpdir(), 'promolens-html-'));
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`];
    const dom = execFileSync(chromium as string, [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const figures = dom.match(/<figure class="figure"[\s\S]*?<\/figure>/g) ?? [];
    // The effects chart, per arm the Qini curves and deciles, per arm the profit curve, and per 0/1 outcome its calibration.
    expect(figures.length).toBe(1 + (report.uplift.length * 2) + report.targeting.length + report.responseModels.filter((m) => m.calibration !== null).length);
    for (const figure of figures) expect(figure).toMatch(/<polyline[^>]*points="[\d.]+,[\d.]+|<rect [^>]*height="[\d.]+"|<circle /);
    const artefacts = fileURLToPath(new URL('../../out/test-artefacts/', import.meta.url));
    mkdirSync(artefacts, { recursive: true });
    const shot = spawnSync(chromium as string, [...flags, '--window-size=420,2400', `--screenshot=${join(artefacts, 'report-phone.png')}`, `file://${page}`], { timeout: 60_000 });
    expect(shot.status).toBe(0);
    expect(existsSync(join(artefacts, 'report-phone.png'))).toBe(true);
  });
});
