/**
 * lambda-meter/invoke: synchronous invocations with the log tail, one at a time or many with bounded concurrency.
 *
 * @module
 */
export { invokeWithTail } from './invoke.js';
export { invokeMany, iterateInvocations } from './many.js';
export type {
  FunctionErrorKind,
  IndexedTailInvocation,
  InvokeInput,
  InvokeManyInput,
  InvokeManyOptions,
  InvokeOptions,
  PayloadSource,
  TailInvocation,
  WeightedPayload,
} from './types.js';
