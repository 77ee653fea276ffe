/**
 * `lambda-meter local`: starts `local` and keeps it running until Ctrl-C (or the signal passed in).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../errors.js';
import type { LocalLambda, LocalLambdaOptions } from '../local/local.js';
import type { LocalFunctionDefinition } from '../local/lambda/types.js';
import { durationModelFlag, parseFunctionSpec } from './args.js';
import { startLocalFromFlags } from './context.js';

/** Where a CLI command writes, and what stops it. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Ends a long-running command (the CLI passes one that Ctrl-C and SIGTERM abort). */
  readonly signal?: AbortSignal;
  /** Called once `local` is listening (tests use it). */
  readonly onStarted?: (local: LocalLambda) => void;
  /** The terminal progress bars draw on, when stderr is one. */
  readonly tty?: NodeJS.WriteStream;
}

/** The `--function` syntax and how `local` runs, shown after the flags in `lambda-meter local --help`. */
export const LOCAL_HELP_AFTER = `
Function specs (--function, repeatable):
  --function NAME=HANDLER[,memory=MB][,timeout=S][,reserved=N][,log-format=Text|JSON][,description=TEXT][,env.KEY=VALUE]
  HANDLER is path/to/file.mjs#export, e.g. --function resize=./functions/resize.mjs#handler,memory=512,env.STAGE=dev

It serves Lambda, CloudWatch Logs and CloudWatch on one endpoint and runs until Ctrl-C (SIGINT) or SIGTERM,
then stops every function process it started.
`;

function numberOption(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidInputError(field, `must be a number, got ${JSON.stringify(value)}`);
  return n;
}

async function readConfig(file: string): Promise<LocalLambdaOptions> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError('--config', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError('--config', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError('--config', `${file} must hold a JSON object`);
  return value as LocalLambdaOptions;
}

/** The flags of `lambda-meter local`, as commander hands them over. */
interface LocalFlags {
  readonly function: readonly string[];
  readonly config?: string;
  readonly port?: string;
  readonly host?: string;
  readonly region?: string;
  readonly timeScale?: string;
  readonly cpu?: string;
  readonly durationModel?: string;
  readonly node?: string;
  readonly coldPageCache?: boolean | string;
  readonly json?: boolean;
}

/**
 * Adds `lambda-meter local` to the program: it starts `local` and resolves once the signal of `io` aborts, after
 * `local` has stopped every process (without a signal it runs until the process ends).
 *
 * @example
 * ```ts
 * localCommand(program, io); // lambda-meter local --function hello=./hello.mjs#handler
 * ```
 */
export function localCommand(program: Command, io: CliIo): void {
  program
    .command('local')
    .description('start an offline Lambda + CloudWatch Logs + CloudWatch on one endpoint that the AWS SDK clients talk to; runs until Ctrl-C')
    .option('--function <NAME=HANDLER[,settings]>', 'a function to serve (repeatable; syntax below)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--config <file>', 'a JSON file with startLocalLambda options ({ "functions": [...], ... })')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free port)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .option('--region <name>', 'Region of ARNs and AWS_REGION (default us-east-1)')
    .option('--time-scale <x>', "compress the service's own waits (async retries, configuration updates, Logs Insights) by X (default 1)")
    .option('--cpu <mode>', 'proportional (default: memory buys CPU) or unlimited')
    .option('--duration-model <model>', 'measured (default: wall-clock Durations) or declared (from the work handlers declare)')
    .option('--node <path>', 'the Node.js binary that runs the functions (default: the one running lambda-meter), e.g. Node.js 24 for nodejs24.x')
    .option('--cold-page-cache [mode]', "read each new environment's runtime and code from storage, as on Lambda: runtime (default; drops those files from the page cache) or machine (the whole machine's caches; root)")
    .option('--json', 'print the endpoint and credentials as one JSON line')
    .addHelpText('after', LOCAL_HELP_AFTER)
    .action(async (flags: LocalFlags) => {
      await runLocal(flags, io);
    });
}

/**
 * How each kind of AWS client reaches `local` at `endpoint`, as `lambda-meter local` prints it: dummy credentials,
 * the AWS CLI (`--endpoint-url`), the SDK for JavaScript (`endpoint`), boto3 (`endpoint_url=`), and the
 * `AWS_ENDPOINT_URL` / per-service `AWS_ENDPOINT_URL_*` variables that only recent clients read (the AWS CLI 2.9 and
 * boto3 1.26 of Debian 12 ignore them).
 *
 * @example
 * ```ts
 * process.stdout.write(localClientHints('http://127.0.0.1:4566', 'us-east-1', { accessKeyId: 'local', secretAccessKey: 'local' }, 'hello'));
 * ```
 */
export function localClientHints(
  endpoint: string,
  region: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  functionName = 'NAME',
): string {
  return (
    `Credentials (any values work; local does not check signatures) and Region, for every client:\n` +
    `  export AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey} AWS_REGION=${region} AWS_DEFAULT_REGION=${region}\n\n` +
    `AWS CLI (every version): add --endpoint-url ${endpoint}\n` +
    `  aws lambda invoke --function-name ${functionName} --log-type Tail out.json --endpoint-url ${endpoint}\n` +
    `  aws logs tail /aws/lambda/${functionName} --endpoint-url ${endpoint}\n` +
    `  aws cloudwatch list-metrics --namespace AWS/Lambda --endpoint-url ${endpoint}\n\n` +
    `AWS SDK for JavaScript v3: the endpoint in the client configuration\n` +
    `  new LambdaClient({ endpoint: '${endpoint}', region: '${region}' })  (CloudWatchClient, CloudWatchLogsClient alike)\n\n` +
    `boto3: endpoint_url=\n` +
    `  boto3.client('lambda', endpoint_url='${endpoint}', region_name='${region}')  ('cloudwatch', 'logs' alike)\n\n` +
    `Clients recent enough to read endpoint variables (not the AWS CLI 2.9 or boto3 1.26 of Debian 12):\n` +
    `  export AWS_ENDPOINT_URL=${endpoint}\n` +
    `  or per service: export AWS_ENDPOINT_URL_LAMBDA=${endpoint} AWS_ENDPOINT_URL_CLOUDWATCH=${endpoint} AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=${endpoint}\n`
  );
}

async function runLocal(values: LocalFlags, io: CliIo): Promise<void> {
  const config = values.config === undefined ? {} : await readConfig(values.config);
  const functions: LocalFunctionDefinition[] = [...(config.functions ?? []), ...values.function.map(parseFunctionSpec)];
  if (functions.length === 0) throw new InvalidInputError('--function', 'give at least one function (or a --config file with functions)');
  if (values.cpu !== undefined && values.cpu !== 'proportional' && values.cpu !== 'unlimited') {
    throw new InvalidInputError('--cpu', `must be proportional or unlimited, got ${JSON.stringify(values.cpu)}`);
  }
  const port = numberOption(values.port, '--port');
  const durationModel = durationModelFlag(values.durationModel);
  const timeScale = numberOption(values.timeScale, '--time-scale');
  const options: LocalLambdaOptions = {
    ...config,
    functions,
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(values.cpu === undefined ? {} : { cpu: values.cpu }),
    ...(durationModel === undefined ? {} : { durationModel }),
  } as LocalLambdaOptions;
  const local = await startLocalFromFlags(options, values);
  try {
    const { endpoint, region, credentials } = local.clientConfig();
    if (values.json === true) {
      io.stdout(`${JSON.stringify({ endpoint, region, credentials, functions: local.lambda.functionNames() })}\n`);
    } else {
      io.stdout(
        `lambda-meter local is running at ${endpoint} (${region})\n` +
          `functions: ${local.lambda.functionNames().join(', ')}\n\n` +
          localClientHints(endpoint, region, credentials, local.lambda.functionNames()[0]) +
          `\nCtrl-C stops it.\n`,
      );
    }
    io.onStarted?.(local);
    await new Promise<void>((resolve) => {
      if (io.signal === undefined) return; // runs until the process ends
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await local.stop();
  }
  if (values.json !== true) io.stdout('lambda-meter local stopped; no process left running.\n');
}
