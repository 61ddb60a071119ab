import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import {
  exporterReport,
  PermanentError,
  type ConsumeContext,
  type CreateSettings,
  type Exporter,
  type ExporterReport,
  type OtlpEncoding,
  type Signal,
  type SignalBatch,
} from '@stitch/collector-api';
import { classifyResponse } from './classify-response.js';
import type { OtlpHttpExporterConfig } from './config.js';
import { signalUrls } from './endpoints.js';
import { CONTENT_TYPE, encodeBatch, type ExportRequest } from './export-request.js';
import { gzip } from './gzip.js';
import { KeepAliveHttpClient } from './http-client.js';
import { sendWithRetry, type AttemptOutcome, type SendOutcome } from './send-with-retry.js';
import { SendingQueue } from './sending-queue.js';

const USER_AGENT = 'stitch-collector';

/** Sends batches of any signal to an OTLP/HTTP endpoint, through a queue and with retries. */
export class OtlpHttpExporter implements Exporter {
  readonly #settings: CreateSettings;
  readonly #config: OtlpHttpExporterConfig;
  readonly #encoding: OtlpEncoding;
  readonly #urls: Record<Signal, URL | undefined>;
  readonly #headers: OutgoingHttpHeaders;
  readonly #client: KeepAliveHttpClient;
  readonly #report: ExporterReport;
  readonly #queue: SendingQueue<ExportRequest> | undefined;
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
      this.#queue = new SendingQueue(queue_size, num_consumers, (request) => this.#deliver(request), (n) => size.set(n, labels));
    }
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
    if (!this.#queue.offer(request)) {
      this.#report.enqueueFailed(request.signal, request.items);
      this.#settings.logger.error(
        { signal: request.signal, items: request.items, queue_size: this.#config.sending_queue.queue_size },
        'sending queue is full, dropping batch',
      );
      throw new Error(`sending queue of exporter ${this.#settings.id} is full (${this.#config.sending_queue.queue_size} batches): batch dropped`);
    }
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

  async #deliver(request: ExportRequest): Promise<SendOutcome> {
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
  }
}
