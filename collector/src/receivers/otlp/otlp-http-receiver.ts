import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  receiverReport,
  type ConsumeContext,
  type Counter,
  type CreateSettings,
  type Logger,
  type OtlpEncoding,
  type Receiver,
  type ReceiverConsumers,
  type ReceiverReport,
  type Signal,
} from '@stitch/collector-api';
import { clientErrorHandler } from './client-errors.js';
import type { OtlpHttpConfig, OtlpReceiverConfig } from './config.js';
import { contentCodingOf, decompress } from './content-encoding.js';
import { encodingOf, requireEncoding } from './content-type.js';
import { CorsPolicy } from './cors.js';
import { handleExport } from './handle-export.js';
import { RefusalLog } from './refusal-log.js';
import { HttpError } from './http-error.js';
import { InFlightBytes } from './in-flight-bytes.js';
import { InFlightRequests } from './in-flight-requests.js';
import { IngestGate } from './ingest-gate.js';
import { DEFAULT_LIMITS, type OtlpLimitsConfig } from './limits-config.js';
import { RecordLimits } from './record-limits.js';
import type { Clock } from './token-buckets.js';
import { listen } from '../../net/listen.js';
import { readBody } from './read-body.js';
import { send, sendEmpty, sendStatus, type Headers } from './respond.js';
import { requestMetadata } from './request-metadata.js';
import { requestClient } from './request-client.js';

/** How long shutdown waits for requests being answered before closing their sockets. */
const SHUTDOWN_GRACE_MS = 5000;
const NO_HEADERS: Headers = Object.freeze({});
// Once shutdown has begun, each answer closes its keep-alive socket.
const CLOSE: Headers = Object.freeze({ Connection: 'close' });
/** How often node looks for requests past read_header_timeout / read_timeout (its default, 30 s, is too coarse). */
const MAX_TIMEOUT_CHECK_MS = 1000;

/**
 * The OTLP/HTTP server: POST of protobuf or JSON on the traces, logs and metrics paths of one
 * port, answered as the OTLP/HTTP specification says. Plain `node:http` keeps per-request cost
 * to what the protocol needs.
 */
export class OtlpHttpReceiver implements Receiver {
  readonly #settings: CreateSettings;
  readonly #config: OtlpHttpConfig;
  readonly #consumers: ReceiverConsumers;
  readonly #routes: ReadonlyMap<string, Signal>;
  readonly #cors: CorsPolicy | undefined;
  readonly #report: ReceiverReport;
  readonly #logger: Logger;
  readonly #inFlight = new InFlightRequests();
  readonly #inFlightBytes: InFlightBytes;
  readonly #gate: IngestGate;
  readonly #limits: OtlpLimitsConfig;
  readonly #recordLimits: RecordLimits;
  readonly #refusedRequests: Counter;
  readonly #refusals: RefusalLog;
  #server: Server | undefined;
  #address: { host: string; port: number } | undefined;
  #closing = false;

  constructor(
    settings: CreateSettings,
    config: OtlpHttpConfig,
    consumers: ReceiverConsumers,
    access: Partial<Pick<OtlpReceiverConfig, 'auth' | 'rate_limit' | 'limits'>> = {},
    clock?: Clock,
  ) {
    this.#settings = settings;
    this.#config = config;
    this.#gate = new IngestGate(settings, access.auth, access.rate_limit, clock);
    this.#limits = access.limits ?? DEFAULT_LIMITS;
    this.#refusals = new RefusalLog(settings.logger);
    this.#inFlightBytes = new InFlightBytes(config.max_in_flight_bytes);
    this.#recordLimits = new RecordLimits(settings, this.#limits);
    // The same counter (same name and labels) the ingest gate counts its refusals in.
    this.#refusedRequests = settings.telemetry.counter(
      'receiver_refused_requests',
      'Requests refused before their data was read (missing or invalid ingest key, origin, rate limit)',
      ['receiver', 'transport', 'reason'],
    );
    this.#consumers = consumers;
    this.#routes = new Map<string, Signal>([
      [config.traces_url_path, 'traces'],
      [config.logs_url_path, 'logs'],
      [config.metrics_url_path, 'metrics'],
    ]);
    this.#cors = config.cors ? new CorsPolicy(config.cors) : undefined;
    this.#report = receiverReport(settings, 'http');
    this.#logger = settings.logger;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = this.#createServer();
    this.#address = await listen(server, this.#config.endpoint, `receivers.${this.#settings.id}`);
    // After listening, a server error (rare: e.g. EMFILE) is logged, never thrown at the process.
    server.on('error', (error) => this.#logger.error({ err: error }, 'otlp receiver server error'));
    this.#server = server;
    this.#closing = false;
    const { host, port } = this.#address;
    this.#logger.info({ endpoint: `${host}:${port}`, paths: [...this.#routes.keys()], ingest_keys: this.#gate.summary }, 'otlp receiver listening');
  }

  /**
   * A server that no client can hold: slow headers (slow-loris), slow bodies and idle keep-alive
   * connections are closed after their timeouts; oversized or too many headers are refused.
   */
  #createServer(): Server {
    const config = this.#config;
    const server = createServer(
      {
        maxHeaderSize: config.max_header_size,
        headersTimeout: config.read_header_timeout,
        requestTimeout: config.read_timeout,
        connectionsCheckingInterval: Math.max(10, Math.min(MAX_TIMEOUT_CHECK_MS, Math.floor(config.read_header_timeout / 4))),
        keepAliveTimeout: config.idle_timeout,
      },
      (request, response) => this.#onRequest(request, response),
    );
    // One past the limit, so a request with too many headers is seen (node silently drops the rest).
    server.maxHeadersCount = config.max_header_count + 1;
    server.on('clientError', clientErrorHandler(config, this.#logger, this.#refusedRequests, { receiver: this.#settings.id, transport: 'http' }));
    return server;
  }

  /** Where the server listens (the real port when the endpoint asked for port 0). */
  address(): { host: string; port: number } {
    if (!this.#address) throw new Error(`receivers.${this.#settings.id}: not started`);
    return this.#address;
  }

  get port(): number {
    return this.address().port;
  }

  /** Stops accepting, lets requests in flight finish (up to 5 s), then closes every socket. */
  async shutdown(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const drained = await this.#inFlight.drained(SHUTDOWN_GRACE_MS);
    if (!drained) this.#logger.warn({ requests: this.#inFlight.count }, 'otlp receiver closing with requests still in flight');
    server.closeAllConnections();
    await closed;
    this.#logger.info({ endpoint: this.#config.endpoint }, 'otlp receiver stopped');
  }

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    this.#inFlight.track(response);
    this.#serve(request, response).catch((error: unknown) => {
      // Only a bug lands here; answer 500 rather than let it reach the process.
      this.#logger.error({ err: error }, 'otlp receiver failed on a request');
      sendStatus(response, 500, 'json', 'internal error in the otlp receiver', NO_HEADERS);
    });
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const origin = request.headers.origin;
    const headers = (this.#cors && this.#cors.responseHeaders(origin)) ?? NO_HEADERS;
    // Errors are answered in the request's encoding, or JSON when it names none we speak.
    let encoding: OtlpEncoding = encodingOf(request.headers['content-type']) ?? 'json';
    const lease = this.#inFlightBytes.lease();
    try {
      const signal = this.#routes.get(path);
      if (signal === undefined) {
        throw new HttpError(404, `unknown path ${JSON.stringify(path)}: OTLP/HTTP paths are ${[...this.#routes.keys()].join(', ')}`);
      }
      const consumer = this.#consumers[signal];
      if (consumer === undefined) throw new HttpError(404, `no pipeline receives ${signal} from receiver ${this.#settings.id}`);
      if (request.method === 'OPTIONS' && this.#cors && origin !== undefined) {
        this.#answerPreflight(this.#cors, origin, request, response, headers);
        return;
      }
      if (request.rawHeaders.length / 2 > this.#config.max_header_count) {
        throw new HttpError(431, `request has more than max_header_count (${this.#config.max_header_count}) headers`, {}, 'too_many_headers');
      }
      if (request.method !== 'POST') {
        throw new HttpError(405, `method ${request.method ?? ''} is not allowed on ${path}: OTLP/HTTP accepts only POST`, { Allow: 'POST' });
      }
      // Every request says who sent it: processors such as enrich need it before batching.
      const client = requestClient(request);
      // Key and rate limits before anything else of the request is read: refused data is never decoded.
      this.#gate.admit(request, query < 0 ? '' : url.slice(query + 1), client);
      encoding = requireEncoding(request.headers['content-type']);
      const coding = contentCodingOf(request.headers['content-encoding']);
      const body = await decompress(await readBody(request, this.#config.max_request_body_size, lease), coding, this.#decompressedLimit);
      if (coding !== 'identity' && !lease.take(body.length)) throw lease.busy();
      const context: ConsumeContext = this.#config.include_metadata ? { client, metadata: requestMetadata(request) } : { client };
      const answer = await handleExport(signal, encoding, body, consumer, context, {
        report: this.#report,
        refusals: this.#refusals,
        limits: this.#recordLimits,
        maxValueDepth: this.#limits.max_value_depth,
      });
      send(response, 200, encoding, answer, this.#closing ? { ...headers, ...CLOSE } : headers);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.#logger.debug({ status: error.status, path, err: error.message }, 'otlp request rejected');
      const reason = error.refusalReason ?? (error.status === 413 ? 'too_large' : undefined);
      if (reason) this.#refuse(reason);
      // After a 413 the rest of an upload is not worth reading: close instead of draining it.
      const close = error.status === 413 || this.#closing ? CLOSE : NO_HEADERS;
      sendStatus(response, error.status, encoding, error.message, { ...headers, ...error.headers, ...close });
    } finally {
      lease.release();
    }
  }

  get #decompressedLimit(): { bytes: number; key: string } {
    const bytes = this.#config.max_decompressed_body_size;
    return bytes === undefined ? { bytes: this.#config.max_request_body_size, key: 'max_request_body_size' } : { bytes, key: 'max_decompressed_body_size' };
  }

  #refuse(reason: string): void {
    this.#refusedRequests.add(1, { receiver: this.#settings.id, transport: 'http', reason });
  }

  #answerPreflight(cors: CorsPolicy, origin: string, request: IncomingMessage, response: ServerResponse, headers: Headers): void {
    const answer = cors.preflight(origin, request.headers);
    if (answer.allowed) {
      sendEmpty(response, 204, this.#closing ? { ...answer.headers, ...CLOSE } : answer.headers);
      return;
    }
    // 403 (the Go collector answers 204 without CORS headers): the browser fails either way,
    // but a 403 with a reason is easier to diagnose from the network tab.
    sendStatus(response, 403, 'json', answer.reason, { ...headers, Vary: 'Origin' });
  }
}
