import Long from 'long';
import type { AnyValue, KeyValue } from '../otlp/types.js';

/** An attribute or log body as plain JS. 64-bit integers beyond 2^53 come back as bigint. */
export type AttributeValue =
  | string
  | number
  | boolean
  | bigint
  | Uint8Array
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

function int64ToJs(value: unknown): number | bigint {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return toSafe(BigInt(value));
  if (Long.isLong(value)) {
    const long = value as Long;
    if (long.high === 0 || long.high === -1) return long.toNumber();
    return BigInt(long.toString());
  }
  return 0;
}

function toSafe(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

export function fromAnyValue(value: AnyValue | null | undefined): AttributeValue {
  if (!value) return null;
  if (isSet(value, 'stringValue')) return value.stringValue!;
  if (isSet(value, 'boolValue')) return value.boolValue!;
  if (isSet(value, 'intValue')) return int64ToJs(value.intValue);
  if (isSet(value, 'doubleValue')) return value.doubleValue!;
  if (isSet(value, 'arrayValue')) return (value.arrayValue!.values ?? []).map(fromAnyValue);
  if (isSet(value, 'kvlistValue')) {
    const out: { [key: string]: AttributeValue } = {};
    for (const kv of value.kvlistValue!.values ?? []) out[kv.key] = fromAnyValue(kv.value);
    return out;
  }
  if (isSet(value, 'bytesValue')) return value.bytesValue!;
  return null;
}

// protobufjs keeps unset oneof members on the prototype (as defaults), so "set" means own property.
function isSet(value: AnyValue, key: keyof AnyValue): boolean {
  return Object.prototype.hasOwnProperty.call(value, key) && value[key] != null;
}

export function toAnyValue(value: AttributeValue): AnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
    case 'bigint':
      return { intValue: value.toString() };
    default:
      break;
  }
  if (value === null) return {};
  if (value instanceof Uint8Array) return { bytesValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  return {
    kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: toAnyValue(v) })) },
  };
}

export function findAttribute(attributes: readonly KeyValue[] | undefined, key: string): AttributeValue | undefined {
  if (!attributes) return undefined;
  for (const kv of attributes) if (kv.key === key) return fromAnyValue(kv.value);
  return undefined;
}

export function attributesToObject(attributes: readonly KeyValue[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of attributes ?? []) out[kv.key] = fromAnyValue(kv.value);
  return out;
}

/** Returns the attribute list with `key` set; a decoded message's empty list is frozen, so copy. */
export function withAttribute(attributes: KeyValue[] | undefined, key: string, value: AttributeValue): KeyValue[] {
  const list = attributes && !Object.isFrozen(attributes) ? attributes : [...(attributes ?? [])];
  const entry: KeyValue = { key, value: toAnyValue(value) };
  const index = list.findIndex((kv) => kv.key === key);
  if (index >= 0) list[index] = entry;
  else list.push(entry);
  return list;
}

export function withoutAttribute(attributes: KeyValue[] | undefined, key: string): KeyValue[] {
  return (attributes ?? []).filter((kv) => kv.key !== key);
}
