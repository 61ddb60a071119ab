import { SpanKind, type LogRecordView, type ResourceRecord, type SpanRecord } from '@stitch/collector-api';
import { Counter, type Registry } from 'prom-client';
import type { LabelGuard } from './label-guard.js';

// The same rule as the anomaly processor's defaults: a login attempt the server refused, or an
// event an app emits for one. Fixed Prometheus alerts (failed logins surge) need this counter.
const LOGIN_ROUTE = /login|signin|auth/i;
const REFUSED = new Set([401, 403]);
const LOGIN_FAILED_EVENTS = new Set(['auth.login_failed', 'user.login_failed']);
const LABELS = ['service_name', 'service_version'] as const;
type Label = (typeof LABELS)[number];

/** `<namespace>_failed_logins_total{service_name, service_version}`. */
export class FailedLogins {
  readonly #counter: Counter<Label>;
  readonly #name: string;

  constructor(
    registry: Registry,
    prefix: string,
    private readonly guard: LabelGuard,
  ) {
    this.#name = `${prefix}failed_logins_total`;
    this.#counter = new Counter({
      name: this.#name,
      help: 'Failed logins: server spans of a login route (login|signin|auth) answered 401/403, and auth.login_failed / user.login_failed events',
      labelNames: [...LABELS],
      registers: [registry],
    });
  }

  span(span: SpanRecord, resource: ResourceRecord): void {
    if (span.kind !== SpanKind.SERVER) return;
    const status = Number(span.attribute('http.response.status_code') ?? span.attribute('http.status_code'));
    if (!REFUSED.has(status)) return;
    const route = span.attribute('http.route') ?? span.attribute('url.path') ?? span.name;
    if (typeof route === 'string' && LOGIN_ROUTE.test(route)) this.#add(resource);
  }

  log(record: LogRecordView, resource: ResourceRecord): void {
    const name = record.eventName || record.attribute('event.name');
    if (typeof name === 'string' && LOGIN_FAILED_EVENTS.has(name)) this.#add(resource);
  }

  #add(resource: ResourceRecord): void {
    const version = resource.attribute('service.version');
    const labels = this.guard.admit(this.#name, { service_name: resource.serviceName, service_version: typeof version === 'string' ? version : '' }, this.#counter);
    this.#counter.inc(labels);
  }
}
