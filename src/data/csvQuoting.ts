import { DETECTED_DELIMITERS } from './csvTokenizer.js';
import { booleanSpellingBytes, parseNumberBytes } from './parseNumber.js';

const encoder = new TextEncoder();

/**
 * True when `text` must be quoted for `parseCsv` to read it back as this text:
 * it is empty (an empty unquoted cell is missing), holds the separator, any
 * separator `parseCsv` detects, a quote or a line break, starts with U+FEFF
 * (a byte-order mark at the start of a file is removed), or reads as a number
 * or a boolean (quoted, it is text).
 * @internal
 */
export function needsQuotes(text: string, delimiter: string): boolean {
  if (text === '') return true;
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return true;
  for (const separator of DETECTED_DELIMITERS) if (text.includes(separator)) return true;
  if (text.length > 1024) return false; // longer than any number or boolean worth reading
  const bytes = encoder.encode(text);
  return parseNumberBytes(bytes, 0, bytes.length) !== undefined || booleanSpellingBytes(bytes, 0, bytes.length) >= 0;
}

/** `text` quoted, its quotes doubled. @internal */
export function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
