// OTLP/HTTP senders that keep every request until it gets a 200, the way an SDK's exporter does:
// each sender has a queue and one request in flight; a 429 or 503 pauses that sender for the
// server's Retry-After (plus up to half of it again as jitter, so refused senders do not come back
// together), then the same request is sent again. Unlike the official exporters there is no retry
// limit, so a test can check that nothing is lost.
import { Agent, request } from 'node:http';
import type { SpanRequest } from './burst-payloads.js';

export interface ClientStats {
  /** Answers by HTTP status ('network' for a failed connection). */
  statuses: Record<string, number>;
  /** 429/503 answers that carried a usable Retry-After. */
  withRetryAfter: number;
  /** 429/503 answers without one. */
  withoutRetryAfter: number;
  /** Retry-After values seen, in seconds. */
  retryAfterSeconds: Set<number>;
  /** Statuses other than 200/429/503, with their bodies (first few). */
  unexpected: string[];
  requestsMade: number;
  spansAcked: number;
}

class Sender {
  readonly queue: SpanRequest[] = [];
  busy = false;
}

export class RetryingOtlpClients {
  readonly stats: ClientStats = { statuses: {}, withRetryAfter: 0, withoutRetryAfter: 0, retryAfterSeconds: new Set(), unexpected: [], requestsMade: 0, spansAcked: 0 };
  /** Every span id that got a 200. */
  readonly acked = new Set<string>();
  readonly #agent: Agent;
  readonly #url: URL;
  readonly #senders: Sender[];
  #nextSender = 0;
  #pending = 0;
  #idle: (() => void)[] = [];
  #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(url: string, senders: number) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets: senders });
    this.#senders = Array.from({ length: senders }, () => new Sender());
  }

  /** Requests not yet answered 200 (queued, in flight or waiting to retry). */
  get pending(): number {
    return this.#pending;
  }

  /** Queues a request on the next sender, round robin (as if each sender were one service's SDK). */
  send(request: SpanRequest): void {
    this.#pending++;
    this.stats.requestsMade++;
    const sender = this.#senders[this.#nextSender++ % this.#senders.length]!;
    sender.queue.push(request);
    if (!sender.busy) this.#sendHead(sender);
  }

  #sendHead(sender: Sender): void {
    const head = sender.queue[0];
    if (!head || this.#closed) {
      sender.busy = false;
      return;
    }
    sender.busy = true;
    const req = request(
      this.#url,
      { method: 'POST', agent: this.#agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': head.body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => this.#answered(sender, res.statusCode ?? 0, res.headers['retry-after'], Buffer.concat(chunks)));
        res.on('error', () => this.#pause(sender, 1000, 'network'));
      },
    );
    req.on('error', () => this.#pause(sender, 1000, 'network'));
    req.end(head.body);
  }

  #answered(sender: Sender, status: number, retryAfter: string | undefined, body: Buffer): void {
    this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
    if (status === 429 || status === 503) {
      const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
      if (seconds === undefined) this.stats.withoutRetryAfter++;
      else {
        this.stats.withRetryAfter++;
        this.stats.retryAfterSeconds.add(seconds);
      }
      const wait = (seconds ?? 1) * 1000;
      this.#pause(sender, wait + Math.random() * wait * 0.5);
      return;
    }
    const request = sender.queue.shift()!;
    if (status === 200) {
      for (const id of request.spanIds) this.acked.add(id);
      this.stats.spansAcked += request.spanIds.length;
    } else if (this.stats.unexpected.length < 10) {
      // Not retryable by OTLP: the data is lost, which the test reports.
      this.stats.unexpected.push(`${status}: ${body.toString('utf8', 0, 300)}`);
    }
    if (--this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
    this.#sendHead(sender);
  }

  #pause(sender: Sender, ms: number, status?: string): void {
    if (status) this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#sendHead(sender);
    }, ms);
    this.#timers.add(timer);
  }

  /** Resolves when every request queued so far got its 200 (or a final non-retryable answer). */
  idle(): Promise<void> {
    return this.#pending === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#agent.destroy();
  }
}
