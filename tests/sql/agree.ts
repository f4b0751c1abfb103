import { expect } from 'vitest';

/**
 * Deep agreement of two results: equal strings, booleans and nulls, and
 * numbers within `tolerance` relative (absolute below 1e-300 near zero,
 * and `floor` absolute for values that are zero up to rounding).
 */
export function expectAgree(actual: unknown, expected: unknown, tolerance: number, path = 'result', floor = 1e-12): void {
  if (typeof expected === 'number') {
    expect(typeof actual, `${path} type`).toBe('number');
    const a = actual as number;
    if (!Number.isFinite(expected)) {
      expect(a, path).toBe(expected);
      return;
    }
    const error = Math.abs(a - expected);
    expect(error <= tolerance * Math.abs(expected) || error <= floor, `${path}: ${a} vs ${expected} (relative ${error / Math.abs(expected)})`).toBe(true);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const e = Array.from(expected as ArrayLike<unknown>);
    const a = Array.from(actual as ArrayLike<unknown>);
    expect(a.length, `${path} length`).toBe(e.length);
    e.forEach((value, k) => expectAgree(a[k], value, tolerance, `${path}[${k}]`, floor));
    return;
  }
  expect(actual, path).toBeTypeOf('object');
  const keys = Object.keys(expected as object);
  expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual([...keys].sort());
  for (const key of keys) expectAgree((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], tolerance, `${path}.${key}`, floor);
}
