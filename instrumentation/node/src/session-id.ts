import { propagation, type Context } from '@opentelemetry/api';

/** The baggage key (and span/log attribute) the browser SDK sends: OpenTelemetry's `session.id`. */
export const SESSION_ID_KEY = 'session.id';

/** Session ids longer than this are refused: a baggage entry is attacker-controlled input. */
export const MAX_SESSION_ID_LENGTH = 128;

// Hex (Stitch, Splunk), UUIDs (Honeycomb, Faro), base64url and ULIDs all fit; spaces, quotes,
// control characters and anything that could smuggle markup or log-injection do not.
const SESSION_ID_PATTERN = /^[A-Za-z0-9._:~-]+$/;

export type SessionIdVerdict = { ok: true; sessionId: string } | { ok: false; reason: 'too_long' | 'bad_charset' | 'empty' };

/** Checks a decoded baggage value before it may become a telemetry attribute. */
export function checkSessionId(value: string): SessionIdVerdict {
  if (value.length === 0) return { ok: false, reason: 'empty' };
  if (value.length > MAX_SESSION_ID_LENGTH) return { ok: false, reason: 'too_long' };
  if (!SESSION_ID_PATTERN.test(value)) return { ok: false, reason: 'bad_charset' };
  return { ok: true, sessionId: value };
}

/** The raw `session.id` baggage value in `ctx`, unvalidated (undefined when absent). */
export function baggageSessionId(ctx: Context): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(SESSION_ID_KEY)?.value;
}
