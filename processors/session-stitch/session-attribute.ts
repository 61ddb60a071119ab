import type { LogRecordView, SpanRecord } from '@stitch/collector-api';

export const SESSION_ID = 'session.id';
export const STITCHED = 'stitch.stitched';
const SESSION_ID_BYTES = Buffer.from(SESSION_ID, 'utf8');

/**
 * The record's `session.id`, decoding it only when its encoded bytes contain the key at all:
 * most backend spans do not, and stay undecoded (forwarded as the bytes they came in).
 */
export function sessionIdOf(record: SpanRecord | LogRecordView): string | undefined {
  if (!record.isDecoded) {
    const bytes = record.encode();
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(SESSION_ID_BYTES) === -1) return undefined;
  }
  try {
    return asSessionId(record.attribute(SESSION_ID));
  } catch {
    return undefined; // undecodable: passed on untouched, the exporter reports it
  }
}

function asSessionId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function stamp(record: SpanRecord | LogRecordView, sessionId: string): void {
  record.update((data) => {
    data.attributes = [
      ...data.attributes.filter((kv) => kv.key !== SESSION_ID && kv.key !== STITCHED),
      { key: SESSION_ID, value: { stringValue: sessionId } },
      { key: STITCHED, value: { boolValue: true } },
    ];
  });
}
