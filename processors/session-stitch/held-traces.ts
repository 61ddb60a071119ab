import { ResourceGroup, ScopeGroup, SignalBatch, type ItemContext, type LogRecordView, type SpanRecord } from '@stitch/collector-api';

type Item = SpanRecord | LogRecordView;

interface HeldTrace<R extends Item> {
  since: number;
  bytes: number;
  entries: ItemContext<R>[];
}

/**
 * Spans (or log records) of traces whose session is not known yet, in arrival order of their
 * traces, so the oldest are the first to go on timeout or pressure.
 */
export class HeldTraces<R extends Item> {
  readonly #traces = new Map<string, HeldTrace<R>>();
  #bytes = 0;
  #items = 0;

  get traceCount(): number {
    return this.#traces.size;
  }
  get byteCount(): number {
    return this.#bytes;
  }
  get itemCount(): number {
    return this.#items;
  }

  has(traceId: string): boolean {
    return this.#traces.has(traceId);
  }

  hold(traceId: string, entry: ItemContext<R>, now: number): void {
    let trace = this.#traces.get(traceId);
    if (!trace) this.#traces.set(traceId, (trace = { since: now, bytes: 0, entries: [] }));
    const bytes = entry.item.byteSize;
    trace.entries.push(entry);
    trace.bytes += bytes;
    this.#bytes += bytes;
    this.#items++;
  }

  /** Removes and returns a trace's held entries. */
  take(traceId: string): ItemContext<R>[] {
    const trace = this.#traces.get(traceId);
    if (!trace) return [];
    this.#traces.delete(traceId);
    this.#bytes -= trace.bytes;
    this.#items -= trace.entries.length;
    return trace.entries;
  }

  /** Trace ids held since before `cutoff`, oldest first. */
  heldSince(cutoff: number): string[] {
    const out: string[] = [];
    for (const [traceId, trace] of this.#traces) {
      if (trace.since > cutoff) break;
      out.push(traceId);
    }
    return out;
  }

  /** The oldest trace ids to release so that at most `maxTraces` and `maxBytes` remain. */
  overflow(maxTraces: number, maxBytes: number): string[] {
    const out: string[] = [];
    let traces = this.#traces.size;
    let bytes = this.#bytes;
    for (const [traceId, trace] of this.#traces) {
      if (traces <= maxTraces && bytes <= maxBytes) break;
      out.push(traceId);
      traces--;
      bytes -= trace.bytes;
    }
    return out;
  }

  allTraceIds(): string[] {
    return [...this.#traces.keys()];
  }
}

/** A batch of the given entries, regrouped under their original resource and scope. */
export function batchOf<R extends Item>(signal: 'traces' | 'logs', entries: ItemContext<R>[]): SignalBatch<R> {
  const groups = new Map<ResourceGroup<R>, Map<ScopeGroup<R>, R[]>>();
  for (const { item, scope, resource } of entries) {
    let scopes = groups.get(resource);
    if (!scopes) groups.set(resource, (scopes = new Map()));
    let items = scopes.get(scope);
    if (!items) scopes.set(scope, (items = []));
    items.push(item);
  }
  const batch = new SignalBatch<R>(signal);
  for (const [resource, scopes] of groups) {
    batch.resources.push(
      new ResourceGroup<R>(
        resource.resource,
        [...scopes].map(([scope, items]) => new ScopeGroup<R>(scope.scope, items, scope.schemaUrl)),
        resource.schemaUrl,
      ),
    );
  }
  return batch;
}
