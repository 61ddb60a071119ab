// Stitch setup and the shop's own events. Everything else (page loads and views, clicks, fetches
// with traceparent + baggage, uncaught errors, Web Vitals) the SDK records by itself.
import { Stitch } from '@stitch/web';
import type { DemoConfig } from './config.js';
import type { SignedInUser } from './user.js';

export function startTelemetry(config: DemoConfig): void {
  Stitch.init({
    endpoint: config.collectorUrl,
    serviceName: config.serviceName,
    environment: config.environment,
    version: config.version,
    // Only the shop's API gets traceparent + baggage (session.id); the collector is never a target.
    propagateTo: [`${config.apiUrl}/api/`],
    // product.html?id=3: the id is not personal, and keeping it makes page views readable.
    queryAllowlist: ['id'],
    // A demo wants its sessions in the collector quickly; the default waits up to 5 s.
    batchDelayMs: 2000,
  });
}

/** Puts the signed-in user (kept in localStorage across pages) on this page's telemetry. */
export function identify(user: SignedInUser | null): void {
  // The SDK hashes the id before it leaves the page; the e-mail is not sent (sendUserEmail is off).
  Stitch.setUser(user ? { id: String(user.id), email: user.email } : null);
}

/** The session id the SDK tags everything with (undefined before init or when not sampled). */
export function sessionId(): string | undefined {
  return Stitch.getSessionId();
}

type EventAttributes = Record<string, string | number | boolean>;

/** A business event on the session's timeline (added to cart, order placed…). */
export function track(name: string, attributes: EventAttributes = {}): void {
  Stitch.emitEvent(name, attributes);
}

/**
 * A failure the page handled (and showed the user), so the errors instrumentation never sees it
 * as an uncaught error: reported as an event with a severity so it still counts as a problem.
 */
export function reportProblem(name: string, attributes: EventAttributes, severity: 'WARN' | 'ERROR' = 'ERROR'): void {
  Stitch.emitEvent(name, attributes, { severity });
}
