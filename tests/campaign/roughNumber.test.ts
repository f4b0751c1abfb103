import { describe, expect, it } from 'vitest';
import { roughNumber } from '../../src/campaign/roughNumber.js';

describe('roughNumber', () => {
  it('writes about three significant digits with separators and a true minus sign', () => {
    expect(roughNumber(4148.3)).toBe('4,148');
    expect(roughNumber(-1627.2)).toBe('−1,627');
    expect(roughNumber(12.54)).toBe('12.5');
    expect(roughNumber(3.14159)).toBe('3.14');
    expect(roughNumber(0.031234)).toBe('0.0312');
    expect(roughNumber(0)).toBe('0');
  });

  it('never writes hundreds of digits, a row of zeros or a minus zero', () => {
    expect(roughNumber(1.234e200)).toBe('1.23e200');
    expect(roughNumber(-5e300)).toBe('−5.00e300');
    expect(roughNumber(3e-9)).toBe('3.00e-9');
    expect(roughNumber(-0.4)).toBe('−0.400');
    expect(roughNumber(-0)).toBe('0');
    for (const v of [1e15, 9.99e14, 1e-6, 9.99e-7, Number.MAX_VALUE, Number.MIN_VALUE]) expect(roughNumber(v).length).toBeLessThan(24);
  });
});
