/**
 * Progress for long CLI work: a bar with an ETA when stderr is a terminal (cli-progress), plain lines otherwise.
 * Fed by the library's one progress event (`Progress` of src/internal/options.ts) through `report`.
 *
 * @module
 */
import cliProgress from 'cli-progress';
import type { Progress as ProgressEvent } from '../internal/options.js';

/** Shows how far a job is. */
export interface Progress {
  /** Sets `done` of `total`, with a short label of what is happening. */
  update(done: number, total: number, label: string): void;
  /** Shows one of the library's progress events (the `onProgress` of every long-running function). */
  report(event: ProgressEvent): void;
  /** Ends the bar, or prints the last line if it was held back; calling it again does nothing. */
  stop(): void;
}

/** Where progress goes: a terminal gets a bar, anything else plain lines. */
export interface ProgressTarget {
  readonly write: (text: string) => void;
  /** The terminal stream, when output goes to one. */
  readonly tty?: NodeJS.WriteStream;
}

function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { name?: unknown; code?: unknown };
  return typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'an error';
}

/**
 * The words of a progress event: its phase, the memory size, and for a retry what failed and how long the wait is.
 *
 * @example
 * ```ts
 * progressLabel({ operation: 'powerTune', phase: 'invoking', completed: 3, total: 60, failed: 0, memorySizeMB: 512 }); // 'invoking 512 MB'
 * ```
 */
export function progressLabel(event: ProgressEvent): string {
  const parts: string[] = [event.phase];
  if (event.memorySizeMB !== undefined) parts.push(`${event.memorySizeMB} MB`);
  const r = event.retry;
  if (event.phase === 'retrying' && r !== undefined) {
    parts.push(`${r.operation} after ${errorName(r.error)} (attempt ${r.attempt}), waiting ${Math.round(r.delayMs)} ms`);
  }
  if (event.failed > 0) parts.push(`${event.failed} failed`);
  return parts.join(' ');
}

/**
 * A progress display for one job named `name`: a bar with percentage, count, label and ETA on a terminal; elsewhere a
 * line whenever the count passes another 10% or the label changes, at most one a second, none while nothing is done,
 * and the last state once at `stop` if it was not printed yet (the final line is never printed twice).
 *
 * @example
 * ```ts
 * const p = createProgress('tune', { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY ? process.stderr : undefined });
 * await powerTune({ lambda }, input, { onProgress: (e) => p.report(e) });
 * p.stop();
 * ```
 */
export function createProgress(name: string, target: ProgressTarget): Progress {
  // A total the event leaves open (not known in advance) keeps the last one known.
  let knownTotal = 0;
  const fromEvent = (event: ProgressEvent): [number, number, string] => {
    if (event.total !== undefined) knownTotal = event.total;
    return [event.completed, Math.max(knownTotal, event.completed), progressLabel(event)];
  };
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
    let state: 'idle' | 'running' | 'stopped' = 'idle';
    const update = (done: number, total: number, label: string): void => {
      if (state === 'stopped') return;
      if (state === 'idle') {
        bar.start(Math.max(total, 1), done, { label });
        state = 'running';
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      }
    };
    return {
      update,
      report: (event) => update(...fromEvent(event)),
      stop() {
        if (state === 'running') bar.stop();
        state = 'stopped';
      },
    };
  }
  let lastLabel = '';
  let lastDecile = -1;
  let lastAt = 0;
  // The last line printed, and the newest line not printed yet ('' when it is the one printed): `stop` prints it,
  // once; an update that repeats the printed state (events that change only what is in flight) leaves nothing pending.
  let printed = '';
  let pending = '';
  let stopped = false;
  const update = (done: number, total: number, label: string): void => {
    if (stopped) return;
    const decile = total > 0 ? Math.floor((10 * done) / total) : 0;
    const now = Date.now();
    const line = `${name}: ${done}/${total} ${label}\n`;
    // Nothing done yet is nothing to report: a run that fails before its first step prints only its error.
    pending = line === printed || done === 0 ? '' : line;
    if (pending !== '' && (label !== lastLabel || decile !== lastDecile) && now - lastAt >= 1000) {
      target.write(pending);
      printed = pending;
      lastAt = now;
      lastLabel = label;
      lastDecile = decile;
      pending = '';
    }
  };
  return {
    update,
    report: (event) => update(...fromEvent(event)),
    stop() {
      if (!stopped && pending !== '') target.write(pending);
      pending = '';
      stopped = true;
    },
  };
}
