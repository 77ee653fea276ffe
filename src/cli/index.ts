#!/usr/bin/env node
/**
 * The `lambda-meter` command line.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLambdaMeterError } from '../errors.js';
import { LOCAL_USAGE, runLocalCommand } from './local.js';
import type { CliIo } from './local.js';

export const USAGE = `Usage: lambda-meter <command> [options]

Commands:
  local     start an offline Lambda + CloudWatch that the AWS SDK clients talk to

Run lambda-meter <command> --help for a command's options.
`;

/**
 * Runs the CLI with `argv` (the arguments after the program name); resolves with the exit code. Bad arguments print
 * what was wrong and the usage, with exit code 2.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'local':
        return await runLocalCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`lambda-meter: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    const bad = isLambdaMeterError(error, 'InvalidInputError') || (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS');
    io.stderr(`lambda-meter ${command}: ${(error as Error).message}\n`);
    if (bad) {
      io.stderr(`\n${command === 'local' ? LOCAL_USAGE : USAGE}`);
      return 2;
    }
    return 1;
  }
}

/** True when this file is the program being run (not imported), also through npm's `.bin` symlink. */
function isMain(): boolean {
  const entry = process.argv[1];
  const url: unknown = import.meta.url;
  if (entry === undefined || typeof url !== 'string' || !url.startsWith('file:')) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    (error: unknown) => {
      process.stderr.write(`lambda-meter: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
