import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import {
  exporterReport,
  isStorageExtension,
  LogFullError,
  PermanentError,
  RefusedError,
  type ConsumeContext,
  type CreateSettings,
  type Exporter,
  type ExporterReport,
  type Gauge,
  type Host,
  type OtlpEncoding,
  type RecordLog,
  type RecordRef,
  type Signal,
  type SignalBatch,
} from '@stitch/collector-api';
import { classifyResponse } from './classify-response.js';
import type { OtlpHttpExporterConfig } from './config.js';
import { signalUrls } from './endpoints.js';
import { CONTENT_TYPE, decodeRequest, encodeBatch, type ExportRequest } from './export-request.js';
import { gzip } from './gzip.js';
import { KeepAliveHttpClient } from './http-client.js';
import { sendWithRetry, type AttemptOutcome, type SendOutcome } from './send-with-retry.js';
import { decodeStoredRequest, encodeStoredRequest } from './persisted-request.js';
import { SendingQueue } from './sending-queue.js';

const USER_AGENT = 'stitch-collector';
const MIB = 2 ** 20;

/** A queued batch: in memory, or (with `storage`) a record on disk read back when its turn comes. */
type QueuedRequest = ExportRequest | { signal: Signal; items: number; ref: RecordRef };

/** Sends batches of any signal to an OTLP/HTTP endpoint, through a queue and with retries. */
export class OtlpHttpExporter implements Exporter {
  readonly #settings: CreateSettings;
  readonly #config: OtlpHttpExporterConfig;
  readonly #encoding: OtlpEncoding;
  readonly #urls: Record<Signal, URL | undefined>;
  readonly #headers: OutgoingHttpHeaders;
  readonly #client: KeepAliveHttpClient;
  readonly #report: ExporterReport;
  readonly #queue: SendingQueue<QueuedRequest> | undefined;
  /** The queue's records on disk, when `sending_queue.storage` is set (open from start to shutdown). */
  #log: RecordLog | undefined;
  #diskBytes: Gauge | undefined;
  /** Sends awaited by consume() when there is no queue; shutdown waits for them too. */
  readonly #directSends = new Set<Promise<SendOutcome>>();
  readonly #stopRetrying = new AbortController();
  readonly #abortRequests = new AbortController();
  #shutdown: Promise<void> | undefined;

  constructor(settings: CreateSettings, config: OtlpHttpExporterConfig) {
    this.#settings = settings;
    this.#config = config;
    this.#encoding = config.encoding === 'json' ? 'json' : 'protobuf';
    this.#urls = signalUrls(config);
    this.#headers = {
      'user-agent': USER_AGENT,
      ...config.headers,
      'content-type': CONTENT_TYPE[this.#encoding],
      ...(config.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    };
    // Every in-flight request and retry wait listens on these; many concurrent ones are normal.
    setMaxListeners(0, this.#stopRetrying.signal, this.#abortRequests.signal);
    this.#client = new KeepAliveHttpClient(config.timeout);
    this.#report = exporterReport(settings);
    if (config.sending_queue.enabled) {
      const { queue_size, num_consumers } = config.sending_queue;
      const labels = { exporter: settings.id };
      const size = settings.telemetry.gauge('exporter_queue_size', 'Batches waiting in the sending queue', ['exporter']);
      settings.telemetry.gauge('exporter_queue_capacity', 'Capacity of the sending queue in batches', ['exporter']).set(queue_size, labels);
      this.#queue = new SendingQueue<QueuedRequest>(queue_size, num_consumers, (request) => this.#work(request), (n) => size.set(n, labels));
      if (config.sending_queue.storage !== undefined) {
        this.#diskBytes = settings.telemetry.gauge('exporter_queue_disk_bytes', 'Bytes the persistent sending queue holds on disk', ['exporter']);
      }
    }
  }

  /** With `storage`: opens the queue's log and queues what the last run left undelivered, before any new batch. */
  async start(host: Host): Promise<void> {
    const storageId = this.#config.sending_queue.storage;
    if (storageId === undefined || !this.#queue) return;
    const key = `exporters.${this.#settings.id}.sending_queue.storage`;
    const extension = host.getExtension(storageId);
    if (!extension) throw new Error(`${key}: extension "${storageId}" is not running (define it under extensions and list it in service.extensions)`);
    if (!isStorageExtension(extension)) throw new Error(`${key}: extension "${storageId}" does not store data (use a file_storage extension)`);
    const maxMib = this.#config.sending_queue.max_size_mib;
    this.#log = await extension.clientFor('exporter', this.#settings.id).openLog('sending_queue', { maxBytes: maxMib === undefined ? 0 : maxMib * MIB });
    const recovered = this.#log.recovered;
    for (const ref of recovered) this.#queue.offer({ signal: 'traces', items: 0, ref }, { evenIfFull: true });
    this.#updateDiskGauge();
    if (recovered.length > 0) this.#settings.logger.info({ batches: recovered.length, bytes: this.#log.bytes }, 'delivering batches queued before the restart first');
  }

  async consume(batch: SignalBatch, _context: ConsumeContext): Promise<void> {
    if (this.#shutdown) throw new Error(`exporter ${this.#settings.id} is shut down`);
    const request = this.#prepare(batch);
    if (!this.#queue) {
      const send = this.#deliver(request);
      this.#directSends.add(send);
      const outcome = await send.finally(() => this.#directSends.delete(send));
      if (outcome.kind === 'failed') {
        const message = `exporting ${request.items} ${request.signal} items to ${request.url} failed: ${outcome.reason}`;
        throw outcome.permanent ? new PermanentError(message) : new Error(message);
      }
      return;
    }
    const { queue_size } = this.#config.sending_queue;
    if (this.#queue.size >= queue_size) return this.#full(request, `it holds ${queue_size} batches (queue_size)`);
    if (!this.#config.sending_queue.storage) {
      if (!this.#queue.offer(request)) return this.#full(request, `it holds ${queue_size} batches (queue_size)`);
      return;
    }
    if (!this.#log) throw new Error(`exporter ${this.#settings.id} is not running`);
    let ref: RecordRef;
    try {
      ref = await this.#log.append(encodeStoredRequest({ ...request, encoding: this.#encoding }));
    } catch (error) {
      if (error instanceof LogFullError) return this.#full(request, `its files reached ${this.#log.bytes} bytes (max_size_mib)`);
      this.#report.enqueueFailed(request.signal, request.items);
      this.#settings.logger.error({ signal: request.signal, items: request.items, err: error }, 'cannot write the batch to the persistent queue');
      throw new Error(`exporter ${this.#settings.id} cannot write to its persistent queue: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#updateDiskGauge();
    // Already on disk: it is delivered even past queue_size, and after a restart if not before.
    this.#queue.offer({ signal: request.signal, items: request.items, ref }, { evenIfFull: true });
  }

  /** A full queue refuses (the client retries after Retry-After) or drops, as `when_full` says. */
  #full(request: ExportRequest, why: string): void {
    this.#report.enqueueFailed(request.signal, request.items);
    const whenFull = this.#config.sending_queue.when_full;
    this.#settings.logger.error({ signal: request.signal, items: request.items, when_full: whenFull, why }, whenFull === 'drop' ? 'sending queue is full, dropping batch' : 'sending queue is full, refusing batch');
    if (whenFull === 'drop') return;
    const retryAfterSeconds = Math.max(1, Math.ceil(this.#config.retry_on_failure.initial_interval / 1000));
    throw new RefusedError(`sending queue of exporter ${this.#settings.id} is full: ${why}`, retryAfterSeconds);
  }

  /** One queued batch: read back from disk when persisted, sent, and released from disk unless the collector is stopping. */
  async #work(queued: QueuedRequest): Promise<void> {
    if (!('ref' in queued)) {
      await this.#deliver(queued);
      return;
    }
    const log = this.#log!;
    let request: ExportRequest;
    try {
      const stored = decodeStoredRequest(await log.read(queued.ref));
      const url = this.#urls[stored.signal];
      if (!url) throw new Error(`no endpoint for ${stored.signal}: set endpoint or ${stored.signal}_endpoint`);
      // Queued before `encoding` was changed: re-encoded as the config now says.
      const body = stored.encoding === this.#encoding ? stored.body : encodeBatch(decodeRequest(stored.signal, stored.encoding, stored.body), this.#encoding);
      request = { signal: stored.signal, items: stored.items, url, body };
    } catch (error) {
      this.#report.sendFailed(queued.signal, queued.items);
      this.#settings.logger.error({ err: error, segment: queued.ref.segment, offset: queued.ref.offset }, 'cannot read a queued batch back; skipping it');
      log.release(queued.ref);
      this.#updateDiskGauge();
      return;
    }
    const outcome = await this.#deliver(request, true);
    // Stopped mid-send or mid-retry: the batch stays on disk for the next start.
    if (outcome.kind === 'failed' && !outcome.permanent && this.#stopRetrying.signal.aborted) return;
    log.release(queued.ref);
    this.#updateDiskGauge();
  }

  #updateDiskGauge(): void {
    this.#diskBytes?.set(this.#log?.bytes ?? 0, { exporter: this.#settings.id });
  }

  /** Stops taking batches, ends retry waits, and sends what is queued within `timeout`. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#drain();
    return this.#shutdown;
  }

  #prepare(batch: SignalBatch): ExportRequest {
    const { signal } = batch;
    let items = 0;
    try {
      items = batch.itemCount();
      const url = this.#urls[signal];
      if (!url) throw new Error(`no endpoint for ${signal}: set endpoint or ${signal}_endpoint`);
      return { signal, url, items, body: encodeBatch(batch, this.#encoding) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#report.sendFailed(signal, items);
      this.#settings.logger.error({ signal, items, reason }, 'cannot export batch');
      throw new PermanentError(reason, { cause: error });
    }
  }

  async #deliver(request: ExportRequest, persisted = false): Promise<SendOutcome> {
    const { signal, items, url } = request;
    const outcome = await this.#compress(request.body).then((body) =>
      sendWithRetry(() => this.#attempt(request, body), {
        policy: this.#config.retry_on_failure,
        stopRetrying: this.#stopRetrying.signal,
        onRetry: (reason, delayMs, attempt) =>
          this.#settings.logger.info({ signal, items, url: url.href, reason, attempt, delay_ms: Math.round(delayMs) }, 'export failed, will retry'),
      }),
      (error: unknown): SendOutcome => ({ kind: 'failed', permanent: true, reason: `cannot compress: ${String(error)}`, attempts: 0 }),
    );
    if (outcome.kind === 'sent') {
      const rejected = Math.min(outcome.partial?.rejected ?? 0, items);
      this.#report.sent(signal, items - rejected);
      this.#report.sendFailed(signal, rejected);
      if (outcome.partial) {
        this.#settings.logger.warn(
          { signal, items, rejected: outcome.partial.rejected, message: outcome.partial.errorMessage, url: url.href },
          'destination accepted the batch partially',
        );
      }
    } else if (persisted && !outcome.permanent && this.#stopRetrying.signal.aborted) {
      this.#settings.logger.info({ signal, items, url: url.href, reason: outcome.reason }, 'stopping: the batch stays in the persistent queue');
    } else {
      this.#report.sendFailed(signal, items);
      this.#settings.logger.error(
        { signal, items, url: url.href, status: outcome.status, reason: outcome.reason, attempts: outcome.attempts, permanent: outcome.permanent },
        'export failed, dropping batch',
      );
    }
    return outcome;
  }

  /** Once per batch, not per attempt. */
  #compress(body: Uint8Array): Promise<Uint8Array> {
    return this.#config.compression === 'gzip' ? gzip(body) : Promise.resolve(body);
  }

  async #attempt(request: ExportRequest, body: Uint8Array): Promise<AttemptOutcome> {
    try {
      const response = await this.#client.post(request.url, this.#headers, body, this.#abortRequests.signal);
      return classifyResponse(request.signal, this.#encoding, response);
    } catch (error) {
      // Connection refused or reset, timeouts: the destination may be back soon.
      return { kind: 'retryable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async #drain(): Promise<void> {
    this.#stopRetrying.abort();
    // On disk, what waits is kept for the next start rather than sent in a hurry now.
    if (this.#log) this.#queue?.takeWaiting();
    const drained = Promise.all([this.#queue?.drain(), ...this.#directSends]);
    const deadline = new AbortController();
    const inTime = await Promise.race([
      drained.then(() => true),
      sleep(this.#config.timeout, false, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    if (!inTime) {
      const dropped = this.#queue?.takeWaiting() ?? [];
      for (const request of dropped) this.#report.sendFailed(request.signal, request.items);
      if (dropped.length > 0) {
        this.#settings.logger.error({ batches: dropped.length, timeout_ms: this.#config.timeout }, 'shutdown timed out, dropping queued batches');
      }
      this.#abortRequests.abort();
      await drained;
    }
    this.#client.close();
    await this.#log?.close();
  }
}
