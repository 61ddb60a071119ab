import type { OtlpEncoding } from '@stitch/collector-api';
import { HttpError } from './http-error.js';

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The body encoding a Content-Type names, ignoring parameters such as `; charset=utf-8`. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === CONTENT_TYPES.protobuf) return 'protobuf';
  if (mediaType === CONTENT_TYPES.json) return 'json';
  return undefined;
}

export function requireEncoding(contentType: string | undefined): OtlpEncoding {
  const encoding = encodingOf(contentType);
  if (encoding) return encoding;
  const named = contentType === undefined || contentType.trim() === '' ? 'no content type' : `unsupported content type ${JSON.stringify(contentType)}`;
  throw new HttpError(415, `${named}: use ${CONTENT_TYPES.protobuf} or ${CONTENT_TYPES.json}`);
}
