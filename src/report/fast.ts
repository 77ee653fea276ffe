/**
 * The fast path of the text REPORT reader, for the line Lambda writes today:
 *
 * `REPORT RequestId: <id>\tDuration: <n> ms\tBilled Duration: <n> ms\tMemory Size: <n> MB\tMax Memory Used: <n> MB\t`
 *
 * then, each optional and in this order, `Init Duration`, `Restore Duration`, `Billed Restore Duration` (`<n> ms`),
 * `Status` (`success`, `error`, `timeout` or `failure`) and `Error Type` (one word), each field ending in a TAB (the
 * last TAB may be missing).
 *
 * It takes two steps. First one anchored regular expression checks the whole line against that layout, every key in
 * full, every number, unit, separator and word — in V8's compiled regular-expression code that costs less than
 * reading the line once with `charCodeAt`. Then a short char-code pass reads the values at the places the layout
 * fixes: the request id up to its TAB, and each number's digits, accumulated into an integer and a power of ten (no
 * substrings, no `parseFloat`).
 *
 * It accepts only lines on which the general reader in `text.ts` gives the very same record, field for field, and
 * returns `undefined` for anything else — another order, an unknown key, other spacing, a line break, an X-Ray part,
 * a number with more than 15 digits, a value the general reader rejects. The caller then reads the line with the
 * general reader, which gives the record or the reason the line cannot be read. So this path changes how fast a line
 * is read, never what is read.
 *
 * @module
 */

import type { MutableReport } from './text.js';
import type { ReportStatus } from './types.js';

const TAB = 9;
const DOT = 46;
const ZERO = 48;
const UPPER_B = 66;
const UPPER_D = 68;
const UPPER_E = 69;
const UPPER_I = 73;
const UPPER_R = 82;
const UPPER_S = 83;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_S = 115;

/** A number as the general reader's `readNumber` takes it (digits, then a dot and digits), with its unit. */
const N = String.raw`\d+(?:\.\d+)? `;
/** A request id or Error Type word: what the general reader takes up to a TAB, without control characters. */
const WORD = String.raw`[^\x00- ]+`;

/**
 * Lambda's own layout of a REPORT line, from its first character to its last. A warm line, the most common, ends
 * right after Max Memory Used: that ending is tried first, before the five optional fields one by one.
 */
const CANONICAL = new RegExp(
  String.raw`^REPORT RequestId: ${WORD}\tDuration: ${N}ms\tBilled Duration: ${N}ms\tMemory Size: ${N}MB\tMax Memory Used: ${N}MB` +
    String.raw`(?:\t?$|(?:\tInit Duration: ${N}ms)?(?:\tRestore Duration: ${N}ms)?(?:\tBilled Restore Duration: ${N}ms)?` +
    String.raw`(?:\tStatus: (?:success|error|timeout|failure))?(?:\tError Type: ${WORD})?\t?$)`,
);

// Characters from the end of a number to the start of the next one: ` ms` or ` MB`, the TAB, the next key and its
// space.
const TO_BILLED = ' ms\tBilled Duration: '.length;
const TO_MEMORY = ' ms\tMemory Size: '.length;
const TO_MAX_MEMORY = ' MB\tMax Memory Used: '.length;
const UNIT = ' ms'.length;
const REQUEST_ID_START = 'REPORT RequestId: '.length;
/** Where a 36-character (UUID) request id ends. */
const UUID_END = REQUEST_ID_START + 36;
const DURATION = '\tDuration: '.length;
const INIT = 'Init Duration: '.length;
const RESTORE = 'Restore Duration: '.length;
const BILLED_RESTORE = 'Billed Restore Duration: '.length;
const STATUS = 'Status: '.length;
const ERROR_TYPE = 'Error Type: '.length;

/** 10⁰ … 10¹⁵, all exact doubles: the divisor of a number with that many digits after its point. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Index just past the last number read. */
let next = 0;

/**
 * Reads the number at `i` (the layout is already checked: digits, maybe a dot and digits) and sets `next` past it.
 * Returns -1 for more than 15 digits, which the general reader converts with `Number()` and this path leaves to it.
 *
 * The value is computed as `readNumber` computes it (the integer of all digits ÷ a power of ten, both exact for up to
 * 15 digits, so the one division is correctly rounded), so both paths give the same double.
 *
 * It is one loop on purpose. A line reads up to seven numbers, and V8 inlines every call only while this function's
 * bytecode stays small: with a loop for the integer part and one for the fraction it was 228 bytes, and two of the five
 * calls a cold line makes stayed out of line; as one loop it is 173 bytes and all are inlined
 * (Node.js 20 to 24).
 */
function numberAt(s: string, i: number): number {
  const start = i;
  // The layout starts every number with a digit.
  let n = s.charCodeAt(i++) - ZERO;
  let point = -1;
  for (;;) {
    const d = s.charCodeAt(i) - ZERO;
    if (d >= 0 && d <= 9) n = n * 10 + d;
    else if (d === DOT - ZERO) point = i;
    else break;
    i++;
  }
  next = i;
  if (point < 0) return i - start > 15 ? -1 : n;
  return i - start > 16 ? -1 : n / (POWERS_OF_TEN[i - point - 1] as number);
}

/** The end of the word starting at `i`: its TAB, or the end of the line. */
function wordEnd(s: string, i: number): number {
  const tab = s.indexOf('\t', i);
  return tab < 0 ? s.length : tab;
}

/** The status word at `i`, which the layout has checked is one of the four; told apart by its first two letters. */
function statusAt(s: string, i: number): ReportStatus {
  const c = s.charCodeAt(i);
  if (c === LOWER_S) return 'success';
  if (c === LOWER_F) return 'failure';
  return c === LOWER_E ? 'error' : 'timeout';
}

/**
 * Reads a whole line in Lambda's own layout (see the module comment): the record, exactly as the general reader
 * would build it, or `undefined` when the line is anything else (then the caller goes the general way, which finds a
 * REPORT after a prefix, reads any layout, and rejects what is unreadable).
 */
export function readCanonicalLine(s: string): MutableReport | undefined {
  if (!CANONICAL.test(s)) return undefined;
  const len = s.length;
  // The first `\tD` ends the id (no other key starts with D, and ids and words hold no TAB): most ids have 36
  // characters, so two loads find it; else the TAB is searched for.
  const idStop = s.charCodeAt(UUID_END) === TAB && s.charCodeAt(UUID_END + 1) === UPPER_D ? UUID_END : s.indexOf('\t', REQUEST_ID_START);
  const durationMs = numberAt(s, idStop + DURATION);
  const billedDurationMs = numberAt(s, next + TO_BILLED);
  const memorySizeMB = numberAt(s, next + TO_MEMORY);
  const maxMemoryUsedMB = numberAt(s, next + TO_MAX_MEMORY);
  if (durationMs < 0 || billedDurationMs < 0 || memorySizeMB < 0 || maxMemoryUsedMB < 0) return undefined;

  let initDurationMs = -1;
  let restoreDurationMs = -1;
  let billedRestoreDurationMs = -1;
  let status: ReportStatus = 'success';
  let errorType: string | undefined;
  // `i` is at the TAB after a field, or at the end; the optional fields come in the order the layout fixes.
  let i = next + UNIT;
  if (i + 1 < len) {
    let c = s.charCodeAt(++i);
    if (c === UPPER_I) {
      initDurationMs = numberAt(s, i + INIT);
      if (initDurationMs < 0) return undefined;
      i = next + UNIT + 1;
      c = i < len ? s.charCodeAt(i) : 0;
    }
    if (c === UPPER_R) {
      restoreDurationMs = numberAt(s, i + RESTORE);
      if (restoreDurationMs < 0) return undefined;
      i = next + UNIT + 1;
      c = i < len ? s.charCodeAt(i) : 0;
    }
    if (c === UPPER_B) {
      billedRestoreDurationMs = numberAt(s, i + BILLED_RESTORE);
      if (billedRestoreDurationMs < 0) return undefined;
      i = next + UNIT + 1;
      c = i < len ? s.charCodeAt(i) : 0;
    }
    if (c === UPPER_S) {
      status = statusAt(s, i + STATUS);
      i = wordEnd(s, i + STATUS) + 1;
      c = i < len ? s.charCodeAt(i) : 0;
    }
    if (c === UPPER_E) {
      const start = i + ERROR_TYPE;
      errorType = s.slice(start, wordEnd(s, start));
    }
  }

  const requestId = s.slice(REQUEST_ID_START, idStop);
  const hasRestore = restoreDurationMs >= 0;
  // The same fields, in the same order, as the general reader's record. A cold start's record is written as one
  // literal, which V8 builds with room for all nine fields, rather than grown by a field afterwards.
  const record: MutableReport =
    initDurationMs >= 0
      ? {
          requestId,
          durationMs,
          billedDurationMs,
          memorySizeMB,
          maxMemoryUsedMB,
          status,
          coldStart: true,
          format: 'text',
          initDurationMs,
        }
      : { requestId, durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB, status, coldStart: hasRestore, format: 'text' };
  if (hasRestore) record.restoreDurationMs = restoreDurationMs;
  if (billedRestoreDurationMs >= 0) record.billedRestoreDurationMs = billedRestoreDurationMs;
  if (errorType !== undefined) record.errorType = errorType;
  return record;
}
