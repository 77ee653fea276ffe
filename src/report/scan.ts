/**
 * Character-level helpers shared by the text and JSON readers. The REPORT path calls these once per field, so they
 * work on char codes and indexes and allocate nothing but the strings they return.
 *
 * @module
 */

import type { ReportStatus, XrayInfo } from './types.js';

/** A record type with its `readonly` removed, for objects built up field by field before they are returned. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
const DOT = 46;
const COMMA = 44;
const COLON = 58;
const ZERO = 48;
const NINE = 57;
const LOWER_M = 109;
const LOWER_S = 115;
const UPPER_M = 77;
const UPPER_B = 66;

/**
 * Index just past the last number, token or field read. The readers return their value and leave the position here,
 * so the REPORT path needs no result objects. (JavaScript runs one reader at a time, and none of them re-enter.)
 */
export let cursor = 0;

/** True for a space or a TAB. */
function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/**
 * True when `key` occurs in `s` at `i`. A plain loop, which the JIT inlines: `String.prototype.startsWith` with a
 * position costs several times more on this path.
 */
export function matches(s: string, i: number, key: string): boolean {
  const n = key.length;
  if (i + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) !== key.charCodeAt(k)) return false;
  return true;
}

/** The index of the first character at or after `i` that is not a space or TAB. */
export function skipBlanks(s: string, i: number): number {
  const len = s.length;
  while (i < len && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/** The index just past the token (run of non-whitespace characters) starting at `i`. */
export function tokenEnd(s: string, i: number): number {
  const len = s.length;
  while (i < len && s.charCodeAt(i) > SPACE) i++;
  return i;
}

/**
 * Reads an unsigned decimal number (`46.84`, `47`, `5000.0`) at `i` and sets `cursor` past it.
 * Returns NaN when there is no digit (`oops`) or the digits run on into another number (`1.2.3`, `1,024`).
 */
export function readNumber(s: string, i: number): number {
  const start = i;
  const len = s.length;
  let n = 0;
  let digits = 0;
  let scale = 1;
  let fraction = false;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      n = n * 10 + (c - ZERO);
      digits++;
      if (fraction) scale *= 10;
    } else if (c === DOT && !fraction) {
      fraction = true;
    } else {
      break;
    }
  }
  cursor = i;
  // `1.2.3` and `1,024` are not numbers Lambda writes; a unit glued to the digits (`12ms`) is tolerated.
  if (digits === 0 || (i < len && (s.charCodeAt(i) === DOT || s.charCodeAt(i) === COMMA))) return Number.NaN;
  // With at most 15 digits the integer and the power of ten are exact doubles, so one division is correctly
  // rounded: the result is the double nearest the decimal, exactly what parseFloat returns.
  return digits <= 15 ? n / scale : Number(s.slice(start, i));
}

/**
 * Reads `<number> [unit]` after a key's colon: blanks, the number, then an optional `ms` / `MB` unit.
 * Returns NaN when the number is unreadable; sets `cursor` past what was read.
 */
export function readMeasure(s: string, i: number): number {
  const value = readNumber(s, skipBlanks(s, i));
  if (Number.isNaN(value)) return value;
  const j = skipBlanks(s, cursor);
  if (j + 1 < s.length && (j + 2 === s.length || s.charCodeAt(j + 2) <= SPACE)) {
    const a = s.charCodeAt(j);
    const b = s.charCodeAt(j + 1);
    if ((a === LOWER_M && b === LOWER_S) || (a === UPPER_M && b === UPPER_B)) cursor = j + 2;
  }
  return value;
}

/**
 * The index just past the request id starting at `i`: the first TAB, space, LF or CR after it. Four `indexOf` calls
 * beat a character loop over a 36-character id several times over.
 */
export function idEnd(s: string, i: number): number {
  let end = s.length;
  const tab = s.indexOf('\t', i);
  if (tab >= 0) end = tab;
  const space = s.indexOf(' ', i);
  if (space >= 0 && space < end) end = space;
  const lf = s.indexOf('\n', i);
  if (lf >= 0 && lf < end) end = lf;
  const cr = s.indexOf('\r', i);
  if (cr >= 0 && cr < end) end = cr;
  return end;
}

/** Reads one token after blanks (an Error Type, a Status word) and sets `cursor` past it; '' when there is none. */
export function readToken(s: string, i: number): string {
  const start = skipBlanks(s, i);
  const end = tokenEnd(s, start);
  cursor = end;
  return start === end ? '' : s.slice(start, end);
}

/** Maps a status word to a ReportStatus, or undefined for anything else. */
export function toStatus(word: unknown): ReportStatus | undefined {
  switch (word) {
    case 'success':
    case 'error':
    case 'timeout':
    case 'failure':
      return word;
    default:
      return undefined;
  }
}

/**
 * Finds the colon ending a key that starts at `i` (keys are short and may contain spaces; values never hold the
 * key's colon before a TAB or line end). Returns -1 when no colon comes within `maxKeyLength` characters.
 */
export function keyColon(s: string, i: number, maxKeyLength: number): number {
  const len = s.length;
  const limit = Math.min(len, i + maxKeyLength + 1);
  for (let j = i; j < limit; j++) {
    const c = s.charCodeAt(j);
    if (c === COLON) return j;
    if (c === TAB || c === LF || c === CR) return -1;
  }
  return -1;
}

/**
 * Reads the fields of an X-Ray part, `TraceId: 1-…\tSegmentId: …\tSampled: true`, starting at `TraceId` and stopping
 * at the end of the line. Sets `cursor` to where it stopped. Undefined when there is no TraceId.
 */
export function readXray(s: string, i: number): XrayInfo | undefined {
  const len = s.length;
  let traceId = '';
  let segmentId: string | undefined;
  let sampled: boolean | undefined;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === LF || c === CR) break;
    const colon = keyColon(s, i, 9);
    if (colon < 0) {
      // Always move on: a control character other than TAB, LF or CR ends no token and starts none.
      i = Math.max(tokenEnd(s, i), i + 1);
      continue;
    }
    const value = readToken(s, colon + 1);
    const keyLength = colon - i;
    if (keyLength === 7 && s.startsWith('TraceId', i)) traceId = value;
    else if (keyLength === 9 && s.startsWith('SegmentId', i)) segmentId = value;
    else if (keyLength === 7 && s.startsWith('Sampled', i)) sampled = value === 'true' ? true : value === 'false' ? false : undefined;
    i = cursor;
  }
  cursor = i;
  if (traceId === '') return undefined;
  const xray: Writable<XrayInfo> = { traceId };
  if (segmentId !== undefined && segmentId !== '') xray.segmentId = segmentId;
  if (sampled !== undefined) xray.sampled = sampled;
  return xray;
}
