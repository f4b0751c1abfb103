import { describe, expect, it } from 'vitest';
import { predictLinear, predictProba } from 'promolens/models';
import { fitSLearner, predictUpliftByArm } from 'promolens/uplift';

// The S-learner predicts its linear or logistic outcome model at t = 1 and t = 0 without building
// [X, 1, X] and [X, 0, 0]: the uplift must be the model's predictions on those matrices, subtracted.
describe('S-learner predictions', () => {
  const n = 400;
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7) * 3, (i % 7) - 3]);
  const arm = Array.from({ length: n }, (_, i) => ['none', 'mail', 'sms'][i % 3]!);
  const binary = X.map(([a, b], i) => (Math.sin(i * 2.9) + (arm[i] === 'mail' ? a! : arm[i] === 'sms' ? -0.2 * b! : 0) > 0.2 ? 1 : 0));
  const spend = X.map(([a, b], i) => 10 + Math.sin(i * 2.9) + (arm[i] === 'mail' ? 2 * a! : 0) + 0.1 * b!);
  const design = (t: number, interactions: boolean) => X.map((row) => [...row, t, ...(interactions ? row.map((v) => t * v) : [])]);

  for (const interactions of [true, false]) {
    it(`equals the outcome model on [X, t${interactions ? ', t·X' : ''}] at t = 1 minus at t = 0`, () => {
      const cases: [number[], (model: never, X: number[][]) => Float64Array][] = [[binary, predictProba as never], [spend, predictLinear as never]];
      for (const [y, predict] of cases) {
        const model = fitSLearner(X, y, arm, { control: 'none', interactions });
        const uplift = predictUpliftByArm(model, X);
        model.arms.forEach((a, k) => {
          const outcome = a.models.outcome as never;
          const treated = predict(outcome, design(1, interactions));
          const untreated = predict(outcome, design(0, interactions));
          const column = uplift.uplift[k]!;
          for (let i = 0; i < n; i++) expect(column[i]!).toBeCloseTo(treated[i]! - untreated[i]!, 12);
        });
      }
    });
  }
});
