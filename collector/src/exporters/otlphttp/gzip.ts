import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzipAsync = promisify(zlib.gzip);

/**
 * Gzips off the event loop (zlib's thread pool). Best speed, as the OpenTelemetry Collector's
 * HTTP client does: OTLP compresses well even at level 1, and CPU is the exporter's bottleneck.
 */
export function gzip(body: Uint8Array): Promise<Buffer> {
  return gzipAsync(body, { level: zlib.constants.Z_BEST_SPEED });
}
