import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'promolens/data';
import { readCsv } from 'promolens/node';
import { examplesData, inputErrorOfAsync } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'promolens-'));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readCsv', () => {
  it('reads the bundled Hillstrom gzip', async () => {
    const data = await readCsv(`${examplesData}hillstrom.csv.gz`);
    expect(data.n).toBe(64000);
    expect(data.categorical('segment').levels).toEqual(['Mens E-Mail', 'No E-Mail', 'Womens E-Mail']);
  });

  const text = 'id,name,score,flag\r\n1,"Smith, J",1.25,TRUE\r\n2,"multi\nline ""quote""",,FALSE\r\n3,é,-3e-2,TRUE\r\n04,x,7,\r\n';
  for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
    it(`gives parseCsv's dataset whatever the chunk size (${chunkSize} bytes)`, async () => {
      const data = await readCsv(file(`chunks${chunkSize}.csv`, text), { chunkSize });
      expect(data.toRows()).toEqual(parseCsv(text).toRows());
    });
  }

  it('recognises gzip by its bytes and re-reads a column that turns categorical', async () => {
    const content = `zip,n\n${Array.from({ length: 5000 }, (_, i) => `${String(i).padStart(5, '0')},${i}`).join('\n')}\nAB12,1\n`;
    const data = await readCsv(file('zips.data', gzipSync(content)), { chunkSize: 4096 });
    expect(data.n).toBe(5001);
    expect(data.categorical('zip').levels[0]).toBe('00000');
    expect(data.note('zip')).toBe('first value that is not a number: "AB12" at row 5000');
  });

  it('names the line of a malformed record', async () => {
    const error = await inputErrorOfAsync(() => readCsv(file('bad.csv', 'a,b\n1,2\n3\n')));
    expect(error.reason).toBe('parse_error');
    expect(error.message).toBe('line 3 has 1 field, the header has 2');
  });

  it('reports a missing file and an empty file', async () => {
    expect(await inputErrorOfAsync(() => readCsv(join(dir, 'none.csv')))).toMatchObject({ reason: 'io_error', field: 'path' });
    expect((await inputErrorOfAsync(() => readCsv(file('empty.csv', '')))).reason).toBe('empty');
  });

  it('gives I/O failures the io_error reason and a one-line message', async () => {
    const directory = await inputErrorOfAsync(() => readCsv(dir));
    expect(directory).toMatchObject({ reason: 'io_error', field: 'path' });
    expect(directory.message).toContain('directory');
    const whole = gzipSync('a,b\n' + '1,2\n'.repeat(5000));
    const truncated = await inputErrorOfAsync(() => readCsv(file('cut.csv.gz', whole.subarray(0, whole.length - 20))));
    expect(truncated).toMatchObject({ reason: 'io_error', field: 'path' });
    expect(truncated.message).toContain('truncated');
    expect(truncated.message.includes('\n')).toBe(false);
  });

  it('rejects a path that is not a string and options it does not know', async () => {
    expect(await inputErrorOfAsync(() => readCsv(42 as never))).toMatchObject({ reason: 'wrong_type', field: 'path' });
    expect(await inputErrorOfAsync(() => readCsv(file('ok.csv', 'a\n1\n'), { chunkSize: 0 }))).toMatchObject({ reason: 'invalid_option', field: 'chunkSize' });
    expect(await inputErrorOfAsync(() => readCsv(file('ok.csv', 'a\n1\n'), { chunkSize: 1.5 }))).toMatchObject({ reason: 'invalid_option', field: 'chunkSize' });
    expect(await inputErrorOfAsync(() => readCsv(file('ok.csv', 'a\n1\n'), { chunk: 10 } as never))).toMatchObject({ reason: 'invalid_option', field: 'chunk' });
  });

  it('reads with one-byte chunks as with large ones', async () => {
    const text = 'a,s\n1,"x\r\ny"\n2,é\n';
    const small = await readCsv(file('small.csv', text), { chunkSize: 1 });
    expect(small.toRows()).toEqual(parseCsv(text).toRows());
  });
});
