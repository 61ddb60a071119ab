import type { ServerResponse } from 'node:http';
import { encodeStatus, type OtlpEncoding } from '@stitch/collector-api';
import { CONTENT_TYPES } from './content-type.js';
import { rpcCodeFor } from './http-error.js';

export type Headers = Readonly<Record<string, string>>;

/** Writes a whole response in one go (one writeHead, one end). */
export function send(response: ServerResponse, status: number, encoding: OtlpEncoding, body: Uint8Array, headers: Headers): void {
  // The client may be gone, or a late failure may follow a sent answer: never write twice.
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...headers, 'Content-Type': CONTENT_TYPES[encoding], 'Content-Length': body.length });
  response.end(body);
}

/** An OTLP/HTTP failure: the status code with a google.rpc.Status body in the request's encoding. */
export function sendStatus(response: ServerResponse, status: number, encoding: OtlpEncoding, message: string, headers: Headers): void {
  send(response, status, encoding, encodeStatus(encoding, rpcCodeFor(status), message), headers);
}

/** A body-less answer (a CORS preflight). */
export function sendEmpty(response: ServerResponse, status: number, headers: Headers): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, headers);
  response.end();
}
