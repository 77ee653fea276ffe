/**
 * Progress for long CLI work: a bar with an ETA when stderr is a terminal (cli-progress), plain lines otherwise.
 *
 * @module
 */
import cliProgress from 'cli-progress';

/** Shows how far a job is. */
export interface Progress {
  /** Sets `done` of `total`, with a short label of what is happening. */
  update(done: number, total: number, label: string): void;
  /** Ends the bar (or prints the last line). */
  stop(): void;
}

/** Where progress goes: a terminal gets a bar, anything else plain lines. */
export interface ProgressTarget {
  readonly write: (text: string) => void;
  /** The terminal stream, when output goes to one. */
  readonly tty?: NodeJS.WriteStream;
}

/**
 * A progress display for one job named `name`: a bar with percentage, count, label and ETA on a terminal; elsewhere a
 * line whenever the count passes another 10% or the label changes, at most one a second.
 *
 * @example
 * ```ts
 * const p = createProgress('tune', { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY ? process.stderr : undefined });
 * p.update(3, 60, '512 MB'); p.stop();
 * ```
 */
export function createProgress(name: string, target: ProgressTarget): Progress {
  if (target.tty !== undefined) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${name} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} | {label}`,
        stream: target.tty,
        hideCursor: true,
        etaBuffer: 20,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label) {
        if (!started) {
          bar.start(Math.max(total, 1), done, { label });
          started = true;
        } else {
          bar.setTotal(Math.max(total, 1));
          bar.update(done, { label });
        }
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastLabel = '';
  let lastDecile = -1;
  let lastAt = 0;
  let last = '';
  return {
    update(done, total, label) {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 0;
      const now = Date.now();
      last = `${name}: ${done}/${total} ${label}\n`;
      if ((label !== lastLabel || decile !== lastDecile) && now - lastAt >= 1000) {
        target.write(last);
        lastAt = now;
        lastLabel = label;
        lastDecile = decile;
        last = '';
      }
    },
    stop() {
      if (last !== '') target.write(last);
    },
  };
}
