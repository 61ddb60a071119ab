import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { HttpError } from './http-error.js';

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

/** The one compression a Content-Encoding header names (`identity` entries are ignored). */
export function contentCodingOf(header: string | undefined): ContentCoding {
  if (header === undefined) return 'identity';
  const codings = header
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '' && part !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  if (codings.length === 1 && codings[0] === 'deflate') return 'deflate';
  throw new HttpError(415, `unsupported content encoding ${JSON.stringify(header)}: use gzip, deflate or none`);
}

// RFC 9110 "deflate" is zlib-wrapped, but some clients send raw deflate: tell them apart by the
// zlib header (compression method 8, header checksum divisible by 31).
function hasZlibHeader(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

/** The most bytes a body may inflate to, and the config key that says so (named in the 413). */
export interface DecompressedLimit {
  bytes: number;
  key: string;
}

/**
 * Decompresses the body, failing with 413 once the output passes `limit` (zlib stops there, so
 * a gzip bomb never grows past it) and with 400 when the stream is corrupt.
 */
export async function decompress(body: Buffer, coding: ContentCoding, limit: DecompressedLimit): Promise<Buffer> {
  if (coding === 'identity' || body.length === 0) return body;
  const options = { maxOutputLength: Math.min(limit.bytes, bufferConstants.MAX_LENGTH) };
  try {
    if (coding === 'gzip') return await gunzip(body, options);
    return await (hasZlibHeader(body) ? inflate(body, options) : inflateRaw(body, options));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, `request body exceeds ${limit.key} (${limit.bytes} bytes) after ${coding} decompression`);
    }
    throw new HttpError(400, `body is not valid ${coding} data: ${(error as Error).message}`);
  }
}
