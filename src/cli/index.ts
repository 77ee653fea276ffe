#!/usr/bin/env node
/**
 * The `lambda-meter` command line: measure Lambda functions from a shell, against AWS, an endpoint or an embedded
 * `lambda-meter/local`.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { costCommand, invokeCommand, metricsCommand, reportsCommand } from './commands/basic.js';
import { compareCommand, gateCommand, gridCommand } from './commands/compare.js';
import { coldStartsCommand, demoCommand, diagnoseAsyncCommand, httpCommand, tuneCommand } from './commands/pipelines.js';
import { describeFailure } from './errors.js';
import { localCommand } from './local.js';
import type { CliIo } from './local.js';
import { packageVersion } from './version.js';

/**
 * Runs the CLI with `argv` (the arguments after the program name); resolves with the exit code: 0 done, 1 failed
 * (an error, a missing AWS Region or credentials, or function errors in the result), 2 bad arguments (the flag and
 * what was wrong are printed with a pointer to the usage), 130 stopped by the signal.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('lambda-meter')
    .description('Measure AWS Lambda performance and cost')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);
  localCommand(program, io);
  invokeCommand(program, io, io.signal);
  tuneCommand(program, io, io.signal);
  coldStartsCommand(program, io, io.signal);
  reportsCommand(program, io, io.signal);
  metricsCommand(program, io, io.signal);
  costCommand(program, io);
  diagnoseAsyncCommand(program, io, io.signal);
  httpCommand(program, io, io.signal);
  compareCommand(program, io, io.signal);
  gateCommand(program, io, io.signal);
  gridCommand(program, io, io.signal);
  demoCommand(program, io, io.signal);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError();
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? 0 : 2;
    }
    return failure(error, argv.find((a) => program.commands.some((c) => c.name() === a)), io);
  }
}

function failure(error: unknown, command: string | undefined, io: CliIo): number {
  const { message, exitCode } = describeFailure(error, command);
  io.stderr(message);
  return exitCode;
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
    // The first Ctrl-C stops the work cleanly (tuning cleans up first); a second one quits at once.
    if (interrupts > 1) process.exit(130);
    if (interrupts === 1) process.stderr.write('\nstopping (cleaning up first; Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
    ...(process.stderr.isTTY ? { tty: process.stderr } : {}),
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
