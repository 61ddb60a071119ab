import {
  decodeJsonRequest,
  decodeProtobufRequest,
  encodeJsonRequest,
  encodeProtobufRequest,
  type OtlpEncoding,
  type SignalBatch,
  type Signal,
} from '@stitch/collector-api';

/** One batch, encoded once, waiting to be posted (and retried) to its signal's URL. */
export interface ExportRequest {
  signal: Signal;
  url: URL;
  body: Uint8Array;
  items: number;
}

export const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * Encodes at consume time rather than in the sender, so the queue holds a snapshot that later
 * changes to the shared batch cannot reach, and compact bytes instead of decoded objects.
 */
export function encodeBatch(batch: SignalBatch, encoding: OtlpEncoding): Uint8Array {
  return encoding === 'protobuf' ? encodeProtobufRequest(batch) : Buffer.from(encodeJsonRequest(batch), 'utf8');
}

/** The batch of a request encoded by `encodeBatch` (for a persisted request stored under another encoding). */
export function decodeRequest(signal: Signal, encoding: OtlpEncoding, body: Uint8Array): SignalBatch {
  if (encoding === 'protobuf') return decodeProtobufRequest(signal, body);
  const decoded = decodeJsonRequest(signal, Buffer.from(body).toString('utf8'));
  return decoded.batch;
}
