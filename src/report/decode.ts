/**
 * `decodeLogResult`: the base64 `LogResult` of an `Invoke` with `LogType=Tail` → log text.
 *
 * @module
 */

import { Buffer } from 'node:buffer';
import { InvalidInputError } from '../errors.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /\s+/g;
// Not fatal: the 4 KB tail can cut a multi-byte character at its start, which then reads as U+FFFD.
const utf8 = new TextDecoder('utf-8');

/**
 * Decodes an Invoke response's `LogResult` ("the last 4 KB of the execution log, which is base64-encoded") to UTF-8
 * text, ready for `parseLog`. Whitespace (from wrapped copies) is ignored. Throws `InvalidInputError('logResult', …)`
 * for anything that is not base64.
 *
 * @example
 * ```ts
 * const response = await lambda.send(new InvokeCommand({ FunctionName: 'f', LogType: 'Tail' }));
 * const log = parseLog(decodeLogResult(response.LogResult ?? ''));
 * ```
 */
export function decodeLogResult(logResult: string): string {
  if (typeof logResult !== 'string') {
    throw new InvalidInputError('logResult', `must be a base64 string, got ${logResult === null ? 'null' : typeof logResult}`);
  }
  const compact = logResult.replace(WHITESPACE, '');
  if (!BASE64.test(compact)) {
    const bad = compact.replace(/[A-Za-z0-9+/=]/g, '').slice(0, 1);
    const problem = bad === '' ? 'has "=" padding in the middle' : `has a character outside the base64 alphabet: ${JSON.stringify(bad)}`;
    throw new InvalidInputError('logResult', `is not base64: it ${problem}`);
  }
  if (compact.length % 4 === 1) {
    throw new InvalidInputError('logResult', `is not base64: its length without padding (${compact.length}) cannot encode whole bytes`);
  }
  return utf8.decode(Buffer.from(compact, 'base64'));
}
