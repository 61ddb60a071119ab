// OTLP/protobuf trace requests with a unique span id on every span, made by patching the ids into
// one encoded template: a load generator that can offer many times what the collector handles
// must spend next to nothing per request.
import { encodeProtobufRequest, ResourceGroup, ResourceRecord, ScopeGroup, ScopeRecord, SignalBatch, SpanRecord } from '@stitch/collector-api';

export interface SpanRequest {
  body: Buffer;
  /** Hex span ids of the spans in `body`. */
  spanIds: string[];
}

/** Tag and length of a span's `span_id` field (field 2, length-delimited, 8 bytes). */
const SPAN_ID_PREFIX = [0x12, 0x08];

export class SpanRequestFactory {
  readonly #template: Buffer;
  readonly #idOffsets: number[];
  readonly #runId: number;
  #next = 0;

  /** `padding` bytes of attribute text per span make memory fill with fewer spans. */
  constructor(
    readonly spansPerRequest: number,
    padding = 512,
  ) {
    this.#runId = (Math.random() * 0xffffffff) >>> 0;
    const filler = 'x'.repeat(padding);
    const spans = Array.from({ length: spansPerRequest }, (_, i) =>
      SpanRecord.fromValue({
        traceId: Buffer.alloc(16, 0xab),
        // A marker the encoder copies verbatim, found again below.
        spanId: Buffer.from([0xf0, 0x0d, i >> 8, i & 0xff, 0xf0, 0x0d, 0xf0, 0x0d]),
        name: 'GET /burst',
        kind: 2,
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000000001000000',
        attributes: [
          { key: 'http.request.method', value: { stringValue: 'GET' } },
          { key: 'http.response.status_code', value: { intValue: 200 } },
          { key: 'burst.padding', value: { stringValue: filler } },
        ],
        events: [],
        links: [],
      }),
    );
    const resource = ResourceRecord.fromValue({ attributes: [{ key: 'service.name', value: { stringValue: 'burst-client' } }] });
    const batch = new SignalBatch('traces', [new ResourceGroup(resource, [new ScopeGroup(ScopeRecord.empty(), spans)])]);
    this.#template = Buffer.from(encodeProtobufRequest(batch));
    this.#idOffsets = spans.map((_, i) => {
      const marker = Buffer.from([...SPAN_ID_PREFIX, 0xf0, 0x0d, i >> 8, i & 0xff, 0xf0, 0x0d, 0xf0, 0x0d]);
      const at = this.#template.indexOf(marker);
      if (at < 0) throw new Error(`span ${i}'s id marker is not in the encoded template`);
      return at + SPAN_ID_PREFIX.length;
    });
  }

  /** Bytes of one request. */
  get requestBytes(): number {
    return this.#template.length;
  }

  /** A new request; its span ids never repeat within this factory (random run id + counter). */
  next(): SpanRequest {
    const body = Buffer.from(this.#template);
    const spanIds: string[] = [];
    for (const offset of this.#idOffsets) {
      body.writeUInt32BE(this.#runId, offset);
      body.writeUInt32BE(this.#next++, offset + 4);
      spanIds.push(body.toString('hex', offset, offset + 8));
    }
    return { body, spanIds };
  }
}
