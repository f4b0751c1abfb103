/**
 * A seeded uniform generator on [0, 1): xoshiro128** with its state filled
 * by splitmix32 from the seed. 32-bit integer arithmetic only, so the stream
 * is identical on every JavaScript runtime.
 * @internal
 */
export function createRandom(seed: number): () => number {
  return randomFromState(randomState(seed));
}

/**
 * The state of {@link createRandom}'s generator for a seed, for loops that
 * draw many numbers with the state in local variables (see
 * {@link drawIndex}) and hand it back, continuing the same stream. It lives
 * in an Int32Array: closure variables holding 32-bit values outside the
 * small-integer range would be boxed on every step.
 * @internal
 */
export function randomState(seed: number): Int32Array {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return Int32Array.of(splitmix(), splitmix(), splitmix(), splitmix());
}

/** {@link createRandom} over a given state, which it advances. @internal */
export function randomFromState(state: Int32Array): () => number {
  return () => {
    const a = state[0] as number;
    const b = state[1] as number;
    const c = (state[2] as number) ^ a;
    const d = (state[3] as number) ^ b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    state[0] = a ^ d;
    state[1] = b ^ c;
    state[2] = c ^ (b << 9);
    state[3] = rotl(d, 11);
    return result / 4294967296;
  };
}

/**
 * Fills `out` with the next `out.length` numbers of the stream of `state`
 * (as that many calls of {@link randomFromState} would give them, the state
 * advanced alike), with the state in local variables: about twice as fast
 * as the calls, for the millions of draws of a bootstrap. @internal
 */
export function fillUniform(state: Int32Array, out: Float64Array): void {
  let s0 = state[0] as number;
  let s1 = state[1] as number;
  let s2 = state[2] as number;
  let s3 = state[3] as number;
  for (let k = 0; k < out.length; k++) {
    const c = s2 ^ s0;
    const d = s3 ^ s1;
    const x = Math.imul(s1, 5);
    out[k] = (Math.imul((x << 7) | (x >>> 25), 9) >>> 0) / 4294967296;
    s2 = c ^ (s1 << 9);
    s0 ^= d;
    s1 ^= c;
    s3 = (d << 11) | (d >>> 21);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Draws per position of the group being drawn, reused across calls (drawCopies runs to its end before any other call). */
let drawCounts = new Int32Array(0);

/**
 * A bootstrap within groups: each group's members drawn with replacement as
 * many times as it has members (the groups are disjoint); `copies[member]` counts each member's draws.
 * The uniform numbers come in one batch per group (`uniforms` holds at least
 * the largest group), the same stream as one `random()` call per draw. The
 * draws are counted by position in the group first (a small array, in
 * cache), then written to the members: the same counts as adding each draw
 * to its member, without a scattered update of `copies` per draw.
 * @internal
 */
export function drawCopies(state: Int32Array, groups: readonly Int32Array[], copies: Float64Array, uniforms: Float64Array): void {
  copies.fill(0);
  for (const members of groups) {
    const m = members.length;
    if (drawCounts.length < m) drawCounts = new Int32Array(m);
    const counts = drawCounts;
    counts.fill(0, 0, m);
    const draws = uniforms.subarray(0, m);
    fillUniform(state, draws);
    for (let r = 0; r < m; r++) counts[Math.floor((draws[r] as number) * m)]!++;
    for (let p = 0; p < m; p++) copies[members[p] as number] = counts[p] as number;
  }
}
