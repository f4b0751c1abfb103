import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromColumns, formatCsv, parseCsv } from 'promolens/data';
import { inputErrorOf } from '../helpers.js';

describe('parseCsv dialects', () => {
  const expected = { a: [1, 2], b: ['x', 'y'] };
  const cases: [string, string][] = [
    ['LF with final newline', 'a,b\n1,x\n2,y\n'],
    ['LF without final newline', 'a,b\n1,x\n2,y'],
    ['CRLF', 'a,b\r\n1,x\r\n2,y\r\n'],
    ['CRLF without final line end', 'a,b\r\n1,x\r\n2,y'],
    ['CR only', 'a,b\r1,x\r2,y\r'],
    ['semicolon', 'a;b\n1;x\n2;y\n'],
    ['tab', 'a\tb\n1\tx\n2\ty\n'],
    ['BOM', '\uFEFFa,b\n1,x\n2,y\n'],
    ['quoted header and cells', '"a","b"\n1,"x"\n"2","y"\n'],
    ['trailing blank lines', 'a,b\n1,x\n2,y\n\n\r\n'],
  ];
  for (const [name, text] of cases) {
    it(`reads ${name}`, () => {
      const data = parseCsv(text);
      expect(data.names).toEqual(['a', 'b']);
      expect([...data.numeric('a')]).toEqual(expected.a);
      expect(data.toRows().map((row) => row.b)).toEqual(expected.b);
    });
  }

  it('reads quoted fields with doubled quotes, separators and line breaks', () => {
    const data = parseCsv('id,text\n1,"say ""hi"", then\r\nleave"\n2,"a;b"\n');
    expect(data.toRows()).toEqual([
      { id: 1, text: 'say "hi", then\r\nleave' },
      { id: 2, text: 'a;b' },
    ]);
  });

  it('uses the given delimiter over detection', () => {
    const data = parseCsv('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(data.names).toEqual(['a;b', 'c']);
  });

  it('reads UTF-8 text in levels', () => {
    const data = parseCsv('city,n\nZürich,1\n東京,2\nZürich,3\n');
    expect(data.categorical('city').levels).toEqual(['Zürich', '東京']);
    expect([...data.categorical('city').codes]).toEqual([0, 1, 0]);
  });

  it('reads a header-less file with numbered columns', () => {
    const data = parseCsv('1,x\n2,y\n', { header: false });
    expect(data.names).toEqual(['column_1', 'column_2']);
    expect(data.n).toBe(2);
  });

  it('reads a header-only file as zero rows', () => {
    const data = parseCsv('a,b\n');
    expect(data.n).toBe(0);
    expect(data.names).toEqual(['a', 'b']);
  });

  it('keeps an empty last field', () => {
    expect(parseCsv('a,b\n1,').toRows()).toEqual([{ a: 1, b: null }]);
  });
});

describe('parseCsv types', () => {
  it('infers numbers, booleans and categories, empty cells missing', () => {
    const data = parseCsv('n,flag,yes,cat\n1.5,TRUE,yes,u\n,False,no,\n-2e3,true,,v\n');
    expect([...data.numeric('n')]).toEqual([1.5, Number.NaN, -2000]);
    expect(data.column('flag')).toMatchObject({ kind: 'numeric', boolean: true });
    expect([...data.numeric('flag')]).toEqual([1, 0, 1]);
    expect([...data.numeric('yes')]).toEqual([1, 0, Number.NaN]);
    expect(data.categorical('cat')).toMatchObject({ levels: ['u', 'v'] });
    expect([...data.categorical('cat').codes]).toEqual([0, -1, 1]);
  });

  it('keeps the exact text of a column that turns categorical after numbers', () => {
    const data = parseCsv('zip,x\n02134,1\n10001,2\nSW1A,3\n');
    expect(data.categorical('zip').levels).toEqual(['02134', '10001', 'SW1A']);
    expect(data.note('zip')).toBe('first value that is not a number: "SW1A" at row 2');
    const error = inputErrorOf(() => data.numeric('zip'));
    expect(error.reason).toBe('wrong_type');
    expect(error.message).toContain('"SW1A" at row 2');
  });

  it('reads a column of booleans and other words as categorical text', () => {
    const data = parseCsv('v\nTRUE\nmaybe\nFALSE\n');
    expect(data.categorical('v').levels).toEqual(['FALSE', 'TRUE', 'maybe']);
  });

  it('tells a quoted empty string from a missing cell', () => {
    const data = parseCsv('s,n\n"",1\n,2\nx,3\n');
    const column = data.categorical('s');
    expect(column.levels).toEqual(['', 'x']);
    expect([...column.codes]).toEqual([0, -1, 1]);
    expect([...parseCsv('n\n""\n1\n').numeric('n')]).toEqual([Number.NaN, 1]);
  });

  it('reads extra missing-value tokens when asked', () => {
    const data = parseCsv('x\n1\nNA\n3\n', { missing: ['', 'NA'] });
    expect([...data.numeric('x')]).toEqual([1, Number.NaN, 3]);
  });

  it('follows a schema map over inference', () => {
    const data = parseCsv('zip,flag,x\n02134,1,5\n10001,0,6\n', { schema: { zip: 'category', flag: 'boolean' } });
    expect(data.categorical('zip').levels).toEqual(['02134', '10001']);
    expect(data.column('flag')).toMatchObject({ kind: 'numeric', boolean: true });
  });

  it('follows a zod schema', () => {
    const schema = z.object({ zip: z.string(), spend: z.number().optional(), ok: z.boolean() });
    const data = parseCsv('zip,spend,ok\n007,,yes\n', { schema });
    expect(data.toRows()).toEqual([{ zip: '007', spend: null, ok: true }]);
  });

  it('parses numbers exactly as Number() does', () => {
    const texts = [
      '0', '-0', '1', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456789',
      '9007199254740993', '1e22', '1e23', '1.7976931348623157e308', '5e-324', '2.2250738585072014E-308',
      '.5', '5.', '+3', '007.250', '1E+5', '123.456e-7', '0.000000000000000000000000001',
    ];
    const data = parseCsv(`x\n${texts.join('\n')}\n`);
    const values = data.numeric('x');
    texts.forEach((text, i) => expect(Object.is(values[i], Number(text)), text).toBe(true));
  });

  it('parses every double written by String() back to itself', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const text = `x\n${xs.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join('\n')}\n`;
        const values = parseCsv(text).numeric('x');
        return xs.every((x, i) => Object.is(values[i], x));
      }),
      { numRuns: 300 },
    );
  });

  it('parses fixed-point texts as Number() does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 25 }), (digits, scale) => {
        const raw = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0');
        const text = `${digits < 0n ? '-' : ''}${raw.slice(0, raw.length - scale)}${scale > 0 ? `.${raw.slice(raw.length - scale)}` : ''}`;
        return Object.is(parseCsv(`x\n${text}\n`).numeric('x')[0], Number(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCsv errors', () => {
  it('names the line of an unbalanced quote', () => {
    const error = inputErrorOf(() => parseCsv('a,b\n1,x\n2,"open\n3,y\n'));
    expect(error.reason).toBe('parse_error');
    expect(error.field).toBe('b');
    expect(error.message).toContain('line 3');
  });

  it('names the line of a record with the wrong number of fields', () => {
    const error = inputErrorOf(() => parseCsv('a,b\r\n1,x\r\n2,y,z\r\n'));
    expect(error.reason).toBe('parse_error');
    expect(error.row).toBe(1);
    expect(error.message).toBe('line 3 has 3 fields, the header has 2');
  });

  it('counts lines inside quoted fields', () => {
    const error = inputErrorOf(() => parseCsv('a,b\n1,"x\ny"\n2\n'));
    expect(error.message).toBe('line 4 has 1 field, the header has 2');
  });

  it('rejects a blank line between records', () => {
    const error = inputErrorOf(() => parseCsv('a,b\n1,x\n\n2,y\n'));
    expect(error.reason).toBe('parse_error');
    expect(error.message).toContain('line 3 is blank');
  });

  it('rejects text after a closing quote', () => {
    expect(inputErrorOf(() => parseCsv('a\n"x"y\n')).reason).toBe('parse_error');
  });

  it('rejects empty text, duplicate names, bad delimiters', () => {
    expect(inputErrorOf(() => parseCsv('')).reason).toBe('empty');
    expect(inputErrorOf(() => parseCsv('a,a\n1,2\n')).reason).toBe('duplicate_column');
    expect(inputErrorOf(() => parseCsv('a\n1\n', { delimiter: '"' })).reason).toBe('invalid_option');
  });

  it('rejects values that break a schema, naming column and row', () => {
    const error = inputErrorOf(() => parseCsv('x,y\n1,a\nabc,b\n', { schema: { x: 'number' } }));
    expect(error).toMatchObject({ reason: 'not_numeric', field: 'x', row: 1 });
    expect(error.message).toBe('x is declared number, got "abc" at row 1 (line 3)');
    expect(inputErrorOf(() => parseCsv('f\nmaybe\n', { schema: { f: 'boolean' } })).reason).toBe('not_binary');
    expect(inputErrorOf(() => parseCsv('x\n1\n', { schema: { y: 'number' } })).reason).toBe('missing_column');
  });
});

describe('parseCsv round trip', () => {
  const level = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ';', ' ', 'é', '1', '') });
  it('reads back every value formatCsv writes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.record({
            x: fc.array(fc.oneof(fc.double({ noDefaultInfinity: true }), fc.constant(Number.NaN)), { minLength: n, maxLength: n }),
            s: fc.array(fc.option(level, { nil: null }), { minLength: n, maxLength: n }),
            b: fc.array(fc.option(fc.boolean(), { nil: null }), { minLength: n, maxLength: n }),
          }),
        ),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n' as const, '\r\n' as const),
        ({ x, s, b }, delimiter, lineEnd) => {
          const original = fromColumns({ x, s, b });
          const text = formatCsv(original, { delimiter, lineEnd });
          const read = parseCsv(text, { delimiter, schema: { x: 'number', s: 'category', b: 'boolean' } });
          expect(read.toRows()).toEqual(original.toRows());
          const xs = read.numeric('x');
          x.forEach((value, i) => expect(Object.is(xs[i], value) || (Number.isNaN(value) && Number.isNaN(xs[i]))).toBe(true));
        },
      ),
      { numRuns: 200 },
    );
  });
});
