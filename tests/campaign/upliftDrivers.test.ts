import { describe, expect, it } from 'vitest';
import { DRIVER_ROWS, TOP_DRIVERS, sourceColumn } from '../../src/campaign/uplift.js';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { renderMarkdown } from 'promolens/report';

// The effect depends on 'Days Since Visit' only (0.4 above 0.5); 'Basket €' moves the baseline, 'noise' nothing; a categorical 'Channel' with no effect.
function campaign(n: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const days: number[] = [];
  const basket: number[] = [];
  const noise: number[] = [];
  const channel: string[] = [];
  const arm: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = rand();
    const b = rand();
    const treated = rand() < 0.5;
    days.push(d);
    basket.push(b);
    noise.push(rand());
    channel.push(rand() < 0.5 ? 'Web' : 'Phone');
    arm.push(treated ? 'offer' : 'none');
    y.push(rand() < 0.15 + 0.2 * b + (treated && d > 0.5 ? 0.4 : 0) ? 1 : 0);
  }
  return fromColumns({ 'Days Since Visit': days, 'Basket €': basket, noise, Channel: channel, arm, y });
}

describe('top drivers of the chosen uplift model', () => {
  it('maps a model column back to the data column as the spec spells it', () => {
    const columns = ['Channel', 'Channel Group', 'Basket €'];
    expect(sourceColumn('Channel=Web', columns)).toBe('Channel');
    expect(sourceColumn('Channel Group=A', columns)).toBe('Channel Group');
    expect(sourceColumn('Basket €:log1p', columns)).toBe('Basket €');
    expect(sourceColumn('Basket €', columns)).toBe('Basket €');
    expect(sourceColumn('other', columns)).toBe('other');
  });

  it('ranks the one feature that moves the effect first, with an interval above zero, on a capped sample', () => {
    // 18,000 rows: a 5,400-row holdout, more than the cap.
    const data = campaign(18000, 11);
    const spec = { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['Days Since Visit', 'Basket €', 'noise', 'Channel'], learners: ['t' as const] };
    const report = evaluateCampaign(data, spec, { resamples: 20 });
    const drivers = report.uplift[0]?.drivers;
    expect(drivers).not.toBeNull();
    expect(drivers!.rows).toBe(DRIVER_ROWS);
    expect(drivers!.features.length).toBeLessThanOrEqual(TOP_DRIVERS);
    const [top] = drivers!.features;
    expect(top?.column).toBe('Days Since Visit');
    expect(top!.ci![0]).toBeGreaterThan(0);
    const noise = drivers!.features.find((f) => f.column === 'noise');
    if (noise !== undefined) expect(noise.importance).toBeLessThan(top!.importance / 5);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("Top drivers of t's uplift");
    expect(markdown).toContain('Days Since Visit');
  });
});
