import { describe, expect, it } from 'vitest';
import { CampaignReportSchema, evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { renderHtml, renderMarkdown } from 'promolens/report';

// Three arms; arm B has no conversions at all, so no model of B's outcome can be fitted.
function campaignWithADeadArm() {
  const n = 3000;
  const arm: string[] = [];
  const y: number[] = [];
  const x: number[] = [];
  const z: number[] = [];
  let state = 1;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < n; i++) {
    const a = i % 3;
    arm.push(['ctl', 'A', 'B'][a] as string);
    x.push(random());
    z.push(random());
    y.push(a === 2 ? 0 : random() < 0.1 + 0.1 * (x[i] as number) ? 1 : 0);
  }
  return fromColumns({ arm, y, x, z });
}

describe('evaluateCampaign when a model cannot be fitted', () => {
  it('still produces the report, with the effects, and says why uplift and targeting are missing', () => {
    const report = evaluateCampaign(campaignWithADeadArm(), {
      treatment: { column: 'arm', control: 'ctl' },
      outcomes: [{ column: 'y', kind: 'binary' }],
      features: ['x', 'z'],
    });
    expect(CampaignReportSchema.parse(JSON.parse(JSON.stringify(report)))).toBeTruthy();
    expect(report.effects.map((e) => e.arm).sort()).toEqual(['A', 'B']);
    // Arm B converted nobody: its treated mean is exactly 0.
    expect(report.effects.find((e) => e.arm === 'B')?.treated.mean).toBe(0);
    expect(report.uplift).toEqual([]);
    expect(report.decisions).toEqual([]);
    expect(report.policy).toBeNull();
    expect(report.checks.warnings.some((w) => w.startsWith('Uplift models and targeting could not be run') && w.includes('only 0s'))).toBe(true);
    expect(renderMarkdown(report)).toContain('Uplift models and targeting could not be run');
    expect(renderHtml(report)).toContain('<svg');
  });
});
