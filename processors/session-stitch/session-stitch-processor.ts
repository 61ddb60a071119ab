import {
  processorReport,
  SignalBatch,
  type ConsumeContext,
  type Consumer,
  type Counter,
  type CreateSettings,
  type Gauge,
  type Host,
  type ItemContext,
  type LogRecordView,
  type Logger,
  type Processor,
  type ProcessorReport,
  type SpanRecord,
} from '@stitch/collector-api';
import type { SessionStitchConfig } from './config.js';
import { HeldJournal } from './held-journal.js';
import { batchOf, HeldTraces } from './held-traces.js';
import { sessionIdOf, stamp } from './session-attribute.js';
import { acquireIndex, releaseIndex, TraceSessionIndex } from './trace-index.js';

type StitchSignal = 'traces' | 'logs';

/** What `index_store` must offer: the session store's persisted trace → session index. */
export interface PersistedTraceIndex {
  lookupTraceSessions(traceIds: readonly string[]): Promise<Map<string, string>>;
}

function persistedIndexOf(exporter: unknown): PersistedTraceIndex | undefined {
  const store = (exporter as { sessionStore?: unknown } | undefined)?.sessionStore;
  return typeof (store as PersistedTraceIndex | undefined)?.lookupTraceSessions === 'function' ? (store as PersistedTraceIndex) : undefined;
}
type Item = SpanRecord | LogRecordView;

/** Why held items left unstamped, or that they were stamped. */
export type ReleaseOutcome = 'stitched' | 'unmatched' | 'evicted';

export interface SessionStitchOptions {
  /** Milliseconds clock; tests pass their own. */
  now?: () => number;
  /** How often held traces are checked against `wait`. Default: a quarter of `wait`, at most 1 s. */
  checkIntervalMs?: number;
}

/**
 * Stamps `session.id` on spans and log records of traces a browser span (or any record carrying
 * `session.id`) has named, holding records of not-yet-named traces up to `wait`. Nothing is
 * dropped: every held record leaves, stamped (`stitched`) or not (`unmatched` on timeout,
 * `evicted` under pressure or at shutdown).
 */
export class SessionStitchProcessor<S extends StitchSignal> implements Processor<S> {
  readonly mutatesData = true;
  readonly #held = new HeldTraces<Item>();
  readonly #index: TraceSessionIndex;
  readonly #report: ProcessorReport;
  readonly #released: Counter;
  readonly #heldTraces: Gauge;
  readonly #heldItems: Gauge;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #stopListening: () => void;
  readonly #timer: NodeJS.Timeout;
  readonly #maxBytes: number;
  /** Settles once every send so far has (shutdown waits for it). */
  #sending: Promise<void> = Promise.resolve();
  #stopped = false;
  #host: Host | undefined;
  /** A lookup of expired traces in the persisted index is under way (the next tick waits for it). */
  #lookingUp = false;
  /** Held records on disk too, with `storage` set. */
  #journal: HeldJournal | undefined;

  constructor(
    private readonly settings: CreateSettings,
    private readonly config: SessionStitchConfig,
    private readonly signal: S,
    private readonly next: Consumer<S>,
    options: SessionStitchOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#logger = settings.logger;
    this.#report = processorReport(settings);
    this.#maxBytes = config.max_buffer_mib * 2 ** 20;
    this.#index = acquireIndex(settings.id, () => new TraceSessionIndex(config.index_ttl, config.max_index_entries, this.#now));
    const labels = ['processor', 'otel_signal'] as const;
    this.#released = settings.telemetry.counter('processor_session_stitch_released_items', 'Held spans/log records released, by outcome (stitched, unmatched, evicted)', [...labels, 'outcome']);
    this.#heldTraces = settings.telemetry.gauge('processor_session_stitch_held_traces', 'Traces waiting for their session', labels);
    this.#heldItems = settings.telemetry.gauge('processor_session_stitch_held_items', 'Spans/log records waiting for their session', labels);
    // Another signal's instance (or a later batch) may name a trace we hold.
    this.#stopListening = this.#index.onLearn((traceId, sessionId) => {
      if (this.#held.has(traceId)) queueMicrotask(() => this.#releaseTraces([traceId], sessionId === null ? 'unmatched' : 'stitched'));
    });
    const interval = options.checkIntervalMs ?? Math.max(50, Math.min(1_000, config.wait / 4));
    this.#timer = setInterval(() => this.#releaseExpired(), interval);
    this.#timer.unref();
  }

  async start(host: Host): Promise<void> {
    const id = this.config.index_store;
    if (id !== undefined) {
      const exporter = host.getExporter(id);
      if (!exporter) throw new Error(`processors.${this.settings.id}.index_store: no exporter "${id}" runs in any pipeline (it must be a sessionstore exporter that a pipeline uses)`);
      if (!('sessionStore' in exporter)) throw new Error(`processors.${this.settings.id}.index_store: exporter "${id}" keeps no trace index (use a sessionstore exporter)`);
      this.#host = host;
    }
    if (this.config.storage !== undefined) {
      this.#journal = await HeldJournal.open(host, this.config.storage, this.settings.id, this.signal);
      // What the last run held comes back as already expired: released (stamped when the persisted index knows its session) at the first check.
      const recovered = await this.#journal.recovered(this.signal);
      for (const entry of recovered) if (entry.item.traceId) this.#held.hold(entry.item.traceId, entry, 0);
      if (recovered.length > 0) this.#logger.info({ items: recovered.length }, 'session_stitch: records held before the restart are back and will be released');
      this.#updateGauges();
    }
  }

  async consume(batch: SignalBatch<Item>, context: ConsumeContext): Promise<void> {
    const count = batch.itemCount();
    this.#report.incoming(this.signal, count);
    const now = this.#now();

    // 1. Records that name their session teach the index (whatever order traces arrive in).
    const unnamed: ItemContext<Item>[] = [];
    for (const entry of batch.entries()) {
      const traceId = entry.item.traceId;
      if (!traceId) continue; // a log outside any trace: nothing to stitch
      const sessionId = sessionIdOf(entry.item);
      if (sessionId !== undefined) this.#index.learn(traceId, sessionId);
      else unnamed.push(entry);
    }

    // 2. The rest: stamp when the trace is known, pass when it started in a backend, else hold.
    const hold = new Set<Item>();
    const heldEntries: ItemContext<Item>[] = [];
    for (const entry of unnamed) {
      const traceId = entry.item.traceId;
      const verdict = this.#index.lookup(traceId);
      if (verdict?.sessionId) {
        stamp(entry.item, verdict.sessionId);
        this.#released.add(1, this.#labels('stitched'));
      } else if (verdict === undefined && isBackendRoot(entry.item)) {
        this.#index.learn(traceId, null); // releases what the trace already has held, as unmatched
      } else if (verdict === undefined && !this.#stopped) {
        hold.add(entry.item);
        heldEntries.push(entry);
        this.#held.hold(traceId, entry, now);
      }
    }
    if (hold.size > 0) batch.retain((item) => !hold.has(item));
    this.#updateGauges();

    const overflow = this.#held.overflow(this.config.max_traces, this.#maxBytes);
    if (overflow.length > 0) void this.#releaseTraces(overflow, 'evicted');

    // The client is acknowledged once held records are on disk (with `storage`) and the rest is downstream.
    const journaled = this.#journal && heldEntries.length > 0 ? this.#journal.record(this.signal, heldEntries) : undefined;
    const passing = batch.itemCount();
    await Promise.all([journaled, passing === 0 ? undefined : this.#send(batch, context, passing)]);
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#stopListening();
    await this.#releaseTraces(this.#held.allTraceIds(), 'evicted');
    await this.#sending;
    await this.#journal?.close();
    releaseIndex(this.settings.id);
  }

  /** Held trace ids, oldest first (for tests and diagnostics). */
  heldTraceIds(): string[] {
    return this.#held.allTraceIds();
  }

  #releaseExpired(): void {
    if (this.#lookingUp) return;
    const expired = this.#held.heldSince(this.#now() - this.config.wait);
    this.#index.sweep();
    if (expired.length === 0) return;
    const persisted = this.config.index_store === undefined ? undefined : persistedIndexOf(this.#host?.getExporter(this.config.index_store));
    if (!persisted) {
      void this.#releaseTraces(expired, 'unmatched');
      return;
    }
    this.#lookingUp = true;
    persisted
      .lookupTraceSessions(expired)
      .then(
        (found) => {
          // learn() releases those traces as stitched (through onLearn).
          for (const [traceId, sessionId] of found) this.#index.learn(traceId, sessionId);
        },
        (error: unknown) => this.#logger.warn({ err: error, traces: expired.length }, 'session_stitch: the persisted trace index could not be read; releasing unstamped'),
      )
      .finally(() => {
        this.#lookingUp = false;
        const left = expired.filter((traceId) => this.#held.has(traceId));
        if (left.length > 0) void this.#releaseTraces(left, 'unmatched');
      });
  }

  /** Sends the held records of these traces on, stamping those whose session is now known. */
  #releaseTraces(traceIds: string[], reason: ReleaseOutcome): Promise<void> {
    const entries: ItemContext<Item>[] = [];
    for (const traceId of traceIds) {
      const held = this.#held.take(traceId);
      if (held.length === 0) continue;
      const sessionId = this.#index.lookup(traceId)?.sessionId;
      for (const entry of held) if (sessionId) stamp(entry.item, sessionId);
      this.#released.add(held.length, this.#labels(sessionId ? 'stitched' : reason === 'stitched' ? 'unmatched' : reason));
      entries.push(...held);
    }
    this.#updateGauges();
    if (entries.length === 0) return this.#sending;
    return this.#send(batchOf(this.signal, entries), {}, entries.length).then(
      () => this.#journal?.delivered(entries.map((entry) => entry.item)),
      (error: unknown) => {
        // Already acknowledged to the client: log it; the exporter has counted the failure. With
        // `storage` the records stay in the journal and come back at the next start.
        this.#logger.error({ err: error, items: entries.length }, 'session_stitch: sending released records failed');
      },
    );
  }

  /**
   * Hands batches downstream in the order they come, without waiting for the previous one to be
   * acknowledged: downstream (batch, exporters' queues) acknowledges late, and waiting here would
   * let one request through at a time. Memory stays bounded by the requests in flight.
   */
  #send(batch: SignalBatch<Item>, context: ConsumeContext, count: number): Promise<void> {
    this.#report.outgoing(this.signal, count);
    const sent = this.next.consume(batch as SignalBatch<never>, context);
    const settled = sent.catch(() => {});
    this.#sending = Promise.all([this.#sending, settled]).then(() => {});
    return sent;
  }

  #labels(outcome: ReleaseOutcome): Record<string, string> {
    return { processor: this.settings.id, otel_signal: this.signal, outcome };
  }

  #updateGauges(): void {
    const labels = { processor: this.settings.id, otel_signal: this.signal };
    this.#heldTraces.set(this.#held.traceCount, labels);
    this.#heldItems.set(this.#held.itemCount, labels);
  }
}

/** A server/internal span with no parent: its trace began in a backend, so no browser will name it. */
function isBackendRoot(item: Item): boolean {
  return 'parentSpanId' in item && item.parentSpanId === '';
}
