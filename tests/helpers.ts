import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { isInputError, type InputReason } from 'promolens';

/** `../shared/data` beside the repository: present on developer machines and in CI. */
export const sharedData = fileURLToPath(new URL('../../shared/data/', import.meta.url));
export const hasSharedData = existsSync(sharedData);
export const examplesData = fileURLToPath(new URL('../examples/data/', import.meta.url));

/** Runs `call`, which must throw an InputError, and returns it for assertions outside the call. */
export function inputErrorOf(call: () => unknown): { reason: InputReason; field: string; row: number | undefined; message: string } {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(isInputError(caught), `expected an InputError, got ${String(caught)}`).toBe(true);
  return caught as { reason: InputReason; field: string; row: number | undefined; message: string };
}

export async function inputErrorOfAsync(call: () => Promise<unknown>) {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(isInputError(caught), `expected an InputError, got ${String(caught)}`).toBe(true);
  return caught as { reason: InputReason; field: string; row: number | undefined; message: string };
}

/** Plain left-to-right sum, the order Python's `sum` uses. */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}

export function count(values: ArrayLike<number>, predicate: (value: number) => boolean): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) if (predicate(values[i] as number)) total++;
  return total;
}
