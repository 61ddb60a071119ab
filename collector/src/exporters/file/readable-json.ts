import {
  encodeJsonRequest,
  MalformedRecordError,
  ResourceGroup,
  ScopeGroup,
  SignalBatch,
  type LazyRecord,
  type TelemetryItem,
} from '@stitch/collector-api';

export interface JsonEncoding {
  json: string;
  /** Items in `json`. */
  items: number;
  /** Items left out because their record (or their resource or scope) did not decode. */
  skipped: number;
  problems: string[];
}

/** OTLP JSON of the batch; records that fail to decode are left out (and reported) instead of failing it all. */
export function encodeReadableJson(batch: SignalBatch): JsonEncoding {
  try {
    const json = encodeJsonRequest(batch);
    return { json, items: batch.itemCount(), skipped: 0, problems: [] };
  } catch (error) {
    if (!(error instanceof MalformedRecordError)) throw error;
  }
  const { readable, skipped, problems } = withoutMalformed(batch);
  return { json: encodeJsonRequest(readable), items: readable.itemCount(), skipped, problems };
}

/** A new batch of the readable records; the original is shared with other consumers and stays as it is. */
function withoutMalformed(batch: SignalBatch): { readable: SignalBatch; skipped: number; problems: string[] } {
  const problems: string[] = [];
  let skipped = 0;
  const decodes = (record: LazyRecord<object>): boolean => {
    try {
      void record.data;
      return true;
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      problems.push(error.message);
      return false;
    }
  };
  // A malformed metric's point count cannot be read; it counts as one.
  const countOf = (items: TelemetryItem[]) => items.reduce((sum, item) => sum + (decodes(item) ? item.itemCount : 1), 0);

  const readable = new SignalBatch(batch.signal);
  for (const resource of batch.resources) {
    if (!decodes(resource.resource)) {
      skipped += resource.scopes.reduce((sum, scope) => sum + countOf(scope.items), 0);
      continue;
    }
    const scopes: ScopeGroup<TelemetryItem>[] = [];
    for (const scope of resource.scopes) {
      if (!decodes(scope.scope)) {
        skipped += countOf(scope.items);
        continue;
      }
      const items = scope.items.filter((item) => decodes(item) || (skipped++, false));
      if (items.length > 0) scopes.push(new ScopeGroup(scope.scope, items, scope.schemaUrl));
    }
    if (scopes.length > 0) readable.resources.push(new ResourceGroup(resource.resource, scopes, resource.schemaUrl));
  }
  return { readable, skipped, problems };
}
