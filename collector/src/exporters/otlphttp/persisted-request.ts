import { SIGNALS, type OtlpEncoding, type Signal } from '@stitch/collector-api';

/** A queued batch as stored on disk: which signal, how many items, and the encoded request body. */
export interface StoredRequest {
  signal: Signal;
  /** How `body` is encoded: the config may have changed between the run that stored it and the one sending it. */
  encoding: OtlpEncoding;
  items: number;
  body: Uint8Array;
}

// Version byte first, so a later layout can be told apart from this one.
const VERSION = 1;
const HEADER_BYTES = 7;
const ENCODINGS: readonly OtlpEncoding[] = ['protobuf', 'json'];

/** The URL is not stored: it comes from the config at send time, so a changed endpoint applies to a queue left from before. */
export function encodeStoredRequest(request: StoredRequest): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + request.body.length);
  out.writeUInt8(VERSION, 0);
  out.writeUInt8(SIGNALS.indexOf(request.signal), 1);
  out.writeUInt8(ENCODINGS.indexOf(request.encoding), 2);
  out.writeUInt32BE(request.items, 3);
  out.set(request.body, HEADER_BYTES);
  return out;
}

export function decodeStoredRequest(bytes: Uint8Array): StoredRequest {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < HEADER_BYTES || view.readUInt8(0) !== VERSION) throw new Error('not a queued request of this version');
  const signal = SIGNALS[view.readUInt8(1)];
  const encoding = ENCODINGS[view.readUInt8(2)];
  if (!signal || !encoding) throw new Error(`queued request names an unknown signal or encoding (${view.readUInt8(1)}, ${view.readUInt8(2)})`);
  return { signal, encoding, items: view.readUInt32BE(3), body: view.subarray(HEADER_BYTES) };
}
