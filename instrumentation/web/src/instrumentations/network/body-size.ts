/** Strings longer than this are not measured (measuring is O(n) on the main thread). */
const MAX_MEASURED_STRING = 100_000;

/** UTF-8 byte length of a string without allocating (TextEncoder would copy it). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/**
 * The size in bytes of a request body when it is known without reading it: strings, Blobs, buffers,
 * URLSearchParams. FormData and streams are undefined (their encoded size is not known up front).
 */
export function bodySize(body: unknown): number | undefined {
  if (body == null) return undefined;
  if (typeof body === 'string') return body.length > MAX_MEASURED_STRING ? undefined : utf8Length(body);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return utf8Length(body.toString());
  return undefined;
}

/** A Content-Length header value as a number (Content-Length is CORS-safelisted, so readable cross-origin). */
export function contentLength(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
