import { describe, expect, it } from 'vitest';
import { borrowScratch, returnScratch } from '../../src/internal/scratch.js';

describe('scratch buffers', () => {
  it('lends the smallest buffer given back that fits, never the same one twice at once', () => {
    const small = borrowScratch(1000);
    const large = borrowScratch(5000);
    expect(small.length).toBe(1000);
    expect(large.length).toBe(5000);
    returnScratch(large, small);
    // Both back: 800 values come from the 1,000, 3,000 from the 5,000, and then nothing fits 900 but a new buffer.
    const a = borrowScratch(800);
    const b = borrowScratch(3000);
    const c = borrowScratch(900);
    expect(a).toBe(small);
    expect(b).toBe(large);
    expect(c).not.toBe(small);
    expect(c).not.toBe(large);
    expect(c.length).toBe(900);
    returnScratch(a, b, c);
  });

  it('takes a view back as its whole buffer, once', () => {
    const buffer = borrowScratch(20_480);
    returnScratch(buffer.subarray(100, 200), buffer.subarray(0, 10), buffer);
    const again = borrowScratch(20_000);
    expect(again.buffer).toBe(buffer.buffer);
    expect(again.length).toBe(20_480);
    // Given back once however many views came back: the next borrow of that size is a new buffer.
    expect(borrowScratch(20_000).buffer).not.toBe(buffer.buffer);
    returnScratch(again);
  });
});
