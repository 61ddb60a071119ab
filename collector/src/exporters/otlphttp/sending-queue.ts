/**
 * A bounded in-memory queue worked by up to `consumers` concurrent senders. `offer` never waits:
 * a full queue says no at once, so a slow destination pushes back instead of growing memory.
 */
export class SendingQueue<T> {
  readonly #waiting: T[] = [];
  readonly #whenIdle: (() => void)[] = [];
  #active = 0;
  #closed = false;

  constructor(
    private readonly capacity: number,
    private readonly consumers: number,
    /** Must not reject; a rejection is swallowed so one bad item cannot stop a worker. */
    private readonly handle: (item: T) => Promise<unknown>,
    private readonly onSizeChange: (waiting: number) => void = () => {},
  ) {}

  /** Items accepted but not yet picked up by a sender. */
  get size(): number {
    return this.#waiting.length;
  }

  /** False when the queue is full or closed. `evenIfFull` is for items already safe on disk, which must not be turned away. */
  offer(item: T, options: { evenIfFull?: boolean } = {}): boolean {
    if (this.#closed || (this.#waiting.length >= this.capacity && !options.evenIfFull)) return false;
    this.#waiting.push(item);
    this.onSizeChange(this.#waiting.length);
    this.#startWorkers();
    return true;
  }

  /** Takes no more items; resolves once every accepted item has been handled or taken back. */
  drain(): Promise<void> {
    this.#closed = true;
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  /** Removes the items no sender has started (at a shutdown deadline). */
  takeWaiting(): T[] {
    const taken = this.#waiting.splice(0);
    this.onSizeChange(0);
    return taken;
  }

  #startWorkers(): void {
    while (this.#active < this.consumers && this.#waiting.length > 0) {
      this.#active++;
      void this.#work();
    }
  }

  async #work(): Promise<void> {
    while (this.#waiting.length > 0) {
      const item = this.#waiting.shift()!;
      this.onSizeChange(this.#waiting.length);
      try {
        await this.handle(item);
      } catch {
        // The handler reports its own failures.
      }
    }
    this.#active--;
    if (this.#active === 0) for (const resolve of this.#whenIdle.splice(0)) resolve();
  }
}
