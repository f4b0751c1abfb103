import { describe, expect, it } from 'vitest';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';

// A feature that is a copy of the outcome under another name passes the name guards; its response model ranks every holdout row perfectly.
function table(proxyNoise: number) {
  const n = 400;
  const arm = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'control' : 'offer'));
  const y = Array.from({ length: n }, (_, i) => (((i * 37) % 11) + (i % 2) > 5 ? 1 : 0));
  const noise = Array.from({ length: n }, (_, i) => ((i * 53) % 97) / 97);
  const proxy = y.map((v, i) => v * (1 - proxyNoise) + proxyNoise * (noise[i] as number));
  return fromColumns({ arm, y, proxy, other: noise });
}
const spec = { treatment: { column: 'arm', control: 'control' }, outcomes: [{ column: 'y', kind: 'binary' as const }], learners: ['t' as const] };

describe('a response model with holdout AUC 1', () => {
  it('is warned of as perfect separation, in the model and in the checks', () => {
    const report = evaluateCampaign(table(0), { ...spec, features: ['proxy', 'other'] }, { resamples: 20 });
    const model = report.responseModels[0]!;
    expect(model.metrics.auc).toBe(1);
    expect(model.warning).toMatch(/^perfect separation: check for leakage/);
    expect(report.checks.warnings).toContain('Response model for y: holdout AUC is 1, perfect separation: check for leakage.');
  });

  it('an imperfect model gets no such warning', () => {
    const report = evaluateCampaign(table(0), { ...spec, features: ['other'] }, { resamples: 20 });
    expect(report.responseModels[0]!.metrics.auc).toBeLessThan(1);
    expect(report.responseModels[0]!.warning ?? '').not.toMatch(/perfect separation/);
    expect(report.checks.warnings.join(' ')).not.toMatch(/perfect separation/);
  });
});
