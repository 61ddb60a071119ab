import { ResourceGroup, ScopeGroup, SignalBatch, type Signal, type SignalItems, type TelemetryItem } from '../model/batch.js';
import { bytesToHex, hexToBytes } from '../model/ids.js';
import { ResourceRecord, ScopeRecord } from '../model/records.js';
import { OtlpDecodeError } from './protobuf-codec.js';
import { OtlpTypes, type ProtoType } from './schema.js';
import { SIGNAL_CODECS } from './signals.js';

type Json = Record<string, unknown>;

// OTLP JSON differs from proto3 JSON in one way: trace and span ids are hex, not base64.
const ID_FIELDS = ['traceId', 'spanId', 'parentSpanId'] as const;

export interface JsonDecodeResult<S extends Signal> {
  batch: SignalBatch<SignalItems[S]>;
  /** Items whose ids were not valid hex, with the reason; the receiver rejects them. */
  invalid: WeakMap<TelemetryItem, string>;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${path}: expected an array`);
  return value;
}

/** Rewrites hex ids in `holder` to bytes; returns a reason when one is not hex. */
function hexIdsToBytes(holder: Json, path: string): string | undefined {
  let problem: string | undefined;
  for (const field of ID_FIELDS) {
    const value = holder[field];
    if (value === undefined || value === null || value === '') continue;
    const bytes = typeof value === 'string' ? hexToBytes(value) : undefined;
    if (bytes) holder[field] = bytes;
    else {
      problem ??= `${path}.${field}: ${JSON.stringify(value)} is not a hex string`;
      delete holder[field];
    }
  }
  return problem;
}

function fromObject(type: ProtoType, value: unknown, path: string): object {
  try {
    return type.fromObject((value ?? {}) as Json);
  } catch (error) {
    throw new OtlpDecodeError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Decodes an OTLP/JSON export request (hex ids, lowerCamelCase keys, enums as ints or names). */
export function decodeJsonRequest<S extends Signal>(signal: S, text: string): JsonDecodeResult<S> {
  const codec = SIGNAL_CODECS[signal];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(root)) throw new OtlpDecodeError(`body must be a JSON object (${codec.requestType.name})`);
  const batch = new SignalBatch<SignalItems[S]>(signal);
  const invalid = new WeakMap<TelemetryItem, string>();

  asArray(root[codec.json.resources], codec.json.resources).forEach((rawResource, r) => {
    const resourcePath = `${codec.json.resources}[${r}]`;
    if (!isObject(rawResource)) throw new OtlpDecodeError(`${resourcePath}: expected an object`);
    const resource = new ResourceGroup<SignalItems[S]>(
      rawResource.resource == null
        ? ResourceRecord.empty()
        : ResourceRecord.fromValue(fromObject(OtlpTypes.Resource, rawResource.resource, `${resourcePath}.resource`) as never),
      [],
      typeof rawResource.schemaUrl === 'string' ? rawResource.schemaUrl : '',
    );
    asArray(rawResource[codec.json.scopes], `${resourcePath}.${codec.json.scopes}`).forEach((rawScope, s) => {
      const scopePath = `${resourcePath}.${codec.json.scopes}[${s}]`;
      if (!isObject(rawScope)) throw new OtlpDecodeError(`${scopePath}: expected an object`);
      const scope = new ScopeGroup<SignalItems[S]>(
        rawScope.scope == null
          ? ScopeRecord.empty()
          : ScopeRecord.fromValue(fromObject(OtlpTypes.InstrumentationScope, rawScope.scope, `${scopePath}.scope`) as never),
        [],
        typeof rawScope.schemaUrl === 'string' ? rawScope.schemaUrl : '',
      );
      asArray(rawScope[codec.json.items], `${scopePath}.${codec.json.items}`).forEach((rawItem, i) => {
        const itemPath = `${scopePath}.${codec.json.items}[${i}]`;
        if (!isObject(rawItem)) throw new OtlpDecodeError(`${itemPath}: expected an object`);
        const problems = [hexIdsToBytes(rawItem, itemPath)];
        asArray(rawItem.links, `${itemPath}.links`).forEach((link, l) => {
          if (isObject(link)) problems.push(hexIdsToBytes(link, `${itemPath}.links[${l}]`));
        });
        if (signal === 'metrics') problems.push(exemplarIdsToBytes(rawItem, itemPath));
        const item = codec.fromValue(fromObject(codec.itemType, rawItem, itemPath)) as SignalItems[S];
        const problem = problems.find((p) => p !== undefined);
        if (problem) invalid.set(item, problem);
        scope.items.push(item);
      });
      resource.scopes.push(scope);
    });
    batch.resources.push(resource);
  });
  return { batch, invalid };
}

function exemplarIdsToBytes(metric: Json, path: string): string | undefined {
  let problem: string | undefined;
  for (const kind of ['gauge', 'sum', 'histogram', 'exponentialHistogram']) {
    const data = metric[kind];
    if (!isObject(data) || !Array.isArray(data.dataPoints)) continue;
    data.dataPoints.forEach((point: unknown, p: number) => {
      if (!isObject(point) || !Array.isArray(point.exemplars)) return;
      point.exemplars.forEach((exemplar: unknown, e: number) => {
        if (isObject(exemplar)) problem ??= hexIdsToBytes(exemplar, `${path}.${kind}.dataPoints[${p}].exemplars[${e}]`);
      });
    });
  }
  return problem;
}

const TO_OBJECT = { longs: String, enums: Number, bytes: String, json: true } as const;

/** Replaces base64 ids by hex in a converted object, recursing into links and exemplars. */
function idsToHex(converted: Json, source: Record<string, unknown>): void {
  for (const field of ID_FIELDS) {
    if (field in converted) converted[field] = bytesToHex(source[field] as Uint8Array);
  }
  for (const [key, value] of Object.entries(converted)) {
    if (Array.isArray(value) && Array.isArray(source[key])) {
      value.forEach((child, i) => {
        if (isObject(child)) idsToHex(child, (source[key] as Record<string, unknown>[])[i]!);
      });
    } else if (isObject(value) && isObject(source[key])) {
      idsToHex(value, source[key] as Record<string, unknown>);
    }
  }
}

function recordToJson(type: ProtoType, value: object): Json {
  const converted = type.toObject(value as never, TO_OBJECT) as Json;
  idsToHex(converted, value as Record<string, unknown>);
  return converted;
}

/** Converts a batch to the OTLP/JSON export request object (hex ids, int64 as strings). */
export function batchToJsonObject(batch: SignalBatch): Json {
  const codec = SIGNAL_CODECS[batch.signal];
  return {
    [codec.json.resources]: batch.resources.map((resource) => ({
      ...(resource.resource.byteSize > 0 ? { resource: recordToJson(OtlpTypes.Resource, resource.resource.data) } : {}),
      [codec.json.scopes]: resource.scopes.map((scope) => ({
        ...(scope.scope.byteSize > 0 ? { scope: recordToJson(OtlpTypes.InstrumentationScope, scope.scope.data) } : {}),
        [codec.json.items]: scope.items.map((item) => recordToJson(codec.itemType, item.data)),
        ...(scope.schemaUrl ? { schemaUrl: scope.schemaUrl } : {}),
      })),
      ...(resource.schemaUrl ? { schemaUrl: resource.schemaUrl } : {}),
    })),
  };
}

export function encodeJsonRequest(batch: SignalBatch): string {
  return JSON.stringify(batchToJsonObject(batch));
}
