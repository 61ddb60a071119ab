import type { LogRecordView, MetricRecord, ResourceRecord, ScopeRecord, SpanRecord } from './records.js';

export type Signal = 'traces' | 'logs' | 'metrics';
export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

/** What each signal's batch holds. */
export interface SignalItems {
  traces: SpanRecord;
  logs: LogRecordView;
  metrics: MetricRecord;
}
export type TelemetryItem = SignalItems[Signal];

/** The items of one instrumentation scope (OTLP ScopeSpans / ScopeLogs / ScopeMetrics). */
export class ScopeGroup<R extends TelemetryItem> {
  constructor(
    public scope: ScopeRecord,
    public items: R[],
    public schemaUrl = '',
  ) {}
}

/** The scopes of one resource (OTLP ResourceSpans / ResourceLogs / ResourceMetrics). */
export class ResourceGroup<R extends TelemetryItem> {
  constructor(
    public resource: ResourceRecord,
    public scopes: ScopeGroup<R>[],
    public schemaUrl = '',
  ) {}
}

export interface ItemContext<R extends TelemetryItem> {
  item: R;
  scope: ScopeGroup<R>;
  resource: ResourceGroup<R>;
}

/**
 * One batch of one signal, shaped as an OTLP export request. Every receiver produces it, every
 * processor and exporter consumes it; records inside stay as received bytes until read.
 */
export class SignalBatch<R extends TelemetryItem = TelemetryItem> {
  constructor(
    readonly signal: Signal,
    public resources: ResourceGroup<R>[] = [],
  ) {}

  /** Spans, log records or metric data points (decodes metrics to count their points). */
  itemCount(): number {
    let count = 0;
    for (const resource of this.resources)
      for (const scope of resource.scopes)
        for (const item of scope.items) count += item.itemCount;
    return count;
  }

  *entries(): IterableIterator<ItemContext<R>> {
    for (const resource of this.resources)
      for (const scope of resource.scopes) for (const item of scope.items) yield { item, scope, resource };
  }

  items(): R[] {
    const out: R[] = [];
    for (const resource of this.resources) for (const scope of resource.scopes) out.push(...scope.items);
    return out;
  }

  /** Keeps the items `keep` accepts, drops emptied groups, and returns the removed items. */
  retain(keep: (item: R, scope: ScopeGroup<R>, resource: ResourceGroup<R>) => boolean): R[] {
    const removed: R[] = [];
    for (const resource of this.resources) {
      for (const scope of resource.scopes) {
        scope.items = scope.items.filter((item) => keep(item, scope, resource) || (removed.push(item), false));
      }
      resource.scopes = resource.scopes.filter((scope) => scope.items.length > 0);
    }
    this.resources = this.resources.filter((resource) => resource.scopes.length > 0);
    return removed;
  }

  /** A deep copy for a consumer that changes data another consumer also reads. */
  clone(): SignalBatch<R> {
    return new SignalBatch<R>(
      this.signal,
      this.resources.map(
        (resource) =>
          new ResourceGroup<R>(
            resource.resource.clone(),
            resource.scopes.map(
              (scope) =>
                new ScopeGroup<R>(
                  scope.scope.clone(),
                  scope.items.map((item) => item.clone() as R),
                  scope.schemaUrl,
                ),
            ),
            resource.schemaUrl,
          ),
      ),
    );
  }

  /**
   * A new container over the same records: regrouping it (append, takeFirst) leaves this batch's
   * structure alone, which matters when several pipelines share one received batch.
   */
  shallowCopy(): SignalBatch<R> {
    return new SignalBatch<R>(
      this.signal,
      this.resources.map(
        (resource) =>
          new ResourceGroup<R>(
            resource.resource,
            resource.scopes.map((scope) => new ScopeGroup<R>(scope.scope, [...scope.items], scope.schemaUrl)),
            resource.schemaUrl,
          ),
      ),
    );
  }

  /** Moves every group of `other` into this batch (groups are not merged). */
  append(other: SignalBatch<R>): void {
    this.resources.push(...other.resources);
    other.resources = [];
  }

  /**
   * Removes and returns a batch holding the first `maxItems` items; spans and log records are
   * split exactly, a metric is never split so a metrics batch may end a metric past the limit.
   */
  takeFirst(maxItems: number): SignalBatch<R> {
    const taken = new SignalBatch<R>(this.signal);
    let room = maxItems;
    while (room > 0 && this.resources.length > 0) {
      const resource = this.resources[0]!;
      const takenResource = new ResourceGroup<R>(resource.resource, [], resource.schemaUrl);
      taken.resources.push(takenResource);
      while (room > 0 && resource.scopes.length > 0) {
        const scope = resource.scopes[0]!;
        let cut = 0;
        while (cut < scope.items.length && room > 0) room -= scope.items[cut++]!.itemCount;
        if (cut === scope.items.length) {
          takenResource.scopes.push(scope);
          resource.scopes.shift();
        } else {
          takenResource.scopes.push(new ScopeGroup<R>(scope.scope, scope.items.slice(0, cut), scope.schemaUrl));
          scope.items = scope.items.slice(cut);
        }
      }
      if (resource.scopes.length === 0) this.resources.shift();
    }
    return taken;
  }
}

export type Traces = SignalBatch<SpanRecord>;
export type Logs = SignalBatch<LogRecordView>;
export type Metrics = SignalBatch<MetricRecord>;
