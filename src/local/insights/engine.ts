/**
 * The Logs Insights query engine of `local`: compiles Logs Insights QL and runs it over a Logs service's events.
 *
 * @module
 */
import type { InsightsEngine, InsightsEngineEvent, InsightsEngineResult, InsightsResultField } from '../logs/service.js';
import { QueryRecord, renderValue, toNumber, truthy } from './fields.js';
import type { RecordContext, Value } from './fields.js';
import { createAggregator, evaluate } from './functions.js';
import { parseQuery } from './parser.js';
import type { Command, Expr, ParsedQuery } from './parser.js';

/** Options of {@link InsightsQueryEngine}. */
export interface InsightsQueryEngineOptions {
  /**
   * The account id written in `@log` (`<accountId>:<logGroupName>`) for events that do not carry their own.
   * @default '123456789012'
   */
  readonly accountId?: string;
}

/** Rows a query returns when neither the query nor the caller says (lambda-facts §4). */
const DEFAULT_ROWS = 10_000;
/** Columns of a query without `fields`, `display` or `stats`. */
const DEFAULT_COLUMNS = ['@timestamp', '@message'];

/**
 * A compiled query, as {@link InsightsQueryEngine.compileQuery} returns it.
 *
 * @example
 * ```ts
 * const compiled = new InsightsQueryEngine().compileQuery('filter @type = "REPORT" | limit 5');
 * compiled.query.commands.map((c) => c.kind); // ['filter', 'limit']
 * ```
 */
export class CompiledInsightsQuery {
  constructor(readonly query: ParsedQuery) {}
}

/** Options of {@link InsightsQueryEngine.runQuery} (the Logs service passes its StartQuery request). */
export interface RunQueryOptions {
  /** Inclusive, epoch milliseconds. */
  readonly startTime: number;
  /** Inclusive, epoch milliseconds. */
  readonly endTime: number;
  /** When given, only events of this log group are scanned. */
  readonly logGroupName?: string;
  /**
   * Most rows returned (StartQuery `limit`).
   * @default 10000
   */
  readonly maxRows?: number;
}

const DIGITS = /\d+|\D+/g;

function textCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
const NUMBER_VALUE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Compares two result values the way Logs Insights `sort` orders them ascending (CWL_QuerySyntax-Sort): every
 * non-number value before every number; numbers by value; other values chunk by chunk, digit runs by length and then
 * value, other runs by Unicode. Missing values are not compared here (the caller puts them last).
 *
 * @example
 * ```ts
 * ['10', 'A', '5A', '111A', '2'].sort(naturalCompare); // ['5A', '111A', 'A', '2', '10']
 * ```
 */
export function naturalCompare(a: Value, b: Value): number {
  const x = typeof a === 'string' ? (NUMBER_VALUE.test(a) ? Number(a) : undefined) : toNumber(a);
  const y = typeof b === 'string' ? (NUMBER_VALUE.test(b) ? Number(b) : undefined) : toNumber(b);
  // Equal numbers written differently ("01", "1") keep a fixed order.
  if (x !== undefined && y !== undefined) return x - y || textCompare(renderValue(a) ?? '', renderValue(b) ?? '');
  if (x !== undefined) return 1;
  if (y !== undefined) return -1;
  const s = (renderValue(a) ?? '').match(DIGITS) ?? [];
  const t = (renderValue(b) ?? '').match(DIGITS) ?? [];
  for (let i = 0; i < Math.min(s.length, t.length); i++) {
    const p = s[i] as string;
    const q = t[i] as string;
    if (p === q) continue;
    const pd = /^\d/.test(p);
    const qd = /^\d/.test(q);
    if (pd && qd && p.length !== q.length) return p.length - q.length;
    if (pd && qd) return p < q ? -1 : 1;
    // A shorter run that is a prefix of the other: compare with what follows, as a whole-string comparison would.
    return p < q ? -1 : 1;
  }
  return s.length - t.length;
}

interface RunState {
  records: QueryRecord[];
  /** Columns chosen by `fields`, `display` or `stats`; undefined for the defaults. */
  columns: string[] | undefined;
  aggregated: boolean;
  /** Records matched, counted before the first stats/limit/dedup. */
  matched: number | undefined;
}

function sortRecords(records: QueryRecord[], keys: readonly { readonly expr: Expr; readonly desc: boolean }[]): QueryRecord[] {
  const decorated = records.map((record) => ({ record, values: keys.map((k) => evaluate(k.expr, record)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const u = a.values[i];
      const v = b.values[i];
      if (u === undefined || v === undefined) {
        // Missing values go last in either direction.
        if (u === v) continue;
        return u === undefined ? 1 : -1;
      }
      const c = naturalCompare(u, v);
      if (c !== 0) return (keys[i] as { desc: boolean }).desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.record);
}

function runStats(records: readonly QueryRecord[], command: Command & { kind: 'stats' }, context: RecordContext): QueryRecord[] {
  const groups = new Map<string, { keys: Value[]; aggregators: ReturnType<typeof createAggregator>[] }>();
  for (const record of records) {
    const keys = command.by.map((b) => evaluate(b.expr, record));
    const id = keys.map((k) => (k === undefined ? '\u0001' : `\u0002${renderValue(k) ?? ''}`)).join('\u0000');
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, aggregators: command.aggs.map(createAggregator) };
      groups.set(id, group);
    }
    for (const a of group.aggregators) a.add(record);
  }
  // Without `by`, stats always answers one row (count(*) of nothing is 0).
  if (command.by.length === 0 && groups.size === 0) groups.set('', { keys: [], aggregators: command.aggs.map(createAggregator) });
  const rows: QueryRecord[] = [];
  for (const group of groups.values()) {
    const fields = new Map<string, Value>();
    command.by.forEach((b, i) => fields.set(b.name, group.keys[i]));
    const row = QueryRecord.row(fields, context);
    const values = group.aggregators.map((a) => a.result());
    // Later items may use earlier aliases (`max(a) as x, max(b) as y, x - y as z`).
    for (const item of command.items) fields.set(item.name, evaluate(item.expr, row, values));
    rows.push(row);
  }
  return rows;
}

function addColumns(current: string[] | undefined, names: readonly string[]): string[] {
  const out = [...(current ?? [])];
  for (const n of names) if (!out.includes(n)) out.push(n);
  return out;
}

function step(state: RunState, command: Command, context: RecordContext): void {
  const countMatched = (): void => {
    state.matched ??= state.records.length;
  };
  switch (command.kind) {
    case 'fields':
      for (const item of command.items) {
        if (item.expr.kind === 'field' && item.expr.name === item.name) continue;
        for (const r of state.records) r.set(item.name, evaluate(item.expr, r));
      }
      state.columns = addColumns(state.columns, command.items.map((i) => i.name));
      return;
    case 'filter':
      state.records = state.records.filter((r) => truthy(evaluate(command.expr, r)));
      return;
    case 'parse':
      for (const r of state.records) {
        const source = renderValue(evaluate(command.source, r));
        const m = source === undefined ? null : command.regex.exec(source);
        command.names.forEach((name, i) => {
          const captured = m === null ? undefined : m.groups !== undefined && name in m.groups ? m.groups[name] : m[i + 1];
          r.set(name, captured);
        });
      }
      return;
    case 'stats':
      countMatched();
      state.records = runStats(state.records, command, context);
      state.columns = [...command.by.map((b) => b.name), ...command.items.map((i) => i.name)].filter((n, i, all) => all.indexOf(n) === i);
      state.aggregated = true;
      return;
    case 'sort':
      state.records = sortRecords(state.records, command.keys);
      return;
    case 'limit':
      countMatched();
      state.records = state.records.slice(0, command.count);
      return;
    case 'dedup': {
      countMatched();
      const seen = new Set<string>();
      state.records = state.records.filter((r) => {
        const values = command.fields.map((f) => renderValue(r.get(f)));
        // Records with a missing field are never duplicates (CWL_QuerySyntax-Dedup).
        if (values.some((v) => v === undefined)) return true;
        const key = JSON.stringify(values);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      return;
    }
    default:
      state.columns = [...command.fields];
  }
}

/**
 * The Logs Insights query engine: the default engine of `LogsService`. It runs the Logs Insights QL subset that
 * lambda-meter's own queries and AWS's documented Lambda example queries use, over the events the service hands it,
 * and writes results as GetQueryResults does (strings; `@timestamp` as `YYYY-MM-DD HH:MM:SS.mmm`; Lambda's
 * discovered fields in Java's double notation; `@ptr` in every row of a non-stats query).
 *
 * @example
 * ```ts
 * const engine = new InsightsQueryEngine();
 * const compiled = engine.compileQuery('filter @type = "REPORT" | stats avg(@duration) as avgMs by bin(5m)');
 * const { rows, statistics } = engine.runQuery(compiled, store.visibleEvents(), { startTime: 0, endTime: Date.now() });
 * ```
 */
export class InsightsQueryEngine implements InsightsEngine {
  private readonly context: RecordContext;

  constructor(options: InsightsQueryEngineOptions = {}) {
    this.context = { accountId: options.accountId ?? '123456789012' };
  }

  /**
   * Parses a query; throws MalformedQueryError (named `MalformedQueryException`) for anything outside the subset.
   *
   * @example
   * ```ts
   * const compiled = new InsightsQueryEngine().compileQuery('fields @timestamp, @message | sort @timestamp desc | limit 20');
   * ```
   */
  compileQuery(queryString: string): CompiledInsightsQuery {
    return new CompiledInsightsQuery(parseQuery(queryString));
  }

  /**
   * Runs a compiled query over `events` in `[startTime, endTime]` (both inclusive, epoch milliseconds).
   *
   * @example
   * ```ts
   * const result = engine.runQuery(engine.compileQuery('filter @message like /ERROR/'), events, { startTime: 0, endTime: Date.now(), maxRows: 100 });
   * result.rows[0]; // [{ field: '@timestamp', value: '2026-11-24 10:00:00.000' }, { field: '@message', value: … }, { field: '@ptr', value: … }]
   * ```
   */
  runQuery(compiled: unknown, events: readonly InsightsEngineEvent[], options: RunQueryOptions): InsightsEngineResult {
    if (!(compiled instanceof CompiledInsightsQuery)) throw new TypeError('runQuery needs a query compiled by InsightsQueryEngine.compileQuery');
    const { startTime, endTime, logGroupName } = options;
    const scanned = events
      .filter((e) => e.timestamp >= startTime && e.timestamp <= endTime && (logGroupName === undefined || e.logGroup === logGroupName))
      // The service hands events in time order already; the sort is stable, so ties keep the order given.
      .sort((a, b) => a.timestamp - b.timestamp);
    let bytesScanned = 0;
    const records: QueryRecord[] = [];
    // Logs Insights' default order is newest first; `sort` is stable from there.
    for (let i = scanned.length - 1; i >= 0; i--) {
      const e = scanned[i] as InsightsEngineEvent;
      bytesScanned += Buffer.byteLength(e.message, 'utf8');
      const id = (e as { eventId?: unknown }).eventId;
      const key = `${e.logGroup}\u0000${e.logStream}\u0000${typeof id === 'string' ? id : `${e.timestamp}/${i}`}`;
      records.push(new QueryRecord(e, key, this.context));
    }
    const state: RunState = { records, columns: undefined, aggregated: false, matched: undefined };
    for (const command of compiled.query.commands) step(state, command, this.context);
    const maxRows = options.maxRows ?? DEFAULT_ROWS;
    const columns = state.columns ?? DEFAULT_COLUMNS;
    const rows = state.records.slice(0, maxRows).map((r) => {
      const cells: InsightsResultField[] = [];
      for (const field of columns) {
        const value = renderValue(r.get(field));
        if (value !== undefined) cells.push({ field, value });
      }
      // Every row of a non-stats query carries @ptr, as on AWS (lambda-facts §4).
      if (!state.aggregated && !columns.includes('@ptr')) cells.push({ field: '@ptr', value: renderValue(r.get('@ptr')) as string });
      return cells;
    });
    return {
      rows,
      statistics: { recordsMatched: state.matched ?? state.records.length, recordsScanned: scanned.length, bytesScanned },
    };
  }
}

/**
 * Creates an {@link InsightsQueryEngine}.
 *
 * @example
 * ```ts
 * const service = new LogsService(new LogStore(), { engine: createInsightsEngine({ accountId: '111122223333' }) });
 * ```
 */
export function createInsightsEngine(options: InsightsQueryEngineOptions = {}): InsightsQueryEngine {
  return new InsightsQueryEngine(options);
}
