/**
 * Reading what an execution environment's process prints: framed log entries on the telemetry descriptor (how the
 * Node.js runtime hands `console.*` lines to Lambda, one entry per call, newlines and all) and plain stdout/stderr
 * lines (one log event per line, as Lambda splits them).
 *
 * @module
 */

/** Receives one log event: its time (epoch milliseconds) and message. */
export type LogSink = (timestamp: number, message: string) => void;

/** A frame header: 4-byte type, 4-byte length, 8-byte timestamp in microseconds, big-endian. */
const HEADER_BYTES = 16;
/** The high 16 bits of every log frame type (0xa55a0003 text, 0xa55a0002 JSON, OR-ed with a level mask). */
const FRAME_MAGIC = 0xa55a;

/**
 * Splits a byte stream into lines; each line (with its newline) is one event stamped with the time it was read.
 *
 * @example
 * ```ts
 * const lines = new LineReader((t, m) => console.log(m));
 * lines.push(Buffer.from('a\nb')); // 'a\n'
 * lines.flush();                   // 'b'
 * ```
 */
export class LineReader {
  private partial = '';

  constructor(
    private readonly sink: LogSink,
    private readonly now: () => number = Date.now,
  ) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.sink(this.now(), text.slice(start, end + 1));
      start = end + 1;
    }
    this.partial = text.slice(start);
  }

  /** Emits a last line that had no newline. */
  flush(): void {
    if (this.partial === '') return;
    const line = this.partial;
    this.partial = '';
    this.sink(this.now(), line);
  }
}

/**
 * Reads the runtime's framed log entries. Bytes that do not start a frame are passed on as plain lines.
 *
 * @example
 * ```ts
 * const frames = new FrameReader((t, m) => store.push({ timestamp: t, message: m }));
 * child.stdio[3].on('data', (chunk) => frames.push(chunk));
 * ```
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly lines: LineReader;

  constructor(
    private readonly sink: LogSink,
    now: () => number = Date.now,
  ) {
    this.lines = new LineReader(sink, now);
  }

  push(chunk: Buffer): void {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (buffer.length >= 4) {
      if (buffer.readUInt16BE(0) !== FRAME_MAGIC) {
        // Not a frame: pass the rest on as text.
        this.lines.push(buffer);
        buffer = Buffer.alloc(0);
        break;
      }
      if (buffer.length < HEADER_BYTES) break;
      const length = buffer.readUInt32BE(4);
      if (buffer.length < HEADER_BYTES + length) break;
      const micros = buffer.readBigInt64BE(8);
      const message = buffer.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8');
      this.sink(Number(micros / 1000n), message);
      buffer = buffer.subarray(HEADER_BYTES + length);
    }
    this.pending = Buffer.from(buffer);
  }

  /** Emits what is left: plain text, or the bytes of a frame cut short. */
  flush(): void {
    if (this.pending.length > 0) this.lines.push(this.pending);
    this.pending = Buffer.alloc(0);
    this.lines.flush();
  }
}
