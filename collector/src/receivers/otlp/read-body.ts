import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';
import type { BodyLease } from './in-flight-bytes.js';

export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, `request body exceeds max_request_body_size (${limit} bytes)`);
}

/**
 * Reads the raw (possibly compressed) request body into one Buffer, failing with 413 as soon as
 * it passes `limit` so an oversized upload is never buffered. A declared Content-Length over the
 * limit fails before any byte is read. Each chunk is taken from `lease` as it arrives (503 when
 * the receiver's in-flight budget is spent).
 */
export function readBody(request: IncomingMessage, limit: number, lease?: BodyLease): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(bodyTooLarge(limit));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const fail = (error: Error) => {
      cleanup();
      chunks.length = 0;
      // Keep the stream flowing with no listener so the rest of the upload is discarded, not held.
      request.resume();
      reject(error);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) fail(bodyTooLarge(limit));
      else if (lease && !lease.take(chunk.length)) fail(lease.busy());
      else chunks.push(chunk);
    }
    function onEnd() {
      cleanup();
      // One chunk (the common case for small requests) is used as is: no copy.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onError(error: Error) {
      fail(new HttpError(400, `could not read request body: ${error.message}`));
    }
    function onClose() {
      if (!request.complete) fail(new HttpError(400, 'client closed the connection before sending the whole body'));
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
