import {
  exporterReport,
  type AttributeValue,
  type ConsumeContext,
  type CreateSettings,
  type Exporter,
  type ExporterReport,
  type LogRecordView,
  type SignalBatch,
  type SpanRecord,
} from '@stitch/collector-api';
import { Registry } from 'prom-client';
import type { PrometheusExporterConfig } from './config.js';
import { FailedLogins } from './failed-logins.js';
import { LabelGuard } from './label-guard.js';
import { MetricsEndpoint } from './metrics-endpoint.js';
import { isBrowserResource, SessionMetrics } from './session-metrics.js';
import { SpanMetrics } from './span-metrics.js';

const sessionIdOf = (value: AttributeValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const nsToMs = (ns: bigint): number => Number(ns / 1_000_000n);

/**
 * Turns the traces and logs flowing through the collector into Prometheus metrics, served on its
 * own `/metrics` (apart from the collector's self-metrics): session health and Web Vitals from
 * browser telemetry, RED metrics from every span.
 */
export class PrometheusExporter implements Exporter {
  readonly registry = new Registry();
  readonly #settings: CreateSettings;
  readonly #config: PrometheusExporterConfig;
  readonly #report: ExporterReport;
  readonly #sessions: SessionMetrics;
  readonly #spans: SpanMetrics | undefined;
  readonly #failedLogins: FailedLogins;
  readonly #endpoint: MetricsEndpoint;
  readonly #now: () => number;
  readonly #guard: LabelGuard;

  /** `now` is injectable so tests can move time past the active window and the inactivity timeout. */
  constructor(settings: CreateSettings, config: PrometheusExporterConfig, now: () => number = Date.now) {
    this.#settings = settings;
    this.#config = config;
    this.#now = now;
    this.#report = exporterReport(settings);
    const prefix = config.namespace ? `${config.namespace}_` : '';
    const guard = new LabelGuard({ limit: config.max_label_values, expirationMs: config.metric_expiration, now }, this.registry, prefix);
    this.#guard = guard;
    const s = config.sessions;
    this.#sessions = new SessionMetrics(this.registry, prefix, guard, { maxTracked: s.max_tracked, activeWindowMs: s.active_window, inactivityMs: s.inactivity_timeout }, now);
    this.#failedLogins = new FailedLogins(this.registry, prefix, guard);
    this.#spans = config.span_metrics.enabled ? new SpanMetrics(this.registry, guard, config.span_metrics.duration_unit) : undefined;
    this.#endpoint = new MetricsEndpoint(() => this.metrics(), this.registry.contentType, `exporters.${settings.id}.endpoint`);
  }

  /** The Prometheus text a scrape gets: stale series are dropped first (idle sessions end as the active gauge is read). */
  metrics(): Promise<string> {
    this.#guard.expire();
    return this.registry.metrics();
  }

  /** Where `/metrics` is served (the real port when the endpoint asked for port 0). */
  address(): { host: string; port: number } {
    return this.#endpoint.address();
  }

  async start(): Promise<void> {
    await this.#endpoint.start(this.#config.endpoint);
    const { host, port } = this.address();
    this.#settings.logger.info({ endpoint: `${host}:${port}` }, 'prometheus metrics served on /metrics');
  }

  async consume(batch: SignalBatch, _context: ConsumeContext): Promise<void> {
    const items = batch.itemCount();
    try {
      if (batch.signal === 'traces') this.#consumeSpans(batch as SignalBatch<SpanRecord>);
      else if (batch.signal === 'logs') this.#consumeLogs(batch as SignalBatch<LogRecordView>);
    } catch (error) {
      this.#report.sendFailed(batch.signal, items);
      throw error;
    }
    this.#report.sent(batch.signal, items);
  }

  #consumeSpans(batch: SignalBatch<SpanRecord>): void {
    const now = this.#now();
    for (const group of batch.resources) {
      const browser = isBrowserResource(group.resource);
      const resourceSession = sessionIdOf(group.resource.attribute('session.id'));
      for (const scope of group.scopes) {
        for (const span of scope.items) {
          this.#spans?.span(span, group.resource);
          this.#failedLogins.span(span, group.resource);
          if (!browser) continue;
          const sessionId = sessionIdOf(span.attribute('session.id')) ?? resourceSession;
          if (sessionId) this.#sessions.span(sessionId, group.resource, Math.min(now, nsToMs(span.endTimeUnixNano || span.startTimeUnixNano) || now));
        }
      }
    }
  }

  #consumeLogs(batch: SignalBatch<LogRecordView>): void {
    const now = this.#now();
    for (const group of batch.resources) {
      for (const scope of group.scopes) for (const record of scope.items) this.#failedLogins.log(record, group.resource);
      // Backend logs stamped with a session attach to it but do not describe it (as in the session store).
      if (!isBrowserResource(group.resource)) continue;
      const resourceSession = sessionIdOf(group.resource.attribute('session.id'));
      for (const scope of group.scopes) {
        for (const record of scope.items) {
          const sessionId = sessionIdOf(record.attribute('session.id')) ?? resourceSession;
          // A browser clock ahead of ours must not keep a session active forever.
          const timeMs = Math.min(now, nsToMs(record.timeUnixNano || record.observedTimeUnixNano) || now);
          this.#sessions.log(record, group.resource, sessionId, timeMs);
        }
      }
    }
  }

  async shutdown(): Promise<void> {
    await this.#endpoint.stop();
  }
}
