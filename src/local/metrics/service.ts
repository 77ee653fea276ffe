/**
 * The CloudWatch metrics API of `local`, on one endpoint in both wire protocols CloudWatch clients speak:
 * - awsJson1_0 with AWS Query compatibility, which `@aws-sdk/client-cloudwatch` 3.1164 speaks (lambda-facts §7):
 *   POST `/`, `content-type: application/x-amz-json-1.0`, `x-amz-target: GraniteServiceVersion20100801.<Operation>`,
 *   `x-amzn-query-mode: true`; timestamps are epoch seconds. Errors carry `__type`
 *   (`com.amazonaws.cloudwatch#<Shape>`) and the `x-amzn-query-error: <Code>;<Sender|Receiver>` header, from which
 *   the SDK takes the Query error code.
 * - the query protocol of botocore (the AWS CLI, boto3): POST `/`, `content-type: application/x-www-form-urlencoded`,
 *   `Action=<Operation>&Version=2010-08-01&…`, answered in XML (see query-protocol.ts).
 *
 * @module
 */
import { InvalidInputError } from '../../errors.js';
import type { MetricUnit } from '../../metrics/types.js';
import { AwsServiceError, BodyReader, decodeToken, delay, encodeToken, header, newRequestId, parseJsonObject } from '../http.js';
import type { LocalFaultHook, LocalRequest, LocalResponse, LocalService } from '../http.js';
import { CLOUDWATCH_API_VERSION, CLOUDWATCH_INPUT_SHAPES, parseQueryForm, decodeQueryParams, queryErrorXml, queryResponseXml, toJsonOutput } from './query-protocol.js';
import { alignStartTime, metricKey } from './store.js';
import type { DimensionFilter, MetricStore } from './store.js';

/** The `x-amz-target` prefix of CloudWatch. */
export const METRICS_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** Options of {@link MetricsService}. */
export interface MetricsServiceOptions {
  /** Injects throttling (`Throttling`), server errors (`InternalServiceError`) or delays per call. */
  readonly faults?: LocalFaultHook;
}

// Query error code → the SDK's error shape name (client-cloudwatch schemas, awsQueryError trait).
const SHAPE_OF_CODE: Readonly<Record<string, string>> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceError: 'InternalServiceFault',
  ValidationError: 'ValidationException',
};

const UNITS: ReadonlySet<string> = new Set<MetricUnit>([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);

/** GetMetricStatistics' standard statistics, in the member order of botocore's `Datapoint`. */
const STANDARD_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
/** ExtendedStatistics: percentiles p0.0 to p100 with up to two decimals (GetMetricStatistics reference: pNN.NN). */
const PERCENTILE = /^p(?:\d{1,2}(?:\.\d{1,2})?|100(?:\.0{1,2})?)$/;
/** GetMetricStatistics returns at most 1,440 datapoints per call (GetMetricStatistics reference). */
const MAX_STATISTICS_DATAPOINTS = 1440;
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;
const HIGH_RESOLUTION_PERIODS = new Set([1, 5, 10, 20, 30]);
/** GetMetricData's default and largest MaxDatapoints (lambda-facts §5). */
const DEFAULT_MAX_DATAPOINTS = 100_800;
const MAX_QUERIES = 500;
const LIST_PAGE_SIZE = 500;
const RECENTLY_ACTIVE_MS = 3 * 3_600_000;

function validationError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

function reader(body: Record<string, unknown>): BodyReader {
  return new BodyReader(body, (field, problem, missing) =>
    missing
      ? new AwsServiceError('MissingParameter', `The parameter ${field} is required.`)
      : new AwsServiceError('InvalidParameterValue', `The value for parameter ${field} is invalid: it ${problem}.`),
  );
}

function readUnit(r: BodyReader, field: string): MetricUnit | undefined {
  const unit = r.string(field);
  if (unit !== undefined && !UNITS.has(unit)) throw new AwsServiceError('InvalidParameterValue', `The value ${unit} for parameter ${field} is invalid.`);
  return unit as MetricUnit | undefined;
}

function readDimensions(r: BodyReader, field: string, max: number): Record<string, string> {
  const items = r.objectList(field, false) ?? [];
  if (items.length > max) throw new AwsServiceError('InvalidParameterValue', `The collection ${field} must not have a size greater than ${max}.`);
  const out: Record<string, string> = {};
  for (const d of items) out[d.string('Name', true)] = d.string('Value', true);
  return out;
}

function asServiceError(err: unknown): AwsServiceError {
  return err instanceof AwsServiceError ? err : new AwsServiceError('InternalServiceError', `lambda-meter local failed: ${String(err)}`, 500);
}

/** A query-protocol request: a form-encoded POST to `/`. */
function isQueryRequest(request: LocalRequest): boolean {
  const type = header(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  return request.method === 'POST' && (request.url === '/' || request.url.startsWith('/?')) && type === 'application/x-www-form-urlencoded';
}

interface StatQuery {
  readonly id: string;
  readonly label: string;
  readonly points: readonly { readonly timestamp: number; readonly value: number }[];
}

interface PageEntry {
  readonly q: number;
  readonly t: number;
  readonly value: number;
}

/**
 * CloudWatch metrics over a {@link MetricStore}: GetMetricData (MetricStat queries), ListMetrics and PutMetricData.
 * Mount it on a shared server with `startLocalServer([service])`, or call {@link MetricsService.handle} directly.
 *
 * @example
 * ```ts
 * const server = await startLocalServer([new MetricsService(new MetricStore())]);
 * const cloudwatch = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
 * ```
 */
export class MetricsService implements LocalService {
  private readonly faults: LocalFaultHook | undefined;

  constructor(
    /** The data the service reads and writes. */
    readonly store: MetricStore,
    options: MetricsServiceOptions = {},
  ) {
    this.faults = options.faults;
  }

  /**
   * True for requests whose `x-amz-target` names CloudWatch, and for form-encoded POSTs to `/` (the query protocol;
   * no other service of `local` speaks it).
   */
  matches(request: LocalRequest): boolean {
    return header(request, 'x-amz-target')?.startsWith(METRICS_TARGET_PREFIX) === true || isQueryRequest(request);
  }

  /** Answers one request; failures become CloudWatch error responses in the request's protocol. */
  async handle(request: LocalRequest): Promise<LocalResponse> {
    return isQueryRequest(request) && header(request, 'x-amz-target') === undefined ? this.handleQuery(request) : this.handleJson(request);
  }

  private async fault(operation: string): Promise<void> {
    const fault = this.faults?.(operation);
    if (fault === 'throttle') throw new AwsServiceError('Throttling', 'Rate exceeded');
    if (fault === 'serverError') throw new AwsServiceError('InternalServiceError', 'Internal service error', 500);
    if (fault !== undefined) await delay(fault.delayMs);
  }

  private async handleQuery(request: LocalRequest): Promise<LocalResponse> {
    const requestId = newRequestId();
    const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
    try {
      const query = parseQueryForm(request.body.toString('utf8'));
      const action = query.action;
      if (action === undefined || action === '') throw new AwsServiceError('MissingAction', 'The request must contain the parameter Action.');
      const shape = CLOUDWATCH_INPUT_SHAPES[action];
      if (shape === undefined || (query.version !== undefined && query.version !== CLOUDWATCH_API_VERSION)) {
        // CloudWatch's answer to an Action it does not know (awsQuery `InvalidAction`, HTTP 400).
        throw new AwsServiceError(
          'InvalidAction',
          `Could not find operation ${action} for version ${query.version ?? CLOUDWATCH_API_VERSION}` +
            (shape === undefined ? ` (lambda-meter local serves ${Object.keys(CLOUDWATCH_INPUT_SHAPES).join(', ')})` : ''),
        );
      }
      await this.fault(action);
      const output = this.call(action, decodeQueryParams(shape, query.params) as Record<string, unknown>);
      // PutMetricData has no output shape: its response holds only ResponseMetadata.
      return { status: 200, headers, body: queryResponseXml(action, action === 'PutMetricData' ? undefined : output, requestId) };
    } catch (err) {
      const e = asServiceError(err);
      return { status: e.status, headers, body: queryErrorXml(e.code, e.message, e.status, requestId) };
    }
  }

  private async handleJson(request: LocalRequest): Promise<LocalResponse> {
    const requestId = newRequestId();
    const target = header(request, 'x-amz-target') ?? '';
    const operation = target.startsWith(METRICS_TARGET_PREFIX) ? target.slice(METRICS_TARGET_PREFIX.length) : '';
    try {
      if (request.method !== 'POST') throw new AwsServiceError('UnknownOperationException', `CloudWatch expects POST, got ${request.method}`);
      await this.fault(operation);
      const output = this.call(operation, parseJsonObject(request.body));
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId }, body: JSON.stringify(toJsonOutput(output)) };
    } catch (err) {
      const e = asServiceError(err);
      return {
        status: e.status,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': requestId,
          'x-amzn-query-error': `${e.code};${e.status >= 500 ? 'Receiver' : 'Sender'}`,
        },
        body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${SHAPE_OF_CODE[e.code] ?? e.code}`, message: e.message, ...e.fields }),
      };
    }
  }

  private call(operation: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (operation) {
      case 'GetMetricData':
        return this.getMetricData(reader(body));
      case 'GetMetricStatistics':
        return this.getMetricStatistics(reader(body));
      case 'ListMetrics':
        return this.listMetrics(reader(body));
      case 'PutMetricData':
        return this.putMetricData(reader(body));
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          operation === '' ? 'Missing or unknown x-amz-target' : `lambda-meter local does not support the CloudWatch operation ${operation}`,
        );
    }
  }

  private getMetricData(r: BodyReader): Record<string, unknown> {
    const items = r.objectList('MetricDataQueries', true) as BodyReader[];
    const startSec = r.number('StartTime', { required: true }) as number;
    const endSec = r.number('EndTime', { required: true }) as number;
    const startMs = Math.round(startSec * 1000);
    const endMs = Math.round(endSec * 1000);
    if (startMs >= endMs) throw validationError('The parameter StartTime must be less than the parameter EndTime.');
    if (items.length === 0 || items.length > MAX_QUERIES) {
      throw validationError(`The collection MetricDataQueries must hold 1 to ${MAX_QUERIES} queries, got ${items.length}.`);
    }
    const scanBy = r.string('ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
      throw validationError(`The value ${scanBy} for parameter ScanBy is invalid; use TimestampDescending or TimestampAscending.`);
    }
    const maxDatapoints = r.number('MaxDatapoints', { min: 1, integer: true }) ?? DEFAULT_MAX_DATAPOINTS;
    const now = this.store.now();
    const ids = new Set<string>();
    const queries: StatQuery[] = [];
    items.forEach((q, i) => {
      const field = `MetricDataQueries.member.${i + 1}`;
      const id = q.string('Id', true);
      if (!METRIC_ID.test(id)) throw validationError(`The value ${id} for parameter ${field}.Id is invalid; it must match ^[a-z][a-zA-Z0-9_]*$.`);
      if (ids.has(id)) throw validationError('The values for parameter id in MetricDataQueries are not unique.');
      ids.add(id);
      const hasExpression = q.has('Expression');
      const stat = q.object('MetricStat', false);
      if (hasExpression === (stat !== undefined)) throw validationError(`Exactly one of MetricStat and Expression must be given in ${field}.`);
      if (stat === undefined) {
        throw validationError(`lambda-meter local does not evaluate metric math or Metrics Insights expressions (${field}.Expression).`);
      }
      const metric = stat.object('Metric', true) as BodyReader;
      const namespace = metric.string('Namespace', true);
      const metricName = metric.string('MetricName', true);
      const dimensions = readDimensions(metric, 'Dimensions', 30);
      const period = stat.number('Period', { required: true, integer: true, min: 1 }) as number;
      if (!HIGH_RESOLUTION_PERIODS.has(period) && period % 60 !== 0) {
        throw validationError(`The parameter ${field}.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
      }
      const statName = stat.string('Stat', true);
      let points;
      try {
        points = this.store.getStatistics({
          namespace,
          metricName,
          dimensions,
          startTime: alignStartTime(startMs, period, now),
          endTime: endMs,
          periodSeconds: period,
          stat: statName,
          ...(stat.has('Unit') ? { unit: readUnit(stat, 'Unit') } : {}),
        });
      } catch (err) {
        if (err instanceof InvalidInputError) {
          throw validationError(`The value ${statName} for parameter ${field}.MetricStat.Stat is not a statistic lambda-meter local computes: ${err.message}`);
        }
        throw err;
      }
      if (q.boolean('ReturnData') === false) return;
      queries.push({ id, label: q.string('Label') ?? metricName, points });
    });

    const descending = scanBy === 'TimestampDescending';
    const entries: PageEntry[] = [];
    queries.forEach((q, qi) => {
      for (const p of q.points) entries.push({ q: qi, t: p.timestamp, value: p.value });
    });
    const order = (a: { q: number; t: number }, b: { q: number; t: number }): number => (descending ? b.t - a.t : a.t - b.t) || a.q - b.q;
    entries.sort(order);
    let remaining = entries;
    const token = r.string('NextToken');
    if (token !== undefined) {
      const cursor = decodeToken(token) as { q?: unknown; t?: unknown } | undefined;
      if (typeof cursor?.q !== 'number' || typeof cursor.t !== 'number') throw new AwsServiceError('InvalidNextToken', 'The specified NextToken is invalid.');
      const at = { q: cursor.q, t: cursor.t };
      remaining = entries.filter((e) => order(e, at) > 0);
    }
    const page = remaining.slice(0, maxDatapoints);
    const rest = remaining.slice(maxDatapoints);
    const last = page.at(-1);
    return {
      MetricDataResults: queries.map((q, qi) => {
        const mine = page.filter((e) => e.q === qi);
        return {
          Id: q.id,
          Label: q.label,
          Timestamps: mine.map((e) => new Date(e.t)),
          Values: mine.map((e) => e.value),
          // PartialData: more of this query's datapoints come with NextToken (MetricDataResult.StatusCode reference).
          StatusCode: rest.some((e) => e.q === qi) ? 'PartialData' : 'Complete',
          Messages: [],
        };
      }),
      ...(rest.length > 0 && last !== undefined ? { NextToken: encodeToken({ q: last.q, t: last.t }) } : {}),
      Messages: [],
    };
  }

  private getMetricStatistics(r: BodyReader): Record<string, unknown> {
    const namespace = r.string('Namespace', true);
    const metricName = r.string('MetricName', true);
    for (const [field, value] of [['Namespace', namespace], ['MetricName', metricName]] as const) {
      if (value === '' || value.length > 255) throw new AwsServiceError('InvalidParameterValue', `The parameter ${field} must be 1 to 255 characters long.`);
    }
    const dimensions = readDimensions(r, 'Dimensions', 30);
    const startSec = r.number('StartTime', { required: true }) as number;
    const endSec = r.number('EndTime', { required: true }) as number;
    const period = r.number('Period', { required: true, integer: true, min: 1 }) as number;
    const statistics = r.stringList('Statistics', 1, 5) ?? [];
    const extended = r.stringList('ExtendedStatistics', 1, 10) ?? [];
    const unit = readUnit(r, 'Unit');
    statistics.forEach((stat, i) => {
      if (!(STANDARD_STATISTICS as readonly string[]).includes(stat)) {
        throw new AwsServiceError('InvalidParameterValue', `The parameter Statistics.member.${i + 1} must be a value in the set [${STANDARD_STATISTICS.join(', ')}].`);
      }
    });
    extended.forEach((stat, i) => {
      if (!PERCENTILE.test(stat)) {
        throw new AwsServiceError('InvalidParameterValue', `The parameter ExtendedStatistics.member.${i + 1} must be a percentile from p0.0 to p100, such as p99 or p99.99, got ${stat}.`);
      }
    });
    if (statistics.length + extended.length === 0) {
      throw new AwsServiceError('InvalidParameterCombination', 'Either the parameter Statistics or the parameter ExtendedStatistics must be specified.');
    }
    // "You must specify either Statistics or ExtendedStatistics, but not both" (GetMetricStatistics reference).
    if (statistics.length > 0 && extended.length > 0) {
      throw new AwsServiceError('InvalidParameterCombination', 'The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.');
    }
    if (!HIGH_RESOLUTION_PERIODS.has(period) && period % 60 !== 0) {
      throw new AwsServiceError('InvalidParameterValue', 'The parameter Period must be a multiple of 60, or 1, 5, 10, 20 or 30 for high-resolution data.');
    }
    const startMs = Math.round(startSec * 1000);
    const endMs = Math.round(endSec * 1000);
    if (startMs >= endMs) throw new AwsServiceError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
    const alignedStart = alignStartTime(startMs, period, this.store.now());
    const requested = Math.ceil((endMs - alignedStart) / (period * 1000));
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw new AwsServiceError(
        'InvalidParameterCombination',
        `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}.`,
      );
    }
    const range = { namespace, metricName, dimensions, startTime: alignedStart, endTime: endMs, periodSeconds: period };
    // One datapoint per period and unit: without Unit, data stored with different units is not merged (Unit reference).
    const datapoints: Record<string, unknown>[] = [];
    for (const u of unit === undefined ? this.store.unitsOf(range) : [unit]) {
      const byTime = new Map<number, { standard: Record<string, number>; extended: Map<string, number> }>();
      const at = (t: number): { standard: Record<string, number>; extended: Map<string, number> } => {
        let entry = byTime.get(t);
        if (entry === undefined) {
          entry = { standard: {}, extended: new Map() };
          byTime.set(t, entry);
        }
        return entry;
      };
      for (const stat of statistics) for (const p of this.store.getStatistics({ ...range, stat, unit: u })) at(p.timestamp).standard[stat] = p.value;
      for (const stat of extended) for (const p of this.store.getStatistics({ ...range, stat, unit: u })) at(p.timestamp).extended.set(stat, p.value);
      for (const [t, e] of [...byTime].sort(([a], [b]) => a - b)) {
        datapoints.push({
          Timestamp: new Date(t),
          // Botocore's Datapoint member order.
          ...Object.fromEntries(STANDARD_STATISTICS.filter((s) => s in e.standard).map((s) => [s, e.standard[s]])),
          Unit: u,
          ...(e.extended.size > 0 ? { ExtendedStatistics: e.extended } : {}),
        });
      }
    }
    return { Label: metricName, Datapoints: datapoints };
  }

  private listMetrics(r: BodyReader): Record<string, unknown> {
    const namespace = r.string('Namespace');
    const metricName = r.string('MetricName');
    const filters: DimensionFilter[] = (r.objectList('Dimensions', false) ?? []).map((d) => {
      const value = d.string('Value');
      return { name: d.string('Name', true), ...(value === undefined ? {} : { value }) };
    });
    if (filters.length > 10) throw new AwsServiceError('InvalidParameterValue', 'The collection Dimensions must not have a size greater than 10.');
    const recentlyActive = r.string('RecentlyActive');
    if (recentlyActive !== undefined && recentlyActive !== 'PT3H') {
      throw new AwsServiceError('InvalidParameterValue', `The value ${recentlyActive} for parameter RecentlyActive is invalid; use PT3H.`);
    }
    let after: string | undefined;
    const token = r.string('NextToken');
    if (token !== undefined) {
      const value = decodeToken(token) as { k?: unknown } | undefined;
      if (typeof value?.k !== 'string') throw new AwsServiceError('InvalidNextToken', 'The specified NextToken is invalid.');
      after = value.k;
    }
    const metrics = this.store
      .listMetrics({
        ...(namespace === undefined ? {} : { namespace }),
        ...(metricName === undefined ? {} : { metricName }),
        dimensions: filters,
        ...(recentlyActive === undefined ? {} : { activeSince: this.store.now() - RECENTLY_ACTIVE_MS }),
      })
      .map((m) => ({ m, key: metricKey(m.namespace, m.metricName, m.dimensions) }))
      .filter((e) => after === undefined || e.key > after);
    const page = metrics.slice(0, LIST_PAGE_SIZE);
    const last = page.at(-1);
    return {
      Metrics: page.map(({ m }) => ({
        Namespace: m.namespace,
        MetricName: m.metricName,
        Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      })),
      ...(metrics.length > LIST_PAGE_SIZE && last !== undefined ? { NextToken: encodeToken({ k: last.key }) } : {}),
    };
  }

  private putMetricData(r: BodyReader): Record<string, unknown> {
    const namespace = r.string('Namespace', true);
    if (namespace === '' || namespace.length > 255 || namespace.startsWith('AWS/')) {
      // Namespaces starting with AWS/ are reserved for AWS services (PutMetricData reference).
      throw new AwsServiceError('InvalidParameterValue', `The value ${namespace} for parameter Namespace is invalid.`);
    }
    const data = r.objectList('MetricData', true) as BodyReader[];
    if (data.length === 0 || data.length > 1000) throw new AwsServiceError('InvalidParameterValue', 'The collection MetricData must hold 1 to 1000 items.');
    const now = this.store.now();
    // The request's shape is validated in full before anything is stored.
    const writes: (() => void)[] = data.map((d, i) => {
      const field = `MetricData.member.${i + 1}`;
      const metricName = d.string('MetricName', true);
      const dimensions = readDimensions(d, 'Dimensions', 30);
      const timestamp = d.has('Timestamp') ? Math.round((d.number('Timestamp') as number) * 1000) : now;
      const unit = readUnit(d, 'Unit');
      const base = { namespace, metricName, dimensions, timestamp, ...(unit === undefined ? {} : { unit }) };
      const hasValue = d.has('Value');
      const hasValues = d.has('Values');
      const set = d.object('StatisticValues', false);
      const given = (['Value', 'Values', 'StatisticValues'] as const).filter((name, k) => [hasValue, hasValues, set !== undefined][k]);
      if (given.length > 1) {
        // CloudWatch's wording for Value with StatisticValues, as reported in AdRoll/goamz#355.
        throw new AwsServiceError(
          'InvalidParameterCombination',
          `The parameters ${field}.${given[0]} and ${field}.${given[1]} are mutually exclusive and you have specified both.`,
        );
      }
      if (set !== undefined) {
        const input = {
          ...base,
          sampleCount: set.number('SampleCount', { required: true }) as number,
          sum: set.number('Sum', { required: true }) as number,
          minimum: set.number('Minimum', { required: true }) as number,
          maximum: set.number('Maximum', { required: true }) as number,
        };
        return () => this.store.putStatisticSet(input);
      }
      if (hasValues) {
        const values = d.raw('Values');
        const counts = d.raw('Counts');
        if (!Array.isArray(values) || values.length > 150 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
          throw new AwsServiceError('InvalidParameterValue', `The parameter ${field}.Values must be a list of at most 150 numbers.`);
        }
        if (counts !== undefined && (!Array.isArray(counts) || counts.length !== values.length || counts.some((c) => typeof c !== 'number' || !(c > 0)))) {
          throw new AwsServiceError('InvalidParameterValue', `The parameter ${field}.Counts must hold one positive number per value.`);
        }
        return () => values.forEach((value: number, k) => this.store.putDatum({ ...base, value, count: Array.isArray(counts) ? (counts[k] as number) : 1 }));
      }
      if (!hasValue) throw new AwsServiceError('MissingParameter', `The parameter ${field}.Value is required.`);
      const value = d.number('Value') as number;
      return () => this.store.putDatum({ ...base, value });
    });
    try {
      for (const write of writes) write();
    } catch (err) {
      if (err instanceof InvalidInputError) throw new AwsServiceError('InvalidParameterValue', err.message);
      throw err;
    }
    return {};
  }
}
