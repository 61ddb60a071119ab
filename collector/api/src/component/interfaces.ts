import type { Signal, SignalBatch, SignalItems } from '../model/batch.js';

/** pino-compatible structured logger. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type Labels = Record<string, string>;
export interface Counter {
  add(value: number, labels?: Labels): void;
}
export interface Gauge {
  set(value: number, labels?: Labels): void;
}

/**
 * The collector's self-metrics registry. Names are given without prefix (e.g.
 * `receiver_accepted_spans`); the collector exposes them as `stitch_<name>` (counters with `_total`).
 * Asking twice for the same name returns the same instrument.
 */
export interface SelfTelemetry {
  counter(name: string, help: string, labelNames: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames: readonly string[]): Gauge;
}

/** What every component gets when it is created. */
export interface CreateSettings {
  /** The component id from the config, `type` or `type/name`. */
  id: string;
  logger: Logger;
  telemetry: SelfTelemetry;
}

/** Lets a component find the extensions and exporters that run beside it. */
export interface Host {
  getExtension<T extends Extension = Extension>(id: string): T | undefined;
  /**
   * An exporter by its id in `exporters:` (only those some pipeline uses): how the query API finds
   * the session store the `sessionstore` exporter writes, and `session_stitch` its persisted index.
   */
  getExporter<T extends Exporter = Exporter>(id: string): T | undefined;
}

export interface Component {
  start?(host: Host): Promise<void> | void;
  /** Stops taking work and drains what it holds. */
  shutdown?(): Promise<void> | void;
}

/** Who sent a request, as the receiving socket saw it. */
export interface RequestClient {
  /** The socket's remote address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) written as plain IPv4. */
  address: string;
  /**
   * The raw `X-Forwarded-For` header, when present. Anyone can write it: believe it only when
   * `address` is a proxy you trust (the `enrich` processor's `trusted_proxies`).
   */
  forwardedFor?: string;
}

/** Per-request information passed down a pipeline. */
export interface ConsumeContext {
  /** Request headers, when the receiver is configured with `include_metadata`. */
  metadata?: Readonly<Record<string, string>>;
  /**
   * The request's client. Network receivers set it on every request; it is lost where requests
   * are merged (after `batch`), so processors that need it run before batching.
   */
  client?: RequestClient;
}

export interface Consumer<S extends Signal = Signal> {
  consume(batch: SignalBatch<SignalItems[S]>, context: ConsumeContext): Promise<void>;
}

export type Receiver = Component;

export interface Processor<S extends Signal = Signal> extends Component, Consumer<S> {
  /** True when the processor changes the batches it sees (the runtime then hands it its own copy). */
  readonly mutatesData: boolean;
}

/** One exporter instance serves every pipeline that names it, whatever their signal. */
export interface Exporter extends Component {
  consume(batch: SignalBatch, context: ConsumeContext): Promise<void>;
}

export type Extension = Component;

/**
 * Implemented by extensions that must know when the pipelines are up, such as health checks:
 * `ready()` once every component has started, `notReady()` when the collector starts draining.
 */
export interface PipelineWatcher {
  ready(): void;
  notReady(): void;
}

export function isPipelineWatcher(value: unknown): value is PipelineWatcher {
  return typeof (value as PipelineWatcher)?.ready === 'function' && typeof (value as PipelineWatcher)?.notReady === 'function';
}

/** Data that must not be retried: the receiver answers 400 and the exporter drops it. */
export class PermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** Data refused for now (e.g. memory pressure); the client should retry later (HTTP 503). */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}
