/**
 * Evaluation of query expressions: operators, scalar functions and the aggregate functions of `stats`.
 *
 * @module
 */
import { TimeValue, renderValue, toNumber, truthy } from './fields.js';
import type { QueryRecord, Value } from './fields.js';
import type { AggExpr, Expr } from './parser.js';

/**
 * Compares two values for `=`, `<` …: as numbers when both read as numbers, as text when both are text. A missing
 * value, or a number against text that is not a number, does not compare (every comparison is false).
 */
export function compareValues(a: Value, b: Value): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compare(op: string, a: Value, b: Value): boolean {
  const c = compareValues(a, b);
  if (c === undefined) return false;
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function arithmetic(op: string, a: Value, b: Value): Value {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : x / y;
    default:
      return y === 0 ? undefined : x % y;
  }
}

function numeric(v: Value, f: (n: number) => number): Value {
  const n = toNumber(v);
  return n === undefined ? undefined : f(n);
}

function text(v: Value, f: (s: string) => Value): Value {
  const s = renderValue(v);
  return s === undefined ? undefined : f(s);
}

function floorTime(v: Value, periodMs: number): Value {
  const ms = toNumber(v);
  return ms === undefined ? undefined : new TimeValue(Math.floor(ms / periodMs) * periodMs);
}

/** Values of the aggregates of the current `stats` group, by aggregate index. */
export type AggregateValues = readonly Value[];

/**
 * Evaluates an expression for one record. Aggregate calls read `aggregates` (set while `stats` writes its rows).
 *
 * @example
 * ```ts
 * evaluate(parseQuery('filter @duration > 1000').commands[0].expr, record); // true or false
 * ```
 */
export function evaluate(expr: Expr, record: QueryRecord, aggregates?: AggregateValues): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'period':
      return expr.ms;
    case 'field':
      return record.get(expr.name);
    case 'star':
      return true;
    case 'agg':
      return aggregates?.[expr.index];
    case 'unary': {
      const v = evaluate(expr.arg, record, aggregates);
      return expr.op === 'not' ? !truthy(v) : numeric(v, (n) => -n);
    }
    case 'binary': {
      if (expr.op === 'and') return truthy(evaluate(expr.left, record, aggregates)) && truthy(evaluate(expr.right, record, aggregates));
      if (expr.op === 'or') return truthy(evaluate(expr.left, record, aggregates)) || truthy(evaluate(expr.right, record, aggregates));
      const a = evaluate(expr.left, record, aggregates);
      const b = evaluate(expr.right, record, aggregates);
      return ['+', '-', '*', '/', '%'].includes(expr.op) ? arithmetic(expr.op, a, b) : compare(expr.op, a, b);
    }
    case 'like': {
      const s = renderValue(evaluate(expr.arg, record, aggregates));
      const hit = s !== undefined && (typeof expr.pattern === 'string' ? s.includes(expr.pattern) : expr.pattern.test(s));
      return expr.negate ? !hit : hit;
    }
    case 'in': {
      const v = evaluate(expr.arg, record, aggregates);
      const hit = v !== undefined && expr.list.some((item) => compareValues(v, evaluate(item, record, aggregates)) === 0);
      return expr.negate ? !hit : hit;
    }
    case 'call':
      return callScalar(expr, record, aggregates);
  }
}

function callScalar(expr: Expr & { kind: 'call' }, record: QueryRecord, aggregates: AggregateValues | undefined): Value {
  const arg = (i: number): Value => evaluate(expr.args[i] as Expr, record, aggregates);
  switch (expr.name) {
    case 'coalesce':
      for (let i = 0; i < expr.args.length; i++) {
        const v = arg(i);
        if (v !== undefined) return v;
      }
      return undefined;
    case 'abs':
      return numeric(arg(0), Math.abs);
    case 'ceil':
      return numeric(arg(0), Math.ceil);
    case 'floor':
      return numeric(arg(0), Math.floor);
    case 'round': {
      const digits = expr.args.length > 1 ? (toNumber(arg(1)) ?? 0) : 0;
      const scale = 10 ** Math.trunc(digits);
      return numeric(arg(0), (n) => Math.round(n * scale) / scale);
    }
    case 'strlen':
      return text(arg(0), (s) => [...s].length);
    case 'tolower':
      return text(arg(0), (s) => s.toLowerCase());
    case 'toupper':
      return text(arg(0), (s) => s.toUpperCase());
    case 'trim':
      return text(arg(0), (s) => s.trim());
    case 'concat':
      return expr.args.map((_, i) => renderValue(arg(i)) ?? '').join('');
    case 'strcontains': {
      const s = renderValue(arg(0));
      const sub = renderValue(arg(1));
      return s !== undefined && sub !== undefined && s.includes(sub);
    }
    case 'ispresent':
      return arg(0) !== undefined;
    case 'isempty': {
      const v = arg(0);
      return v === undefined || renderValue(v) === '';
    }
    case 'isblank': {
      const v = arg(0);
      return v === undefined || (renderValue(v) ?? '').trim() === '';
    }
    case 'datefloor':
      return floorTime(arg(0), toNumber(arg(1)) as number);
    default:
      // bin(period): the start of the period holding @timestamp.
      return floorTime(record.get('@timestamp'), toNumber(arg(0)) as number);
  }
}

/** Collects one aggregate over the records of a group. */
export interface Aggregator {
  add(record: QueryRecord): void;
  result(): Value;
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` % of the values at or below it (rank
 * `ceil(p/100 × n)`, at least 1). Logs Insights does not publish its percentile method.
 */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** A fresh aggregator for one aggregate call. */
export function createAggregator(agg: AggExpr): Aggregator {
  const arg = agg.args[0];
  const valueOf = (r: QueryRecord): Value => (arg === undefined ? true : evaluate(arg, r));
  const numbers: number[] = [];
  const addNumber = (r: QueryRecord): void => {
    const n = toNumber(valueOf(r));
    if (n !== undefined) numbers.push(n);
  };
  switch (agg.name) {
    case 'count': {
      let n = 0;
      return {
        add: (r) => {
          if (valueOf(r) !== undefined) n++;
        },
        result: () => n,
      };
    }
    case 'count_distinct': {
      const seen = new Set<string>();
      return {
        add: (r) => {
          const s = renderValue(valueOf(r));
          if (s !== undefined) seen.add(s);
        },
        result: () => seen.size,
      };
    }
    case 'earliest':
    case 'latest': {
      let best: { at: number; value: Value } | undefined;
      const later = agg.name === 'latest';
      return {
        add: (r) => {
          const value = valueOf(r);
          const at = r.timestamp;
          if (value === undefined || at === undefined) return;
          if (best === undefined || (later ? at >= best.at : at < best.at)) best = { at, value };
        },
        result: () => best?.value,
      };
    }
    default:
      return { add: addNumber, result: () => summarize(agg, numbers) };
  }
}

function summarize(agg: AggExpr, values: number[]): Value {
  if (values.length === 0) return undefined;
  const n = values.length;
  const sum = values.reduce((s, v) => s + v, 0);
  switch (agg.name) {
    case 'sum':
      return sum;
    case 'avg':
      return sum / n;
    case 'min':
      return values.reduce((m, v) => (v < m ? v : m));
    case 'max':
      return values.reduce((m, v) => (v > m ? v : m));
    case 'stddev': {
      // Sample standard deviation (n − 1); one value has none spread, 0.
      if (n === 1) return 0;
      const mean = sum / n;
      return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    }
    default: {
      // pct / percentile
      const p = (agg.args[1] as Expr & { kind: 'literal' }).value as number;
      return nearestRank([...values].sort((a, b) => a - b), p);
    }
  }
}
