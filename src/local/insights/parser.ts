/**
 * The parser of the Logs Insights query language subset `local` runs: commands separated by `|` (`fields`, `filter`,
 * `parse`, `stats`, `sort`, `limit`, `dedup`, `display`) and their expressions. Anything else throws
 * MalformedQueryError naming the token and where it is.
 *
 * @module
 */
import { Lexer, MalformedQueryError } from './lexer.js';
import type { Token } from './lexer.js';
import type { Value } from './fields.js';

/** Where a node sits in the query. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** An expression. */
export type Expr =
  | ({ readonly kind: 'literal'; readonly value: Value } & Span)
  | ({ readonly kind: 'period'; readonly ms: number } & Span)
  | ({ readonly kind: 'field'; readonly name: string } & Span)
  | ({ readonly kind: 'star' } & Span)
  | ({ readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Expr } & Span)
  | ({ readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr } & Span)
  | ({ readonly kind: 'like'; readonly negate: boolean; readonly arg: Expr; readonly pattern: RegExp | string } & Span)
  | ({ readonly kind: 'in'; readonly negate: boolean; readonly arg: Expr; readonly list: readonly Expr[] } & Span)
  | ({ readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] } & Span)
  | ({ readonly kind: 'agg'; readonly name: string; readonly args: readonly Expr[]; readonly index: number } & Span);

/** An aggregate call inside `stats`. */
export type AggExpr = Expr & { readonly kind: 'agg' };

/** An expression with the column name it produces (its alias, or its text). */
export interface NamedExpr {
  readonly expr: Expr;
  readonly name: string;
}

/** One command of the pipeline. */
export type Command =
  | { readonly kind: 'fields'; readonly items: readonly NamedExpr[] }
  | { readonly kind: 'filter'; readonly expr: Expr }
  | { readonly kind: 'parse'; readonly source: Expr; readonly regex: RegExp; readonly names: readonly string[] }
  | {
      readonly kind: 'stats';
      readonly items: readonly NamedExpr[];
      readonly by: readonly NamedExpr[];
      readonly aggs: readonly AggExpr[];
    }
  | { readonly kind: 'sort'; readonly keys: readonly { readonly expr: Expr; readonly desc: boolean }[] }
  | { readonly kind: 'limit'; readonly count: number }
  | { readonly kind: 'dedup'; readonly fields: readonly string[] }
  | { readonly kind: 'display'; readonly fields: readonly string[] };

/** A parsed query. */
export interface ParsedQuery {
  readonly text: string;
  readonly commands: readonly Command[];
}

/** Scalar functions and how many arguments each takes ([min, max]). */
export const SCALAR_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  coalesce: [1, 100],
  abs: [1, 1],
  ceil: [1, 1],
  floor: [1, 1],
  round: [1, 2],
  strlen: [1, 1],
  tolower: [1, 1],
  toupper: [1, 1],
  trim: [1, 1],
  concat: [1, 100],
  strcontains: [2, 2],
  ispresent: [1, 1],
  isempty: [1, 1],
  isblank: [1, 1],
  datefloor: [2, 2],
  bin: [1, 1],
};

/** Aggregate functions of `stats` and how many arguments each takes. */
export const AGGREGATE_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  count: [0, 1],
  count_distinct: [1, 1],
  sum: [1, 1],
  avg: [1, 1],
  min: [1, 1],
  max: [1, 1],
  stddev: [1, 1],
  pct: [2, 2],
  percentile: [2, 2],
  earliest: [1, 1],
  latest: [1, 1],
};

/** Most rows `limit` accepts (lambda-facts §4: default 10,000, max 100,000). */
export const MAX_LIMIT = 100_000;

const COMMANDS = new Set(['fields', 'filter', 'parse', 'stats', 'sort', 'limit', 'dedup', 'display']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

function isWord(t: Token, word: string): boolean {
  return t.kind === 'ident' && !t.quoted && t.text.toLowerCase() === word;
}

function isOp(t: Token, op: string): boolean {
  return t.kind === 'op' && t.text === op;
}

/** Parses one query; throws MalformedQueryError. */
class Parser {
  private readonly lex: Lexer;
  /** Aggregate calls of the stats command being parsed; undefined outside stats items. */
  private aggs: AggExpr[] | undefined;

  constructor(private readonly text: string) {
    this.lex = new Lexer(text);
  }

  parse(): ParsedQuery {
    const commands: Command[] = [];
    if (this.lex.peek().kind !== 'eof') {
      for (;;) {
        commands.push(this.command());
        const t = this.lex.next();
        if (t.kind === 'eof') break;
        if (!isOp(t, '|')) throw this.unexpected(t);
      }
    }
    this.checkOrder(commands);
    return { text: this.text, commands };
  }

  private unexpected(t: Token): MalformedQueryError {
    return this.lex.error(t.start, t.end);
  }

  private expectOp(op: string): Token {
    const t = this.lex.next();
    if (!isOp(t, op)) throw this.unexpected(t);
    return t;
  }

  /** Only `limit` may follow `dedup` (CWL_QuerySyntax-Dedup). */
  private checkOrder(commands: readonly Command[]): void {
    let dedup = false;
    commands.forEach((c) => {
      if (dedup && c.kind !== 'limit' && c.kind !== 'dedup') {
        throw new MalformedQueryError(`only limit may follow dedup, found ${c.kind}`, { startCharOffset: 0, endCharOffset: this.text.length - 1 });
      }
      if (c.kind === 'dedup') dedup = true;
    });
  }

  private command(): Command {
    const t = this.lex.next();
    const word = t.kind === 'ident' && !t.quoted ? t.text.toLowerCase() : '';
    if (!COMMANDS.has(word)) throw this.unexpected(t);
    switch (word) {
      case 'fields':
        return { kind: 'fields', items: this.namedList(false) };
      case 'filter':
        return { kind: 'filter', expr: this.expr() };
      case 'parse':
        return this.parseCommand();
      case 'stats':
        return this.stats();
      case 'sort':
        return this.sort();
      case 'limit': {
        const n = this.lex.next();
        if (n.kind !== 'number' || !Number.isInteger(n.value) || n.value < 1 || n.value > MAX_LIMIT) throw this.unexpected(n);
        return { kind: 'limit', count: n.value };
      }
      case 'dedup':
        return { kind: 'dedup', fields: this.fieldNames() };
      default:
        return { kind: 'display', fields: this.fieldNames() };
    }
  }

  private fieldName(): string {
    const t = this.lex.next();
    if (t.kind !== 'ident' || (!t.quoted && (COMMANDS.has(t.text.toLowerCase()) || ['and', 'or', 'not', 'as', 'by'].includes(t.text.toLowerCase())))) {
      throw this.unexpected(t);
    }
    return t.text;
  }

  private fieldNames(): string[] {
    const names = [this.fieldName()];
    while (isOp(this.lex.peek(), ',')) {
      this.lex.next();
      names.push(this.fieldName());
    }
    return names;
  }

  /** `expr [as alias] (, expr [as alias])*`. */
  private namedList(aggregates: boolean): NamedExpr[] {
    const items: NamedExpr[] = [];
    for (;;) {
      items.push(this.named(aggregates));
      if (!isOp(this.lex.peek(), ',')) return items;
      this.lex.next();
    }
  }

  private named(aggregates: boolean): NamedExpr {
    this.aggs = aggregates ? (this.aggs ?? []) : undefined;
    const expr = this.expr();
    let name = this.text.slice(expr.start, expr.end).trim();
    if (isWord(this.lex.peek(), 'as')) {
      this.lex.next();
      name = this.fieldName();
    } else if (expr.kind === 'field') {
      name = expr.name;
    }
    return { expr, name };
  }

  private parseCommand(): Command {
    const source = this.primary();
    const next = this.lex.peek();
    if (next.kind === 'string') {
      // Glob form: `parse @message "user=*, action=*" as user, action`; each `*` captures.
      this.lex.next();
      const parts = next.value.split('*');
      const asWord = this.lex.next();
      if (!isWord(asWord, 'as')) throw this.unexpected(asWord);
      const names = this.fieldNames();
      if (names.length !== parts.length - 1) {
        throw this.lex.error(next.start, next.end, `parse pattern ${JSON.stringify(next.value)} with ${parts.length - 1} * for ${names.length} fields`);
      }
      const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const body = parts.map(escape).reduce((acc, part, i) => (i === 0 ? part : `${acc}(${i === parts.length - 1 ? '.*' : '.*?'})${part}`), '');
      return { kind: 'parse', source, regex: new RegExp(body, 's'), names };
    }
    const r = this.lex.regex();
    const names = [...r.regex.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string);
    if (names.length === 0) throw this.lex.error(r.start, r.end, 'parse regular expression without named groups (?<name>…)');
    return { kind: 'parse', source, regex: r.regex, names };
  }

  private stats(): Command {
    this.aggs = [];
    const items = this.namedList(true);
    const aggs = this.aggs;
    this.aggs = undefined;
    let by: NamedExpr[] = [];
    const t = this.lex.peek();
    if (isWord(t, 'by') || isWord(t, 'group')) {
      this.lex.next();
      if (isWord(t, 'group')) {
        const b = this.lex.next();
        if (!isWord(b, 'by')) throw this.unexpected(b);
      }
      by = this.namedList(false);
    }
    return { kind: 'stats', items, by, aggs };
  }

  private sort(): Command {
    if (isWord(this.lex.peek(), 'by')) this.lex.next();
    const keys: { expr: Expr; desc: boolean }[] = [];
    for (;;) {
      const expr = this.expr();
      let desc = false;
      const d = this.lex.peek();
      if (isWord(d, 'asc') || isWord(d, 'desc')) {
        this.lex.next();
        desc = isWord(d, 'desc');
      }
      keys.push({ expr, desc });
      if (!isOp(this.lex.peek(), ',')) return { kind: 'sort', keys };
      this.lex.next();
    }
  }

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (isWord(this.lex.peek(), 'or')) {
      this.lex.next();
      const right = this.and();
      left = { kind: 'binary', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (isWord(this.lex.peek(), 'and')) {
      this.lex.next();
      const right = this.not();
      left = { kind: 'binary', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    const t = this.lex.peek();
    if (isWord(t, 'not')) {
      this.lex.next();
      const arg = this.not();
      return { kind: 'unary', op: 'not', arg, start: t.start, end: arg.end };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    let t = this.lex.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      this.lex.next();
      const right = this.additive();
      return { kind: 'binary', op: t.text, left, right, start: left.start, end: right.end };
    }
    if (isOp(t, '=~')) {
      this.lex.next();
      const r = this.lex.regex();
      return { kind: 'like', negate: false, arg: left, pattern: r.regex, start: left.start, end: r.end };
    }
    let negate = false;
    if (isWord(t, 'not')) {
      this.lex.next();
      negate = true;
      t = this.lex.peek();
      if (!isWord(t, 'like') && !isWord(t, 'in')) throw this.unexpected(t);
    }
    if (isWord(t, 'like')) {
      this.lex.next();
      const p = this.lex.peek();
      if (p.kind === 'string') {
        this.lex.next();
        return { kind: 'like', negate, arg: left, pattern: p.value, start: left.start, end: p.end };
      }
      const r = this.lex.regex();
      return { kind: 'like', negate, arg: left, pattern: r.regex, start: left.start, end: r.end };
    }
    if (isWord(t, 'in')) {
      this.lex.next();
      this.expectOp('[');
      const list: Expr[] = [];
      if (!isOp(this.lex.peek(), ']')) {
        for (;;) {
          list.push(this.additive());
          if (!isOp(this.lex.peek(), ',')) break;
          this.lex.next();
        }
      }
      const close = this.expectOp(']');
      return { kind: 'in', negate, arg: left, list, start: left.start, end: close.end };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.lex.peek();
      if (!isOp(t, '+') && !isOp(t, '-')) return left;
      this.lex.next();
      const right = this.multiplicative();
      left = { kind: 'binary', op: (t as { text: string }).text, left, right, start: left.start, end: right.end };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.lex.peek();
      if (!isOp(t, '*') && !isOp(t, '/') && !isOp(t, '%')) return left;
      this.lex.next();
      const right = this.unary();
      left = { kind: 'binary', op: (t as { text: string }).text, left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Expr {
    const t = this.lex.peek();
    if (isOp(t, '-')) {
      this.lex.next();
      const arg = this.unary();
      return { kind: 'unary', op: '-', arg, start: t.start, end: arg.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.lex.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'string':
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'period':
        return { kind: 'period', ms: t.ms, start: t.start, end: t.end };
      case 'op': {
        if (t.text !== '(') break;
        const inner = this.expr();
        const close = this.expectOp(')');
        return { ...inner, start: t.start, end: close.end };
      }
      case 'ident': {
        if (!t.quoted && isOp(this.lex.peek(), '(')) return this.call(t);
        const lower = t.text.toLowerCase();
        if (!t.quoted && (COMMANDS.has(lower) || ['and', 'or', 'not', 'as', 'by', 'like', 'in', 'asc', 'desc'].includes(lower))) break;
        return { kind: 'field', name: t.text, start: t.start, end: t.end };
      }
      default:
        break;
    }
    throw this.unexpected(t);
  }

  private call(nameToken: Token & { kind: 'ident' }): Expr {
    const name = nameToken.text.toLowerCase();
    this.lex.next(); // (
    const aggregate = AGGREGATE_FUNCTIONS[name];
    const scalar = SCALAR_FUNCTIONS[name];
    const arity = aggregate ?? scalar;
    if (arity === undefined) throw this.lex.error(nameToken.start, nameToken.end, `function ${nameToken.text}`);
    if (aggregate !== undefined && this.aggs === undefined) {
      throw this.lex.error(nameToken.start, nameToken.end, `aggregate function ${nameToken.text} outside stats`);
    }
    // Aggregates do not nest: their arguments are per-record expressions.
    const outer = this.aggs;
    if (aggregate !== undefined) this.aggs = undefined;
    const args: Expr[] = [];
    if (!isOp(this.lex.peek(), ')')) {
      for (;;) {
        const a = this.lex.peek();
        if (name === 'count' && isOp(a, '*')) {
          this.lex.next();
          args.push({ kind: 'star', start: a.start, end: a.end });
        } else {
          args.push(this.expr());
        }
        if (!isOp(this.lex.peek(), ',')) break;
        this.lex.next();
      }
    }
    const close = this.expectOp(')');
    this.aggs = outer;
    if (args.length < arity[0] || args.length > arity[1]) {
      throw this.lex.error(nameToken.start, close.end, `${nameToken.text} with ${args.length} argument(s)`);
    }
    const span = { start: nameToken.start, end: close.end };
    if (name === 'pct' || name === 'percentile') {
      const p = args[1] as Expr;
      if (p.kind !== 'literal' || typeof p.value !== 'number' || p.value < 0 || p.value > 100) {
        throw this.lex.error(p.start, p.end, `${nameToken.text} percentile ${this.text.slice(p.start, p.end)} (give a number from 0 to 100)`);
      }
    }
    if (name === 'bin' || name === 'datefloor') {
      const p = args[args.length - 1] as Expr;
      if (p.kind !== 'period' || p.ms <= 0) throw this.lex.error(p.start, p.end, `${nameToken.text} period ${this.text.slice(p.start, p.end)} (give e.g. 5m)`);
    }
    if (aggregate !== undefined && outer !== undefined) {
      const node: AggExpr = { kind: 'agg', name, args, index: outer.length, ...span };
      outer.push(node);
      return node;
    }
    return { kind: 'call', name, args, ...span };
  }
}

/**
 * Parses a Logs Insights QL query into its commands.
 *
 * @example
 * ```ts
 * const q = parseQuery('filter @type = "REPORT" | stats avg(@duration) by bin(5m)');
 * q.commands.map((c) => c.kind); // ['filter', 'stats']
 * ```
 */
export function parseQuery(text: string): ParsedQuery {
  return new Parser(text).parse();
}
