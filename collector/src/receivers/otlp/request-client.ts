import type { IncomingMessage } from 'node:http';
import type { RequestClient } from '@stitch/collector-api';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Who sent the request: the socket's peer (a dual-stack server reports an IPv4 peer as
 * `::ffff:1.2.3.4`; written here as `1.2.3.4`, so one client has one spelling) and the raw
 * `X-Forwarded-For` header, which only processors configured to trust the peer believe.
 */
export function requestClient(request: IncomingMessage): RequestClient {
  const remote = request.socket.remoteAddress ?? '';
  const address = MAPPED_V4.exec(remote)?.[1] ?? remote;
  // Node joins repeated X-Forwarded-For headers with ", " (hop order kept); the array is for typing.
  const header = request.headers['x-forwarded-for'];
  const forwardedFor = Array.isArray(header) ? header.join(', ') : header;
  return forwardedFor === undefined ? { address } : { address, forwardedFor };
}
