/**
 * Reading the CLI's own argument forms: whole-number, fraction, duration and architecture flags, and
 * `--function NAME=HANDLER[,key=value…]`.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { ARCHITECTURES } from '../cost/prices.js';
import type { Architecture } from '../cost/types.js';
import type { DurationModel } from '../local/lambda/duration-model.js';
import type { LocalFunctionDefinition } from '../local/lambda/types.js';

const KEYS = ['memory', 'timeout', 'reserved', 'log-format', 'description'] as const;

/**
 * Reads a whole number flag, naming the flag when it is not one.
 *
 * @example
 * ```ts
 * wholeNumber('20', '--count', 1); // 20
 * ```
 */
export function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidInputError(flag, `must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * Reads `--duration-model`: `measured` or `declared` (lambda-meter/local's duration models), naming the flag otherwise.
 *
 * @example
 * ```ts
 * durationModelFlag('declared'); // 'declared'
 * durationModelFlag(undefined); // undefined
 * ```
 */
export function durationModelFlag(value: string | undefined): DurationModel | undefined {
  if (value === undefined || value === 'measured' || value === 'declared') return value;
  throw new InvalidInputError('--duration-model', `must be measured or declared, got ${JSON.stringify(value)}`);
}

/**
 * Reads a number flag in [min, max] (or (min, max) when `open`), e.g. a fraction, naming the flag when it is not one.
 *
 * @example
 * ```ts
 * fractionFlag('0.2', '--discard-top-bottom', 0, 0.4); // 0.2
 * ```
 */
export function fractionFlag(value: string | undefined, flag: string, min: number, max: number, open = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const inRange = open ? n > min && n < max : n >= min && n <= max;
  if (value.trim() === '' || !Number.isFinite(n) || !inRange) {
    const range = open ? `between ${min} and ${max} (exclusive)` : `from ${min} to ${max}`;
    throw new InvalidInputError(flag, `must be a number ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Reads one `--function` value: `NAME=HANDLER`, then optional comma-separated settings `memory=MB`, `timeout=SECONDS`,
 * `reserved=N`, `log-format=Text|JSON`, `description=TEXT` and `env.KEY=VALUE`.
 *
 * @example
 * ```ts
 * parseFunctionSpec('resize=./functions/resize.mjs#handler,memory=512,timeout=10,env.STAGE=dev');
 * // { name: 'resize', handler: './functions/resize.mjs#handler', memorySizeMB: 512, timeoutSeconds: 10, environment: { STAGE: 'dev' } }
 * ```
 */
export function parseFunctionSpec(spec: string): LocalFunctionDefinition {
  const field = `--function ${spec}`;
  const [head = '', ...settings] = spec.split(',');
  const eq = head.indexOf('=');
  if (eq <= 0 || eq === head.length - 1) {
    throw new InvalidInputError(field, 'must be NAME=HANDLER, e.g. resize=./functions/resize.mjs#handler');
  }
  const definition: { -readonly [K in keyof LocalFunctionDefinition]: LocalFunctionDefinition[K] } = {
    name: head.slice(0, eq),
    handler: head.slice(eq + 1),
  };
  const environment: Record<string, string> = {};
  for (const setting of settings) {
    const at = setting.indexOf('=');
    if (at <= 0) throw new InvalidInputError(field, `setting ${JSON.stringify(setting)} must be key=value`);
    const key = setting.slice(0, at);
    const value = setting.slice(at + 1);
    if (key.startsWith('env.') && key.length > 4) {
      environment[key.slice(4)] = value;
      continue;
    }
    switch (key) {
      case 'memory':
        definition.memorySizeMB = wholeNumber(value, `${field}: memory`, 0) as number;
        break;
      case 'timeout':
        definition.timeoutSeconds = wholeNumber(value, `${field}: timeout`, 0) as number;
        break;
      case 'reserved':
        definition.reservedConcurrency = wholeNumber(value, `${field}: reserved`, 0) as number;
        break;
      case 'log-format':
        if (value !== 'Text' && value !== 'JSON') throw new InvalidInputError(`${field}: log-format`, `must be Text or JSON, got ${JSON.stringify(value)}`);
        definition.logFormat = value;
        break;
      case 'description':
        definition.description = value;
        break;
      default:
        throw new InvalidInputError(field, `unknown setting ${JSON.stringify(key)}; known: ${KEYS.join(', ')}, env.NAME`);
    }
  }
  if (Object.keys(environment).length > 0) definition.environment = environment;
  return definition;
}

/**
 * The time scale a command's figures of the service's own waits (AsyncEventAge) were measured at: `--time-scale` when
 * given (the `lambda-meter local --time-scale` an `--endpoint` points at; only with `--endpoint`), else the embedded
 * local's scale with `--endpoint local`, else 1 (AWS runs in real time).
 *
 * @example
 * ```ts
 * scaledTimeFlag('600', 'http://127.0.0.1:3001', 1); // 600
 * scaledTimeFlag(undefined, 'local', 10); // 10
 * ```
 */
export function scaledTimeFlag(value: string | undefined, endpoint: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (endpoint === undefined || endpoint === 'local') {
    throw new InvalidInputError('--time-scale', endpoint === 'local' ? `does not apply with --endpoint local (its time scale is ${fallback})` : 'only applies with --endpoint (a lambda-meter local started with --time-scale)');
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 1) throw new InvalidInputError('--time-scale', `must be a number >= 1, got ${JSON.stringify(value)}`);
  return n;
}

const DURATION_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a length of time such as `90s`, `10m`, `1.5h`, `7d` or `500ms` into milliseconds; undefined when the flag is
 * absent; an InvalidInputError naming the flag otherwise.
 *
 * @example
 * ```ts
 * durationFlag('10m', '--max-duration'); // 600000
 * ```
 */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  const ms = m === null ? Number.NaN : Number(m[1]) * (DURATION_UNIT_MS[m[2] as string] as number);
  if (!(ms > 0) || !Number.isFinite(ms)) throw new InvalidInputError(flag, `must be a length of time such as 90s, 10m or 1h, got ${JSON.stringify(value)}`);
  return ms;
}

/**
 * Reads an architecture flag: `x86_64` or `arm64` (Lambda's two), naming the flag otherwise; undefined when absent.
 *
 * @example
 * ```ts
 * architectureFlag('arm64', '--arch'); // 'arm64'
 * ```
 */
export function architectureFlag(value: string | undefined, flag: string): Architecture | undefined {
  if (value === undefined) return undefined;
  if ((ARCHITECTURES as readonly string[]).includes(value)) return value as Architecture;
  throw new InvalidInputError(flag, `must be ${ARCHITECTURES.join(' or ')}, got ${JSON.stringify(value)}`);
}
