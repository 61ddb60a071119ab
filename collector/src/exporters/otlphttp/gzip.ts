import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzipAsync = promisify(zlib.gzip);

/**
 * Gzips off the event loop (zlib's thread pool). Best speed, as the OpenTelemetry Collector's
 * HTTP client does: OTLP compresses well even at level 1, and CPU is the exporter's bottleneck.
 * 1 MiB chunks: export requests are megabytes, and the default 16 KiB means hundreds of
 * thread-pool round trips per request (measured ~25 % less CPU per batch, bench/README.md).
 */
export function gzip(body: Uint8Array): Promise<Buffer> {
  return gzipAsync(body, { level: zlib.constants.Z_BEST_SPEED, chunkSize: 1024 * 1024 });
}
