import { describe, expect, it } from 'vitest';
import { createRandom, drawCopies, fillUniform, randomFromState, randomState } from '../../src/internal/random.js';

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

  it('drawCopies counts each draw of the stream for its member, group by group, and continues the stream', () => {
    // Groups of uneven sizes, interleaved members, a larger group after a smaller (the counts buffer grows).
    const groups = [Int32Array.of(1, 4, 6), Int32Array.of(0, 2, 3, 5, 7, 8, 9, 10, 11), Int32Array.of(12)];
    const state = randomState(7);
    const copies = new Float64Array(13);
    const uniforms = new Float64Array(9);
    const random = createRandom(7);
    for (let round = 0; round < 50; round++) {
      drawCopies(state, groups, copies, uniforms);
      const expected = new Float64Array(13);
      for (const members of groups) for (let r = 0; r < members.length; r++) expected[members[Math.floor(random() * members.length)]!]! += 1;
      expect(copies).toEqual(expected);
    }
    expect(randomFromState(state)()).toBe(random());
  });
});
