import type { Logger } from '@stitch/collector-api';
import { alertNameOf, descriptionOf, summaryOf } from './alert.js';
import type { AnomalyConfig } from './config.js';
import type { AnomalyEvent } from './engine.js';

/** One alert as Alertmanager's `POST /api/v2/alerts` takes it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

/**
 * The Alertmanager alert for an event. Labels identify the incident (Alertmanager deduplicates on
 * them), so a resend or the resolution carries the same labels and the same `startsAt`.
 */
export function alertmanagerAlert(event: AnomalyEvent, config: AnomalyConfig): AlertmanagerAlert {
  const alert: AlertmanagerAlert = {
    labels: { alertname: alertNameOf(event.signal), service: event.service, version: event.version, severity: config.severity, signal: event.signal },
    annotations: { summary: summaryOf(event), description: descriptionOf(event) },
    startsAt: new Date(event.startsAtMs).toISOString(),
  };
  if (event.endsAtMs !== undefined) alert.endsAt = new Date(event.endsAtMs).toISOString();
  if (config.webhook.generator_url) alert.generatorURL = config.webhook.generator_url;
  return alert;
}

export interface WebhookReport {
  sent(): void;
  failed(): void;
}

/**
 * Posts alerts fire-and-forget: `notify` returns at once, a slow or dead receiver only costs a
 * timed-out request, and failures are counted and logged, never thrown into the pipeline.
 */
export class AlertmanagerWebhook {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly config: AnomalyConfig,
    private readonly logger: Logger,
    private readonly report: WebhookReport,
  ) {}

  notify(alerts: AlertmanagerAlert[]): void {
    if (alerts.length === 0) return;
    const post = this.#post(alerts).finally(() => this.#pending.delete(post));
    this.#pending.add(post);
  }

  /** Waits for posts under way (each ends by its timeout at the latest): for shutdown and tests. */
  async settle(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async #post(alerts: AlertmanagerAlert[]): Promise<void> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.config.webhook.headers },
        body: JSON.stringify(alerts),
        signal: AbortSignal.timeout(this.config.webhook.timeout),
      });
      // Drain the body so the connection is reused or closed, whatever the status.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.report.sent();
    } catch (error) {
      this.report.failed();
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${this.config.webhook.timeout} ms` : error.message) : String(error);
      this.logger.warn({ url: redactUrl(this.url), alerts: alerts.length, reason }, 'anomaly: webhook post failed');
    }
  }
}

/** The URL without user info or query, which may hold credentials. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
