/**
 * CloudWatch's query protocol (`awsQuery`), the one botocore 1.x, the AWS CLI v1/v2.9 and boto3 1.26 speak
 * (botocore `cloudwatch/2010-08-01/service-2.json`: `"protocol": "query"`): a form-encoded `POST /` with
 * `Action=<Operation>&Version=2010-08-01&…`, answered in XML in the service's namespace.
 *
 * Requests are decoded, guided by a small model of the input shapes, into the same object the awsJson1_0 path parses
 * from JSON (lists from `X.member.N`, structures from `X.Y`, numbers and booleans from their text, ISO 8601 timestamps
 * into epoch seconds), so one implementation per operation serves both protocols.
 *
 * @module
 */

/** CloudWatch's XML namespace (botocore model `metadata.xmlNamespace`). */
export const CLOUDWATCH_XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** CloudWatch's API version, the `Version` of every query request. */
export const CLOUDWATCH_API_VERSION = '2010-08-01';

/** The type of an input member, as far as decoding a form needs to know it. */
export type QueryShape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | { readonly list: QueryShape }
  | { readonly structure: Readonly<Record<string, QueryShape>> };

const dimension: QueryShape = { structure: { Name: 'string', Value: 'string' } };
const dimensions: QueryShape = { list: dimension };
const metric: QueryShape = { structure: { Namespace: 'string', MetricName: 'string', Dimensions: dimensions } };

/** The input shapes of the operations `local` serves (botocore model, members that the service reads). */
export const CLOUDWATCH_INPUT_SHAPES: Readonly<Record<string, QueryShape>> = {
  GetMetricData: {
    structure: {
      MetricDataQueries: {
        list: {
          structure: {
            Id: 'string',
            MetricStat: { structure: { Metric: metric, Period: 'number', Stat: 'string', Unit: 'string' } },
            Expression: 'string',
            Label: 'string',
            ReturnData: 'boolean',
            Period: 'number',
            AccountId: 'string',
          },
        },
      },
      StartTime: 'timestamp',
      EndTime: 'timestamp',
      NextToken: 'string',
      ScanBy: 'string',
      MaxDatapoints: 'number',
      LabelOptions: { structure: { Timezone: 'string' } },
    },
  },
  GetMetricStatistics: {
    structure: {
      Namespace: 'string',
      MetricName: 'string',
      Dimensions: dimensions,
      StartTime: 'timestamp',
      EndTime: 'timestamp',
      Period: 'number',
      Statistics: { list: 'string' },
      ExtendedStatistics: { list: 'string' },
      Unit: 'string',
    },
  },
  ListMetrics: {
    structure: {
      Namespace: 'string',
      MetricName: 'string',
      Dimensions: dimensions,
      NextToken: 'string',
      RecentlyActive: 'string',
      IncludeLinkedAccounts: 'boolean',
      OwningAccount: 'string',
    },
  },
  PutMetricData: {
    structure: {
      Namespace: 'string',
      MetricData: {
        list: {
          structure: {
            MetricName: 'string',
            Dimensions: dimensions,
            Timestamp: 'timestamp',
            Value: 'number',
            StatisticValues: { structure: { SampleCount: 'number', Sum: 'number', Minimum: 'number', Maximum: 'number' } },
            Values: { list: 'number' },
            Counts: { list: 'number' },
            Unit: 'string',
            StorageResolution: 'number',
          },
        },
      },
    },
  },
};

/** A node of the dotted-name tree of a form: its own value and its children by name segment. */
export interface FormNode {
  value?: string;
  readonly children: Map<string, FormNode>;
}

/** A decoded query request: its `Action`, `Version` and the tree of its other parameters. */
export interface QueryRequest {
  readonly action: string | undefined;
  readonly version: string | undefined;
  readonly params: FormNode;
}

/**
 * Parses a form-encoded body into `Action`, `Version` and a tree of the other parameters by their dotted names.
 *
 * @example
 * ```ts
 * const q = parseQueryForm('Action=ListMetrics&Version=2010-08-01&Namespace=Shop');
 * q.action; // 'ListMetrics'
 * decodeQueryParams(CLOUDWATCH_INPUT_SHAPES.ListMetrics, q.params); // { Namespace: 'Shop' }
 * ```
 */
export function parseQueryForm(body: string): QueryRequest {
  const root: FormNode = { children: new Map() };
  let action: string | undefined;
  let version: string | undefined;
  for (const [name, value] of new URLSearchParams(body)) {
    if (name === 'Action') action = value;
    else if (name === 'Version') version = value;
    else {
      let node = root;
      for (const segment of name.split('.')) {
        let child = node.children.get(segment);
        if (child === undefined) {
          child = { children: new Map() };
          node.children.set(segment, child);
        }
        node = child;
      }
      node.value = value;
    }
  }
  return { action, version, params: root };
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function decodeTimestamp(text: string): number | string {
  // The query protocol sends ISO 8601 (botocore `_timestamp_iso8601`); epoch seconds are accepted as well.
  if (NUMBER_TEXT.test(text)) return Number(text);
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? text : ms / 1000;
}

/**
 * Decodes a form tree into the JSON-protocol object of `shape`: `X.member.N` lists (an empty `X=` is an empty list),
 * nested structures, numbers, booleans, and timestamps as epoch seconds. Text that is not of its type stays a string,
 * so the operation's own validation reports it; names the shape does not know are left out.
 *
 * @example
 * ```ts
 * const q = parseQueryForm('Dimensions.member.1.Name=FunctionName&Dimensions.member.1.Value=f&Period=60');
 * decodeQueryParams({ structure: { Dimensions: { list: { structure: { Name: 'string', Value: 'string' } } }, Period: 'number' } }, q.params);
 * // { Dimensions: [{ Name: 'FunctionName', Value: 'f' }], Period: 60 }
 * ```
 */
export function decodeQueryParams(shape: QueryShape, node: FormNode): unknown {
  if (typeof shape === 'object' && 'structure' in shape) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.structure)) {
      const child = node.children.get(name);
      if (child === undefined) continue;
      const value = decodeQueryParams(member, child);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  if (typeof shape === 'object') {
    const members = node.children.get('member');
    if (members === undefined) return node.value === '' ? [] : node.value;
    return [...members.children]
      .filter(([index]) => /^[1-9]\d*$/.test(index))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => decodeQueryParams(shape.list, item));
  }
  const text = node.value;
  if (text === undefined) return undefined;
  switch (shape) {
    case 'number':
      return NUMBER_TEXT.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'timestamp':
      return decodeTimestamp(text);
    default:
      return text;
  }
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/**
 * ISO 8601 UTC as CloudWatch writes it: `2026-11-24T12:32:00Z`, with milliseconds only when there are some.
 *
 * @example
 * ```ts
 * isoTimestamp(new Date(Date.UTC(2026, 10, 24, 12, 32))); // '2026-11-24T12:32:00Z'
 * ```
 */
export function isoTimestamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function xmlValue(value: unknown): string {
  if (value instanceof Date) return escapeXml(isoTimestamp(value));
  if (Array.isArray(value)) return value.map((v) => `<member>${xmlValue(v)}</member>`).join('');
  if (value instanceof Map) {
    return [...(value as Map<unknown, unknown>)].map(([k, v]) => `<entry><key>${xmlValue(k)}</key><value>${xmlValue(v)}</value></entry>`).join('');
  }
  if (typeof value === 'object' && value !== null) return xmlMembers(value as Record<string, unknown>);
  return escapeXml(String(value));
}

function xmlMembers(object: Readonly<Record<string, unknown>>): string {
  return Object.entries(object)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([name, v]) => `<${name}>${xmlValue(v)}</${name}>`)
    .join('');
}

/**
 * Renders an operation's output as CloudWatch's XML response: `<OpResponse xmlns=…><OpResult>…</OpResult>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>`. Lists become `<member>` items, `Map`s
 * `<entry><key/><value/></entry>` items and `Date`s ISO 8601. `output` undefined (PutMetricData has no output shape)
 * leaves out the result element.
 *
 * @example
 * ```ts
 * queryResponseXml('ListMetrics', { Metrics: [] }, 'req-1');
 * // '<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ListMetricsResult><Metrics></Metrics>…'
 * ```
 */
export function queryResponseXml(action: string, output: Readonly<Record<string, unknown>> | undefined, requestId: string): string {
  const result = output === undefined ? '' : `<${action}Result>${xmlMembers(output)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${CLOUDWATCH_XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/**
 * Renders a CloudWatch query-protocol error: `<ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type><Code/>
 * <Message/></Error><RequestId/></ErrorResponse>`; `Receiver` for server-side (5xx) failures.
 *
 * @example
 * ```ts
 * queryErrorXml('InvalidAction', 'Could not find operation Foo for version 2010-08-01', 400, 'req-1');
 * ```
 */
export function queryErrorXml(code: string, message: string, status: number, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${CLOUDWATCH_XML_NAMESPACE}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/**
 * The JSON-protocol form of an output: `Date`s as epoch seconds (awsJson1_0 timestamps), `Map`s as objects.
 *
 * @example
 * ```ts
 * toJsonOutput({ Timestamp: new Date(60_000), ExtendedStatistics: new Map([['p99', 3]]) });
 * // { Timestamp: 60, ExtendedStatistics: { p99: 3 } }
 * ```
 */
export function toJsonOutput(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonOutput);
  if (value instanceof Map) return Object.fromEntries([...(value as Map<string, unknown>)].map(([k, v]) => [k, toJsonOutput(v)]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonOutput(v)]));
  }
  return value;
}
