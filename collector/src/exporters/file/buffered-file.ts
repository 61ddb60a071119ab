import { close, createWriteStream, fsync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';

const fsyncFd = promisify(fsync);
const closeFd = promisify(close);

// Past this much buffered text, flush early rather than hold a burst in memory until the timer.
const MAX_BUFFERED_BYTES = 4 << 20;

/**
 * An append-only file written through a corked stream: lines collect in memory and reach the OS
 * in one writev per `flushIntervalMs` (or when the buffer grows large), not one write per line.
 */
export class BufferedFile {
  readonly #fd: number;
  readonly #stream: WriteStream;
  readonly #timer: NodeJS.Timeout | undefined;
  #error: Error | undefined;

  constructor(path: string, flushIntervalMs: number, onError: (error: Error) => void) {
    mkdirSync(dirname(path), { recursive: true });
    // Our own descriptor, opened now so a bad path fails at start, and kept open by the stream
    // (autoClose off) so close() can fsync before closing: shutdown means the data is on disk.
    this.#fd = openSync(path, 'a');
    this.#stream = createWriteStream('', { fd: this.#fd, autoClose: false });
    this.#stream.on('error', (error) => {
      this.#error ??= error;
      onError(error);
    });
    if (flushIntervalMs > 0) {
      this.#stream.cork();
      this.#timer = setInterval(() => this.flush(), flushIntervalMs);
      this.#timer.unref();
    }
  }

  /** Throws the first write error: once writing failed, lines would be lost out of order. */
  write(text: string): void {
    if (this.#error) throw this.#error;
    this.#stream.write(text);
    if (this.#stream.writableLength >= MAX_BUFFERED_BYTES) this.flush();
  }

  /** Hands what is buffered to the OS. */
  flush(): void {
    if (this.#timer === undefined || this.#stream.writableCorked === 0) return;
    this.#stream.uncork();
    this.#stream.cork();
  }

  /** Writes out everything, fsyncs and closes; resolves once the data is on disk. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#stream.end();
    try {
      await finished(this.#stream);
      await fsyncFd(this.#fd);
    } finally {
      await closeFd(this.#fd);
    }
    if (this.#error) throw this.#error;
  }
}
