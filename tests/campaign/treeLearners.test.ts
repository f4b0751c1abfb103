import { describe, expect, it } from 'vitest';
import { defaultLearners, prepareCampaign } from '../../src/campaign/context.js';
import { buildFeatures } from '../../src/campaign/features.js';
import { TREE_DEFAULT_MIN_EVENTS, TREE_DEFAULT_MIN_ROWS } from '../../src/campaign/spec.js';
import { compareUpliftLearners, fitLearner } from '../../src/campaign/uplift.js';
import { evaluateCampaign } from 'promolens/campaign';
import { fromColumns } from 'promolens/data';
import { predictUplift } from 'promolens/uplift';
import { inputErrorOf } from '../helpers.js';

// A randomised campaign whose effect is a threshold in x (0.4 above 0.5, none below): a shape trees can follow.
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
    const p = 0.2 + (treated && xi > 0.5 ? 0.4 : 0) + 0.1 * zi;
    x.push(xi);
    z.push(zi);
    arm.push(treated ? 'offer' : 'none');
    y.push(rand() < p ? 1 : 0);
  }
  return fromColumns({ x, z, arm, y });
}

function armLabels(data: ReturnType<typeof campaign>): string[] {
  const col = data.categorical('arm');
  return Array.from(col.codes, (c) => col.levels[c]!);
}

describe('tree learners in the campaign', () => {
  it('adds t_gbm and forest to the default set only with enough training rows and events in every group', () => {
    const linear = ['t', 's', 'x', 'dr', 'class_transformation'];
    const codes = (n: number) => Int32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1 : 0));
    const binary = (n: number, rate: number) => ({ kind: 'binary' as const, values: Float64Array.from({ length: n }, (_, i) => (Math.floor(i / 2) % Math.round(1 / rate) === 0 ? 1 : 0)) });
    const rows = Math.ceil(TREE_DEFAULT_MIN_ROWS / 0.7) + 10;
    expect(defaultLearners({ codes: codes(rows), arms: ['a'] }, binary(rows, 0.5), 0.3)).toEqual([...linear, 't_gbm', 'forest']);
    // Too few rows for training.
    expect(defaultLearners({ codes: codes(rows - 400), arms: ['a'] }, binary(rows - 400, 0.5), 0.3)).toEqual(linear);
    // Enough rows, too few events per group: 1 in 50 of ~14,300 rows per group, ~200 training events < the minimum.
    expect(TREE_DEFAULT_MIN_EVENTS).toBeGreaterThan(250);
    expect(defaultLearners({ codes: codes(rows), arms: ['a'] }, binary(rows, 0.02), 0.3)).toEqual(linear);
    // A continuous outcome needs rows only.
    expect(defaultLearners({ codes: codes(rows), arms: ['a'] }, { kind: 'continuous', values: new Float64Array(rows) }, 0.3)).toEqual([...linear, 't_gbm', 'forest']);
  });

  it('fits <kind>_gbm on the gradient-boosting base learner and forest as an uplift forest, both predicted by predictUplift', () => {
    const data = campaign(4000, 3);
    const x = data.numeric('x');
    const X = { data: Float64Array.from({ length: data.n * 2 }, (_, k) => (k % 2 === 0 ? x[k / 2]! : data.numeric('z')[(k - 1) / 2]!)), rows: data.n, cols: 2 };
    const y = data.numeric('y');
    const t = Float64Array.from(armLabels(data), (a) => (a === 'offer' ? 1 : 0));
    const gbm = fitLearner('t_gbm', X, y, t, true, 0);
    expect(gbm.kind).toBe('t');
    expect(JSON.stringify(gbm)).toContain('gradient_boosting');
    const forest = fitLearner('forest', X, y, t, true, 0);
    expect(forest.kind).toBe('uplift_forest');
    const linear = fitLearner('t', X, y, t, true, 0);
    expect(JSON.stringify(linear)).not.toContain('gradient_boosting');
    // The threshold effect: trees put low uplift below x = 0.5 and about 0.4 above; a line cannot.
    const grid = { data: Float64Array.from([0.1, 0.5, 0.3, 0.5, 0.7, 0.5, 0.9, 0.5]), rows: 4, cols: 2 };
    for (const model of [gbm, forest]) {
      const u = predictUplift(model, grid);
      expect(Math.abs(u[0]!)).toBeLessThan(0.12);
      expect(Math.abs(u[1]!)).toBeLessThan(0.12);
      expect(u[2]!).toBeGreaterThan(0.28);
      expect(u[3]!).toBeGreaterThan(0.28);
    }
  });

  it('scores tree learners on the holdout for reference while the policy chooses among the meta-learners', () => {
    const data = campaign(3000, 5);
    const spec = { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x', 'z'], learners: ['t' as const, 'forest' as const, 's_gbm' as const] };
    const report = evaluateCampaign(data, spec, { resamples: 20 });
    const [u] = report.uplift;
    expect(u?.learners.map((l) => l.learner)).toEqual(['t', 'forest', 's_gbm']);
    expect(u?.chosen).toBe('t');
    expect(report.policy!.models[0]?.learner).toBe('t');
    for (const l of u?.learners ?? []) expect(Number.isFinite(l.qini.estimate)).toBe(true);
  });

  it('refuses a learner list with no meta-learner for the policy to choose', () => {
    const data = campaign(500, 9);
    const spec = { treatment: { column: 'arm', control: 'none' }, outcomes: [{ column: 'y', kind: 'binary' as const }], features: ['x', 'z'], learners: ['forest' as const] };
    expect(inputErrorOf(() => prepareCampaign(data, spec, {}, () => undefined)).reason).toBe('invalid_option');
    const context = prepareCampaign(data, { ...spec, learners: ['t', 'forest'] }, { resamples: 20 }, () => undefined);
    expect(compareUpliftLearners(context, buildFeatures(context)).section[0]?.learners).toHaveLength(2);
  });
});
