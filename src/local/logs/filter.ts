/**
 * CloudWatch Logs filter patterns for unstructured events, the subset `local` supports: terms, quoted phrases and
 * `%regex%`, each optionally prefixed with `?` (any of) or `-` (none of).
 *
 * @module
 */
import { AwsServiceError } from '../http.js';

/** One term of a filter pattern. */
interface Term {
  readonly mode: 'all' | 'any' | 'none';
  readonly test: (message: string) => boolean;
}

function invalid(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

/**
 * Compiles a filter pattern into a predicate over event messages. Matching is case-sensitive: an event matches when
 * it contains every plain term, at least one `?` term (when there are any) and no `-` term; a term matches when it
 * occurs anywhere in the message (`%…%` terms are regular expressions). The empty pattern matches every event.
 * Throws AwsServiceError `InvalidParameterException` for JSON (`{ … }`) and space-delimited (`[ … ]`) patterns, which
 * `local` does not support, and for malformed ones.
 *
 * @example
 * ```ts
 * compileFilterPattern('"Task timed out" ?ERROR ?WARN')('2026 ERROR Task timed out after 3.00 seconds'); // true
 * ```
 */
export function compileFilterPattern(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[')) {
    throw invalid('lambda-meter local supports term, "quoted phrase" and %regex% filter patterns, not JSON or space-delimited ones');
  }
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let mode: Term['mode'] = 'all';
    if (text[i] === '?' || text[i] === '-') {
      mode = text[i] === '?' ? 'any' : 'none';
      i++;
    }
    const c = text[i];
    if (c === '"') {
      let phrase = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        phrase += text[i];
        i++;
      }
      if (i >= text.length) throw invalid(`Invalid filter pattern: unterminated quoted phrase in ${JSON.stringify(pattern)}`);
      i++;
      terms.push({ mode, test: (m) => m.includes(phrase) });
    } else if (c === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw invalid(`Invalid filter pattern: unterminated %regex% in ${JSON.stringify(pattern)}`);
      let re: RegExp;
      try {
        re = new RegExp(text.slice(i + 1, end));
      } catch {
        throw invalid(`Invalid filter pattern: bad regular expression ${text.slice(i, end + 1)}`);
      }
      i = end + 1;
      terms.push({ mode, test: (m) => re.test(m) });
    } else {
      let word = '';
      while (i < text.length && !/\s/.test(text[i] as string)) word += text[i++];
      if (word === '') throw invalid(`Invalid filter pattern: a ${mode === 'any' ? '?' : '-'} must be followed by a term`);
      terms.push({ mode, test: (m) => m.includes(word) });
    }
  }
  const all = terms.filter((t) => t.mode === 'all');
  const any = terms.filter((t) => t.mode === 'any');
  const none = terms.filter((t) => t.mode === 'none');
  return (message) =>
    all.every((t) => t.test(message)) && (any.length === 0 || any.some((t) => t.test(message))) && !none.some((t) => t.test(message));
}
