/**
 * Tokens of the Logs Insights query language (Logs Insights QL) and the error every compile failure throws.
 *
 * @module
 */

/** Where a compile error sits in the query, as `queryCompileError.location` reports it. */
export interface QueryErrorLocation {
  readonly startCharOffset: number;
  readonly endCharOffset: number;
}

/**
 * A query the engine cannot run. Its `name` is `MalformedQueryException`, which the Logs service turns into that AWS
 * error with `queryCompileError: { message, location }`.
 *
 * @example
 * ```ts
 * try {
 *   new InsightsQueryEngine().compileQuery('fields @message | unnest x');
 * } catch (err) {
 *   if (err instanceof MalformedQueryError) console.log(err.message, err.location); // … unnest at line 1 and position 18
 * }
 * ```
 */
export class MalformedQueryError extends Error {
  override readonly name = 'MalformedQueryException';

  constructor(
    message: string,
    /** The characters the message is about. */
    readonly location: QueryErrorLocation,
  ) {
    super(message);
  }
}

/** One token. `start`/`end` are offsets into the query string. */
export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly quoted: boolean; readonly start: number; readonly end: number }
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'period'; readonly ms: number; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'regex'; readonly regex: RegExp; readonly start: number; readonly end: number }
  | { readonly kind: 'op'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'eof'; readonly start: number; readonly end: number };

/** Milliseconds per time unit of `bin(5m)` and `datefloor(@timestamp, 1h)`. */
const PERIOD_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

// Longest first, so `<=` is not read as `<`.
const OPERATORS = ['!=', '<=', '>=', '=~', '|', ',', '(', ')', '[', ']', '+', '-', '*', '/', '%', '=', '<', '>'];

// Inline flags at the start of a pattern: Logs Insights writes case-insensitive matching as `/(?i)error/`.
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** Line and 1-based column of an offset, for messages in the service's words. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Reads tokens one at a time; the parser asks for a regular expression where one may start. */
export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  /** A MalformedQueryError about the characters `[start, end)`. */
  error(start: number, end: number, what?: string): MalformedQueryError {
    const { line, column } = lineAndColumn(this.text, start);
    const found = what ?? (start >= this.text.length ? '<EOF>' : this.text.slice(start, Math.max(end, start + 1)));
    return new MalformedQueryError(`unexpected symbol found ${found} at line ${line} and position ${column}`, {
      startCharOffset: start,
      endCharOffset: Math.max(start, end - 1),
    });
  }

  /** The next token, without consuming it. */
  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  /** The next token, consumed. */
  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Reads `/pattern/` at the next token, which must start with `/`. */
  regex(): Token & { kind: 'regex' } {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== '/') throw this.error(t.start, t.end);
    this.peeked = undefined;
    let i = t.start + 1;
    let inClass = false;
    let source = '';
    for (;;) {
      const c = this.text[i];
      if (c === undefined) throw this.error(t.start, this.text.length, 'unterminated regular expression');
      if (c === '\\') {
        source += c + (this.text[i + 1] ?? '');
        i += 2;
        continue;
      }
      if (c === '/' && !inClass) break;
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      source += c;
      i++;
    }
    this.pos = i + 1;
    let flags = '';
    const inline = INLINE_FLAGS.exec(source);
    if (inline !== null) {
      flags = [...new Set(inline[1] as string)].join('');
      source = source.slice(inline[0].length);
    }
    let regex: RegExp;
    try {
      regex = new RegExp(source, flags);
    } catch (err) {
      const { line, column } = lineAndColumn(this.text, t.start);
      throw new MalformedQueryError(`invalid regular expression /${source}/ at line ${line} and position ${column}: ${(err as Error).message}`, {
        startCharOffset: t.start,
        endCharOffset: this.pos - 1,
      });
    }
    return { kind: 'regex', regex, start: t.start, end: this.pos };
  }

  private skipBlank(): void {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos] as string;
      if (c === '#') {
        // A comment runs to the end of the line.
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (/\s/.test(c)) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  private scan(): Token {
    this.skipBlank();
    const s = this.text;
    const start = this.pos;
    if (start >= s.length) return { kind: 'eof', start, end: start };
    const c = s[start] as string;
    if (c === '"' || c === "'") return this.scanString(c);
    if (c === '`') {
      const close = s.indexOf('`', start + 1);
      if (close < 0) throw this.error(start, s.length, 'unterminated `quoted field`');
      this.pos = close + 1;
      return { kind: 'ident', text: s.slice(start + 1, close), quoted: true, start, end: this.pos };
    }
    const num = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(start, start + 64));
    if (num !== null) {
      this.pos = start + num[0].length;
      const unit = /^[A-Za-z]+/.exec(s.slice(this.pos, this.pos + 8));
      if (unit !== null) {
        const ms = PERIOD_UNITS[unit[0]];
        if (ms === undefined) throw this.error(start, this.pos + unit[0].length);
        this.pos += unit[0].length;
        return { kind: 'period', ms: Number(num[0]) * ms, start, end: this.pos };
      }
      return { kind: 'number', value: Number(num[0]), start, end: this.pos };
    }
    const ident = /^@?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/.exec(s.slice(start, start + 1024));
    if (ident !== null) {
      this.pos = start + ident[0].length;
      return { kind: 'ident', text: ident[0], quoted: false, start, end: this.pos };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: 'op', text: op, start, end: this.pos };
      }
    }
    throw this.error(start, start + 1);
  }

  private scanString(quote: string): Token {
    const s = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) throw this.error(start, s.length, 'unterminated string');
      if (c === quote) break;
      if (c === '\\') {
        const e = s[i + 1];
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'string', value, start, end: this.pos };
  }
}
