import type { LambdaContextLike, LineOutput, Measurement, MeasurementOptions } from './types.js';

// This module must import nothing at run time (not even ../errors.js), so bad options are plain TypeErrors whose
// message names the function and the option, as ky does.

/** Options after validation, with the EMF text that does not change between invocations prepared once. */
export interface Config {
  readonly envelope: boolean;
  readonly output: LineOutput | undefined;
  readonly emf: EmfConfig | undefined;
  readonly onMeasurement: ((measurement: Measurement, event: never, context: never) => unknown) | undefined;
  readonly awaitOnMeasurement: boolean;
  readonly onMeasurementError: ((error: unknown, measurement: Measurement) => void) | undefined;
  /** True in `log` mode. */
  readonly log: boolean;
}

/** JSON fragments of the EMF line, prepared once per wrapper. */
export interface EmfConfig {
  /** `,"CloudWatchMetrics":[…]` for the configured dimensions, or for the default `FunctionName` dimension. */
  readonly metrics: string;
  /** The same without dimensions, used by the default when the context has no function name. */
  readonly metricsWithoutDimensions: string;
  /** `,"Name":"value"…` of the configured dimensions; undefined when the default `FunctionName` applies. */
  readonly dimensionValues: string | undefined;
  /** `,"Duration":` with the metric name prefix. */
  readonly durationKey: string;
  /** `,"ColdStart":` with the metric name prefix. */
  readonly coldStartKey: string;
}

const KNOWN_OPTIONS = ['mode', 'emf', 'output', 'onMeasurement', 'awaitOnMeasurement', 'onMeasurementError'];
const KNOWN_EMF_OPTIONS = ['namespace', 'dimensions', 'metricNamePrefix'];
// Keys of the measurement (and of the line itself) that a dimension would collide with in the JSON line.
const RESERVED_KEYS = ['_aws', 'type', 'requestId', 'coldStart', 'durationMs', 'startedAt', 'functionName',
  'functionVersion', 'memoryLimitInMB', 'initializationType', 'error'];
// CloudWatch API_Dimension / API_Metric: printable ASCII, at least one non-space character, 1–255 characters
// (dimension values 1–1024), not starting with ':'; at most 30 dimensions per metric.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const MAX_DIMENSIONS = 30;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' || typeof value === 'function' ? `a ${typeof value}` : String(value);
}

function invalid(caller: string, option: string, problem: string, value: unknown): TypeError {
  return new TypeError(`${caller}: \`options.${option}\` ${problem}, got ${show(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(caller: string, prefix: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${caller}: unknown option \`options.${prefix}${key}\` (known: ${known.join(', ')})`);
    }
  }
}

function checkFunction(caller: string, option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw invalid(caller, option, 'must be a function', value);
}

/** True when `text` is a valid CloudWatch name or value of at most `max` characters. */
function isCloudWatchText(text: unknown, max: number, colonAllowed: boolean): text is string {
  return typeof text === 'string' && text.length <= max && PRINTABLE_ASCII.test(text) && text.trim() !== '' &&
    (colonAllowed || !text.startsWith(':'));
}

function resolveEmf(caller: string, emf: true | Record<string, unknown>): EmfConfig {
  const settings = emf === true ? {} : emf;
  checkKeys(caller, 'emf.', settings, KNOWN_EMF_OPTIONS);
  const { namespace = 'LambdaMeter', dimensions, metricNamePrefix = '' } = settings;
  if (!isCloudWatchText(namespace, 255, false)) {
    throw invalid(caller, 'emf.namespace', 'must be 1–255 printable ASCII characters, not starting with ":"', namespace);
  }
  // The longer metric name, `${prefix}ColdStart`, must stay within CloudWatch's 255 characters.
  if (typeof metricNamePrefix !== 'string' || (metricNamePrefix !== '' && !isCloudWatchText(metricNamePrefix, 246, true))) {
    throw invalid(caller, 'emf.metricNamePrefix', 'must be a string of at most 246 printable ASCII characters', metricNamePrefix);
  }
  const durationName = `${metricNamePrefix}Duration`;
  const coldStartName = `${metricNamePrefix}ColdStart`;
  const directive = (keys: string[]): string =>
    `,"CloudWatchMetrics":${JSON.stringify([{
      Namespace: namespace,
      Dimensions: [keys],
      Metrics: [{ Name: durationName, Unit: 'Milliseconds' }, { Name: coldStartName, Unit: 'Count' }],
    }])}`;
  let dimensionValues: string | undefined;
  let keys = ['FunctionName'];
  if (dimensions !== undefined) {
    if (!isPlainObject(dimensions)) throw invalid(caller, 'emf.dimensions', 'must be an object of name → value', dimensions);
    keys = Object.keys(dimensions);
    if (keys.length > MAX_DIMENSIONS) {
      throw new TypeError(`${caller}: \`options.emf.dimensions\` must have at most ${MAX_DIMENSIONS} entries, got ${keys.length}`);
    }
    dimensionValues = '';
    for (const key of keys) {
      const value = dimensions[key];
      if (!isCloudWatchText(key, 255, false) || RESERVED_KEYS.includes(key) || key === durationName || key === coldStartName) {
        throw invalid(caller, 'emf.dimensions', 'names must be 1–255 printable ASCII characters, not starting with ":", ' +
          `and not one of ${[...RESERVED_KEYS, durationName, coldStartName].join(', ')}`, key);
      }
      if (!isCloudWatchText(value, 1024, true)) {
        throw invalid(caller, `emf.dimensions.${key}`, 'must be 1–1024 printable ASCII characters', value);
      }
      dimensionValues += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    }
  }
  return {
    metrics: directive(keys),
    metricsWithoutDimensions: directive([]),
    dimensionValues,
    durationKey: `,${JSON.stringify(durationName)}:`,
    coldStartKey: `,${JSON.stringify(coldStartName)}:`,
  };
}

/** Validates the options of `caller`, throwing a TypeError that names the first bad option. */
export function resolveOptions<TEvent, TContext extends LambdaContextLike>(
  caller: string,
  options: MeasurementOptions<TEvent, TContext>,
): Config {
  if (!isPlainObject(options)) {
    throw new TypeError(`${caller}: \`options\` must be an object, got ${show(options)}`);
  }
  checkKeys(caller, '', options, KNOWN_OPTIONS);
  const { mode = 'envelope', emf = false, output, onMeasurement, awaitOnMeasurement = true, onMeasurementError } =
    options as MeasurementOptions<TEvent, TContext>;
  if (mode !== 'envelope' && mode !== 'log') throw invalid(caller, 'mode', "must be 'envelope' or 'log'", mode);
  if (typeof awaitOnMeasurement !== 'boolean') {
    throw invalid(caller, 'awaitOnMeasurement', 'must be a boolean', awaitOnMeasurement);
  }
  checkFunction(caller, 'onMeasurement', onMeasurement);
  checkFunction(caller, 'onMeasurementError', onMeasurementError);
  if (output !== undefined && typeof (output as Partial<LineOutput> | null)?.write !== 'function') {
    throw invalid(caller, 'output', 'must have a write(chunk) method', output);
  }
  if (typeof emf !== 'boolean' && !isPlainObject(emf)) throw invalid(caller, 'emf', 'must be a boolean or an object', emf);
  const log = mode === 'log';
  // Options that only make sense when lines are written are refused in envelope mode, so a wrong `mode`
  // cannot silently drop the metrics that were asked for.
  if (!log && (emf !== false || output !== undefined)) {
    throw new TypeError(`${caller}: \`options.${emf !== false ? 'emf' : 'output'}\` needs \`mode: 'log'\`, ` +
      `got mode ${show(mode)}`);
  }
  return {
    envelope: !log,
    log,
    output,
    emf: emf === false ? undefined : resolveEmf(caller, emf as true | Record<string, unknown>),
    onMeasurement: onMeasurement as Config['onMeasurement'],
    awaitOnMeasurement,
    onMeasurementError,
  };
}
