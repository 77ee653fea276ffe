import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';
import type { InvokeInput } from './types.js';

/** Synchronous invocations accept at most 6 MB of request payload (Lambda quotas; API_Invoke). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** `X-Amz-Client-Context` carries at most 3,583 bytes of base64-encoded data (API_Invoke). */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

const encoder = new TextEncoder();

/** The fixed parts of an Invoke request, validated once per call or run. */
export interface PreparedInput {
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly clientContext: string | undefined;
  readonly tenantId: string | undefined;
}


/** Validates the request fields other than the payload, and base64-encodes the client context. */
export function prepareInput(input: InvokeInput, field = 'input'): PreparedInput {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError(field, `must be an object with a functionName, got ${describe(input)}`);
  }
  const { functionName, qualifier, clientContext, tenantId } = input;
  if (typeof functionName !== 'string' || functionName.trim() === '') {
    throw new InvalidInputError(`${field}.functionName`, `must be a non-empty string, got ${describe(functionName)}`);
  }
  if (qualifier !== undefined && (typeof qualifier !== 'string' || qualifier.trim() === '')) {
    throw new InvalidInputError(`${field}.qualifier`, `must be a non-empty string when given, got ${describe(qualifier)}`);
  }
  if (tenantId !== undefined && (typeof tenantId !== 'string' || tenantId.trim() === '')) {
    throw new InvalidInputError(`${field}.tenantId`, `must be a non-empty string when given, got ${describe(tenantId)}`);
  }
  return { functionName, qualifier, clientContext: encodeClientContext(clientContext, `${field}.clientContext`), tenantId };
}

/** JSON → base64, as the `X-Amz-Client-Context` header wants it; undefined stays undefined. */
export function encodeClientContext(clientContext: unknown, field: string): string | undefined {
  if (clientContext === undefined) return undefined;
  if (typeof clientContext !== 'object' || clientContext === null || Array.isArray(clientContext)) {
    throw new InvalidInputError(field, `must be a plain object, got ${describe(clientContext)}`);
  }
  let json: string;
  try {
    json = JSON.stringify(clientContext);
  } catch (err) {
    throw new InvalidInputError(field, `cannot be encoded as JSON: ${(err as Error).message}`, { cause: err });
  }
  const encoded = Buffer.from(json, 'utf8').toString('base64');
  if (encoded.length > MAX_CLIENT_CONTEXT_BYTES) {
    throw new InvalidInputError(
      field,
      `is ${encoded.length} bytes once base64-encoded; Lambda accepts at most ${MAX_CLIENT_CONTEXT_BYTES}`,
    );
  }
  return encoded;
}

/**
 * The bytes to send for a payload: a Uint8Array as is, undefined as no payload, anything else as its JSON text.
 * Throws InvalidInputError for values JSON cannot encode and for payloads over 6 MB.
 */
export function encodePayload(payload: unknown, field: string): Uint8Array | undefined {
  if (payload === undefined) return undefined;
  let bytes: Uint8Array;
  if (payload instanceof Uint8Array) {
    bytes = payload;
  } else if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) {
    // JSON.stringify would turn these into "{}" or an object of indexes: almost certainly not what was meant.
    throw new InvalidInputError(field, 'must be a Uint8Array (or Buffer) to be sent as raw bytes; wrap it in new Uint8Array(…)');
  } else {
    let json: string | undefined;
    try {
      json = JSON.stringify(payload);
    } catch (err) {
      throw new InvalidInputError(field, `cannot be encoded as JSON: ${(err as Error).message}`, { cause: err });
    }
    // JSON.stringify returns undefined for functions and symbols.
    if (json === undefined) throw new InvalidInputError(field, `cannot be encoded as JSON: got ${typeof payload}`);
    bytes = encoder.encode(json);
  }
  if (bytes.byteLength > MAX_PAYLOAD_BYTES) {
    throw new InvalidInputError(
      field,
      `is ${bytes.byteLength} bytes; a synchronous invocation accepts at most ${MAX_PAYLOAD_BYTES} (6 MB)`,
    );
  }
  return bytes;
}
