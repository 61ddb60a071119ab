import type { ProtoType, ProtoWriter } from '../otlp/schema.js';
import type { KeyValue } from '../otlp/types.js';
import {
  attributesToObject,
  findAttribute,
  withAttribute,
  withoutAttribute,
  type AttributeValue,
} from './attributes.js';

/** Thrown when bytes that passed the receiver's structural check do not decode as the schema says. */
export class MalformedRecordError extends Error {
  constructor(typeName: string, cause: unknown) {
    super(`malformed ${typeName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MalformedRecordError';
  }
}

/**
 * One OTLP message (a span, log record, metric, resource or scope) held as the bytes it arrived in,
 * decoded only when something reads it, and re-encoded only when something changed it. Untouched
 * records are forwarded by copying their bytes, which is what makes the collector fast.
 */
export abstract class LazyRecord<T extends object> {
  #bytes: Uint8Array | undefined;
  #value: T | undefined;

  protected constructor(
    protected readonly type: ProtoType,
    source: { bytes: Uint8Array } | { value: T },
  ) {
    if ('bytes' in source) this.#bytes = source.bytes;
    else this.#value = source.value;
  }

  /** The decoded message (decoded on first read). Read-only: change it with `update()`. */
  get data(): Readonly<T> {
    if (this.#value === undefined) {
      try {
        this.#value = this.type.decode(this.#bytes!) as unknown as T;
      } catch (error) {
        throw new MalformedRecordError(this.type.name, error);
      }
    }
    return this.#value;
  }

  /** Changes the message; its bytes are re-encoded when it is next written. */
  update(change: (data: T) => void): void {
    change(this.data as T);
    this.#bytes = undefined;
  }

  /** True once something has read the decoded message. */
  get isDecoded(): boolean {
    return this.#value !== undefined;
  }

  /** The decoded value if it is already decoded, without decoding. */
  protected get decodedValue(): T | undefined {
    return this.#value;
  }

  /** The message's protobuf encoding (the original bytes when nothing changed it). */
  encode(): Uint8Array {
    if (this.#bytes === undefined) this.#bytes = this.type.encode(this.#value!).finish();
    return this.#bytes;
  }

  /** Writes the record as a length-delimited field `tag` of the message being written. */
  writeTo(writer: ProtoWriter, tag: number): void {
    if (this.#bytes !== undefined) {
      writer.uint32(tag).bytes(this.#bytes);
    } else {
      writer.uint32(tag).fork();
      this.type.encode(this.#value!, writer);
      writer.ldelim();
    }
  }

  /** Encoded size in bytes (exact for untouched records; encodes changed ones). */
  get byteSize(): number {
    return this.encode().length;
  }
}

/** Records with an attribute list: spans, log records, resources, scopes. */
export abstract class AttributedRecord<T extends { attributes: KeyValue[] }> extends LazyRecord<T> {
  attribute(key: string): AttributeValue | undefined {
    return findAttribute(this.data.attributes, key);
  }

  /** All attributes as a plain object (decodes the record). */
  get attributes(): Record<string, AttributeValue> {
    return attributesToObject(this.data.attributes);
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.update((data) => {
      data.attributes = withAttribute(data.attributes, key, value);
    });
  }

  removeAttribute(key: string): void {
    if (this.attribute(key) === undefined) return;
    this.update((data) => {
      data.attributes = withoutAttribute(data.attributes, key);
    });
  }
}
