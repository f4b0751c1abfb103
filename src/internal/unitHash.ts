/**
 * The holdout split's hash: the first 32 bits of the MD5 digest of a unit
 * id's text (UTF-8), as an unsigned integer. Every SQL dialect computes the
 * same number from its own `md5` (see `src/sql/dialect.ts`), so a row falls
 * in the same part in memory and in every engine. @internal
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
let sines: Uint32Array | undefined;

function constants(): Uint32Array {
  if (sines === undefined) {
    sines = new Uint32Array(64);
    for (let i = 0; i < 64; i++) sines[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0;
  }
  return sines;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The four little-endian words of the MD5 digest of `bytes` (RFC 1321). */
function md5Words(bytes: Uint8Array): Uint32Array {
  const k = constants();
  const length = bytes.length;
  const blocks = ((length + 8) >>> 6) + 1;
  const words = new Uint32Array(blocks * 16);
  for (let i = 0; i < length; i++) words[i >>> 2] = (words[i >>> 2] as number) | ((bytes[i] as number) << ((i & 3) * 8));
  words[length >>> 2] = (words[length >>> 2] as number) | (0x80 << ((length & 3) * 8));
  const bits = length * 8;
  words[blocks * 16 - 2] = bits >>> 0;
  words[blocks * 16 - 1] = Math.floor(bits / 2 ** 32) >>> 0;
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  for (let block = 0; block < blocks; block++) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + (k[i] as number) + (words[block * 16 + g] as number)) | 0;
      const s = SHIFTS[(i >>> 4) * 4 + (i & 3)] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  return Uint32Array.of(a0 >>> 0, b0 >>> 0, c0 >>> 0, d0 >>> 0);
}

/** MD5 of a string's UTF-8 bytes as 32 lowercase hex digits. @internal */
export function md5Hex(text: string): string {
  const words = md5Words(utf8(text));
  let out = '';
  for (const word of words) for (let byte = 0; byte < 4; byte++) out += ((word >>> (byte * 8)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

/** The first 32 bits of MD5(text) read as a big-endian unsigned integer: 0 … 2³² − 1. @internal */
export function unitHash(text: string): number {
  const first = (md5Words(utf8(text))[0] as number) >>> 0;
  // The digest's first four bytes are the first word's bytes in little-endian order.
  return (((first & 0xff) << 24) | (((first >>> 8) & 0xff) << 16) | (((first >>> 16) & 0xff) << 8) | (first >>> 24)) >>> 0;
}

/** The hash threshold for a holdout share: a unit is held out when its hash is below it. @internal */
export function holdoutThreshold(share: number): number {
  return Math.floor(share * 2 ** 32);
}

/**
 * 1 where the hash of a unit id's text (with `salt` appended) is below
 * ⌊share·2³²⌋. Different salts give independent splits of the same units. @internal
 */
export function hashMask(unitIds: ArrayLike<string | number>, share: number, salt: string): Uint8Array {
  const threshold = holdoutThreshold(share);
  const mask = new Uint8Array(unitIds.length);
  for (let i = 0; i < unitIds.length; i++) mask[i] = unitHash(unitText(unitIds[i] as string | number) + salt) < threshold ? 1 : 0;
  return mask;
}

/** A unit id's text as every engine casts it: integers without a decimal point, strings as they are. @internal */
export function unitText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}
