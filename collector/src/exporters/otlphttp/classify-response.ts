import { decodeExportResponse, decodeStatusMessage, type OtlpEncoding, type Signal } from '@stitch/collector-api';
import type { HttpResponse } from './http-client.js';
import { parseRetryAfter } from './retry-after.js';
import type { AttemptOutcome } from './send-with-retry.js';

// The OTLP/HTTP spec names exactly these as retryable; every other failure is final.
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Turns an OTLP/HTTP response into sent (maybe partially), retry later, or give up. */
export function classifyResponse(signal: Signal, requestEncoding: OtlpEncoding, response: HttpResponse): AttemptOutcome {
  // A peer answers in the request's content type, but trust what it says it sent.
  const contentType = response.headers['content-type'] ?? '';
  const encoding: OtlpEncoding = contentType.includes('json') ? 'json' : contentType.includes('protobuf') ? 'protobuf' : requestEncoding;
  const { status, body } = response;
  if (status >= 200 && status < 300) return { kind: 'sent', partial: decodeExportResponse(signal, encoding, body) };

  const message = decodeStatusMessage(encoding, body);
  const reason = `HTTP ${status}${message ? `: ${message}` : ''}`;
  if (RETRYABLE_STATUSES.has(status)) {
    const retryAfter = response.headers['retry-after'];
    return { kind: 'retryable', reason, status, retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) };
  }
  return { kind: 'permanent', reason, status };
}
