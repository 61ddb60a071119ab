import { SIGNAL_CODECS, type PartialSuccess, type SignalBatch, type TelemetryItem } from '@stitch/collector-api';

/** How many problems the partial_success message spells out before summing up the rest. */
const LISTED_PROBLEMS = 3;
const SINGULAR: Record<string, string> = { spans: 'span', 'log records': 'log record', 'data points': 'data point' };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Data points of a metric, spans or log records count 1; a record too broken to count is 1. */
function countOf(item: TelemetryItem): number {
  try {
    return item.itemCount;
  } catch {
    return 1;
  }
}

/**
 * Removes the items OTLP forbids (bad ids, unnamed metrics, undecodable records) so the rest of
 * the batch still goes through, and returns the partial_success to answer, or undefined when every
 * item was valid. `invalid` holds problems the JSON decoder found (already prefixed by position).
 */
export function dropInvalidItems(batch: SignalBatch, invalid?: WeakMap<TelemetryItem, string>): PartialSuccess | undefined {
  const names = SIGNAL_CODECS[batch.signal].json;
  const problems: string[] = [];
  const rejectedItems = new Set<TelemetryItem>();
  let rejected = 0;
  batch.resources.forEach((resource, r) => {
    resource.scopes.forEach((scope, s) => {
      scope.items.forEach((item, i) => {
        let problem = invalid?.get(item);
        if (problem === undefined) {
          let reason: string | undefined;
          try {
            reason = item.validate();
          } catch (error) {
            reason = describeError(error);
          }
          if (reason !== undefined) problem = `${names.resources}[${r}].${names.scopes}[${s}].${names.items}[${i}]: ${reason}`;
        }
        if (problem === undefined) return;
        rejectedItems.add(item);
        rejected += countOf(item);
        problems.push(problem);
      });
    });
  });
  if (rejectedItems.size === 0) return undefined;
  batch.retain((item) => !rejectedItems.has(item));

  const noun = SIGNAL_CODECS[batch.signal].itemNoun;
  const listed = problems.slice(0, LISTED_PROBLEMS).join('; ');
  const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
  return { rejected, errorMessage: `${rejected} ${rejected === 1 ? SINGULAR[noun] ?? noun : noun} rejected: ${listed}${more}` };
}
