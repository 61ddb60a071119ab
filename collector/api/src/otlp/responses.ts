import type { Signal } from '../model/batch.js';
import { OtlpTypes } from './schema.js';
import { SIGNAL_CODECS } from './signals.js';

export type OtlpEncoding = 'protobuf' | 'json';

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** An Export*ServiceResponse: empty on full success, with partial_success when items were rejected. */
export function encodeExportResponse(signal: Signal, encoding: OtlpEncoding, partial?: PartialSuccess): Uint8Array {
  const codec = SIGNAL_CODECS[signal];
  const hasPartial = partial && (partial.rejected > 0 || partial.errorMessage);
  if (encoding === 'json') {
    const body = hasPartial
      ? { partialSuccess: { [codec.json.rejected]: String(partial.rejected), errorMessage: partial.errorMessage } }
      : {};
    return Buffer.from(JSON.stringify(body));
  }
  const message = hasPartial
    ? { partialSuccess: { [codec.json.rejected]: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return codec.responseType.encode(codec.responseType.fromObject(message)).finish();
}

/** Reads a peer's Export*ServiceResponse; undefined when it reports full success or is unreadable. */
export function decodeExportResponse(signal: Signal, encoding: OtlpEncoding, body: Uint8Array): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  const codec = SIGNAL_CODECS[signal];
  try {
    const object =
      encoding === 'json'
        ? (JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>)
        : (codec.responseType.toObject(codec.responseType.decode(body), { longs: Number }) as Record<string, unknown>);
    const partial = object.partialSuccess as Record<string, unknown> | undefined;
    if (!partial) return undefined;
    const rejected = Number(partial[codec.json.rejected] ?? 0);
    const errorMessage = String(partial.errorMessage ?? '');
    return rejected > 0 || errorMessage ? { rejected, errorMessage } : undefined;
  } catch {
    return undefined;
  }
}

/** gRPC status codes used in google.rpc.Status bodies. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNIMPLEMENTED: 12,
} as const;

/** A google.rpc.Status body, the OTLP/HTTP failure response. */
export function encodeStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return OtlpTypes.Status.encode(OtlpTypes.Status.fromObject({ code, message })).finish();
}

/** The message of a google.rpc.Status body, or the body as text when it is not one. */
export function decodeStatusMessage(encoding: OtlpEncoding, body: Uint8Array): string {
  if (body.length === 0) return '';
  try {
    if (encoding === 'json') {
      const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } else {
      const status = OtlpTypes.Status.decode(body) as unknown as { message?: string };
      if (status.message) return status.message;
    }
  } catch {
    // Not a Status: fall through to the raw text.
  }
  return Buffer.from(body).toString('utf8').slice(0, 500);
}
