import type { Socket } from 'node:net';
import { encodeStatus, type Counter, type Logger } from '@stitch/collector-api';
import type { OtlpHttpConfig } from './config.js';
import { rpcCodeFor } from './http-error.js';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Answers what node's HTTP parser refuses before a request exists (headers over
 * `max_header_size`, a request slower than `read_header_timeout` / `read_timeout`, bytes that are
 * not HTTP) as node would — a short answer, then the socket closed — but with a body naming the
 * limit, and counted. Installed as the server's 'clientError' listener.
 */
export function clientErrorHandler(config: OtlpHttpConfig, logger: Logger, refused: Counter, labels: Record<string, string>) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    let status = 400;
    let reason = 'bad_http';
    let message = `request is not valid HTTP/1.1: ${error.message}`;
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      reason = 'headers_too_large';
      message = `request headers exceed max_header_size (${config.max_header_size} bytes)`;
    } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      reason = 'timeout';
      message = `request not received in time: headers within read_header_timeout (${config.read_header_timeout} ms), all of it within read_timeout (${config.read_timeout} ms)`;
    } else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    refused.add(1, { ...labels, reason });
    logger.debug({ reason, err: error.message }, 'otlp connection refused');
    // A response already under way cannot be replaced: just close.
    if (socket.writable && socket.bytesWritten === 0) {
      const body = encodeStatus('json', rpcCodeFor(status), message);
      socket.write(
        `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(body);
    }
    // As node does: what was written is flushed to the kernel already; nothing more is read.
    socket.destroy();
  };
}
