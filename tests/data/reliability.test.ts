import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codeAssignment, columnLabels, fromColumns, fromRows, formatCsv, parseCsv } from 'promolens/data';
import { inputErrorOf } from '../helpers.js';

describe('parseCsv loses no rows', () => {
  it('reads a blank line in a one-column file as a missing value', () => {
    const data = parseCsv('x\n1\n\n');
    expect(data.n).toBe(2);
    expect([...data.numeric('x')]).toEqual([1, Number.NaN]);
    expect([...parseCsv('x\r\n\r\n2\r\n').numeric('x')]).toEqual([Number.NaN, 2]);
    expect(parseCsv('x\n1\n').n).toBe(1);
    expect(parseCsv('x\n').n).toBe(0);
  });

  it('reads back a one-column dataset ending in a missing value', () => {
    const original = fromColumns({ x: [1, 2, Number.NaN] });
    expect(formatCsv(original)).toBe('x\n1\n2\n\n');
    expect([...parseCsv(formatCsv(original)).numeric('x')]).toEqual([1, 2, Number.NaN]);
    const middle = fromColumns({ s: ['a', null, 'b'] });
    expect(parseCsv(formatCsv(middle)).toRows()).toEqual(middle.toRows());
  });

  it('still rejects a blank line between records of several columns', () => {
    const error = inputErrorOf(() => parseCsv('a,b\n1,2\n\n3,4\n'));
    expect(error.reason).toBe('parse_error');
    expect(error.message).toContain('line 3 is blank');
  });

  it('keeps text levels that look like numbers or booleans as text', () => {
    const original = fromColumns({ code: ['007', '1', 'true', 'NaN', '1e400'], flag: ['No', 'Yes', 'No', 'No', 'Yes'] });
    const text = formatCsv(original);
    expect(text.split('\n')[1]).toBe('"007","No"');
    const read = parseCsv(text);
    expect(read.categorical('code').levels).toEqual(original.categorical('code').levels);
    expect(read.categorical('flag').levels).toEqual(['No', 'Yes']);
  });

  it('keeps a text column whose only values are empty strings', () => {
    const original = fromColumns({ s: ['', '', null], n: [1, 2, 3] });
    const read = parseCsv(formatCsv(original));
    expect(read.column('s').kind).toBe('categorical');
    expect(read.toRows()).toEqual(original.toRows());
  });

  it('keeps column names holding separators, tabs, quotes and a leading U+FEFF', () => {
    const original = fromColumns({ 'a,b': [1], 'c\td': [2], 'e;f': [3], 'g"h': [4], '\uFEFFi': [5], '': [6] });
    expect(parseCsv(formatCsv(original)).names).toEqual(original.names);
  });

  it('reads quoted numbers as numbers in a file that quotes every field', () => {
    const data = parseCsv('"a","b"\n"1","x"\n"2","y"\n');
    expect([...data.numeric('a')]).toEqual([1, 2]);
    const selective = parseCsv('a,b\n"1",x\n"2",y\n');
    expect(selective.categorical('a').levels).toEqual(['1', '2']);
  });
});

describe('parseCsv changes no text silently', () => {
  it('rejects bytes that are not UTF-8, naming the column and row', () => {
    const latin1 = Uint8Array.from([...'city,n\nZ'].map((c) => c.charCodeAt(0)).concat([0xfc], [...'rich,1\n'].map((c) => c.charCodeAt(0))));
    const error = inputErrorOf(() => parseCsv(latin1));
    expect(error).toMatchObject({ reason: 'parse_error', field: 'city', row: 0 });
    expect(error.message).toContain('latin1');
  });

  it('reads Latin-1 bytes with an explicit encoding, keeping é and è apart', () => {
    const bytes = Uint8Array.from([...'v\n'].map((c) => c.charCodeAt(0)).concat([0xe9, 10, 0xe8, 10]));
    expect(parseCsv(bytes, { encoding: 'latin1' }).categorical('v').levels).toEqual(['è', 'é']);
  });

  it('removes a byte-order mark at the start only', () => {
    const data = parseCsv('\uFEFFs\n\uFEFFabc\nabc\n');
    expect(data.names).toEqual(['s']);
    expect(data.categorical('s').levels).toEqual(['abc', '\uFEFFabc']);
  });

  it('rejects a string holding a lone surrogate', () => {
    expect(inputErrorOf(() => parseCsv('s\na\ud800b\n'))).toMatchObject({ reason: 'parse_error' });
  });
});

describe('parseCsv and formatCsv with out-of-range numbers', () => {
  it('rejects a number beyond the range of a double, naming column and row', () => {
    expect(inputErrorOf(() => parseCsv('x\n1\n1e400\n'))).toMatchObject({ reason: 'out_of_range', field: 'x', row: 1 });
    expect(inputErrorOf(() => parseCsv('x\n-1e400\n', { schema: { x: 'number' } }))).toMatchObject({ reason: 'out_of_range', field: 'x', row: 0 });
    expect(parseCsv('x\n1e400\nabc\n').categorical('x').levels).toEqual(['1e400', 'abc']);
    expect(parseCsv('x\n1.7976931348623157e308\n').numeric('x')[0]).toBe(1.7976931348623157e308);
  });

  it('refuses to write an infinite number', () => {
    const data = fromColumns({ x: [1, 2] }).withColumn('x', { kind: 'numeric', name: 'x', values: Float64Array.of(1, -Infinity), boolean: false });
    expect(inputErrorOf(() => formatCsv(data))).toMatchObject({ reason: 'not_finite', field: 'x', row: 1 });
  });
});

describe('zod schemas are honoured wholly', () => {
  const schema = z.object({ arm: z.enum(['A', 'B']), visits: z.number().int().min(0), spend: z.number().optional() });
  const cases: [string, string, string, number][] = [
    ['an enum level', 'arm,visits,spend\nA,1,2\nC,1,2\n', 'arm', 1],
    ['a minimum', 'arm,visits,spend\nA,-1,2\n', 'visits', 0],
    ['an integer', 'arm,visits,spend\nB,1.5,2\n', 'visits', 0],
    ['a required value', 'arm,visits,spend\nA,,2\n', 'visits', 0],
  ];
  for (const [name, text, field, row] of cases) {
    it(`rejects ${name} on parseCsv and fromRows alike`, () => {
      const csvError = inputErrorOf(() => parseCsv(text, { schema }));
      expect(csvError).toMatchObject({ field, row });
      const rows = parseCsv(text).toRows();
      const rowsError = inputErrorOf(() => fromRows(rows, { schema }));
      expect(rowsError).toMatchObject({ field, row, reason: csvError.reason });
    });
  }

  it('accepts rows that meet the schema, an optional value missing', () => {
    const data = parseCsv('arm,visits,spend\nA,1,\nB,0,2.5\n', { schema });
    expect(data.n).toBe(2);
    expect(data.categorical('arm').levels).toEqual(['A', 'B']);
  });

  it('rejects a column a strict schema does not name', () => {
    const strict = z.strictObject({ a: z.number() });
    expect(inputErrorOf(() => parseCsv('a,b\n1,2\n', { schema: strict }))).toMatchObject({ reason: 'unknown_column', field: 'b' });
  });
});

describe('bad inputs to the data functions are InputErrors', () => {
  const calls: [string, () => unknown, string][] = [
    ['fromRows(null)', () => fromRows(null as never), 'rows'],
    ['fromRows([1])', () => fromRows([1] as never), 'rows'],
    ['fromColumns(null)', () => fromColumns(null as never), 'columns'],
    ['fromColumns({ a: 5 })', () => fromColumns({ a: 5 } as never), 'a'],
    ['fromColumns({ a: "abc" })', () => fromColumns({ a: 'abc' } as never), 'a'],
    ['fromColumns(BigInt64Array)', () => fromColumns({ a: new BigInt64Array(2) } as never), 'a'],
    ['take(null)', () => fromColumns({ a: [1] }).take(null as never), 'indices'],
    ['filter(null)', () => fromColumns({ a: [1] }).filter(null as never), 'mask'],
    ['select(null)', () => fromColumns({ a: [1] }).select(null as never), 'names'],
    ['formatCsv(null)', () => formatCsv(null as never), 'dataset'],
    ['formatCsv(no columns)', () => formatCsv(fromColumns({})), 'dataset'],
    ['parseCsv(null)', () => parseCsv(null as never), 'input'],
    ['parseCsv options null', () => parseCsv('a\n1\n', null as never), 'options'],
    ['parseCsv unknown option', () => parseCsv('a\n1\n', { delimeter: ';' } as never), 'delimeter'],
    ['parseCsv header "yes"', () => parseCsv('a\n1\n', { header: 'yes' } as never), 'header'],
    ['parseCsv encoding', () => parseCsv('a\n1\n', { encoding: 'utf-16' } as never), 'encoding'],
    ['parseCsv missing', () => parseCsv('a\n1\n', { missing: 'NA' } as never), 'missing'],
    ['formatCsv unknown option', () => formatCsv(fromColumns({ a: [1] }), { quote: true } as never), 'quote'],
    ['fromRows unknown option', () => fromRows([], { schema: {}, strict: true } as never), 'strict'],
  ];
  for (const [name, call, field] of calls) {
    it(`${name} names '${field}'`, () => {
      const error = inputErrorOf(call);
      expect(error.field).toBe(field);
      expect(error.reason).not.toBe('');
    });
  }
});

describe('boolean columns keep their spellings (arm labels as written)', () => {
  it('remembers No/Yes and writes them back', () => {
    const data = parseCsv('arm,y\nNo,1\nYes,0\nNo,1\n');
    expect(data.column('arm')).toMatchObject({ kind: 'numeric', boolean: true, spellings: ['No', 'Yes'] });
    expect(formatCsv(data)).toBe('arm,y\nNo,1\nYes,0\nNo,1\n');
    const labels = columnLabels(data.column('arm'));
    expect(labels.levels).toEqual(['No', 'Yes']);
    expect([...labels.codes]).toEqual([0, 1, 0]);
  });

  it('knows the partner of a spelling seen alone, and forgets mixed spellings', () => {
    expect(parseCsv('v\nTRUE\nTRUE\n').column('v')).toMatchObject({ spellings: ['FALSE', 'TRUE'] });
    expect(parseCsv('v\ntrue\nfalse\n').column('v')).not.toHaveProperty('spellings');
    expect(parseCsv('v\nyes\nYes\n').column('v')).not.toHaveProperty('spellings');
    expect(columnLabels(parseCsv('v\nyes\nYes\n').column('v')).levels).toEqual(['false', 'true']);
  });

  it('labels numbers by their shortest text, in numeric order', () => {
    const labels = columnLabels(fromColumns({ p: [3, 1, 2, 10, Number.NaN] }).column('p'));
    expect(labels.levels).toEqual(['1', '2', '3', '10']);
    expect([...labels.codes]).toEqual([2, 0, 1, 3, -1]);
  });

  it('reads a column as text when the schema says so', () => {
    expect(parseCsv('arm\nNo\nYes\n', { schema: { arm: 'category' } }).categorical('arm').levels).toEqual(['No', 'Yes']);
  });
});

describe('codeAssignment names arms as the file spells them', () => {
  it('codes a No/Yes treatment column with control No', () => {
    const data = parseCsv('treated,y\nNo,1\nYes,0\nNo,1\nYes,1\n');
    const assignment = codeAssignment(data, 'treated', 'No');
    expect(assignment).toMatchObject({ control: 'No', arms: ['Yes'], controlCount: 2, armCounts: [2] });
    expect([...assignment.codes]).toEqual([-1, 0, -1, 0]);
    expect(codeAssignment(data, 'treated', 0).control).toBe('No');
    expect(codeAssignment(parseCsv('t\ntrue\nfalse\n'), 't', 'false').arms).toEqual(['true']);
  });
});
