import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { type CsvOptions, CsvParser, type CsvPassResult } from '../data/csvParser.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../errors.js';

export interface ReadCsvOptions extends CsvOptions {
  /** Bytes read at a time. Default 4 MiB. */
  readonly chunkSize?: number;
}

/**
 * Dataset from a CSV file, `.gz` or plain (gzip is recognised by its magic
 * bytes, whatever the name), streamed in chunks so the whole text is never
 * held as one string: memory stays close to the size of the columns.
 * The same dialects, type inference and errors as `parseCsv`; a column that
 * turns out categorical after some numbers makes the file be read twice.
 *
 * @throws InputError as `parseCsv`; `missing_column` with field `path` when
 *   the file does not exist
 * @example
 * const data = await readCsv('examples/data/hillstrom.csv.gz');
 * data.n; // => 64000
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Dataset> {
  const size = await stat(path).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new InputError('missing_column', 'path', `no file at ${path}`);
      throw error;
    },
  );
  const gzip = await isGzip(path);
  const chunkSize = options.chunkSize ?? 1 << 22;
  let result: CsvPassResult = { kind: 'retry', categories: new Map() };
  for (let pass = 0; pass < 2 && result.kind === 'retry'; pass++) {
    // The decompressed size is unknown; about 5× the compressed one serves as a first guess.
    const parser: CsvParser = new CsvParser(options, result.categories, gzip ? size * 5 : size);
    const file = createReadStream(path, { highWaterMark: chunkSize });
    const stream = gzip ? file.pipe(createGunzip({ chunkSize })) : file;
    try {
      for await (const chunk of stream) {
        // A plain Uint8Array view of the Buffer: the parser's loops then see one array type.
        const buffer = chunk as Buffer;
        parser.push(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      }
    } finally {
      file.destroy();
    }
    result = parser.finish();
  }
  if (result.kind !== 'done') throw new Error('CSV type inference did not settle in two passes');
  return result.dataset;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
