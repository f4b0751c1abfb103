import { describe, expect, it } from 'vitest';
import { LEARNERS } from '../../src/campaign/spec.js';
import { featureWords, formatValue, learnerWords, niceTicks } from '../../src/report/format.js';
import { glossary } from '../../src/report/glossary.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the data', () => {
    expect(niceTicks(0, 0.118)).toEqual({ domain: [0, 0.12], ticks: [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12], digits: 2 });
    expect(niceTicks(-0.0084, 0.0589).ticks).toEqual([-0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);
    expect(niceTicks(-148, 305).ticks).toEqual([-200, -100, 0, 100, 200, 300, 400]);
    expect(niceTicks(0, 1, 5, 'share')).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], digits: 0 });
  });

  it('gives every step a mantissa of 1, 2 or 5 over many ranges', () => {
    for (let k = 0; k < 200; k++) {
      const low = Math.sin(k) * 10 ** ((k % 9) - 4);
      const high = low + Math.abs(Math.cos(k * 7)) * 10 ** ((k % 7) - 3) + 1e-9;
      const { ticks, domain } = niceTicks(low, high);
      const step = (ticks[1] as number) - (ticks[0] as number);
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toPrecision(6));
      expect([1, 2, 5, 10]).toContain(mantissa);
      expect(domain[0]).toBeLessThanOrEqual(low);
      expect(domain[1]).toBeGreaterThanOrEqual(high);
      expect(ticks.length).toBeLessThanOrEqual(12);
    }
  });

  it('widens an empty range', () => {
    expect(niceTicks(0, 0).domain[0]).toBeLessThan(0);
    expect(niceTicks(5, 5).domain[1]).toBeGreaterThan(5);
  });
});

describe('formatValue', () => {
  it('writes shares as percentages, money with its currency and a true minus sign', () => {
    expect(formatValue(0.0589, { style: 'share', digits: 1 })).toBe('5.9%');
    expect(formatValue(-1234.5, { style: 'currency', digits: 0, currency: 'EUR' })).toBe('−EUR 1,235');
    expect(formatValue(0.00841, { style: 'number', digits: 3 })).toBe('0.008');
  });
});

describe('words', () => {
  it('names learners in words and features as the user wrote them', () => {
    expect(learnerWords('t')).toBe('two models (T-learner)');
    expect(learnerWords('class_transformation')).toContain('class transformation');
    expect(featureWords('recency:std')).toBe('recency');
    expect(featureWords('channel=Phone')).toBe('channel = Phone');
    expect(featureWords('history:missing')).toBe('history is missing');
    expect(featureWords('history:std*channel=Web')).toBe('history × channel = Web');
  });

  it('has words and a definition for every learner the spec accepts', () => {
    const entries = glossary([...LEARNERS]);
    for (const name of LEARNERS) {
      expect(learnerWords(name), name).not.toBe(name);
      const entry = entries.find((e) => e.term === `Learner “${name}”`);
      expect(entry?.definition, name).not.toContain('an uplift model.');
    }
  });
});
