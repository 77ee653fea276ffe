// Where the examples send their AWS calls: by default an offline lambda-meter/local started for the run, with the
// example functions of examples/functions/; with --aws, your AWS account (default credentials and region); with the
// example's endpoint variable (e.g. LAMBDA_ENDPOINT=http://localhost:9001), that endpoint.
import { startLocalLambda } from 'lambda-meter/local';
import type { LocalFunctionDefinition, LocalLambda, LocalLambdaOptions } from 'lambda-meter/local';

/** The functions local serves in the examples (handler paths relative to the package folder, where npm runs). */
export const EXAMPLE_FUNCTIONS: readonly LocalFunctionDefinition[] = [
  { name: 'cpu', handler: 'examples/functions/cpu.mjs#handler', memorySizeMB: 1769, timeoutSeconds: 10 },
  { name: 'io', handler: 'examples/functions/io.mjs#handler', memorySizeMB: 512, timeoutSeconds: 10 },
];

export interface ExampleTarget {
  /** 'local' (started for this run), 'aws', or 'endpoint' (the endpoint variable's). */
  readonly where: 'local' | 'aws' | 'endpoint';
  /** Spread into an SDK client's configuration. */
  readonly clientConfig: { readonly endpoint?: string; readonly region?: string; readonly credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** The running local, when `where` is 'local'. */
  readonly local: LocalLambda | undefined;
  /** A one-line description for the example's output. */
  readonly description: string;
  /** Stops local (if started); safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Picks the target from the command line (removing `--aws` from `args`) and the endpoint variable `endpointVariable`.
 */
export async function exampleTarget(args: string[], endpointVariable: string, localOptions: LocalLambdaOptions = {}): Promise<ExampleTarget> {
  const awsAt = args.indexOf('--aws');
  if (awsAt !== -1) args.splice(awsAt, 1);
  const endpoint = process.env[endpointVariable];
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (awsAt !== -1 || endpoint !== undefined) {
    const where = endpoint === undefined ? 'aws' : 'endpoint';
    return {
      where,
      clientConfig: { ...(region === undefined ? (endpoint === undefined ? {} : { region: 'us-east-1' }) : { region }), ...(endpoint === undefined ? {} : { endpoint }) },
      local: undefined,
      description: where === 'aws' ? `AWS (${region ?? 'the default region of your profile'})` : `${endpoint} (${endpointVariable})`,
      close: async () => undefined,
    };
  }
  const local = await startLocalLambda({ functions: EXAMPLE_FUNCTIONS, ...localOptions });
  return {
    where: 'local',
    clientConfig: local.clientConfig(),
    local,
    description: `lambda-meter/local at ${local.endpoint} (offline; --aws uses your AWS account)`,
    close: () => local.stop(),
  };
}
