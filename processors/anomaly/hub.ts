import type { CreateSettings, Logger, Logs } from '@stitch/collector-api';
import { alertBatch } from './alert-record.js';
import { summaryOf } from './alert.js';
import type { AnomalyConfig } from './config.js';
import { AnomalyEngine, type AnomalyEvent } from './engine.js';
import { Observer } from './observe.js';
import { alertmanagerAlert, AlertmanagerWebhook } from './webhook.js';

/** Where alert log records go: the next consumer of a logs pipeline's instance. */
export interface AlertSink {
  emit(batch: Logs): Promise<void>;
}

export interface HubOptions {
  /** Milliseconds clock; tests pass their own. */
  now?: () => number;
  /** Evaluate on a timer every `evaluation_interval` (default); tests turn it off and call `evaluate()`. */
  timer?: boolean;
}

/**
 * What the traces and logs instances of one `anomaly` id share: the engine (so a session's spans
 * and its log events count together), the evaluation timer, the webhook and the alert sinks. One
 * evaluation per interval for the id, however many pipelines list it.
 */
export class AnomalyHub {
  readonly engine: AnomalyEngine;
  readonly #observer: Observer;
  readonly #webhook: AlertmanagerWebhook | undefined;
  readonly #sinks = new Set<AlertSink>();
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #count: { alert(event: AnomalyEvent): void; seriesCount(n: number): void };
  /** Open incidents and when the webhook last heard of them, for Alertmanager's resends. */
  readonly #open = new Map<string, { event: AnomalyEvent; postedMs: number }>();

  constructor(
    private readonly settings: CreateSettings,
    private readonly config: AnomalyConfig,
    options: HubOptions = {},
  ) {
    this.#logger = settings.logger;
    this.#now = options.now ?? Date.now;
    const t = settings.telemetry;
    const alerts = t.counter('processor_anomaly_alerts', 'Anomaly incidents, by signal and state (firing when one begins, resolved when it ends)', ['processor', 'signal', 'state']);
    const posts = t.counter('processor_anomaly_webhook_posts', 'Webhook posts, by outcome (sent, failed: error status, network error or timeout)', ['processor', 'outcome']);
    const overflow = t.counter('processor_anomaly_overflow', 'Series or sessions not tracked because of max_series / max_sessions', ['processor', 'kind']);
    const series = t.gauge('processor_anomaly_series', '(service.name, service.version) pairs watched', ['processor']);
    const processor = settings.id;
    this.#count = {
      alert: (event) => alerts.add(1, { processor, signal: event.signal, state: event.state }),
      seriesCount: (n) => series.set(n, { processor }),
    };
    this.engine = new AnomalyEngine(config, this.#now, (kind) => overflow.add(1, { processor, kind }));
    this.#observer = new Observer(config, this.engine);
    const url = config.webhook.url;
    this.#webhook = url
      ? new AlertmanagerWebhook(url, config, this.#logger, {
          sent: () => posts.add(1, { processor, outcome: 'sent' }),
          failed: () => posts.add(1, { processor, outcome: 'failed' }),
        })
      : undefined;
    if (options.timer !== false) {
      this.#timer = setInterval(() => void this.evaluate(), config.evaluation_interval);
      this.#timer.unref();
    }
  }

  get observer(): Observer {
    return this.#observer;
  }

  addSink(sink: AlertSink): void {
    this.#sinks.add(sink);
  }
  removeSink(sink: AlertSink): void {
    this.#sinks.delete(sink);
  }

  /** One evaluation: judges every window, then notifies; resolves once the alert records are handed on. */
  async evaluate(): Promise<AnomalyEvent[]> {
    let events: AnomalyEvent[];
    try {
      events = this.engine.evaluate();
    } catch (error) {
      this.#logger.error({ err: error }, 'anomaly: evaluation failed');
      return [];
    }
    this.#count.seriesCount(this.engine.seriesCount);
    const nowMs = this.#now();
    for (const event of events) {
      this.#count.alert(event);
      const log = event.state === 'firing' ? this.#logger.warn.bind(this.#logger) : this.#logger.info.bind(this.#logger);
      log({ signal: event.signal, service: event.service, version: event.version, state: event.state }, `anomaly: ${summaryOf(event)}`);
    }
    this.#notifyWebhook(events, nowMs);
    if (events.length > 0) await this.#emit(events, nowMs);
    return events;
  }

  #notifyWebhook(events: AnomalyEvent[], nowMs: number): void {
    if (!this.#webhook) return;
    const posting = [...events];
    const key = (event: AnomalyEvent) => `${event.signal}\u0000${event.service}\u0000${event.version}`;
    for (const event of events) {
      if (event.state === 'firing') this.#open.set(key(event), { event, postedMs: nowMs });
      else this.#open.delete(key(event));
    }
    const resend = this.config.webhook.resend_interval;
    if (resend > 0) {
      for (const open of this.#open.values()) {
        if (nowMs - open.postedMs < resend) continue;
        open.postedMs = nowMs;
        posting.push(open.event);
      }
    }
    this.#webhook.notify(posting.map((event) => alertmanagerAlert(event, this.config)));
  }

  async #emit(events: AnomalyEvent[], nowMs: number): Promise<void> {
    if (this.#sinks.size === 0) return; // only in traces pipelines: the collector log and the webhook tell
    const sinks = [...this.#sinks];
    await Promise.all(
      sinks.map(async (sink, index) => {
        // Each logs pipeline gets its own records: a later processor may change them.
        const batch = alertBatch(events, this.config, this.settings.id, nowMs);
        try {
          await sink.emit(batch);
        } catch (error) {
          this.#logger.warn({ err: error, sink: index }, 'anomaly: the alert log records could not be handed on');
        }
      }),
    );
  }

  /** Stops the timer and waits for webhook posts under way (each bounded by its timeout). */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#webhook?.settle();
  }
}

const shared = new Map<string, { hub: AnomalyHub; users: number }>();

/** The hub of a component id, created by its first instance. */
export function acquireHub(id: string, create: () => AnomalyHub): AnomalyHub {
  let slot = shared.get(id);
  if (!slot) shared.set(id, (slot = { hub: create(), users: 0 }));
  slot.users++;
  return slot.hub;
}

/** Releases one instance's hold; the last one closes the hub. */
export async function releaseHub(id: string): Promise<void> {
  const slot = shared.get(id);
  if (!slot || --slot.users > 0) return;
  shared.delete(id);
  await slot.hub.close();
}
