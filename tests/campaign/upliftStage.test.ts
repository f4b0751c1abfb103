import { describe, expect, it } from 'vitest';
import { prepareCampaign } from '../../src/campaign/context.js';
import { buildFeatures } from '../../src/campaign/features.js';
import { compareUpliftLearners } from '../../src/campaign/uplift.js';
import { fromColumns } from 'promolens/data';

// A randomised campaign whose effect grows with x: every learner ranks somewhat, so holdout Qini differ.
function campaign(n: number, seed: number) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x: number[] = [];
  const z: number[] = [];
  const arm: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = rand();
    const zi = rand();
    const treated = rand() < 0.5;
    const p = 0.2 + (treated ? 0.3 * xi : 0) + 0.1 * zi;
    x.push(xi);
    z.push(zi);
    arm.push(treated ? 'offer' : 'none');
    y.push(rand() < p ? 1 : 0);
  }
  return fromColumns({ x, z, arm, y });
}

describe('the uplift stage reports the learner chosen on the training rows', () => {
  const data = campaign(2000, 7);
  const spec = { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x', 'z'], learners: ['t' as const, 's' as const, 'class_transformation' as const] };
  const context = prepareCampaign(data, spec, { resamples: 20 }, () => undefined);
  const features = buildFeatures(context);

  it('keeps the given choice whatever the holdout scores say, and scores every learner for reference', () => {
    for (const learner of ['t', 's', 'class_transformation'] as const) {
      const crossFittedQini = [{ learner: 't', qini: 0.1 }, { learner: 's', qini: null }, { learner: 'class_transformation', qini: 0.05 }];
      const stage = compareUpliftLearners(context, features, [{ learner, crossFittedQini }]);
      const [section] = stage.section;
      expect(section?.chosen).toBe(learner);
      expect(stage.chosen[0]?.learner).toBe(learner);
      expect(section?.learners.map((l) => l.learner)).toEqual(['t', 's', 'class_transformation']);
      expect(section?.choice.method).toBe('cross_fitting_on_training_rows');
      expect(section?.choice.crossFittedQini).toEqual(crossFittedQini);
      expect(section?.choice.words).toContain(`only ${learner}'s holdout score is an unbiased estimate`);
      expect(section?.choice.words).toContain('cross-fitted Qini within the training rows');
    }
  });
});
