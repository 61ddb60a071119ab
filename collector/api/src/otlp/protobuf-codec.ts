import { ResourceGroup, ScopeGroup, SignalBatch, type Signal, type SignalItems } from '../model/batch.js';
import { ResourceRecord, ScopeRecord } from '../model/records.js';
import { Reader, Writer } from './schema.js';
import { SIGNAL_CODECS } from './signals.js';

/** The body could not be read as the OTLP message it claims to be. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

// ExportXServiceRequest, ResourceX and ScopeX share their field numbers across signals:
// 1 = resource/scope (or the resource list), 2 = children, 3 = schema_url.
const TAG_FIRST = (1 << 3) | 2;
const TAG_CHILDREN = (2 << 3) | 2;
const TAG_SCHEMA_URL = (3 << 3) | 2;

type ProtoReader = InstanceType<typeof Reader>;

function subReader(reader: ProtoReader): { start: number; end: number } {
  const length = reader.uint32();
  const start = reader.pos;
  const end = start + length;
  if (end > reader.len) throw new RangeError(`field length ${length} runs past the end of its message`);
  return { start, end };
}

/**
 * Splits an OTLP/protobuf export request into resource and scope groups whose items keep their
 * own bytes (views into `body`, not copies). Only the structure down to each item is checked
 * here; an item's inside is decoded when something reads it.
 */
export function decodeProtobufRequest<S extends Signal>(signal: S, body: Uint8Array): SignalBatch<SignalItems[S]> {
  const codec = SIGNAL_CODECS[signal];
  const batch = new SignalBatch<SignalItems[S]>(signal);
  const reader = Reader.create(body);
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag !== TAG_FIRST) {
        reader.skipType(tag & 7);
        continue;
      }
      const { start, end } = subReader(reader);
      const resource = new ResourceGroup<SignalItems[S]>(ResourceRecord.empty(), []);
      while (reader.pos < end) {
        const resourceTag = reader.uint32();
        if (resourceTag === TAG_FIRST) {
          resource.resource = ResourceRecord.fromBytes(reader.bytes());
        } else if (resourceTag === TAG_CHILDREN) {
          const scopeBounds = subReader(reader);
          const scope = new ScopeGroup<SignalItems[S]>(ScopeRecord.empty(), []);
          while (reader.pos < scopeBounds.end) {
            const scopeTag = reader.uint32();
            if (scopeTag === TAG_CHILDREN) scope.items.push(codec.fromBytes(reader.bytes()));
            else if (scopeTag === TAG_FIRST) scope.scope = ScopeRecord.fromBytes(reader.bytes());
            else if (scopeTag === TAG_SCHEMA_URL) scope.schemaUrl = reader.string();
            else reader.skipType(scopeTag & 7);
          }
          if (reader.pos !== scopeBounds.end) throw new RangeError('a scope group overruns its length');
          resource.scopes.push(scope);
        } else if (resourceTag === TAG_SCHEMA_URL) {
          resource.schemaUrl = reader.string();
        } else {
          reader.skipType(resourceTag & 7);
        }
      }
      if (reader.pos !== end || start > end) throw new RangeError('a resource group overruns its length');
      batch.resources.push(resource);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`body is not a valid ${codec.requestType.name} in protobuf: ${reason}`);
  }
  return batch;
}

/** Encodes a batch as an OTLP/protobuf export request; unchanged items are copied as bytes. */
export function encodeProtobufRequest(batch: SignalBatch): Uint8Array {
  const writer = Writer.create();
  for (const resource of batch.resources) {
    writer.uint32(TAG_FIRST).fork();
    if (resource.resource.byteSize > 0) resource.resource.writeTo(writer, TAG_FIRST);
    for (const scope of resource.scopes) {
      writer.uint32(TAG_CHILDREN).fork();
      if (scope.scope.byteSize > 0) scope.scope.writeTo(writer, TAG_FIRST);
      for (const item of scope.items) item.writeTo(writer, TAG_CHILDREN);
      if (scope.schemaUrl) writer.uint32(TAG_SCHEMA_URL).string(scope.schemaUrl);
      writer.ldelim();
    }
    if (resource.schemaUrl) writer.uint32(TAG_SCHEMA_URL).string(resource.schemaUrl);
    writer.ldelim();
  }
  return writer.finish();
}
