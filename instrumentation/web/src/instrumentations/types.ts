import type { Attributes, Span, Tracer } from '@opentelemetry/api';

/**
 * The contract between the SDK core and each auto-instrumentation (one folder each under
 * src/instrumentations/). The core builds one InstrumentationContext at init; an instrumentation
 * only uses what is here, so it can be written, tested and tree-shaken on its own.
 */
export interface InstrumentationContext {
  /** A tracer from Stitch's provider: spans get session.id, user and global context automatically. */
  tracer: Tracer;
  /**
   * Emits a log event (OpenTelemetry event: a LogRecord with `event_name`), e.g.
   * `emitEvent('browser.page_view', { 'url.path': '/cart' })`. session.id etc. are added by the core.
   * `body` is optional structured data; `severity` defaults to INFO (ERROR for errors).
   * `timestamp` (ms since the epoch) dates an event that happened before it is emitted, e.g. a
   * resource timing entry observed after the request ended; default now.
   */
  emitEvent(name: string, attributes?: Attributes, options?: { body?: unknown; severity?: 'INFO' | 'WARN' | 'ERROR'; span?: Span; timestamp?: number }): void;
  /** Privacy helpers configured by the user's options (query scrubbing, masking). */
  privacy: PrivacyHelpers;
  /** URLs that get `traceparent` + `baggage: session.id=…` (the user's `propagateTo`). */
  shouldPropagate(url: string): boolean;
  /** The current session id, or undefined when the session is not sampled (then add no headers). */
  sessionId(): string | undefined;
  /** Records user activity (extends the session). Instrumentations that see clicks/keys/navigation call it. */
  recordActivity(): void;
  /** The collector's OTLP endpoints: network instrumentation must never trace the SDK's own requests. */
  isExporterUrl(url: string): boolean;
  /** The options this instrumentation was given (`instrumentations: { network: {...} }`), or {}. */
  options: Record<string, unknown>;
}

export interface PrivacyHelpers {
  /** The URL with query values replaced by `REDACTED` except allowlisted keys, and no fragment secrets. */
  scrubUrl(url: string): string;
  /** A stable, value-free description of an element: tag, id, role, data-* name, masked text. */
  describeTarget(element: Element): string;
}

export interface Instrumentation {
  /** Config key and folder name: 'page-load', 'page-view', 'user-action', 'network', 'errors', 'web-vitals', 'resource-timing'. */
  readonly name: string;
  /** Starts observing; returns a function that stops (removes listeners, restores patched globals). */
  initialize(context: InstrumentationContext): () => void;
}
