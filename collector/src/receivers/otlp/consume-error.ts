import { MalformedRecordError, PermanentError, RefusedError } from '@stitch/collector-api';
import { HttpError } from './http-error.js';

/** True when the pipeline failed on something the client cannot fix by retrying. */
function isPermanent(error: unknown): error is Error {
  // By name too, so an error class from a second copy of the API package still maps right.
  return (
    error instanceof PermanentError ||
    error instanceof MalformedRecordError ||
    (error instanceof Error && (error.name === 'PermanentError' || error.name === 'MalformedRecordError'))
  );
}

function isRefused(error: unknown): error is RefusedError {
  return error instanceof RefusedError || (error instanceof Error && error.name === 'RefusedError');
}

/**
 * Maps a consumer's failure to the OTLP/HTTP answer: permanent errors are 400 (the client drops
 * the data); everything else is 503, which OTLP clients retry, with Retry-After when the
 * pipeline said how long to wait.
 */
export function consumeErrorToHttp(error: unknown): HttpError {
  if (isPermanent(error)) return new HttpError(400, error.message);
  if (isRefused(error)) {
    const seconds = error.retryAfterSeconds;
    const headers: Record<string, string> = seconds !== undefined && seconds >= 0 ? { 'Retry-After': String(Math.ceil(seconds)) } : {};
    return new HttpError(503, error.message, headers);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new HttpError(503, `the pipeline failed to take the data, retry later: ${reason}`);
}
