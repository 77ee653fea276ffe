/**
 * The CLI run in the test's own process, with what it writes captured.
 */
import { runCli } from '../../src/cli/index.js';

/** Runs the CLI with `argv` in this process and returns its exit code and what it wrote to stdout and stderr. */
export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}
