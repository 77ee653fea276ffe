/**
 * `lambda-meter local`: starts `local` and keeps it running until Ctrl-C (or the signal passed in).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../errors.js';
import { startLocalLambda } from '../local/local.js';
import type { LocalLambda, LocalLambdaOptions } from '../local/local.js';
import type { LocalFunctionDefinition } from '../local/lambda/types.js';
import { durationModelFlag, parseFunctionSpec } from './args.js';

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

export const LOCAL_USAGE = `Usage: lambda-meter local [options]

Starts an offline Lambda + CloudWatch Logs + CloudWatch on one endpoint and keeps it running until Ctrl-C.

Options:
  --function NAME=HANDLER[,memory=MB][,timeout=S][,reserved=N][,log-format=Text|JSON][,env.KEY=VALUE]
                        a function to serve (repeatable); HANDLER is path/to/file.mjs#export
  --config FILE         a JSON file with startLocalLambda options ({ "functions": [...], ... })
  --port N              port on 127.0.0.1 (default: a free port)
  --host ADDRESS        address to listen on (default 127.0.0.1)
  --region NAME         Region of ARNs and AWS_REGION (default us-east-1)
  --time-scale X        compress the service's own waits by X (default 1)
  --cpu MODE            proportional (default: memory buys CPU) or unlimited
  --duration-model M    measured (default: wall-clock Durations) or declared (from the work handlers declare)
  --json                print the endpoint and credentials as one JSON line
  -h, --help            this help
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

/**
 * Runs `lambda-meter local` with its arguments (after the word `local`); resolves with the exit code once the
 * signal aborts, after `local` has stopped every process.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const code = runLocalCommand(['--function', 'hello=./hello.mjs#handler'], {
 *   stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), signal: controller.signal,
 * });
 * controller.abort(); // stops local
 * await code; // 0
 * ```
 */
export async function runLocalCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      function: { type: 'string', multiple: true },
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      'time-scale': { type: 'string' },
      cpu: { type: 'string' },
      'duration-model': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    io.stdout(LOCAL_USAGE);
    return 0;
  }
  const config = values.config === undefined ? {} : await readConfig(values.config);
  const functions: LocalFunctionDefinition[] = [...(config.functions ?? []), ...(values.function ?? []).map(parseFunctionSpec)];
  if (functions.length === 0) throw new InvalidInputError('--function', 'give at least one function (or a --config file with functions)');
  if (values.cpu !== undefined && values.cpu !== 'proportional' && values.cpu !== 'unlimited') {
    throw new InvalidInputError('--cpu', `must be proportional or unlimited, got ${JSON.stringify(values.cpu)}`);
  }
  const port = numberOption(values.port, '--port');
  const durationModel = durationModelFlag(values['duration-model']);
  const timeScale = numberOption(values['time-scale'], '--time-scale');
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
  const local = await startLocalLambda(options);
  try {
    const { endpoint, region, credentials } = local.clientConfig();
    if (values.json === true) {
      io.stdout(`${JSON.stringify({ endpoint, region, credentials, functions: local.lambda.functionNames() })}\n`);
    } else {
      io.stdout(
        `lambda-meter local is running at ${endpoint} (${region})\n` +
          `functions: ${local.lambda.functionNames().join(', ')}\n\n` +
          `Point the AWS SDK or CLI at it:\n` +
          `  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${region} AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}\n` +
          `  new LambdaClient({ endpoint: '${endpoint}', region: '${region}' })\n\n` +
          `Ctrl-C stops it.\n`,
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
  return 0;
}
