/**
 * The CLI's progress display: a bar on a terminal (through a stand-in TTY stream that records what is drawn) and
 * plain lines elsewhere.
 */
import { Writable } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import { createProgress } from '../src/cli/progress.js';

/** A writable that says it is a 80-column terminal and keeps every byte written to it. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  Object.assign(stream, {
    isTTY: true,
    columns: 80,
    cursorTo: (x: number, y?: number | (() => void), cb?: () => void) => {
      chunks.push(`\x1b[${typeof y === 'number' ? `${y + 1};` : ''}${x + 1}H`);
      if (typeof y === 'function') y();
      cb?.();
      return true;
    },
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => {
      cb?.();
      return true;
    },
    clearLine: (_dir: number, cb?: () => void) => {
      chunks.push('\x1b[2K');
      cb?.();
      return true;
    },
    clearScreenDown: (cb?: () => void) => {
      cb?.();
      return true;
    },
    getWindowSize: () => [80, 24],
  });
  // eslint-disable-next-line no-control-regex
  return { stream, text: () => chunks.join('').replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, '') };
}

describe('createProgress', () => {
  test('on a terminal: a bar with the job name, percentage, count, ETA and label, redrawn to the end', () => {
    const terminal = fakeTerminal();
    const lines: string[] = [];
    const progress = createProgress('tune', { write: (t) => lines.push(t), tty: terminal.stream });
    progress.update(3, 60, 'invoking 512 MB');
    const first = terminal.text();
    expect(first).toMatch(/^tune [░█]+ 5% \| 3\/60 \| ETA [^|]+ \| invoking 512 MB/m);
    progress.update(60, 60, 'cleanup');
    progress.stop();
    const all = terminal.text();
    expect(all).toMatch(/tune █+ 100% \| 60\/60 \| ETA 0s \| cleanup/);
    expect(lines).toEqual([]); // nothing went to the plain-line writer
  });

  test('a growing total (adaptive sampling plans more) moves the bar back instead of overflowing', () => {
    const terminal = fakeTerminal();
    const progress = createProgress('tune', { write: () => undefined, tty: terminal.stream });
    progress.update(30, 30, 'round 1');
    progress.update(30, 60, 'round 2');
    progress.stop();
    expect(terminal.text()).toMatch(/50% \| 30\/60 \| ETA [^|]+ \| round 2/);
  });

  test('stop before any update draws nothing', () => {
    const terminal = fakeTerminal();
    createProgress('tune', { write: () => undefined, tty: terminal.stream }).stop();
    expect(terminal.text()).toBe('');
  });

  test('elsewhere: a line when the label or the tenth changes, at most one a second, and the last one at stop', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const lines: string[] = [];
      const progress = createProgress('invoke', { write: (t) => lines.push(t) });
      vi.setSystemTime(1000);
      progress.update(1, 100, 'hello');
      progress.update(2, 100, 'hello'); // same tenth, same label: nothing
      vi.setSystemTime(1500);
      progress.update(15, 100, 'hello'); // a new tenth, but within a second: nothing yet
      vi.setSystemTime(2600);
      progress.update(16, 100, 'hello'); // a new tenth since the last line, a second later
      progress.update(99, 100, 'hello'); // within a second: held back
      progress.stop();
      expect(lines).toEqual(['invoke: 1/100 hello\n', 'invoke: 16/100 hello\n', 'invoke: 99/100 hello\n']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('the final line is printed once: a repeated state, a second stop and updates after stop print nothing more', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const lines: string[] = [];
      const progress = createProgress('invoke', { write: (t) => lines.push(t) });
      vi.setSystemTime(1000);
      progress.update(1, 2, 'hello');
      vi.setSystemTime(2500);
      progress.update(2, 2, 'hello'); // printed: a new tenth, a second later
      progress.update(2, 2, 'hello'); // the same state again (an event that changes only what is in flight)
      progress.stop();
      progress.stop(); // the commands stop once on success and once more in `finally`
      progress.update(2, 2, 'late');
      progress.stop();
      expect(lines).toEqual(['invoke: 1/2 hello\n', 'invoke: 2/2 hello\n']);

      // Held back by the one-a-second limit: printed at stop, once.
      const held: string[] = [];
      const other = createProgress('tune', { write: (t) => held.push(t) });
      vi.setSystemTime(10_000);
      other.update(1, 2, 'invoking');
      other.update(2, 2, 'invoking');
      other.update(2, 2, 'invoking');
      other.stop();
      other.stop();
      expect(held).toEqual(['tune: 1/2 invoking\n', 'tune: 2/2 invoking\n']);

      // Nothing done yet is not reported: a run that fails while preparing prints only its error.
      const early: string[] = [];
      const failing = createProgress('tune', { write: (t) => early.push(t) });
      vi.setSystemTime(20_000);
      failing.update(0, 0, 'preparing');
      failing.stop();
      expect(early).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('on a terminal the bar ends with one line break however often stop is called', () => {
    const terminal = fakeTerminal();
    const progress = createProgress('tune', { write: () => undefined, tty: terminal.stream });
    progress.update(1, 2, 'invoking');
    progress.update(2, 2, 'invoking');
    progress.stop();
    progress.stop();
    progress.update(2, 2, 'late');
    const text = terminal.text();
    expect(text.split('\n').length - 1).toBe(1);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('late');
  });
});
