import {
  SIGNAL_CODECS,
  type Counter,
  type CreateSettings,
  type KeyValue,
  type LazyRecord,
  type Metric,
  type Signal,
  type SignalBatch,
  type TelemetryItem,
} from '@stitch/collector-api';
import { HttpError } from './http-error.js';
import type { OtlpLimitsConfig } from './limits-config.js';
import { RecordShapeScanner, SHAPES, type MessageShape, type ShapeFindings } from './record-shape-scan.js';
import { emptyTally, truncateAttributed, truncateAttributes, type TruncationTally } from './truncate-attributes.js';

const ITEM_SHAPES: Record<Signal, MessageShape> = { traces: SHAPES.span, logs: SHAPES.logRecord, metrics: SHAPES.metric };

/** The decoded form of what can be truncated: a list of attribute holders. */
interface AttributeHolder {
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  events?: AttributeHolder[];
  links?: AttributeHolder[];
}

/** Every attribute list of a metric: its metadata, its data points', their exemplars'. */
function metricAttributeLists(metric: Readonly<Metric>): (KeyValue[] | undefined)[] {
  const lists: (KeyValue[] | undefined)[] = [metric.metadata];
  const data = metric.gauge ?? metric.sum ?? metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
  for (const point of (data?.dataPoints ?? []) as { attributes?: KeyValue[]; exemplars?: { filteredAttributes?: KeyValue[] }[] }[]) {
    lists.push(point.attributes);
    for (const exemplar of point.exemplars ?? []) lists.push(exemplar.filteredAttributes);
  }
  return lists;
}

function problemOf(findings: ShapeFindings, limits: OtlpLimitsConfig, typeName: string): string | undefined {
  if (findings.malformed !== undefined) return `malformed ${typeName}: ${findings.malformed}`;
  if (findings.tooDeep) return `a value nests arrays or kvlists deeper than max_value_depth (${limits.max_value_depth})`;
  if (findings.arrayTooLong) return `an array or kvlist value has more than max_array_length (${limits.max_array_length}) entries`;
  return undefined;
}

/**
 * Holds every record of a request to the receiver's `limits`: records nesting too deep, with too
 * long arrays or malformed bytes are rejected one by one (the rest of the request goes on);
 * attribute lists over `max_attributes` and values over `max_attribute_value_length` are
 * truncated as the OpenTelemetry attribute-limits rule says, and counted. Metric data points
 * are rejected instead of truncated: their attributes name the series.
 */
export class RecordLimits {
  readonly #limits: OtlpLimitsConfig;
  readonly #scanner: RecordShapeScanner;
  readonly #truncated: Counter;
  readonly #labels: { receiver: string; transport: string };

  constructor(settings: CreateSettings, limits: OtlpLimitsConfig) {
    this.#limits = limits;
    this.#scanner = new RecordShapeScanner(limits);
    this.#truncated = settings.telemetry.counter(
      'receiver_truncated_attributes',
      'Attributes the receiver dropped (limit="max_attributes") or whose value it cut (limit="max_attribute_value_length")',
      ['receiver', 'transport', 'limit'],
    );
    this.#labels = { receiver: settings.id, transport: 'http' };
  }

  /** Throws 413 when the request holds more groups or items than `max_items_per_request`. */
  checkCounts(signal: Signal, groups: number, items: number): void {
    const max = this.#limits.max_items_per_request;
    if (items > max) throw tooManyItems(max, SIGNAL_CODECS[signal].itemNoun);
    if (groups > max) throw tooManyItems(max, 'resource and scope groups');
  }

  /**
   * Applies the limits to `batch` in place. Rejected items land in `invalid` with their position
   * (for the partial_success answer); throws 413 when the metric data points kept are too many.
   */
  apply(batch: SignalBatch, invalid: WeakMap<TelemetryItem, string>): void {
    const names = SIGNAL_CODECS[batch.signal].json;
    const itemShape = ITEM_SHAPES[batch.signal];
    const tally = emptyTally();
    let points = 0;
    batch.resources.forEach((resource, r) => {
      const resourcePath = `${names.resources}[${r}]`;
      const resourceProblem = this.#holdRecord(resource.resource, SHAPES.resource, 'Resource', tally);
      resource.scopes.forEach((scope, s) => {
        const scopePath = `${resourcePath}.${names.scopes}[${s}]`;
        const scopeProblem = this.#holdRecord(scope.scope, SHAPES.scope, 'InstrumentationScope', tally);
        const groupProblem = resourceProblem ? `${resourcePath}.resource: ${resourceProblem}` : scopeProblem ? `${scopePath}.scope: ${scopeProblem}` : undefined;
        scope.items.forEach((item, i) => {
          if (invalid.has(item)) return;
          if (groupProblem) {
            invalid.set(item, groupProblem);
            return;
          }
          let problem: string | undefined;
          let findings: ShapeFindings | undefined;
          try {
            findings = this.#scanner.scan(item.encode(), itemShape);
            problem =
              problemOf(findings, this.#limits, SIGNAL_CODECS[batch.signal].itemType.name) ??
              (batch.signal === 'metrics' ? this.#metricProblem(item.data as Metric, findings) : this.#truncateItem(item, findings, tally));
          } catch (error) {
            // Bytes the scan let through but the decoder refuses (MalformedRecordError).
            problem = describe(error);
          }
          if (problem !== undefined || !findings) invalid.set(item, `${scopePath}.${names.items}[${i}]: ${problem}`);
          else points += findings.points;
        });
      });
    });
    if (tally.droppedAttributes > 0) this.#truncated.add(tally.droppedAttributes, { ...this.#labels, limit: 'max_attributes' });
    if (tally.truncatedValues > 0) this.#truncated.add(tally.truncatedValues, { ...this.#labels, limit: 'max_attribute_value_length' });
    if (points > this.#limits.max_items_per_request) throw tooManyItems(this.#limits.max_items_per_request, 'data points');
  }

  /** A resource or scope: truncated when over count/length, a problem when it cannot be kept. */
  #holdRecord(record: LazyRecord<AttributeHolder>, recordShape: MessageShape, typeName: string, tally: TruncationTally): string | undefined {
    try {
      const findings = this.#scanner.scan(record.encode(), recordShape);
      return problemOf(findings, this.#limits, typeName) ?? this.#truncate(record, findings, tally);
    } catch (error) {
      return describe(error);
    }
  }

  #truncateItem(item: TelemetryItem, findings: ShapeFindings, tally: TruncationTally): undefined {
    return this.#truncate(item as unknown as LazyRecord<AttributeHolder>, findings, tally);
  }

  #truncate(record: LazyRecord<AttributeHolder>, findings: ShapeFindings, tally: TruncationTally): undefined {
    if (!findings.tooManyAttributes && !findings.valueMaybeTooLong) return undefined;
    const holders = (data: AttributeHolder) => [data, ...(data.events ?? []), ...(data.links ?? [])];
    // Count first on the decoded record: bytes over the limit may still be few enough characters,
    // and an unchanged record keeps its original bytes.
    const dryRun = emptyTally();
    for (const holder of holders(record.data as AttributeHolder)) truncateAttributes(holder.attributes, this.#limits, dryRun, false);
    if (dryRun.droppedAttributes === 0 && dryRun.truncatedValues === 0) return undefined;
    record.update((data) => {
      for (const holder of holders(data)) truncateAttributed(holder, this.#limits, tally);
    });
    return undefined;
  }

  #metricProblem(metric: Readonly<Metric>, findings: ShapeFindings): string | undefined {
    if (!findings.tooManyAttributes && !findings.valueMaybeTooLong) return undefined;
    const count = emptyTally();
    for (const list of metricAttributeLists(metric)) truncateAttributes(list, this.#limits, count, false);
    if (count.droppedAttributes > 0) return `an attribute list has more than max_attributes (${this.#limits.max_attributes}) entries`;
    if (count.truncatedValues > 0) return `an attribute value is longer than max_attribute_value_length (${this.#limits.max_attribute_value_length})`;
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tooManyItems(max: number, what: string): HttpError {
  return new HttpError(413, `request holds more than max_items_per_request (${max}) ${what}: send smaller batches`);
}
