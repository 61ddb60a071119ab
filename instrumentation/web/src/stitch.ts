import { context, propagation, trace, type Attributes, type AttributeValue, type Tracer } from '@opentelemetry/api';
import { logs, SeverityNumber, type LogBody, type Logger } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider as SdkTracerProvider, SamplingDecision, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { browserResourceAttributes, SDK_VERSION } from './context/resource.js';
import type { Instrumentation, InstrumentationContext, PrivacyHelpers } from './instrumentations/types.js';
import { resolveOptions, type ResolvedOptions, type StitchOptions } from './options.js';
import { doNotTrack, type Consent } from './privacy/consent.js';
import { sha256Hex } from './privacy/hash.js';
import { scrubUrl } from './privacy/scrub.js';
import { describeTarget } from './privacy/target.js';
import { BUILT_IN_INSTRUMENTATIONS } from './registry.js';
import { isSampled } from './session/sampling.js';
import { SessionManager, type SessionRecord } from './session/session.js';
import { browserStore, type KeyValueStore } from './session/storage.js';
import { StackContextManager } from './telemetry/context-manager.js';
import { SessionLogProcessor, SessionSpanProcessor } from './telemetry/processors.js';
import { SessionPropagator } from './telemetry/propagator.js';
import { Batcher, type Gate } from './transport/batcher.js';
import { OtlpJsonLogExporter, OtlpJsonSpanExporter } from './transport/exporter.js';
import { OfflineStore } from './transport/offline.js';
import { Sender, urlFor } from './transport/sender.js';

export interface StitchUser {
  id?: string;
  email?: string;
}

export type EmitEventOptions = Parameters<InstrumentationContext['emitEvent']>[2];

const SEVERITY = { INFO: SeverityNumber.INFO, WARN: SeverityNumber.WARN, ERROR: SeverityNumber.ERROR } as const;
const ACTIVITY_EVENTS = ['click', 'keydown', 'scroll'] as const;

function randomHex(bytes: number): string {
  const a = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (const b of a) s += b.toString(16).padStart(2, '0');
  return s;
}

const absolute = (url: string): string => {
  try {
    return new URL(url, location.href).href;
  } catch {
    return url;
  }
};

/** One running SDK: built by Stitch.init, torn down by Stitch.shutdown. */
export class StitchCore {
  consent: Consent;
  readonly session: SessionManager;
  readonly tracerProvider: SdkTracerProvider;
  readonly loggerProvider: LoggerProvider;
  readonly privacy: PrivacyHelpers;
  readonly #o: ResolvedOptions;
  readonly #store: KeyValueStore;
  readonly #offline: OfflineStore;
  readonly #sender: Sender;
  readonly #spans: Batcher<ReadableSpan>;
  readonly #logs: Batcher<ReadableLogRecord>;
  readonly #cm = new StackContextManager();
  readonly #logger: Logger;
  readonly #stops: (() => void)[] = [];
  #user: Attributes = {};
  #userSeq = 0;
  readonly #context: Attributes = {};
  #href = '';
  #pageUrl = '';
  #lastActivity = 0;

  constructor(options: StitchOptions) {
    const o = (this.#o = resolveOptions(options));
    this.consent = o.consent;
    this.#store = browserStore(Math.ceil(o.sessionMaxDurationMs / 1000));
    this.#offline = new OfflineStore(this.#store, o.maxOfflineBytes);
    this.privacy = { scrubUrl: (url) => scrubUrl(url, o.queryAllowlist), describeTarget };
    this.session = new SessionManager({
      store: this.#store,
      now: Date.now,
      newId: () => randomHex(16),
      inactivityMs: o.sessionInactivityTimeoutMs,
      maxDurationMs: o.sessionMaxDurationMs,
      sampleRatePercent: o.sessionSampleRate,
      persist: () => this.consent === 'granted',
      onStart: (s) => this.#sessionEvent('session.start', s, { 'session.previous_id': s.previousId }),
      onEnd: (s, reason) => this.#sessionEvent('session.end', s, { 'stitch.session.end_reason': reason },
        Math.min(s.last + o.sessionInactivityTimeoutMs, s.start + o.sessionMaxDurationMs)),
    });
    this.#sender = new Sender({
      endpoint: o.endpoint,
      headers: o.headers,
      ingestKey: o.ingestKey,
      compression: o.compression,
      maxAttempts: o.maxRetries,
      offline: () => (this.consent === 'granted' && o.maxOfflineBytes > 0 ? this.#offline : undefined),
    });
    const gate = (): Gate => (this.consent === 'granted' ? 'send' : this.consent === 'pending' ? 'hold' : 'drop');
    const spanExporter = new OtlpJsonSpanExporter(this.#sender, o.maxRequestBytes);
    const logExporter = new OtlpJsonLogExporter(this.#sender, o.maxRequestBytes);
    const batch = { maxItems: o.maxBatchSize, delayMs: o.batchDelayMs, maxQueue: o.maxQueueSize, gate };
    this.#spans = new Batcher<ReadableSpan>({ ...batch, export: (items, unload) => (unload ? spanExporter.exportUnload(items) : spanExporter.export(items, () => {})) });
    this.#logs = new Batcher<ReadableLogRecord>({ ...batch, export: (items, unload) => (unload ? logExporter.exportUnload(items) : logExporter.export(items, () => {})) });

    const resource = resourceFromAttributes(browserResourceAttributes({ name: o.serviceName, version: o.version, environment: o.environment }));
    this.tracerProvider = new SdkTracerProvider({
      resource,
      sampler: {
        shouldSample: () => ({ decision: this.consent !== 'denied' && this.session.current().sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD }),
        toString: () => 'StitchSessionSampler',
      },
      spanProcessors: [new SessionSpanProcessor(() => this.#common() ?? {}, this.#spans)],
    });
    this.loggerProvider = new LoggerProvider({ resource, processors: [new SessionLogProcessor((id) => this.#common(id), this.#logs)] });
    this.#logger = this.loggerProvider.getLogger('@stitch/web', SDK_VERSION);
  }

  /** Registers globals, listeners and instrumentations; starts (or continues) the session. */
  start(instrumentations: readonly Instrumentation[]): void {
    const o = this.#o;
    if (o.registerGlobals) {
      context.setGlobalContextManager(this.#cm);
      trace.setGlobalTracerProvider(this.tracerProvider);
      propagation.setGlobalPropagator(new SessionPropagator(() => this.sessionId()));
      logs.setGlobalLoggerProvider(this.loggerProvider);
    }
    this.session.touch(); // a page load is activity: continue or start the session
    const listen = (target: EventTarget, type: string, fn: () => void) => {
      target.addEventListener(type, fn, { capture: true, passive: true });
      this.#stops.push(() => target.removeEventListener(type, fn, { capture: true }));
    };
    const activity = () => this.recordActivity();
    for (const type of ACTIVITY_EVENTS) listen(window, type, activity);
    for (const inst of instrumentations) {
      const setting = o.instrumentations[inst.name];
      if (setting === false) continue;
      try {
        this.#stops.push(inst.initialize(this.#contextFor(inst.name, typeof setting === 'object' ? setting : {})));
      } catch {
        // One broken instrumentation must not break the page or the others.
      }
    }
    // Registered after the instrumentations, so what they report on hide (Web Vitals…) is in the flush.
    listen(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.#hide();
      else {
        this.recordActivity();
        this.#resend();
      }
    });
    listen(window, 'pagehide', () => this.#hide());
    listen(window, 'online', () => this.#resend());
    this.#resend();
  }

  #contextFor(name: string, options: Record<string, unknown>): InstrumentationContext {
    const o = this.#o;
    const scope = `@stitch/web/${name}`;
    const logger = this.loggerProvider.getLogger(scope, SDK_VERSION);
    const exporterUrls = [urlFor(absolute(o.endpoint), 'traces'), urlFor(absolute(o.endpoint), 'logs')];
    return {
      tracer: this.tracerProvider.getTracer(scope, SDK_VERSION),
      emitEvent: (event, attributes, opts) => this.emitEvent(event, attributes, opts, logger),
      privacy: this.privacy,
      shouldPropagate: (url) => {
        const full = absolute(url);
        return o.propagateTo.some((p) => (typeof p === 'string' ? full.startsWith(p) : ((p.lastIndex = 0), p.test(full))));
      },
      sessionId: () => this.sessionId(),
      recordActivity: () => this.recordActivity(),
      isExporterUrl: (url) => exporterUrls.some((e) => absolute(url).startsWith(e)),
      options,
    };
  }

  /** The session id while it is sampled and consent is granted (only then do headers carry it). */
  sessionId(): string | undefined {
    if (this.consent === 'denied') return undefined;
    const s = this.session.current();
    return s.sampled && this.consent === 'granted' ? s.id : undefined;
  }

  /** Attributes every span and log gets; undefined = drop (unsampled session or consent denied). */
  #common(explicitSessionId?: string): Attributes | undefined {
    if (this.consent === 'denied') return undefined;
    const current = explicitSessionId === undefined ? this.session.current() : undefined;
    const id = current?.id ?? explicitSessionId!;
    // The decision stored with the session wins; an explicitly named (ended) session is re-derived from its id.
    if (!(current ? current.sampled : isSampled(id, this.#o.sessionSampleRate))) return undefined;
    if (typeof location !== 'undefined' && location.href !== this.#href) {
      this.#href = location.href;
      this.#pageUrl = this.privacy.scrubUrl(this.#href);
    }
    return { 'session.id': id, ...this.#user, ...this.#context, ...(this.#pageUrl ? { 'url.full': this.#pageUrl } : {}) };
  }

  #sessionEvent(name: string, s: SessionRecord, attributes: Attributes, timestamp?: number): void {
    if (!s.sampled) return;
    this.#logger.emit({ eventName: name, severityNumber: SeverityNumber.INFO, severityText: 'INFO', attributes: { 'session.id': s.id, ...attributes }, ...(timestamp ? { timestamp } : {}) });
  }

  emitEvent(name: string, attributes?: Attributes, options?: EmitEventOptions, logger: Logger = this.#logger): void {
    const severity = options?.severity ?? 'INFO';
    const active = this.#cm.active();
    logger.emit({
      eventName: name,
      severityNumber: SEVERITY[severity],
      severityText: severity,
      ...(attributes ? { attributes } : {}),
      ...(options?.body !== undefined ? { body: options.body as LogBody } : {}),
      context: options?.span ? trace.setSpan(active, options.span) : active,
      ...(options?.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
  }

  /** Activity from listeners or instrumentations: extends the session (at most once a second). */
  recordActivity(): void {
    const now = Date.now();
    if (now - this.#lastActivity < 1000 && now >= this.#lastActivity) return;
    this.#lastActivity = now;
    this.session.touch();
  }

  #hide(): void {
    this.session.persistNow();
    this.#spans.flush(true);
    this.#logs.flush(true);
  }

  #resend(): void {
    if (this.consent !== 'granted') return;
    this.#sender.drain();
    const dropped = this.#offline.takeDropped();
    if (dropped) this.emitEvent('stitch.offline.dropped', { 'stitch.offline.dropped_batches': dropped }, { severity: 'WARN' });
  }

  setConsent(consent: Consent): void {
    this.consent = consent;
    if (consent === 'granted') {
      this.session.persistNow();
      this.flush();
      this.#resend();
    } else if (consent === 'denied') {
      this.#spans.clear();
      this.#logs.clear();
      this.#sender.clear();
      this.#offline.clear();
      this.session.clear();
    }
  }

  setUser(user: StitchUser | null | undefined): void {
    const seq = ++this.#userSeq;
    const attrs: Attributes = {};
    if (user?.email && this.#o.sendUserEmail) attrs['user.email'] = user.email;
    if (!user?.id || !this.#o.hashUserId) {
      if (user?.id) attrs['user.id'] = user.id;
      this.#user = attrs;
      return;
    }
    this.#user = {}; // nothing until the hash is ready: the raw id never leaves
    void sha256Hex(user.id).then((hash) => {
      if (hash && seq === this.#userSeq) this.#user = { ...attrs, 'user.hash': hash };
    }, () => undefined);
  }

  setGlobalContextProperty(key: string, value: AttributeValue | undefined): void {
    const name = key.includes('.') ? key : this.#o.contextPrefix + key;
    if (value === undefined) delete this.#context[name];
    else this.#context[name] = value;
  }

  tracer(name = '@stitch/web/custom', version?: string): Tracer {
    return this.tracerProvider.getTracer(name, version);
  }

  /** Sends what is batched now (respecting consent). */
  flush(): void {
    this.#spans.flush();
    this.#logs.flush();
  }

  async shutdown(): Promise<void> {
    for (const stop of this.#stops.splice(0).reverse()) {
      try {
        stop();
      } catch {
        /* keep going */
      }
    }
    this.flush();
    await Promise.all([this.tracerProvider.shutdown(), this.loggerProvider.shutdown()]);
    if (this.#o.registerGlobals) {
      trace.disable();
      context.disable();
      propagation.disable();
      logs.disable();
    }
  }
}

let core: StitchCore | undefined;

/** The Stitch browser SDK. Nothing runs until `init`. */
export const Stitch = {
  /**
   * Starts the SDK once per page: sessions, auto-instrumentations, export. A second call is
   * ignored. With `respectDoNotTrack` and DNT/GPC on, nothing starts at all.
   */
  init(options: StitchOptions, instrumentations: readonly Instrumentation[] = BUILT_IN_INSTRUMENTATIONS): void {
    if (core || typeof window === 'undefined') return;
    if (options.respectDoNotTrack && doNotTrack()) return;
    core = new StitchCore(options);
    core.start(instrumentations);
  },
  /** 'granted' sends what was held; 'denied' drops it and clears stored state; 'pending' holds. */
  setConsent(consent: Consent): void {
    core?.setConsent(consent);
  },
  /** Sets the user on all later telemetry: `user.hash` (or `user.id` with hashUserId: false); `user.email` only with sendUserEmail. */
  setUser(user: StitchUser | null): void {
    core?.setUser(user);
  },
  /** Adds `stitch.context.<key>` (or `<key>` as given when it contains a dot) to all later telemetry; undefined removes it. */
  setGlobalContextProperty(key: string, value: AttributeValue | undefined): void {
    core?.setGlobalContextProperty(key, value);
  },
  removeGlobalContextProperty(key: string): void {
    core?.setGlobalContextProperty(key, undefined);
  },
  /** Emits a custom event (a log record with event name) carrying session and user context. */
  emitEvent(name: string, attributes?: Attributes, options?: EmitEventOptions): void {
    core?.emitEvent(name, attributes, options);
  },
  /** The current session id, or undefined (not initialised, session not sampled, consent not granted). */
  getSessionId(): string | undefined {
    return core?.sessionId();
  },
  /** A tracer whose spans carry session.id etc. (a no-op tracer before init). */
  tracer(name?: string, version?: string): Tracer {
    return core ? core.tracer(name, version) : trace.getTracer(name ?? '@stitch/web/custom', version);
  },
  /** Stitch's TracerProvider, for `registerInstrumentations({ tracerProvider })` of other OTel instrumentations. */
  get tracerProvider(): SdkTracerProvider | undefined {
    return core?.tracerProvider;
  },
  get loggerProvider(): LoggerProvider | undefined {
    return core?.loggerProvider;
  },
  /** Sends everything batched now. */
  flush(): void {
    core?.flush();
  },
  /** Stops instrumentations and listeners, sends what is batched, unregisters the globals. `init` may be called again. */
  async shutdown(): Promise<void> {
    const c = core;
    core = undefined;
    await c?.shutdown();
  },
};

