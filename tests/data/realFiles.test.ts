import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'promolens/data';
import { count, hasSharedData, sharedData, sum } from '../helpers.js';

// Reference figures: the files' READMEs and Python's csv module summing the
// same column in file order (an independent reader). Sums compare at 1e-12
// relative; counts exactly.
const read = (path: string) => {
  const bytes = readFileSync(sharedData + path);
  return parseCsv(path.endsWith('.gz') ? gunzipSync(bytes) : bytes);
};
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));

describe.skipIf(!hasSharedData)('parseCsv on the public datasets in ../shared/data', () => {
  it('reads Hillstrom (CRLF, quoted commas, no final line end)', () => {
    const data = read('hillstrom/hillstrom.csv');
    expect(data.n).toBe(64000);
    expect(data.names).toEqual(['recency', 'history_segment', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel', 'segment', 'visit', 'conversion', 'spend']);
    expect(data.categorical('history_segment').levels).toContain('6) $750 - $1,000');
    expect(data.categorical('zip_code').levels).toEqual(['Rural', 'Surburban', 'Urban']);
    const segment = data.categorical('segment');
    const conversion = data.numeric('conversion');
    const mens = segment.levels.indexOf('Mens E-Mail');
    let n = 0;
    let converted = 0;
    for (let i = 0; i < data.n; i++) {
      if (segment.codes[i] === mens) {
        n++;
        converted += conversion[i] as number;
      }
    }
    expect([n, converted]).toEqual([21307, 267]);
    close(sum(data.numeric('history')), 15493481.970001644);
    close(sum(data.numeric('spend')), 67258.12999999996);
    expect(count(data.numeric('newbie'), (v) => v === 1)).toBe(32144);
  });

  it('reads Cookie Cats (CRLF, TRUE/FALSE)', () => {
    const data = read('cookie-cats/cookie_cats.csv');
    expect(data.n).toBe(90189);
    expect(data.column('retention_7')).toMatchObject({ kind: 'numeric', boolean: true });
    expect(sum(data.numeric('retention_7'))).toBe(16781);
    expect(sum(data.numeric('sum_gamerounds'))).toBe(4678325);
    expect(data.categorical('version').levels).toEqual(['gate_30', 'gate_40']);
  });

  it('reads bank-marketing (semicolons, quoted text, yes/no)', () => {
    const data = read('bank-marketing/bank-additional-full.csv.gz');
    expect(data.n).toBe(41188);
    expect(data.names).toHaveLength(21);
    expect(sum(data.numeric('age'))).toBe(1648511);
    expect(sum(data.numeric('y'))).toBe(4640);
    close(sum(data.numeric('euribor3m')), 149153.7259999981);
    expect(count(data.numeric('pdays'), (v) => v === 999)).toBe(39673);
    const job = data.categorical('job');
    expect(count(job.codes, (code) => code === job.levels.indexOf('unknown'))).toBe(330);
  });

  it('reads online-shoppers-intention (CRLF, scientific notation, TRUE/FALSE)', () => {
    const data = read('online-shoppers-intention/online_shoppers_intention.csv');
    expect(data.n).toBe(12330);
    expect(sum(data.numeric('Revenue'))).toBe(1908);
    expect(sum(data.numeric('Weekend'))).toBe(2868);
    close(sum(data.numeric('PageValues')), 72614.54944701205);
    close(sum(data.numeric('BounceRates')), 273.61972120399633);
    expect(data.numeric('BounceRates')).toContain(7.5e-5);
  });

  it('reads the landing-page A/B files (LF, timestamps as text)', () => {
    const data = read('ab-data-landing-page/ab_data.csv.gz');
    expect(data.n).toBe(294478);
    expect(sum(data.numeric('converted'))).toBe(35237);
    const group = data.categorical('group');
    expect(count(group.codes, (code) => code === group.levels.indexOf('treatment'))).toBe(147276);
    const countries = read('ab-data-landing-page/countries.csv');
    expect(countries.n).toBe(290584);
    const country = countries.categorical('country');
    expect(count(country.codes, (code) => code === country.levels.indexOf('US'))).toBe(203619);
  });

  it('reads marketing-ab-sample (spaces in names, True/False)', () => {
    const data = read('marketing-ab-sample/marketing_AB.csv');
    expect(data.n).toBe(11762);
    expect(sum(data.numeric('converted'))).toBe(298);
    expect(sum(data.numeric('total ads'))).toBe(297995);
    expect(data.categorical('test group').levels).toEqual(['ad', 'psa']);
  });

  it('reads wa-marketing-campaign and the Criteo sample', () => {
    const wa = read('wa-marketing-campaign/WA_Marketing-Campaign.csv');
    expect(wa.n).toBe(548);
    close(sum(wa.numeric('SalesInThousands')), 29299.479999999963);
    const criteo = read('criteo-uplift-sample/criteo-uplift-v2.1-first1000.csv');
    expect(criteo.n).toBe(1000);
    expect(sum(criteo.numeric('treatment'))).toBe(863);
    expect(sum(criteo.numeric('visit'))).toBe(35);
    close(sum(criteo.numeric('f0')), 19644.445598270886);
  });
});
