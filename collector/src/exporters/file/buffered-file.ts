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
  /** Writes not yet handed to the OS. */
  #waiting = 0;

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

  /**
   * Resolves once the text is handed to the OS (it then survives the process being killed), at the
   * next flush shared by every line written meanwhile. Throws the first write error: once writing
   * failed, lines would be lost out of order.
   */
  write(text: string): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    // A caller waits on the timer now: it must keep the process alive until it fires.
    if (this.#waiting++ === 0) this.#timer?.ref();
    const written = new Promise<void>((resolve, reject) =>
      this.#stream.write(text, (error) => {
        if (--this.#waiting === 0) this.#timer?.unref();
        if (error) reject(error);
        else resolve();
      }),
    );
    if (this.#stream.writableLength >= MAX_BUFFERED_BYTES) this.flush();
    return written;
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
