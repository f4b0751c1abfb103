import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { type CsvOptions, checkCsvOptions, csvPasses, isGzip } from '../data/csvParser.js';
import type { Dataset } from '../data/dataset.js';
import { parseCsv } from '../data/parseCsv.js';
import { InputError, isInputError } from '../errors.js';
import { describe, rules } from '../internal/validate.js';

export interface ReadCsvOptions extends CsvOptions {
  /** Bytes read at a time, an integer from 1 to 2^30. Default 4 MiB. */
  readonly chunkSize?: number;
}

const MAX_CHUNK = 2 ** 30;

/**
 * Dataset from a CSV file, `.gz` or plain (gzip is recognised by its magic
 * bytes, whatever the name), streamed in chunks so the whole text is never
 * held as one string: memory stays close to the size of the columns.
 * The same dialects, type inference and errors as `parseCsv`; a column that
 * turns out categorical after some numbers makes the file be read twice.
 *
 * @throws InputError as `parseCsv`; `io_error` with field `path` when the
 *   file cannot be read (missing, a directory, no permission, a truncated or
 *   corrupt gzip stream); `wrong_type` when `path` is not a string;
 *   `invalid_option` for an unknown option or a `chunkSize` that is not an
 *   integer from 1 to 2^30
 * @example
 * const data = await readCsv('examples/data/hillstrom.csv.gz');
 * data.n; // => 64000
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Dataset> {
  if (typeof path !== 'string' || path === '') {
    throw new InputError('wrong_type', 'path', `readCsv expects a file path, got ${describe(path)}`);
  }
  const checked = checkCsvOptions(options, { chunkSize: rules.integer({ min: 1, max: MAX_CHUNK }) });
  const chunkSize = checked.chunkSize ?? 1 << 22;
  const info = await stat(path).catch((error: unknown) => {
    throw ioError(error, path, 'read');
  });
  if (info.isDirectory()) throw new InputError('io_error', 'path', `cannot read ${path}: it is a directory`);
  const gzip = isGzip(await readHead(path));
  // The decompressed size is unknown; about 5× the compressed one serves as a first guess.
  const passes = csvPasses(checked, gzip ? info.size * 5 : info.size);
  for (let step = passes.next(); ; step = passes.next()) {
    if (step.done) return step.value;
    const parser = step.value;
    const file = createReadStream(path, { highWaterMark: chunkSize });
    const stream = gzip ? pipeline(file, createGunzip({ chunkSize: Math.max(chunkSize, 64) }), () => {}) : file;
    try {
      for await (const chunk of stream) {
        // A plain Uint8Array view of the Buffer: the parser's loops then see one array type.
        const buffer = chunk as Buffer;
        parser.push(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      }
    } catch (error) {
      throw isInputError(error) ? error : ioError(error, path, 'read');
    } finally {
      file.destroy();
    }
  }
}

/**
 * Dataset from CSV bytes held in memory (standard input), gzip-compressed or
 * plain, as `readCsv` reads a file.
 * @throws InputError as `parseCsv`; `io_error` for a truncated or corrupt gzip stream
 * @internal
 */
export function parseCsvBytes(bytes: Uint8Array, source: string, options: CsvOptions = {}): Dataset {
  let text = bytes;
  if (isGzip(bytes)) {
    try {
      text = gunzipSync(bytes);
    } catch (error) {
      throw ioError(error, source, 'read');
    }
  }
  return parseCsv(text, options);
}

async function readHead(path: string): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw ioError(error, path, 'read');
  }
}

/**
 * A one-line `io_error` for a failed file operation: what could not be done
 * to which path, and why in words (no stack, no errno dump).
 * @internal
 */
export function ioError(error: unknown, path: string, action: 'read' | 'write'): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? action === 'read'
        ? 'no such file'
        : 'its folder does not exist'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a directory'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : code === 'Z_BUF_ERROR'
                ? 'the gzip stream is truncated'
                : code === 'Z_DATA_ERROR'
                  ? 'the gzip stream is corrupt'
                  : ((error as Error | undefined)?.message ?? String(error)).split('\n')[0];
  return new InputError('io_error', 'path', `cannot ${action} ${path}: ${reason}`);
}
