import { describe, expect, it } from 'vitest';
import { createRandom, fillUniform, randomFromState, randomState } from '../../src/internal/random.js';

describe('the seeded generator', () => {
  it('fillUniform gives the same stream as calls, and continues it', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const random = createRandom(seed);
      const expected = Float64Array.from({ length: 1000 }, () => random());
      const state = randomState(seed);
      const batch = new Float64Array(600);
      fillUniform(state, batch);
      const next = randomFromState(state);
      const rest = Float64Array.from({ length: 400 }, () => next());
      expect([...batch, ...rest]).toEqual([...expected]);
    }
  });
});
