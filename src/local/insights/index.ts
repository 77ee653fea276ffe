/**
 * The Logs Insights query engine of `lambda-meter/local`: Logs Insights QL over the Logs service's events.
 *
 * @module
 */
export { InsightsQueryEngine, CompiledInsightsQuery, createInsightsEngine, naturalCompare } from './engine.js';
export type { InsightsQueryEngineOptions, RunQueryOptions } from './engine.js';
export { MalformedQueryError } from './lexer.js';
export type { QueryErrorLocation } from './lexer.js';
export { parseQuery } from './parser.js';
export type { Command, Expr, NamedExpr, ParsedQuery } from './parser.js';
export { formatInsightsTimestamp, formatJavaDouble, discoverLambdaFields, flattenJsonMessage } from './fields.js';
