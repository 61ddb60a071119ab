import { encodeJsonRequest, encodeProtobufRequest, type OtlpEncoding, type SignalBatch, type Signal } from '@stitch/collector-api';

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
