/**
 * A seeded uniform generator on [0, 1): xoshiro128** with its state filled
 * by splitmix32 from the seed. 32-bit integer arithmetic only, so the stream
 * is identical on every JavaScript runtime.
 * @internal
 */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // The state lives in an Int32Array: closure variables holding 32-bit values
  // outside the small-integer range would be boxed on every step.
  const state = Int32Array.of(splitmix(), splitmix(), splitmix(), splitmix());
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

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
