import type { AttributeValue, LogRecordView, ResourceRecord } from '@stitch/collector-api';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LabelGuard } from './label-guard.js';
import { routeTemplate } from './route-template.js';
import { SESSION_LABELS, SessionTracker, type SessionLabels, type SessionTrackerOptions, type TrackedSession } from './session-tracker.js';
import { VITAL_LABELS, WEB_VITALS, type VitalLabel } from './web-vitals.js';

const UNKNOWN = 'unknown';

const text = (value: AttributeValue | undefined): string | undefined =>
  typeof value === 'string' ? (value === '' ? undefined : value) : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
const num = (value: AttributeValue | undefined): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** The same test the session store uses: what a browser SDK sent describes sessions. */
export function isBrowserResource(resource: ResourceRecord): boolean {
  return resource.attribute('telemetry.sdk.language') === 'webjs' || resource.attribute('user_agent.original') !== undefined;
}

export function sessionLabelsOf(resource: ResourceRecord): SessionLabels {
  const a = (key: string) => text(resource.attribute(key));
  return {
    service_name: a('service.name') ?? 'unknown_service',
    deployment_environment: a('deployment.environment.name') ?? a('deployment.environment') ?? UNKNOWN,
    service_version: a('service.version') ?? UNKNOWN,
    browser_name: a('user_agent.name') ?? UNKNOWN,
    device_type: a('stitch.device.type') ?? UNKNOWN,
    country: a('geo.country.iso_code') ?? UNKNOWN,
  };
}

/** Session buckets: a bounce of seconds up to the 4 h maximum session length. */
const DURATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400];
const COUNT_BUCKETS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

/**
 * Session and Web Vitals metrics from browser telemetry: each record with `session.id` is activity
 * of its session; page views, user actions, exceptions, vitals and `session.end` events add to it.
 */
export class SessionMetrics {
  readonly tracker: SessionTracker;
  readonly #guard: LabelGuard;
  readonly #names: { started: string; active: string; errored: string; errors: string; duration: string; pageViews: string; actions: string };
  readonly #started: Counter<string>;
  readonly #active: Gauge<string>;
  readonly #duration: Histogram<string>;
  readonly #pageViews: Histogram<string>;
  readonly #actions: Histogram<string>;
  readonly #errored: Counter<string>;
  readonly #errors: Counter<string>;
  readonly #vitals = new Map<string, { histogram: Histogram<VitalLabel>; scale: number; name: string }>();

  constructor(registry: Registry, prefix: string, guard: LabelGuard, options: SessionTrackerOptions, now: () => number) {
    this.#guard = guard;
    const labelNames = [...SESSION_LABELS];
    const registers = [registry];
    this.#names = { started: `${prefix}sessions_started_total`, active: `${prefix}sessions_active`, errored: `${prefix}sessions_with_errors_total`, errors: `${prefix}errors_total`, duration: `${prefix}session_duration_seconds`, pageViews: `${prefix}session_page_views`, actions: `${prefix}session_user_actions` };
    this.#started = new Counter({ name: this.#names.started, help: 'Sessions seen starting (a session.start event or the first record of an unknown session id)', labelNames, registers });
    this.#errored = new Counter({ name: this.#names.errored, help: 'Sessions with at least one exception (counted at the first one)', labelNames, registers });
    this.#errors = new Counter({ name: this.#names.errors, help: 'Browser exceptions by exception.type', labelNames: [...labelNames, 'exception_type'], registers });
    this.#duration = new Histogram({ name: this.#names.duration, help: 'Length of ended sessions, first to last activity (at session.end, inactivity or eviction)', labelNames, buckets: DURATION_BUCKETS, registers });
    this.#pageViews = new Histogram({ name: this.#names.pageViews, help: 'Page views per ended session', labelNames, buckets: COUNT_BUCKETS, registers });
    this.#actions = new Histogram({ name: this.#names.actions, help: 'User actions (clicks, submits) per ended session', labelNames, buckets: COUNT_BUCKETS, registers });
    const metrics = this;
    this.#active = new Gauge({
      name: this.#names.active,
      help: 'Sessions with activity within the active window',
      labelNames,
      registers,
      // Computed at scrape time from the LRU, which also ends idle sessions first.
      collect() {
        metrics.#active.reset();
        // Folded label sets add up: two sessions' sets may both become `other`.
        const totals = new Map<string, { labels: SessionLabels; count: number }>();
        for (const { labels, count } of metrics.tracker.sweep(now()).values()) {
          const admitted = metrics.#guard.admit(metrics.#names.active, labels);
          const key = SESSION_LABELS.map((l) => admitted[l]).join('\u0000');
          const entry = totals.get(key);
          if (entry) entry.count += count;
          else totals.set(key, { labels: admitted, count });
        }
        for (const { labels, count } of totals.values()) metrics.#active.set(labels, count);
      },
    });
    for (const [vital, spec] of Object.entries(WEB_VITALS)) {
      const histogram = new Histogram({ name: `${prefix}${spec.metric}`, help: spec.help, labelNames: [...VITAL_LABELS], buckets: spec.buckets, registers });
      this.#vitals.set(vital, { histogram, scale: spec.scale, name: `${prefix}${spec.metric}` });
    }
    this.tracker = new SessionTracker(options, {
      started: (s) => this.#started.inc(this.#guard.admit(this.#names.started, s.labels, this.#started)),
      ended: (s) => this.#observeEnd(s),
    });
  }

  /** Activity of a browser span (fetches, clicks, page loads) of the session it names. */
  span(sessionId: string, resource: ResourceRecord, timeMs: number): void {
    this.tracker.touch(sessionId, () => sessionLabelsOf(resource), timeMs);
  }

  /** A browser log record: an event of its session, if it names one. */
  log(record: LogRecordView, resource: ResourceRecord, sessionId: string | undefined, timeMs: number): void {
    const attributes = record.attributes;
    const name = record.eventName || text(attributes['event.name']) || '';
    const session = sessionId ? this.tracker.touch(sessionId, () => sessionLabelsOf(resource), timeMs) : undefined;
    switch (name) {
      case 'browser.page_view':
        if (session) {
          session.pageViews++;
          session.route = routeTemplate(text(attributes['url.full']) ?? text(attributes['url.path']));
        }
        break;
      case 'browser.user_action':
        if (session) session.actions++;
        break;
      case 'exception': {
        const labels = session?.labels ?? sessionLabelsOf(resource);
        this.#errors.inc(this.#guard.admit(this.#names.errors, { ...labels, exception_type: text(attributes['exception.type']) ?? UNKNOWN }, this.#errors));
        if (session && session.errors++ === 0) this.#errored.inc(this.#guard.admit(this.#names.errored, session.labels, this.#errored));
        break;
      }
      case 'browser.web_vital':
        this.#vital(attributes, session?.labels ?? sessionLabelsOf(resource), session?.route);
        break;
      case 'session.end':
        if (sessionId) this.tracker.end(sessionId);
        break;
    }
  }

  #vital(attributes: Record<string, AttributeValue>, labels: SessionLabels, sessionRoute: string | undefined): void {
    const vital = this.#vitals.get((text(attributes['stitch.web_vital.name']) ?? '').toUpperCase());
    const value = num(attributes['stitch.web_vital.value']);
    if (!vital || value === undefined || value < 0) return;
    const url = text(attributes['url.full']) ?? text(attributes['url.path']);
    const { country: _country, ...rest } = labels;
    const route = url ? routeTemplate(url) : (sessionRoute ?? routeTemplate(undefined));
    vital.histogram.observe(this.#guard.admit(vital.name, { ...rest, route }, vital.histogram), value * vital.scale);
  }

  #observeEnd(session: TrackedSession): void {
    const labels = session.labels;
    this.#duration.observe(this.#guard.admit(this.#names.duration, labels, this.#duration), Math.max(0, session.lastMs - session.firstMs) / 1000);
    this.#pageViews.observe(this.#guard.admit(this.#names.pageViews, labels, this.#pageViews), session.pageViews);
    this.#actions.observe(this.#guard.admit(this.#names.actions, labels, this.#actions), session.actions);
  }
}
