/** What the consent/sampling gate says about telemetry right now. */
export type Gate = 'send' | 'hold' | 'drop';

export interface BatcherOptions<T> {
  /** Items per export request. */
  maxItems: number;
  /** Longest an item waits before its batch is sent. */
  delayMs: number;
  /** Items kept while held (consent pending) or between flushes; the oldest are dropped beyond it. */
  maxQueue: number;
  gate: () => Gate;
  /** Exports one batch; `unload` = the page is going away (keepalive, small requests). */
  export: (items: T[], unload: boolean) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
}

/** Batches items by count and time, holding them while consent is pending (bounded). */
export class Batcher<T> {
  #items: T[] = [];
  #timer: unknown;
  /** Items dropped because the queue was full. */
  dropped = 0;
  constructor(private readonly o: BatcherOptions<T>) {}

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    const gate = this.o.gate();
    if (gate === 'drop') return;
    this.#items.push(item);
    if (this.#items.length > this.o.maxQueue) {
      this.#items.shift();
      this.dropped++;
    }
    if (gate !== 'send') return;
    if (this.#items.length >= this.o.maxItems) this.flush();
    else if (this.#timer === undefined) this.#timer = (this.o.setTimer ?? setTimeout)(() => this.flush(), this.o.delayMs);
  }

  /** Exports everything queued now (nothing while held; drops all when the gate says drop). */
  flush(unload = false): void {
    if (this.#timer !== undefined) (this.o.clearTimer ?? clearTimeout)(this.#timer as number);
    this.#timer = undefined;
    const gate = this.o.gate();
    if (gate === 'drop') this.#items = [];
    if (gate !== 'send') return;
    while (this.#items.length) this.o.export(this.#items.splice(0, this.o.maxItems), unload);
  }

  clear(): void {
    this.#items = [];
  }
}
